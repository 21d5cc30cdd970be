"""The embedded default's mail folder (issue #9): each message is written atomically as
``<date>-<message id>.eml``, listed newest first, and read back by file name or Message-ID."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tenure.adapters.mail.compose import TemplateComposer
from tenure.adapters.mail.files import FolderMailer, MailFile

from .mail_samples import PDF, XML, outgoing, with_mail


@pytest.fixture(scope="module")
def composer() -> TemplateComposer:
    return TemplateComposer()


def test_write_list_read_round_trip(tmp_path: Path, composer: TemplateComposer) -> None:
    folder = FolderMailer(tmp_path / "mail")
    first = composer.compose(outgoing("cancellation_confirmation", "de"))
    later = composer.compose(
        with_mail(
            outgoing("invoice_issued", "en", sent_at=datetime(2026, 4, 18, 6, 0, tzinfo=UTC)),
            message_id="<em_02@tenure.invalid>",
        )
    )
    folder.send(first)
    folder.send(later)

    entries = folder.list()

    assert [e.file.name for e in entries] == [
        "20260418T060000Z-em_02@tenure.invalid.eml",
        "20260417T120327Z-em_01HZX4Q7@tenure.invalid.eml",
    ]
    assert entries[1] == MailFile(
        file=tmp_path / "mail" / "20260417T120327Z-em_01HZX4Q7@tenure.invalid.eml",
        date=datetime(2026, 4, 17, 12, 3, 27, tzinfo=UTC),  # the Date header: 14:03 +0200
        to="buchhaltung@muster-soehne.de",
        subject="Kündigungsbestätigung: CloudCRM Business",
        message_id="<em_01HZX4Q7@tenure.invalid>",
    )
    assert folder.list(limit=1) == entries[:1]
    for key in ("<em_02@tenure.invalid>", "em_02@tenure.invalid", entries[0].file.name):
        message = folder.read(key)
        assert message["Subject"] == "Your invoice RE-2026-000042"
        assert [a.get_content() for a in message.iter_attachments()] == [PDF.data, XML.data]
    text = folder.read(entries[1].file.stem).get_body(("plain",))
    assert text is not None
    assert "Eingegangen am: 17.04.2026, 14:03 Uhr (MESZ)" in text.get_content()


def test_files_are_private_and_no_temporary_file_is_left(
    tmp_path: Path, composer: TemplateComposer
) -> None:
    folder = FolderMailer(tmp_path)
    folder.send(composer.compose(outgoing("contract_confirmation")))

    (written,) = tmp_path.iterdir()
    assert written.suffix == ".eml"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert written.read_bytes().count(b"\r\n") > 10  # RFC 5322 line ends, as on the wire


def test_sending_a_message_again_overwrites_it(tmp_path: Path, composer: TemplateComposer) -> None:
    folder = FolderMailer(tmp_path)
    message = composer.compose(outgoing("contract_confirmation"))
    folder.send(message)
    folder.send(message)

    assert len(folder.list()) == 1


def test_an_unknown_message_is_not_found(tmp_path: Path, composer: TemplateComposer) -> None:
    folder = FolderMailer(tmp_path / "absent")
    assert folder.list() == []
    with pytest.raises(FileNotFoundError):
        folder.read("<nothing@tenure.invalid>")
    folder.send(composer.compose(outgoing("contract_confirmation")))
    with pytest.raises(FileNotFoundError):
        folder.read("../../etc/passwd")


def test_a_hostile_message_id_cannot_leave_the_folder(
    tmp_path: Path, composer: TemplateComposer
) -> None:
    folder = FolderMailer(tmp_path / "mail")
    message = composer.compose(outgoing("contract_confirmation"))
    message.replace_header("Message-ID", "<../../x/evil@tenure.invalid>")
    folder.send(message)

    (written,) = (tmp_path / "mail").iterdir()
    assert written.name == "20260417T120327Z-.._.._x_evil@tenure.invalid.eml"
    assert folder.read("<../../x/evil@tenure.invalid>")["Subject"]

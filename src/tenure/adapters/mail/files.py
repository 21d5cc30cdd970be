"""The embedded default's mail transport: each message becomes an ``.eml`` file in a folder
(what ``tenure mail list|show`` reads), instead of going to an SMTP server.

A file is named ``<Date header as UTC, 20260417T120300Z>-<Message-ID>.eml`` (the id reduced to
``[A-Za-z0-9._@-]``), so names sort by date and a message sent twice overwrites itself. It is
written to a temporary file and renamed into place, so a reader never sees half a message; files
are readable by their owner only (they hold personal data)."""

from __future__ import annotations

import builtins
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]+")
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True, slots=True)
class MailFile:
    """One written message, as ``list`` shows it."""

    file: Path
    date: datetime | None
    to: str
    subject: str
    message_id: str


class FolderMailer:
    """The ``Mailer`` port onto a folder of ``.eml`` files."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"FolderMailer({str(self.path)!r})"

    def send(self, message: EmailMessage) -> None:
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self.path / _file_name(message)
        data = message.as_bytes(policy=policy.SMTP)
        handle, temporary = tempfile.mkstemp(dir=self.path, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def list(self, limit: int | None = None) -> builtins.list[MailFile]:
        """The messages, newest first (at most ``limit``)."""
        if not self.path.is_dir():
            return []
        files = sorted(self.path.glob("*.eml"), key=lambda f: f.name, reverse=True)
        return [_entry(file) for file in files[:limit]]

    def read(self, key: str) -> EmailMessage:
        """The message with this file name (with or without ``.eml``) or Message-ID (with or
        without ``<>``); ``FileNotFoundError`` when there is none."""
        with self._find(key).open("rb") as f:
            return BytesParser(policy=policy.default).parse(f)

    def _find(self, key: str) -> Path:
        name = key if key.endswith(".eml") else f"{key}.eml"
        if "/" not in name and "\\" not in name and (self.path / name).is_file():
            return self.path / name
        suffix = f"-{_safe_id(key)}.eml"
        matches = sorted(self.path.glob(f"*{suffix}")) if self.path.is_dir() else []
        if not matches:
            raise FileNotFoundError(f"no message {key!r} in {self.path}")
        return matches[-1]


def _file_name(message: EmailMessage) -> str:
    sent = _date(message["Date"])
    if sent is None or sent.utcoffset() is None:
        sent = datetime.now(UTC)  # a message without a (zoned) Date: the moment it is written
    message_id = message["Message-ID"]
    if not message_id:
        raise ValueError("a message needs a Message-ID to be written to a folder")
    return f"{sent.astimezone(UTC).strftime(_STAMP)}-{_safe_id(str(message_id))}.eml"


def _safe_id(message_id: str) -> str:
    bare = message_id.strip().removeprefix("<").removesuffix(">")
    return _UNSAFE.sub("_", bare)[:120] or "_"


def _date(header: object) -> datetime | None:
    try:
        return parsedate_to_datetime(str(header)) if header else None
    except (TypeError, ValueError):
        return None


def _entry(file: Path) -> MailFile:
    with file.open("rb") as f:
        headers = BytesHeaderParser(policy=policy.default).parse(f)
    return MailFile(
        file=file,
        date=_date(headers["Date"]),
        to=str(headers["To"] or ""),
        subject=str(headers["Subject"] or ""),
        message_id=str(headers["Message-ID"] or ""),
    )

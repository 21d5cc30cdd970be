"""Documents and e-mail from the CLI (issue #9): `tenure invoices pdf|xml` save the bytes on
record, `tenure worker --once` does the background work, `tenure mail log` shows a customer's
e-mails and `tenure mail list|show` read the mail folder of the embedded default."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.entrypoints.test_cli_service import ROOT, Cli, cli  # noqa: F401 (fixture)


def billed(cli: Cli) -> tuple[str, str]:  # noqa: F811
    customer = cli.json(
        "customers",
        "create",
        "--name",
        "Muster GmbH",
        "--email",
        "billing@muster.example",
        "--address",
        "Musterweg 1, 10115 Berlin",
        "--buyer-reference",
        "04011000-12345-03",
    )
    cli.ok("contracts", "start", "--customer", customer["id"], "--plan", "business")
    cli.ok("bill", "run")
    (invoice,) = cli.json("invoices", "list")
    return customer["id"], invoice["id"]


def test_the_pdf_and_the_xml_are_saved_as_on_record(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    _, number = billed(cli)
    target = tmp_path / "rechnung.pdf"
    saved = cli.json("invoices", "pdf", number, "-o", str(target))
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    assert saved["sha256"] == hashlib.sha256(content).hexdigest()
    again = cli.json("invoices", "pdf", number, "-o", str(tmp_path / "again.pdf"))
    assert again["sha256"] == saved["sha256"]

    ubl = cli.run("invoices", "xml", number, "--syntax", "ubl", "-o", "-")
    assert ubl.returncode == 0, ubl.stderr
    assert "urn:oasis:names:specification:ubl" in ubl.stdout
    assert "04011000-12345-03" in ubl.stdout  # the Leitweg-ID as buyer reference (BT-10)


def test_an_unknown_document_is_a_one_line_error(cli: Cli) -> None:  # noqa: F811
    result = cli.run("invoices", "pdf", "RE-2026-999999", "-o", "-")
    assert result.returncode == 2
    assert "[unknown_document]" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_worker_sends_what_is_due_and_the_log_shows_it(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    customer, _ = billed(cli)
    folder = tmp_path / "mail"
    env = {**os.environ, "TENURE_MAIL_DIR": str(folder)}
    command = ["--db", cli.db, "--json", "worker", "--once"]
    worker = subprocess.run(
        [sys.executable, "-m", "tenure.entrypoints.cli", *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stderr
    assert '"emails": 2' in worker.stdout  # the contract confirmation and the invoice
    log = cli.json("mail", "log", customer)
    assert [(e["template"], e["status"]) for e in log] == [
        ("contract_confirmation", "sent"),
        ("invoice_issued", "sent"),
    ]
    listed = cli.json("mail", "list", "--dir", str(folder))
    assert len(listed) == 2
    invoice_mail = next(m for m in listed if "RE-2026-000001" in m["subject"])
    shown = cli.ok("mail", "show", invoice_mail["message_id"], "--dir", str(folder))
    assert "To: billing@muster.example" in shown
    assert "attachment: RE-2026-000001.pdf (application/pdf" in shown
    assert "attachment: RE-2026-000001.cii.xml (application/xml" in shown


def test_mail_list_without_a_folder_says_so(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    result = cli.run("mail", "list", "--dir", str(tmp_path / "none"))
    assert result.returncode == 2
    assert "[no_mail_folder]" in result.stderr


def test_the_stored_files_pass_the_en16931_rules(cli: Cli) -> None:  # noqa: F811
    _, number = billed(cli)
    rows = cli.json("invoices", "validate", number)
    assert [(r["file"], r["fatal"]) for r in rows] == [
        ("factur-x.xml in the PDF", 0),
        (f"{number}.cii.xml", 0),
        (f"{number}.ubl.xml", 0),
    ]


def test_a_bad_mail_or_webhook_setting_stops_the_start_with_one_line(tmp_path: Path) -> None:
    for setting, value in (
        ("TENURE_SMTP_URL", "ftp://mail.example"),
        ("TENURE_WEBHOOK_ALLOW_PRIVATE", "maybe"),
    ):
        started = subprocess.run(
            [sys.executable, "-m", "tenure.entrypoints.cli", "serve", "--port", "9"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src"), setting: value},
            check=False,
            timeout=120,
        )
        assert started.returncode == 2, started.stderr
        assert f"error: {setting}" in started.stderr
        assert "[invalid_setting]" in started.stderr
        assert "Traceback" not in started.stderr

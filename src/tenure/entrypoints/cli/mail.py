"""``tenure mail``: the e-mails of the embedded default, written as ``.eml`` files to the mail
folder when no SMTP server is configured; and a customer's e-mail log from the database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from tenure.entrypoints.cli.common import done, fail, handles_errors, out, show, tenure

mail_app = typer.Typer(
    help="E-mails: the mail folder of the embedded default, and customers' e-mail logs.",
    no_args_is_help=True,
)

Folder = Annotated[
    Path | None,
    typer.Option("--dir", help="The mail folder (default: TENURE_MAIL_DIR, else ./tenure-mail)."),
]


def _folder(folder: Path | None) -> Path:
    return folder or Path(os.environ.get("TENURE_MAIL_DIR", "tenure-mail"))


@mail_app.command("list")
@handles_errors
def mail_list(folder: Folder = None) -> None:
    """The mails in the folder, newest first."""
    from tenure.adapters.mail.files import FolderMailer

    path = _folder(folder)
    if not path.is_dir():
        fail(f"no mail folder {str(path)!r} (tenure serve writes one there)", "no_mail_folder")
    rows = [
        {
            "file": entry.file.name,
            "date": entry.date,
            "to": entry.to,
            "subject": entry.subject,
            "message_id": entry.message_id,
        }
        for entry in FolderMailer(path).list()
    ]
    show(rows, f"mails in {path}")


@mail_app.command("show")
@handles_errors
def mail_show(
    message: Annotated[str, typer.Argument(help="A Message-ID or a file name from the list.")],
    folder: Folder = None,
    html: Annotated[bool, typer.Option("--html", help="Show the HTML part.")] = False,
) -> None:
    """One mail: its headers, its text (or HTML) and its attachments."""
    from tenure.adapters.mail.files import FolderMailer

    path = _folder(folder)
    try:
        mail = FolderMailer(path).read(message)
    except (KeyError, FileNotFoundError):
        fail(f"no mail {message!r} in {path}", "unknown_mail")
    for header in ("Date", "From", "To", "Reply-To", "Subject", "Message-ID"):
        if mail[header]:
            out.print(f"{header}: {mail[header]}", highlight=False, markup=False)
    body = mail.get_body(preferencelist=("html",) if html else ("plain",))
    out.print()
    out.print(body.get_content() if body else "", highlight=False, markup=False)
    for part in mail.iter_attachments():
        size = len(part.get_payload(decode=True) or b"")
        name = part.get_filename()
        out.print(f"attachment: {name} ({part.get_content_type()}, {size:,} bytes)", markup=False)


@mail_app.command("log")
@handles_errors
def mail_log(customer: Annotated[str, typer.Argument(help="Customer id.")]) -> None:
    """A customer's e-mails from the database: template, recipient, status, attempts."""
    from tenure.entrypoints.presenters import email_dict

    with tenure() as (services, vendor):
        rows = [email_dict(e) for e in services.emails.log(vendor, customer)]
    columns = ("id", "created_at", "template", "to", "status", "attempts", "subject")
    show(rows, f"e-mails of {customer}", columns)


@mail_app.command("resend")
@handles_errors
def mail_resend(
    email: Annotated[str, typer.Argument(help="E-mail id (em_…) from the log.")],
) -> None:
    """Send a failed mail, or one whose delivery is unknown, again (check the mail server's log
    for an unknown one's Message-ID first: it may arrive twice)."""
    from tenure.entrypoints.presenters import email_dict

    with tenure() as (services, vendor):
        record = services.emails.resend(vendor, email)
    done(f"e-mail {record.id} queued again", **email_dict(record))

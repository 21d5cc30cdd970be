"""E-mail adapters: the template composer (de, en, zh), SMTP delivery and the ``.eml`` folder of
the embedded default. The port they implement is :mod:`tenure.services.mail`."""

from tenure.adapters.mail.compose import Rendered, TemplateComposer
from tenure.adapters.mail.files import FolderMailer, MailFile
from tenure.adapters.mail.smtp import SmtpMailer, mailer_from_url, parse_smtp_url

__all__ = [
    "FolderMailer",
    "MailFile",
    "Rendered",
    "SmtpMailer",
    "TemplateComposer",
    "mailer_from_url",
    "parse_smtp_url",
]

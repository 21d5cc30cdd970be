"""Composing tenure's e-mails: Jinja2 templates, Babel message catalogs, one MIME message.

Each template ``templates/<name>.j2`` has a ``subject`` and a ``body`` block and is rendered twice,
into ``_layout.html`` (autoescaped) and ``_layout.txt``; the building blocks in ``_macros.j2``
(``m.p``, ``m.facts``, ``m.note``, …) write HTML or plain text accordingly, so both parts say the
same. Texts are English msgids translated by the catalogs
``locale/{de,en,zh}/LC_MESSAGES/emails.po``, read from the ``.po`` at start-up (no ``.mo`` files).
To collect new msgids: ``pybabel extract -F babel.cfg -o emails.pot .`` in this folder,
then ``pybabel update -i emails.pot -d locale -D emails`` (the tests fail while any msgid is
untranslated).

The message: From "Vendor <from@…>", To, Reply-To (when given), Subject ("[TEST] " first for a
sandbox mail), Date (``context["sent_at"]`` in the vendor's time zone), Message-ID,
Content-Language, ``Auto-Submitted: auto-generated``; a multipart/alternative (text/plain +
text/html, UTF-8), inside a multipart/mixed with the attachments when there are any."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from tenure.adapters.mail.formats import LANGUAGES, Language, language
from tenure.services.mail import OutgoingMail, context_problems, with_defaults

HERE = Path(__file__).resolve().parent
TEMPLATE_DIR = HERE / "templates"
CATALOG_DIR = HERE / "locale"
DOMAIN = "emails"

_MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")


@dataclass(frozen=True, slots=True)
class Rendered:
    """One e-mail's texts in one language."""

    subject: str
    text: str
    html: str
    language: str  # the Content-Language tag, e.g. "de", "zh-Hans"


def load_catalog(path: Path) -> Translations:
    """A ``.po`` file as gettext translations (fuzzy entries left out)."""
    with path.open("rb") as po:
        catalog = read_po(po, domain=DOMAIN)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


class TemplateComposer:
    """Builds the MIME message of an :class:`OutgoingMail` (the ``Composer`` port).

    Safe to share between threads: the Jinja environments (one per language and format) are built
    once and only read afterwards."""

    def __init__(self, templates: Path = TEMPLATE_DIR, catalogs: Path = CATALOG_DIR) -> None:
        loader = FileSystemLoader(templates)
        self._environments = {
            (key, html): _environment(
                loader,
                lang,
                load_catalog(catalogs / key / "LC_MESSAGES" / f"{DOMAIN}.po"),
                html=html,
            )
            for key, lang in LANGUAGES.items()
            for html in (False, True)
        }

    def render(self, mail: OutgoingMail) -> Rendered:
        """The subject and both bodies; ``ValueError`` for an unknown template or locale, or a
        context that misses keys or has values of the wrong type."""
        problems = context_problems(mail.template, mail.context)
        if problems:
            raise ValueError(f"cannot compose {mail.template!r}: {'; '.join(problems)}")
        key, lang = language(mail.locale)
        _zone(mail.context["timezone"])
        values = {
            **with_defaults(mail.template, mail.context),
            "_attached": {
                "pdf": any(a.content_type == "application/pdf" for a in mail.attachments),
                "xml": any(a.content_type.endswith("/xml") for a in mail.attachments),
            },
        }
        text_template = self._template(key, False, mail.template)
        html_template = self._template(key, True, mail.template)
        subject = _render_block(text_template, "subject", values).strip()
        if not mail.context["livemode"]:
            subject = f"[TEST] {subject}"
        text = _tidy(text_template.render(values, _layout="_layout.txt"))
        html = _tidy(html_template.render(values, _layout="_layout.html"))
        return Rendered(subject, text, html, lang.tag)

    def compose(self, mail: OutgoingMail) -> EmailMessage:
        rendered = self.render(mail)
        sent_at: datetime = mail.context["sent_at"]
        message = EmailMessage()
        message["From"] = _address("sender", mail.sender, mail.sender_name)
        message["To"] = _address("to", mail.to)
        if mail.reply_to:
            message["Reply-To"] = _address("reply_to", mail.reply_to)
        message["Subject"] = _header("subject", rendered.subject)
        message["Date"] = format_datetime(sent_at.astimezone(_zone(mail.context["timezone"])))
        if not _MESSAGE_ID.fullmatch(_header("message_id", mail.message_id)):
            raise ValueError(f"message_id {mail.message_id!r} is not of the form <left@right>")
        message["Message-ID"] = mail.message_id
        message["Auto-Submitted"] = "auto-generated"
        message["X-Auto-Response-Suppress"] = "All"
        message.set_content(rendered.text, subtype="plain", charset="utf-8")
        message.add_alternative(rendered.html, subtype="html", charset="utf-8")
        for attachment in mail.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            if not maintype or not subtype or "/" in subtype:
                raise ValueError(f"bad content type {attachment.content_type!r}")
            message.add_attachment(
                attachment.data,
                maintype=_header("content_type", maintype),
                subtype=_header("content_type", subtype),
                filename=_header("filename", attachment.filename),
            )
        for part in message.walk():
            if part is not message:  # the email package repeats it on parts it creates
                del part["MIME-Version"]
        # After the body: making the message multipart moves Content-* headers into a subpart.
        message["Content-Language"] = rendered.language
        return message

    def _template(self, key: str, html: bool, name: str) -> Template:
        return self._environments[key, html].get_template(f"{name}.j2")


def _environment(
    loader: FileSystemLoader, lang: Language, translations: Translations, *, html: bool
) -> Environment:
    env = Environment(
        loader=loader,
        autoescape=html,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]

    @pass_context
    def money(context: Context, amount: Any) -> str:
        return lang.money(amount, context["currency"])

    @pass_context
    def instant(context: Context, at: datetime) -> str:
        return lang.at(at, context["timezone"])

    env.filters.update(
        money=money, date=lang.date, instant=instant, nl2br=_nl2br if html else str, width=_width
    )
    env.globals.update(html=html, lang=lang.tag, colon=lang.colon, gap=lang.gap)
    env.globals["m"] = env.get_template("_macros.j2").module
    return env


def _render_block(template: Template, block: str, values: Mapping[str, Any]) -> str:
    context = template.new_context(dict(values))
    return "".join(template.blocks[block](context))


def _address(name: str, address: str, display_name: str = "") -> Address:
    """One mailbox; ``ValueError`` unless ``address`` is exactly one addr-spec."""
    _header(name, address)
    _header(f"{name} display name", display_name)
    try:
        return Address(display_name=display_name, addr_spec=address)
    except (ValueError, HeaderParseError) as exc:
        raise ValueError(f"{name} is not one e-mail address: {address!r} ({exc})") from None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"timezone {name!r} is not an IANA time zone") from None


def _header(name: str, value: str) -> str:
    """``value`` for a header, refusing line breaks (header injection)."""
    if "\r" in value or "\n" in value or "\0" in value:
        raise ValueError(f"{name} must not contain line breaks: {value!r}")
    return value


def _tidy(text: str) -> str:
    """Trailing spaces off (but the "-- " signature separator), at most one blank line."""
    lines = [line if line == "-- " else line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _nl2br(value: Any) -> Markup:
    return Markup("<br />\n").join(escape(value).split("\n"))


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

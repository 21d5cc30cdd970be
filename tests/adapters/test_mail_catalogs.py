"""The e-mail message catalogs are complete (issue #9): every msgid the templates use (extracted
the way ``babel.cfg`` says) is translated in de, en and zh, with no empty or fuzzy msgstr, the same
placeholders, every plural form, and no stale entry; and German texts never call a credit note a
"Gutschrift" (in German VAT law that is self-billing)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import tenure.adapters.mail.compose as compose

MAIL = Path(compose.__file__).parent
LOCALES = ("de", "en", "zh")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

MsgId = str | tuple[str, str]


def used_msgids() -> set[MsgId]:
    with (MAIL / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {
        message if isinstance(message, str) else (message[0], message[1])
        for _, _, message, _, _ in extract_from_dir(MAIL, method_map, options_map)
    }


def catalog(locale: str) -> Catalog:
    with (MAIL / "locale" / locale / "LC_MESSAGES" / "emails.po").open("rb") as po:
        return read_po(po, locale=locale, domain="emails")


USED = used_msgids()


def test_the_templates_use_translatable_texts() -> None:
    assert len(USED) > 100


@pytest.mark.parametrize("locale", LOCALES)
def test_every_msgid_is_translated(locale: str) -> None:
    entries = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog(locale) if m.id}
    missing = [m for m in USED if m not in entries]
    empty = [m for m, e in entries.items() if m in USED and not _forms(e.string)]
    fuzzy = [m for m, e in entries.items() if e.fuzzy]
    stale = [m for m in entries if m not in USED]

    assert (missing, empty, fuzzy, stale) == ([], [], [], [])


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    wrong = {}
    for message in catalog(locale):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[-1]
        expected = set(PLACEHOLDER.findall(source))
        for form in _forms(message.string):
            if set(PLACEHOLDER.findall(form)) != expected:
                wrong[source] = form
    assert wrong == {}


@pytest.mark.parametrize(("locale", "forms"), [("de", 2), ("en", 2), ("zh", 1)])
def test_plurals_have_every_form(locale: str, forms: int) -> None:
    cat = catalog(locale)
    plurals = [m for m in cat if m.pluralizable]

    assert cat.num_plurals == forms
    assert plurals
    assert all(len(_forms(m.string)) == forms for m in plurals)


def test_german_never_says_gutschrift() -> None:
    texts = " ".join(" ".join(_forms(m.string)) for m in catalog("de") if m.id)

    assert "Gutschrift" not in texts
    assert "Rechnungskorrektur" in texts
    assert "Sammelrechnung" in texts


def _forms(string: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """The non-empty forms of a msgstr."""
    forms = [string] if isinstance(string, str) else list(string or ())
    return [form for form in forms if form]

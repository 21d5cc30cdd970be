"""The language of a document: its labels from the ``documents`` message catalogs and its numbers,
amounts and dates in the formats of its locale (Babel).

The catalogs are the ``.po`` files under ``locale/<lang>/LC_MESSAGES/documents.po``; they are read
once per process (no compiled ``.mo`` files are kept). Messages are English source texts with
``{named}`` fields that :meth:`Texts.__call__` fills in after translating.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

from tenure.domain.calendar import Period

DOMAIN = "documents"
LOCALE_DIR = Path(__file__).with_name("locale")
#: The languages a document can be written in; a buyer without a locale gets German.
LANGUAGES = ("de", "en", "zh")
DEFAULT_LANGUAGE = "de"
#: The Babel locale whose formats each language uses: English in the British way ("17 Apr
#: 2026", unambiguous on both sides of the Atlantic), Chinese in simplified script.
FORMAT_LOCALES = {"de": "de_DE", "en": "en_GB", "zh": "zh_Hans_CN"}
#: The natural language of the PDF (its /Lang entry, RFC 3066).
PDF_LANGUAGES = {"de": "de-DE", "en": "en-GB", "zh": "zh-CN"}


def language_of(locale: str | None) -> str:
    """The document language for a buyer's locale: ``"en"`` for ``"en"`` or ``"en_GB"``, German
    for none and for a language tenure does not write documents in."""
    language = (locale or DEFAULT_LANGUAGE).replace("-", "_").split("_")[0].lower()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@functools.cache
def translations(language: str) -> Translations:
    """The ``documents`` catalog of ``language``, read from its ``.po`` file."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@dataclass(frozen=True, slots=True)
class Texts:
    """Translates and formats for one document language."""

    language: str

    @classmethod
    def of(cls, locale: str | None) -> Texts:
        return cls(language_of(locale))

    @property
    def _locale(self) -> Locale:
        return _babel_locale(self.language)

    @property
    def pdf_language(self) -> str:
        return PDF_LANGUAGES[self.language]

    def __call__(self, message: str, /, **fields: object) -> str:
        """``message`` in this language, its ``{fields}`` filled in."""
        text = translations(self.language).gettext(message)
        return text.format(**fields) if fields else text

    def money(self, amount: Decimal, currency: str) -> str:
        """An amount: ``5,90 €`` (de), ``€5.90`` (en), ``€5.90`` (zh)."""
        return format_currency(amount, currency, locale=self._locale)

    def price(self, amount: Decimal, currency: str) -> str:
        """A unit price: like :meth:`money`, but a price of 0.0025 € per unit keeps its digits."""
        return format_currency(amount, currency, locale=self._locale, decimal_quantization=False)

    def date(self, day: date) -> str:
        """``17.04.2026`` (de), ``17 Apr 2026`` (en), ``2026年4月17日`` (zh)."""
        return format_date(day, "medium", locale=self._locale)

    def period(self, period: Period) -> str:
        """The days of a half-open period as people read them: from its first to its last day
        (``period.end`` is the day after); a single day as that day."""
        if period.last_day == period.start:
            return self.date(period.start)
        return f"{self.date(period.start)} – {self.date(period.last_day)}"

    def quantity(self, quantity: Decimal) -> str:
        return format_decimal(quantity.normalize(), locale=self._locale, decimal_quantization=False)

    def percent(self, rate: Decimal) -> str:
        """A VAT rate given in percent: ``19 %`` (de), ``25.5%`` (en)."""
        return format_percent(rate / 100, locale=self._locale, decimal_quantization=False)

    def country(self, code: str) -> str:
        """The name of an ISO 3166 country in this language (the code if Babel has none)."""
        return str(self._locale.territories.get(code.upper(), code))


@functools.cache
def _babel_locale(language: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES[language])

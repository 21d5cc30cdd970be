"""How amounts, days and instants read in each e-mail language (Babel, CLDR data).

de: "5,90 €", "17.04.2026", "17.04.2026, 14:03 Uhr (MESZ)"; en: "€5.90", "17 April 2026",
"17 April 2026, 14:03 CEST"; zh: "€5.90", "2026年4月17日", "2026年4月17日 14:03（中欧夏令时间）".
An instant is shown in the vendor's time zone (``context["timezone"]``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency


@dataclass(frozen=True, slots=True)
class Language:
    """One e-mail language: its Babel locale, its tag (Content-Language, ``<html lang>``), its
    CLDR patterns for days and instants, and its punctuation between a label and its value and
    between two sentences."""

    babel: str
    tag: str
    day: str
    instant: str
    colon: str = ": "
    gap: str = " "

    def money(self, amount: Decimal | int, currency: str) -> str:
        if isinstance(amount, float | bool) or not isinstance(amount, Decimal | int):
            raise TypeError(f"an amount must be a Decimal, not {type(amount).__name__}")
        return format_currency(amount, currency, locale=self.babel)

    def date(self, day: date) -> str:
        if isinstance(day, datetime) or not isinstance(day, date):
            raise TypeError(f"a day must be a date, not {type(day).__name__}")
        return format_date(day, self.day, locale=self.babel)

    def at(self, instant: datetime, timezone: str) -> str:
        """``instant`` (aware) as the vendor's local date and time, with the zone's name."""
        if not isinstance(instant, datetime) or instant.utcoffset() is None:
            raise TypeError("an instant must be an aware datetime")
        return format_datetime(instant, self.instant, tzinfo=ZoneInfo(timezone), locale=self.babel)


LANGUAGES: dict[str, Language] = {
    "de": Language("de_DE", "de", "dd.MM.yyyy", "dd.MM.yyyy, HH:mm 'Uhr' (z)"),
    "en": Language("en_GB", "en", "d MMMM y", "d MMMM y, HH:mm z"),
    "zh": Language("zh_Hans_CN", "zh-Hans", "y年M月d日", "y年M月d日 HH:mm（zzzz）", "：", ""),
}


def language(locale: str) -> tuple[str, Language]:
    """The e-mail language for a customer locale ("de", "de-DE", "zh_Hans", …): its key in
    :data:`LANGUAGES` and the language; ``ValueError`` for one tenure has no texts in."""
    key = locale.replace("_", "-").split("-")[0].lower()
    if key not in LANGUAGES:
        raise ValueError(f"no e-mail texts in locale {locale!r} (one of: {', '.join(LANGUAGES)})")
    return key, LANGUAGES[key]

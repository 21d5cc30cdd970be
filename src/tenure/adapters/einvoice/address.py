"""A party's one-string address split into the postal address of EN 16931 (BG-5, BG-8).

Parties keep their address as one free text ("Musterstraße 1, 10115 Berlin, DE"); an e-invoice
needs its parts: street line (BT-35), post code (BT-38), city (BT-37), country (BT-40; always the
party's ``country``, never guessed from the text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

#: Post code before the city, with an optional country prefix ("D-10115", "CH-8001"): DE/FR
#: "10115 Berlin", AT/CH/BE/DK "1010 Wien", NL "1012 AB Amsterdam", PL "00-950 Warszawa",
#: PT "1000-001 Lisboa", SE/CZ "114 55 Stockholm".
_CODE_THEN_CITY = re.compile(
    r"^(?:[A-Z]{1,3}-)?(?P<code>\d{2}-\d{3}|\d{4}-\d{3}|\d{3} \d{2}|\d{4} ?[A-Z]{2}|\d{4,6})"
    r"\s+(?P<city>\D.*)$"
)
#: The city, then a UK post code: "London SW1A 1AA".
_CITY_THEN_UK_CODE = re.compile(
    r"^(?P<city>\D+?)\s+(?P<code>[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$", re.IGNORECASE
)
#: A US or Canadian state and its post code, the city being the part before: "CA 94105".
_STATE_AND_CODE = re.compile(
    r"^(?P<state>[A-Z]{2})\s+(?P<code>\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)$"
)
_COUNTRY_TOKEN = re.compile(r"^[A-Z]{2}$")
#: Languages in which a trailing country name is recognised ("Deutschland", "Germany").
_COUNTRY_NAME_LANGUAGES = ("de", "en", "fr")


@lru_cache(maxsize=256)
def _country_names(country: str) -> frozenset[str]:
    names = (Locale(lang).territories.get(country) for lang in _COUNTRY_NAME_LANGUAGES)
    return frozenset(name.casefold() for name in names if name)


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """EN 16931 BG-5/BG-8: street lines, city, post code, subdivision and country."""

    country: str
    line_one: str | None = None
    line_two: str | None = None
    post_code: str | None = None
    city: str | None = None
    subdivision: str | None = None


def postal_address(address: str | None, country: str) -> PostalAddress:
    """The parts of ``address`` (split on newlines and commas).

    The part that holds a post code and a city ("10115 Berlin", "London SW1A 1AA", or a US
    "CA 94105" after its city) gives BT-38 and BT-37; a trailing two-letter country token ("DE")
    or the name of ``country`` ("Deutschland", "Germany") is dropped, since the country is
    ``country``; what stands before the city is the street
    (BT-35, a second part BT-36), what stands after it is added to the second line. Without a
    post code the last part is taken as the city when there are several, and a lone part as the
    city unless it has a digit (then it is a street).
    """
    parts = [p.strip() for p in re.split(r"[\n,]", address or "") if p.strip()]
    if parts and (
        _COUNTRY_TOKEN.match(parts[-1]) or parts[-1].casefold() in _country_names(country)
    ):
        parts.pop()
    if not parts:
        return PostalAddress(country)
    found = _post_code_and_city(parts)
    if found is None:
        if len(parts) == 1 and any(c.isdigit() for c in parts[0]):
            return _with_lines(country, parts, [], None, None, None)
        return _with_lines(country, parts[:-1], [], None, parts[-1], None)
    index, code, city, state, used = found
    return _with_lines(country, parts[: index + 1 - used], parts[index + 1 :], code, city, state)


def _post_code_and_city(parts: list[str]) -> tuple[int, str, str, str | None, int] | None:
    """The last part with a post code: its index, the post code, the city, a state, and how
    many parts the city took (1, or 2 when the city is the part before a "CA 94105")."""
    for index in range(len(parts) - 1, -1, -1):
        part = parts[index]
        if m := _CODE_THEN_CITY.match(part):
            return index, m["code"], m["city"].strip(), None, 1
        if m := _CITY_THEN_UK_CODE.match(part):
            return index, m["code"].upper(), m["city"].strip(), None, 1
        if index > 0 and (m := _STATE_AND_CODE.match(part)):
            return index, m["code"], parts[index - 1], m["state"], 2
    return None


def _with_lines(
    country: str,
    street: list[str],
    after: list[str],
    code: str | None,
    city: str | None,
    state: str | None,
) -> PostalAddress:
    rest = street[1:] + after
    return PostalAddress(
        country=country,
        line_one=street[0] if street else None,
        line_two=", ".join(rest) if rest else None,
        post_code=code,
        city=city,
        subdivision=state,
    )

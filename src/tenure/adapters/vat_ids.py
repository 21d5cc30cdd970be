"""Tax identities and the seller's contact against well-kept reference data: VAT IDs, IBANs and
BICs with python-stdnum (format and check digits), country codes with pycountry (ISO 3166-1).
The services reach them through :class:`tenure.services.customers.TaxIdentity`, wired by the
bootstrap."""

from __future__ import annotations

import re

import pycountry
from stdnum import bic, iban
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

from tenure.domain.catalog import Vendor

#: An e-mail address: something@domain, no blanks or angle brackets (header injection).
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def vat_id_problem(vat_id: str) -> str | None:
    """None if ``vat_id`` is a well-formed EU VAT ID with valid check digits, else why not."""
    try:
        eu_vat.validate(vat_id)
    except ValidationError as exc:
        return f"{vat_id!r} is not a valid EU VAT ID ({str(exc).lower().rstrip('.')})"
    return None


def normalize_vat_id(vat_id: str) -> str:
    return str(eu_vat.compact(vat_id))


def country_problem(country: str) -> str | None:
    """None if ``country`` is an ISO 3166-1 alpha-2 code of a country (not ``ZZ``, ``XX``, the
    ``EU`` or another user-assigned or reserved code), else why not."""
    plausible = len(country) == 2 and country.isascii() and country.isalpha()
    if plausible and pycountry.countries.get(alpha_2=country.upper()) is not None:
        return None
    return f"{country!r} is not an ISO 3166-1 alpha-2 country code"


class StdnumTaxIdentity:
    """:class:`tenure.services.customers.TaxIdentity` with python-stdnum and pycountry."""

    def country_problem(self, country: str) -> str | None:
        return country_problem(country)

    def vat_id_problem(self, vat_id: str) -> str | None:
        return vat_id_problem(vat_id)

    def normalize_vat_id(self, vat_id: str) -> str:
        try:
            return normalize_vat_id(vat_id)
        except ValidationError:
            return vat_id.strip().upper()


def seller_contact_problems(vendor: Vendor) -> list[tuple[str, str]]:
    """What is wrong with the vendor's e-mail addresses and bank account (IBAN and BIC checked
    with python-stdnum)."""
    found = []
    for key in ("email", "reply_to"):
        address = getattr(vendor, key)
        if address is not None and not EMAIL.match(address):
            found.append((key, f"{address!r} is not an e-mail address"))
    checks = (("iban", vendor.iban, iban.validate), ("bic", vendor.bic, bic.validate))
    for key, value, validate in checks:
        if value is not None:
            try:
                validate(value)
            except ValidationError as exc:
                found.append((key, f"{value!r} is not a valid {key.upper()}: {exc}"))
    return found

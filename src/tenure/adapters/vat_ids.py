"""Tax identities against well-kept reference data: VAT IDs with python-stdnum (format and check
digits), country codes with pycountry (ISO 3166-1). The services reach them through
:class:`tenure.services.customers.TaxIdentity`, wired by the bootstrap."""

from __future__ import annotations

import pycountry
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError


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

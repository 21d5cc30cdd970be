"""VAT identification numbers, checked with python-stdnum (format and check digits)."""

from __future__ import annotations

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

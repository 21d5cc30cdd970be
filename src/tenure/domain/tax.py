"""VAT: which rate applies to a customer, and the tax of an invoice per rate on the sum of nets
(EN 16931 BR-CO-17: never per line)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tenure.domain.money import round_half_up

# Standard VAT rates of the EU member states, keyed by ISO 3166 country code, as a history of
# (valid from, rate) so that an invoice is taxed at the rate of its issue date.
EU_STANDARD_RATES: dict[str, tuple[tuple[date, Decimal], ...]] = {
    "AT": ((date(2016, 1, 1), Decimal("20")),),
    "BE": ((date(2016, 1, 1), Decimal("21")),),
    "BG": ((date(2016, 1, 1), Decimal("20")),),
    "HR": ((date(2016, 1, 1), Decimal("25")),),
    "CY": ((date(2016, 1, 1), Decimal("19")),),
    "CZ": ((date(2016, 1, 1), Decimal("21")),),
    "DK": ((date(2016, 1, 1), Decimal("25")),),
    "EE": (
        (date(2016, 1, 1), Decimal("20")),
        (date(2024, 1, 1), Decimal("22")),
        (date(2025, 7, 1), Decimal("24")),
    ),
    "FI": ((date(2016, 1, 1), Decimal("24")), (date(2024, 9, 1), Decimal("25.5"))),
    "FR": ((date(2016, 1, 1), Decimal("20")),),
    "DE": (
        (date(2016, 1, 1), Decimal("19")),
        (date(2020, 7, 1), Decimal("16")),
        (date(2021, 1, 1), Decimal("19")),
    ),
    "GR": ((date(2016, 6, 1), Decimal("24")),),
    "HU": ((date(2016, 1, 1), Decimal("27")),),
    "IE": (
        (date(2016, 1, 1), Decimal("23")),
        (date(2020, 9, 1), Decimal("21")),
        (date(2021, 3, 1), Decimal("23")),
    ),
    "IT": ((date(2016, 1, 1), Decimal("22")),),
    "LV": ((date(2016, 1, 1), Decimal("21")),),
    "LT": ((date(2016, 1, 1), Decimal("21")),),
    "LU": (
        (date(2016, 1, 1), Decimal("17")),
        (date(2023, 1, 1), Decimal("16")),
        (date(2024, 1, 1), Decimal("17")),
    ),
    "MT": ((date(2016, 1, 1), Decimal("18")),),
    "NL": ((date(2016, 1, 1), Decimal("21")),),
    "PL": ((date(2016, 1, 1), Decimal("23")),),
    "PT": ((date(2016, 1, 1), Decimal("23")),),
    "RO": ((date(2017, 1, 1), Decimal("19")), (date(2025, 8, 1), Decimal("21"))),
    "SK": ((date(2016, 1, 1), Decimal("20")), (date(2025, 1, 1), Decimal("23"))),
    "SI": ((date(2016, 1, 1), Decimal("22")),),
    "ES": ((date(2016, 1, 1), Decimal("21")),),
    "SE": ((date(2016, 1, 1), Decimal("25")),),
}

# VAT identification numbers use EL for Greece; addresses use GR.
VAT_ID_PREFIX_TO_COUNTRY = {"EL": "GR"}

REVERSE_CHARGE_NOTE = "Steuerschuldnerschaft des Leistungsempfängers / Reverse charge"
# Electronically supplied services to customers outside the EU are taxable where the customer is:
# for businesses by § 3a Abs. 2 UStG, for consumers by § 3a Abs. 4 Satz 2 Nr. 11 UStG.
NOT_TAXABLE_NOTE_BUSINESS = (
    "Nicht im Inland steuerbare Leistung (§ 3a Abs. 2 UStG) / "
    "Not subject to German VAT (place of supply outside the EU)"
)
NOT_TAXABLE_NOTE_CONSUMER = (
    "Nicht im Inland steuerbare Leistung (§ 3a Abs. 4 Satz 2 Nr. 11 UStG) / "
    "Not subject to German VAT (place of supply outside the EU)"
)


def is_eu(country: str) -> bool:
    return country in EU_STANDARD_RATES


def standard_rate(country: str, on: date) -> Decimal:
    history = EU_STANDARD_RATES[country]
    rate = history[0][1]
    for since, value in history:
        if since <= on:
            rate = value
    return rate


class TaxCategory(enum.Enum):
    """EN 16931 VAT category codes (UNTDID 5305)."""

    STANDARD = "S"
    REVERSE_CHARGE = "AE"
    NOT_SUBJECT = "O"


@dataclass(frozen=True, slots=True)
class TaxTreatment:
    rate: Decimal
    category: TaxCategory
    note: str | None
    country: str  # the country whose VAT applies (for OSS reporting)


def tax_treatment(
    seller_country: str,
    customer_country: str,
    customer_is_business: bool,
    customer_vat_id: str | None,
    on: date,
) -> TaxTreatment:
    """The VAT of an electronically supplied service from ``seller_country`` to this customer.

    Domestic: the seller country's standard rate. EU business with a VAT ID: reverse charge, 0 %.
    EU consumer (and an EU business that gives no VAT ID, treated like a consumer): the standard
    rate of the customer's country (OSS). Outside the EU: not taxable here, 0 %.
    """
    if customer_country == seller_country:
        return TaxTreatment(
            standard_rate(seller_country, on), TaxCategory.STANDARD, None, seller_country
        )
    if is_eu(customer_country):
        if customer_is_business and customer_vat_id:
            return TaxTreatment(
                Decimal(0), TaxCategory.REVERSE_CHARGE, REVERSE_CHARGE_NOTE, customer_country
            )
        return TaxTreatment(
            standard_rate(customer_country, on), TaxCategory.STANDARD, None, customer_country
        )
    note = NOT_TAXABLE_NOTE_BUSINESS if customer_is_business else NOT_TAXABLE_NOTE_CONSUMER
    return TaxTreatment(Decimal(0), TaxCategory.NOT_SUBJECT, note, customer_country)


def vat_amount(net_sum: Decimal, rate: Decimal, currency: str) -> Decimal:
    """VAT on the sum of the nets at one rate, rounded once, half-up."""
    return round_half_up(net_sum * rate / Decimal(100), currency)


def format_rate(rate: Decimal) -> str:
    """``19`` for 19 %, ``25.5`` for 25.5 %, ``0`` for 0 %."""
    return format(rate.normalize(), "f")

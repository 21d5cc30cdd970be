"""VAT (SPEC § 4): which rate applies to a customer, and VAT per rate on the sum of the nets."""

from datetime import date
from decimal import Decimal

import pytest

from tenure.domain.tax import (
    NOT_TAXABLE_NOTE_BUSINESS,
    NOT_TAXABLE_NOTE_CONSUMER,
    REVERSE_CHARGE_NOTE,
    TaxCategory,
    format_rate,
    is_eu,
    standard_rate,
    tax_treatment,
    vat_amount,
)

D = date.fromisoformat
TODAY = D("2026-03-01")


def test_reverse_charge_note_is_exactly_the_spec_wording() -> None:
    assert REVERSE_CHARGE_NOTE == "Steuerschuldnerschaft des Leistungsempfängers / Reverse charge"


# --- domestic ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("is_business", "vat_id"), [(False, None), (True, None), (True, "DE123456789")]
)
def test_german_seller_to_german_customer_is_19_percent(
    is_business: bool, vat_id: str | None
) -> None:
    t = tax_treatment("DE", "DE", is_business, vat_id, TODAY)
    assert t.rate == Decimal("19")
    assert t.category is TaxCategory.STANDARD
    assert t.note is None
    assert t.country == "DE"


def test_german_rate_was_16_percent_in_the_second_half_of_2020() -> None:
    assert tax_treatment("DE", "DE", False, None, D("2020-09-01")).rate == Decimal("16")
    assert standard_rate("DE", D("2020-06-30")) == Decimal("19")
    assert standard_rate("DE", D("2020-07-01")) == Decimal("16")
    assert standard_rate("DE", D("2020-12-31")) == Decimal("16")
    assert standard_rate("DE", D("2021-01-01")) == Decimal("19")


# --- EU business with VAT ID: reverse charge -----------------------------------------------------


@pytest.mark.parametrize(
    ("country", "vat_id"),
    [("AT", "ATU12345678"), ("FR", "FR12345678901"), ("GR", "EL123456789"), ("FI", "FI12345678")],
)
def test_eu_business_with_vat_id_is_reverse_charge_at_zero_with_the_note(
    country: str, vat_id: str
) -> None:
    t = tax_treatment("DE", country, True, vat_id, TODAY)
    assert t.rate == Decimal(0)
    assert t.category is TaxCategory.REVERSE_CHARGE
    assert t.note == "Steuerschuldnerschaft des Leistungsempfängers / Reverse charge"
    assert t.country == country


# --- EU consumer: the customer country's standard rate (OSS) -------------------------------------


@pytest.mark.parametrize(
    ("country", "on", "rate"),
    [
        ("AT", "2026-03-01", "20"),
        ("FR", "2026-03-01", "20"),
        ("FI", "2024-08-31", "24"),
        ("FI", "2024-09-01", "25.5"),
        ("FI", "2026-03-01", "25.5"),
        ("NL", "2026-03-01", "21"),
        ("HU", "2026-03-01", "27"),
        ("LU", "2026-03-01", "17"),
    ],
)
def test_eu_consumer_pays_the_standard_rate_of_their_country(
    country: str, on: str, rate: str
) -> None:
    t = tax_treatment("DE", country, False, None, D(on))
    assert t.rate == Decimal(rate)
    assert t.category is TaxCategory.STANDARD
    assert t.note is None
    assert t.country == country


def test_eu_consumer_with_a_vat_id_still_pays_their_country_rate() -> None:
    t = tax_treatment("DE", "AT", False, "ATU12345678", TODAY)
    assert t.rate == Decimal("20")
    assert t.category is TaxCategory.STANDARD


@pytest.mark.parametrize("vat_id", [None, ""])
def test_eu_business_without_vat_id_is_treated_like_a_consumer(vat_id: str | None) -> None:
    # Documented choice (tax.py): without a VAT ID there is no reverse charge; the customer
    # country's standard rate applies as for a consumer.
    t = tax_treatment("DE", "AT", True, vat_id, TODAY)
    assert t.rate == Decimal("20")
    assert t.category is TaxCategory.STANDARD
    assert t.note is None
    assert t.country == "AT"


# --- outside the EU ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "is_business", "vat_id"),
    [
        ("US", False, None),
        ("US", True, "US12-3456789"),
        ("CH", True, "CHE123456789"),
        ("GB", False, None),
    ],
)
def test_customer_outside_the_eu_is_not_taxable_here_with_a_note(
    country: str, is_business: bool, vat_id: str | None
) -> None:
    t = tax_treatment("DE", country, is_business, vat_id, TODAY)
    assert t.rate == Decimal(0)
    assert t.category is TaxCategory.NOT_SUBJECT
    # § 3a Abs. 2 UStG for businesses, § 3a Abs. 4 Satz 2 Nr. 11 UStG for consumers
    assert t.note == (NOT_TAXABLE_NOTE_BUSINESS if is_business else NOT_TAXABLE_NOTE_CONSUMER)
    assert ("§ 3a Abs. 2 UStG" if is_business else "§ 3a Abs. 4 Satz 2 Nr. 11 UStG") in t.note
    assert t.country == country


def test_eu_membership() -> None:
    assert is_eu("DE")
    assert is_eu("AT")
    assert is_eu("GR")
    assert not is_eu("GB")
    assert not is_eu("CH")
    assert not is_eu("US")
    assert not is_eu("NO")


# --- VAT per rate on the sum of nets, half-up ----------------------------------------------------


def test_vat_is_computed_on_the_sum_of_nets_not_per_line() -> None:
    # Three lines of 0.03 at 19 %: per line 0.0057 → 0.01 each, 0.03 in all; on the sum
    # 0.09 × 19 % = 0.0171 → 0.02.
    nets = [Decimal("0.03")] * 3
    per_line = sum(vat_amount(n, Decimal("19"), "EUR") for n in nets)
    assert per_line == Decimal("0.03")
    assert vat_amount(sum(nets, Decimal(0)), Decimal("19"), "EUR") == Decimal("0.02")


@pytest.mark.parametrize(
    ("net", "rate", "vat"),
    [
        ("100.00", "19", "19.00"),
        ("0.50", "19", "0.10"),  # 0.095 → 0.10
        ("13.90", "19", "2.64"),  # 2.641 → 2.64
        ("10.00", "25.5", "2.55"),
        ("0.10", "25.5", "0.03"),  # 0.0255 → 0.03
        ("0.02", "25", "0.01"),  # 0.005 → 0.01
        ("-0.02", "25", "-0.01"),  # -0.005 → -0.01
        ("-0.50", "19", "-0.10"),
        ("123.45", "0", "0.00"),
    ],
)
def test_vat_amount_rounds_once_half_up(net: str, rate: str, vat: str) -> None:
    assert vat_amount(Decimal(net), Decimal(rate), "EUR") == Decimal(vat)


def test_vat_amount_in_yen_and_dinar() -> None:
    # 1050 JPY × 10 % = 105; 1005 JPY × 10 % = 100.5 → 101; 1.005 BHD × 10 % = 0.1005 → 0.101
    assert vat_amount(Decimal("1050"), Decimal("10"), "JPY") == Decimal("105")
    assert vat_amount(Decimal("1005"), Decimal("10"), "JPY") == Decimal("101")
    assert vat_amount(Decimal("1.005"), Decimal("10"), "BHD") == Decimal("0.101")


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (Decimal("19"), "19"),
        (Decimal("25.5"), "25.5"),
        (Decimal("19.00"), "19"),
        (Decimal(0), "0"),
        (Decimal("20"), "20"),
    ],
)
def test_format_rate(rate: Decimal, text: str) -> None:
    assert format_rate(rate) == text

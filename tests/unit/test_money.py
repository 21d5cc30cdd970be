"""Money (SPEC § 3): exact amounts, rounded once and half-up to the currency's minor unit.

Expected values are hand-calculated; "half-up" means commercial rounding, half away from zero
(-0.005 EUR becomes -0.01 EUR).
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from tenure.domain.errors import DomainError
from tenure.domain.money import (
    Money,
    UnknownCurrency,
    allocate,
    minor_units,
    money_sum,
    round_half_up,
)


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


# --- minor units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "decimals"),
    [("EUR", 2), ("USD", 2), ("JPY", 0), ("BHD", 3), ("KWD", 3)],
)
def test_minor_units_follow_iso_4217(currency: str, decimals: int) -> None:
    assert minor_units(currency) == decimals


@pytest.mark.parametrize("currency", ["XYZ", "eur", "", "EURO"])
def test_unknown_currency_is_refused_not_guessed(currency: str) -> None:
    with pytest.raises(UnknownCurrency):
        minor_units(currency)


def test_unknown_currency_is_a_domain_error_with_a_stable_code() -> None:
    with pytest.raises(DomainError) as info:
        minor_units("XYZ")
    assert info.value.code == "unknown_currency"


def test_money_in_an_unknown_currency_cannot_be_made() -> None:
    with pytest.raises(UnknownCurrency):
        Money(Decimal("1.00"), "XYZ")
    with pytest.raises(UnknownCurrency):
        Money.zero("XYZ")
    with pytest.raises(UnknownCurrency):
        Money.of("1", "XYZ")


# --- rounding once, half-up ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        ("0.0049999", "0.00"),
        ("-0.0049999", "0.00"),
        ("1.005", "1.01"),
        ("2.675", "2.68"),
        ("1.994", "1.99"),
        ("1.995", "2.00"),
        ("-1.995", "-2.00"),
        ("10", "10.00"),
    ],
)
def test_eur_decimals_round_half_away_from_zero_to_the_cent(value: str, expected: str) -> None:
    assert round_half_up(Decimal(value), "EUR") == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 200), "0.01"),
        (Fraction(-1, 200), "-0.01"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(-2, 3), "-0.67"),
        (Fraction(59, 31), "1.90"),
    ],
)
def test_exact_fractions_round_half_up_to_the_cent(value: Fraction, expected: str) -> None:
    assert round_half_up(value, "EUR") == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.5", "1"), ("-0.5", "-1"), ("1.49", "1"), ("2.5", "3"), ("1234.5", "1235")],
)
def test_jpy_rounds_to_whole_yen(value: str, expected: str) -> None:
    assert round_half_up(Decimal(value), "JPY") == Decimal(expected)
    assert Money.of(value, "JPY").amount == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.0005", "0.001"), ("-0.0005", "-0.001"), ("1.2345", "1.235"), ("1.2344", "1.234")],
)
def test_bhd_rounds_to_three_decimals(value: str, expected: str) -> None:
    assert round_half_up(Decimal(value), "BHD") == Decimal(expected)
    assert Money.of(value, "BHD").amount == Decimal(expected)


def test_fraction_rounding_to_jpy_and_bhd() -> None:
    # 1000 JPY × 10/31 = 322.58… → 323; 10 BHD × 10/31 = 3.2258… → 3.226
    assert round_half_up(Fraction(10000, 31), "JPY") == Decimal("323")
    assert round_half_up(Fraction(100, 31), "BHD") == Decimal("3.226")


def test_rounding_keeps_the_currency_exponent() -> None:
    assert str(round_half_up(Decimal("10"), "EUR")) == "10.00"
    assert str(round_half_up(Decimal("10"), "BHD")) == "10.000"
    assert str(round_half_up(Decimal("10.4"), "JPY")) == "10"


def test_money_of_rounds_once_half_up() -> None:
    assert Money.of("0.005", "EUR") == eur("0.01")
    assert Money.of("-0.005", "EUR") == eur("-0.01")
    assert Money.of(Fraction(1, 3), "EUR") == eur("0.33")
    assert Money.of(7, "EUR") == eur("7.00")


# --- Money refuses floats and extra decimals -----------------------------------------------------


def test_money_refuses_a_float_amount() -> None:
    with pytest.raises(TypeError):
        Money(0.1, "EUR")  # type: ignore[arg-type]


def test_money_of_refuses_a_float() -> None:
    # SPEC § 3: "Amounts are never floats." 1.005 as a float is 1.00499999…, which would silently
    # round to 1.00 instead of 1.01.
    with pytest.raises(TypeError):
        Money.of(1.005, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("1.001", "EUR"), ("0.005", "EUR"), ("1.5", "JPY"), ("1.2345", "BHD")],
)
def test_money_refuses_more_decimals_than_the_currency_has(amount: str, currency: str) -> None:
    with pytest.raises(ValueError):
        Money(Decimal(amount), currency)


def test_money_accepts_trailing_zeros_and_normalises_the_exponent() -> None:
    assert str(Money(Decimal("5"), "EUR").amount) == "5.00"
    assert str(Money(Decimal("5.0"), "JPY").amount) == "5"
    assert str(Money(Decimal("1.2"), "BHD").amount) == "1.200"
    assert Money(Decimal("5"), "EUR") == eur("5.00")


# --- minor units, arithmetic ---------------------------------------------------------------------


def test_minor_is_the_amount_in_cents() -> None:
    assert eur("12.34").minor == 1234
    assert eur("-0.05").minor == -5
    assert Money(Decimal("500"), "JPY").minor == 500
    assert Money(Decimal("1.234"), "BHD").minor == 1234


def test_from_minor_uses_the_currency_exponent() -> None:
    assert Money.from_minor(1234, "EUR") == eur("12.34")
    assert Money.from_minor(1234, "JPY").amount == Decimal("1234")
    assert Money.from_minor(1234, "BHD").amount == Decimal("1.234")
    assert Money.from_minor(-5, "EUR") == eur("-0.05")


def test_adding_subtracting_and_negating_are_exact() -> None:
    assert eur("0.10") + eur("0.20") == eur("0.30")
    assert eur("0.10") - eur("0.25") == eur("-0.15")
    assert -eur("1.99") == eur("-1.99")
    assert money_sum([eur("0.10")] * 3, "EUR") == eur("0.30")
    assert money_sum([], "EUR") == Money.zero("EUR")


def test_money_in_different_currencies_does_not_mix() -> None:
    with pytest.raises(ValueError):
        eur("1.00") + Money(Decimal("1"), "JPY")
    with pytest.raises(ValueError):
        _ = eur("1.00") < Money(Decimal("1.00"), "USD")


# --- allocate ------------------------------------------------------------------------------------


def test_allocate_ten_euros_in_three_never_loses_a_cent() -> None:
    parts = allocate(eur("10.00"), [1, 1, 1])
    assert parts == [eur("3.34"), eur("3.33"), eur("3.33")]
    assert money_sum(parts, "EUR") == eur("10.00")


def test_allocate_negative_total_mirrors_the_positive_split() -> None:
    parts = allocate(eur("-10.00"), [1, 1, 1])
    assert parts == [eur("-3.34"), eur("-3.33"), eur("-3.33")]


def test_allocate_gives_the_leftover_cent_to_the_largest_remainder() -> None:
    # 100 cents × 1/3 = 33.33, × 2/3 = 66.67: floors 33 + 66, the cent goes to the second part.
    assert allocate(eur("1.00"), [1, 2]) == [eur("0.33"), eur("0.67")]


def test_allocate_breaks_ties_towards_the_earlier_part() -> None:
    assert allocate(eur("0.05"), [1, 1]) == [eur("0.03"), eur("0.02")]


def test_allocate_is_deterministic() -> None:
    weights: list[int | Decimal | Fraction] = [3, Decimal("1.5"), Fraction(7, 3), 0, 2]
    first = allocate(eur("99.99"), weights)
    assert all(allocate(eur("99.99"), weights) == first for _ in range(5))
    assert money_sum(first, "EUR") == eur("99.99")


def test_allocate_a_zero_weight_gets_nothing() -> None:
    assert allocate(eur("7.00"), [0, 1]) == [eur("0.00"), eur("7.00")]


def test_allocate_in_yen_and_dinar() -> None:
    assert [m.amount for m in allocate(Money(Decimal("100"), "JPY"), [1, 1, 1])] == [
        Decimal("34"),
        Decimal("33"),
        Decimal("33"),
    ]
    assert [m.amount for m in allocate(Money(Decimal("1.000"), "BHD"), [1, 1, 1])] == [
        Decimal("0.334"),
        Decimal("0.333"),
        Decimal("0.333"),
    ]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_allocate_refuses_meaningless_weights(weights: list[int | Decimal | Fraction]) -> None:
    with pytest.raises(ValueError):
        allocate(eur("1.00"), weights)

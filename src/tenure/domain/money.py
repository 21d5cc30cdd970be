"""Money: an exact amount in one currency, rounded once and half-up to the currency's minor unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from tenure.domain.errors import DomainError

# ISO 4217 minor units of the currencies a vendor may plausibly sell in. Unknown codes are refused
# rather than guessed, because a wrong exponent silently mis-rounds every amount.
MINOR_UNITS: dict[str, int] = {
    "EUR": 2,
    "USD": 2,
    "GBP": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "RON": 2,
    "BGN": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "CNY": 2,
    "HKD": 2,
    "SGD": 2,
    "INR": 2,
    "BRL": 2,
    "MXN": 2,
    "ZAR": 2,
    "TRY": 2,
    "ILS": 2,
    "AED": 2,
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "CLP": 0,
    "VND": 0,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
}


class UnknownCurrency(DomainError):
    code = "unknown_currency"
    status = 404


def minor_units(currency: str) -> int:
    """Number of decimal places of ``currency`` (EUR 2, JPY 0, BHD 3)."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise UnknownCurrency(f"unknown currency {currency!r}") from None


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def round_half_up(value: Decimal | Fraction | int, currency: str) -> Decimal:
    """Round an exact value once, half away from zero, to the currency's minor unit."""
    if isinstance(value, float):
        raise TypeError("amounts are never floats: pass a Decimal, a Fraction or an int")
    q = quantum(currency)
    if isinstance(value, Fraction):
        # Exact: scale to minor units, round the fraction, scale back.
        scaled = value / Fraction(q)
        whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
        if 2 * rest >= scaled.denominator:
            whole += 1
        sign = -1 if scaled < 0 else 1
        return (Decimal(sign * whole) * q).quantize(q)
    return Decimal(value).quantize(q, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount already rounded to its currency's minor unit."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal, never a float")
        q = quantum(self.currency)
        if self.amount != self.amount.quantize(q):
            raise ValueError(f"{self.amount} has more decimals than {self.currency} allows")
        object.__setattr__(self, "amount", self.amount.quantize(q))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def of(cls, value: Decimal | Fraction | int | str, currency: str) -> Money:
        """Round ``value`` once, half-up, to a Money."""
        exact = Decimal(value) if isinstance(value, str) else value
        return cls(round_half_up(exact, currency), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-minor_units(currency)), currency)

    @property
    def minor(self) -> int:
        """The amount in integer minor units (cents)."""
        return int(self.amount.scaleb(minor_units(self.currency)))

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def money_sum(items: list[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total


def allocate(total: Money, weights: list[int | Decimal | Fraction]) -> list[Money]:
    """Split ``total`` in proportion to ``weights`` so that the parts add up exactly.

    Largest-remainder method on minor units: every part is the floor of its exact share, and the
    leftover cents go one each to the parts with the largest remainders (ties to the earlier part).
    """
    if not weights:
        raise ValueError("allocate needs at least one weight")
    fractions = [Fraction(w) for w in weights]
    if any(w < 0 for w in fractions):
        raise ValueError("weights must not be negative")
    weight_sum = sum(fractions, Fraction(0))
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    sign = -1 if total.minor < 0 else 1
    cents = abs(total.minor)
    exact = [Fraction(cents) * w / weight_sum for w in fractions]
    floors = [int(e) for e in exact]
    leftover = cents - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:leftover]:
        floors[i] += 1
    return [Money.from_minor(sign * f, total.currency) for f in floors]

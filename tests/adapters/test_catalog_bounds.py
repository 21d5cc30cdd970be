"""Extreme numbers, long ids and aliases in a catalog are refused as catalog problems (each by
its path), never accepted into a version that later fails billing, and never a crash."""

from __future__ import annotations

import pytest

from tenure.adapters.catalog_yaml import load_catalog_text
from tenure.adapters.yaml_source import InputError

BASE = """
vendor: {name: CloudCRM GmbH, address: "Musterstraße 1, 10115 Berlin, DE", vat_id: DE123456788,
         invoice_prefix: RE}
plans:
  business:
    name: {de: Business, en: Business}
    price: "49.00"
    billing_cycle: monthly
    minimum_term_months: 0
    notice: {days: 0}
    notice_to: period_end
    usage: {sms: "0.10"}
metrics:
  sms: {name: SMS, unit: SMS}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_catalog_text(text)
    return caught.value.problems


def test_the_base_catalog_loads() -> None:
    assert load_catalog_text(BASE).plans["business"].price == 49


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ('price: "49.00"', "price: " + "9" * 5000, "line"),  # beyond Python's digit limit
        ('price: "49.00"', "price: 1e999999", "plans.business.price"),
        ('price: "49.00"', 'price: "1000000000.01"', "plans.business.price"),
        ("notice: {days: 0}", "notice: {months: 1000000}", "plans.business.notice"),
        ("notice: {days: 0}", "notice: {days: 1e15}", "plans.business.notice"),
        ("notice: {days: 0}", "notice: {days: 3654}", "plans.business.notice"),
        ("minimum_term_months: 0", "minimum_term_months: 100000000", "plans.business.minimum"),
        ("minimum_term_months: 0", "renewal_months: 1000000", "plans.business.renewal"),
        ('usage: {sms: "0.10"}', 'usage: {sms: "1e12"}', "plans.business.usage.sms"),
        ("invoice_prefix: RE", "invoice_prefix: " + "R" * 17, "vendor.invoice_prefix"),
        ("invoice_prefix: RE", 'invoice_prefix: "RE/../x"', "vendor.invoice_prefix"),
    ],
)
def test_extreme_numbers_are_catalog_problems(old: str, new: str, path: str) -> None:
    assert old in BASE
    problems = problems_of(BASE.replace(old, new))
    assert any(p.startswith(path) for p in problems), problems
    assert all(len(p) < 300 for p in problems), "a refused value is not repeated in full"


def test_an_id_longer_than_its_column_is_refused() -> None:
    long_id = "m" * 101
    problems = problems_of(BASE.replace("sms", long_id))
    assert any("at most 64 characters" in p for p in problems), problems


def test_a_name_longer_than_a_thousand_characters_is_refused() -> None:
    problems = problems_of(BASE.replace("{de: Business, en: Business}", "x" * 1001))
    assert any(p.startswith("plans.business.name") for p in problems), problems


def test_aliases_are_refused() -> None:
    """One 100 KB string and 199 aliases to it would be a 20 MB catalog."""
    big = "x" * 1000
    text = BASE.replace("metrics:", f"x-anchor: &big {big}\nmetrics:") + "".join(
        f"  m{n}: {{name: *big, unit: SMS}}\n" for n in range(3)
    )
    problems = problems_of(text)
    assert any("aliases" in p for p in problems), problems

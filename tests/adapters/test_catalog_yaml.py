"""Catalog files are validated on load; a bad catalog is refused with every problem by path."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file, load_catalog_text
from tenure.adapters.yaml_source import InputError
from tenure.domain.calendar import BillingAlignment, BillingCycle
from tenure.domain.notice import Notice, NoticeTo, NoticeUnit

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "examples" / "catalogs"

GOOD = """
vendor: {name: CloudCRM GmbH, address: "Musterstraße 1, 10115 Berlin, DE", vat_id: DE123456788}
plans:
  business:
    name: {de: Business, en: Business}
    price: 49.00
    billing_cycle: monthly
    notice: {days: 0}
    notice_to: period_end
    addons: [extra_user]
    usage: {sms: "0.0015"}
addons:
  extra_user: {name: Benutzer, price: "5.90", entitlements: {users: 1}}
metrics:
  sms: {name: SMS, unit: SMS}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_catalog_text(text)
    return caught.value.problems


@pytest.mark.parametrize("name", ["cloudcrm.yaml", "redconnect.yaml", "annual.yaml"])
def test_bundled_catalogs_load(name: str) -> None:
    catalog = load_catalog_file(CATALOGS / name)
    assert catalog.plans
    assert catalog.vendor.country == "DE"


def test_catalog_values_are_typed_and_exact() -> None:
    catalog = load_catalog_text(GOOD)
    plan = catalog.plans["business"]
    assert plan.price == Decimal("49.00")  # an unquoted 49.00 is read exactly, never as a float
    assert plan.billing_cycle is BillingCycle.MONTHLY
    assert plan.billing_alignment is BillingAlignment.ANNIVERSARY  # the default
    assert plan.terms.notice == Notice(0, NoticeUnit.DAYS)
    assert plan.terms.notice_to is NoticeTo.PERIOD_END
    assert plan.usage == {"sms": Decimal("0.0015")}
    assert catalog.vendor.timezone == "Europe/Berlin"
    assert catalog.vendor.currency == "EUR"


def test_defaults_of_the_vendor() -> None:
    vendor = load_catalog_text(GOOD).vendor
    assert (vendor.withdrawal_days, vendor.withdrawal_for_business) == (14, False)
    assert (vendor.invoice_prefix, vendor.credit_note_prefix) == ("RE", "KR")


def test_unknown_key_is_refused_with_its_path() -> None:
    text = GOOD.replace("    notice_to: period_end", "    notice_to: period_end\n    colour: red")
    assert problems_of(text) == [
        "plans.business.colour: unknown key (allowed: addons, billing_alignment, billing_cycle, "
        "entitlements, features, minimum_term_months, name, notice, notice_to, per_seat, price, "
        "renewal_months, usage)"
    ]


def test_unknown_addon_reference_is_refused() -> None:
    text = GOOD.replace("addons: [extra_user]", "addons: [extra_user, extra_storage]")
    assert problems_of(text) == ["plans.business.addons: unknown add-on 'extra_storage'"]


@pytest.mark.parametrize(
    ("price", "problem"),
    [
        ('"5.9000001"', "5.9000001 has more than 2 decimal places"),
        ("5.9000001", "5.9000001 has more than 2 decimal places"),
        ('"-1.00"', "must not be negative, not -1.00"),
        ('"abc"', "'abc' is not a decimal price"),
        ("true", 'must be a decimal price such as "49.00", not true/false'),
        (".nan", "'.nan' is not a decimal price"),
    ],
)
def test_bad_prices_are_refused(price: str, problem: str) -> None:
    text = GOOD.replace('price: "5.90"', f"price: {price}")
    assert problems_of(text) == [f"addons.extra_user.price: {problem}"]


def test_prices_follow_the_currency_minor_unit() -> None:
    jpy = GOOD.replace("vat_id: DE123456788}", "vat_id: DE123456788, currency: JPY}")
    assert problems_of(jpy) == [
        "addons.extra_user.price: 5.90 has more than 0 decimal places",
        "plans.business.price: 49.00 has more than 0 decimal places",
    ]


def test_bad_time_zone_is_refused() -> None:
    text = GOOD.replace("vat_id: DE123456788}", "vat_id: DE123456788, timezone: Europe/Bonn}")
    assert problems_of(text) == [
        "vendor.timezone: unknown time zone 'Europe/Bonn' (use an IANA name like Europe/Berlin)"
    ]


def test_invalid_vat_id_is_refused() -> None:
    text = GOOD.replace("DE123456788", "DE123456789")
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].startswith("vendor.vat_id: 'DE123456789' is not a valid EU VAT ID")


def test_every_problem_is_listed_not_just_the_first() -> None:
    text = """
vendor: {name: X, address: "a, DE", vat_id: DE123456789, timezone: Mars/Base, currency: EUX}
plans:
  plus:
    name: P
    price: 5.9000001
    billing_cycle: weekly
    notice: {moons: 3}
    notice_to: soon
    addons: [nope]
    usage: {sms: "0.1"}
"""
    problems = problems_of(text)
    assert [p.split(":")[0] for p in problems] == [
        "vendor.timezone",
        "vendor.currency",
        "vendor.vat_id",
        "plans.plus.addons",
        "plans.plus.usage.sms",
        "plans.plus.price",
        "plans.plus.billing_cycle",
        "plans.plus.notice",
        "plans.plus.notice_to",
    ]


def test_missing_required_keys_are_named() -> None:
    text = "vendor: {name: X, address: 'a, DE', tax_number: 12/345/67890}\nplans:\n  p: {name: P}\n"
    assert problems_of(text) == [
        "plans.p.billing_cycle: is required",
        "plans.p.notice: is required",
        "plans.p.notice_to: is required",
        "plans.p.price: is required",
    ]


def test_notice_needs_exactly_one_unit() -> None:
    text = GOOD.replace("notice: {days: 0}", "notice: {days: 1, weeks: 1}")
    assert problems_of(text) == [
        "plans.business.notice: must be exactly one of {months: N}, {weeks: N} or {days: N}"
    ]


def test_duplicate_keys_are_refused() -> None:
    problems = problems_of(GOOD.replace("    price: 49.00", "    price: 49.00\n    price: 39.00"))
    assert len(problems) == 1
    assert "duplicate key 'price'" in problems[0]


def test_broken_yaml_names_line_and_column() -> None:
    problems = problems_of("vendor: {name: X\nplans: [")
    assert problems[0].startswith("line ")


def test_a_catalog_that_is_not_a_mapping() -> None:
    assert problems_of("- a\n- b\n") == ["(top): must be a mapping, not a list"]


def test_seller_outside_the_eu_is_refused() -> None:
    text = GOOD.replace("vat_id: DE123456788}", "vat_id: null, tax_number: '1', country: US}")
    assert problems_of(text) == [
        "vendor.country: the seller must be in an EU member state, not 'US' (set vendor.country)"
    ]


def test_same_prefix_for_invoices_and_credit_notes_is_refused() -> None:
    text = GOOD.replace("vat_id: DE123456788}", "vat_id: DE123456788, credit_note_prefix: RE}")
    assert problems_of(text) == [
        "vendor.credit_note_prefix: invoices and credit notes need different number prefixes"
    ]


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_catalog_file(tmp_path / "missing.yaml")
    assert caught.value.problems[0].startswith("cannot read file")


def test_the_seller_needs_a_vat_id_or_a_tax_number() -> None:
    # UStG § 14(4) Nr. 2: every invoice shows one of them.
    text = GOOD.replace("vat_id: DE123456788}", "vat_id: null}")
    assert problems_of(text) == [
        "vendor.vat_id: an invoice must show the seller's VAT ID or tax number "
        "(UStG § 14(4) Nr. 2): set vat_id or tax_number"
    ]
    tax_number = GOOD.replace("vat_id: DE123456788}", "vat_id: null, tax_number: 27/123/45678}")
    assert load_catalog_text(tax_number).vendor.tax_number == "27/123/45678"


@pytest.mark.parametrize(
    ("vendor", "field"),
    [
        ("{address: 'a, DE', vat_id: DE123456788}", "vendor.name"),
        ("{name: X, vat_id: DE123456788}", "vendor.address"),
        ("{name: X, address: '  ', vat_id: DE123456788}", "vendor.address"),
        ("{name: '', address: 'a, DE', vat_id: DE123456788}", "vendor.name"),
    ],
)
def test_the_seller_needs_a_name_and_an_address(vendor: str, field: str) -> None:
    """UStG § 14 Abs. 4 Nr. 1: the invoice names the seller with its full address."""
    with pytest.raises(InputError) as refused:
        load_catalog_text(f"vendor: {vendor}\nplans:\n  p: {{name: P}}\n")
    assert any(p.startswith(field) for p in refused.value.problems), refused.value.problems


def test_a_vendor_without_contact_or_account_gets_notices_not_errors() -> None:
    """EN 16931 does not require the seller's e-mail, phone or account; XRechnung requires the
    contact (BR-DE-6/7) and an invoice without an account names none to pay to: the vendor is
    told, the catalog stays valid."""
    bare = load_catalog_file(CATALOGS / "cloudcrm.yaml").vendor
    assert [gap.split(" ", 1)[0] for gap in bare.document_gaps()] == [
        "vendor.email",
        "vendor.phone",
        "vendor.iban",
    ]
    demo = load_catalog_file(ROOT / "src" / "tenure" / "demo" / "cloudcrm.yaml").vendor
    assert demo.document_gaps() == ()

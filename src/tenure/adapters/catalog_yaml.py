"""The catalog file format of ``shared/scenarios/README.md``: parsed, validated, and turned into
domain values. Every problem is reported with its path (``plans.plus.notice: ...``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tenure.adapters.vat_ids import seller_contact_problems, vat_id_problem
from tenure.adapters.yaml_source import (
    MAX_TEXT,
    Fields,
    InputError,
    Problems,
    boolean,
    decimal_value,
    identifier,
    load_yaml,
    optional_text,
    read_yaml,
    text,
    whole,
)
from tenure.domain.calendar import BillingAlignment, BillingCycle
from tenure.domain.catalog import (
    MAX_METRIC_DECIMALS,
    Addon,
    Catalog,
    LocalizedText,
    Metric,
    Plan,
    Vendor,
)
from tenure.domain.money import MINOR_UNITS
from tenure.domain.notice import Notice, NoticeTo, NoticeUnit, TermPolicy
from tenure.domain.tax import VAT_ID_PREFIX_TO_COUNTRY, is_eu

#: Bounds of the catalog's terms (days, weeks and months): a decade, beyond any real contract
#: and small enough that every date computed from them stays in the calendar.
MAX_TERM_MONTHS = 120
MAX_NOTICE = {NoticeUnit.MONTHS: 120, NoticeUnit.WEEKS: 522, NoticeUnit.DAYS: 3653}
MAX_WITHDRAWAL_DAYS = 365
MAX_DELETION_GRACE_DAYS = 3653
#: Payment terms longer than a year are a typo.
MAX_PAYMENT_TERMS_DAYS = 365
#: Number prefixes: short, and only characters that are safe in a number and a file name.
PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")

#: Usage can be priced finer than the currency (0.0015 per API call); lines are still rounded once.
USAGE_PRICE_PLACES = 6

VENDOR_KEYS = {
    "name",
    "address",
    "vat_id",
    "tax_number",
    "country",
    "timezone",
    "currency",
    "withdrawal_days",
    "withdrawal_for_business",
    "deletion_grace_days",
    "invoice_prefix",
    "credit_note_prefix",
    "email",
    "phone",
    "reply_to",
    "iban",
    "bic",
    "payment_terms_days",
}
PLAN_KEYS = {
    "name",
    "price",
    "per_seat",
    "billing_cycle",
    "billing_alignment",
    "minimum_term_months",
    "renewal_months",
    "notice",
    "notice_to",
    "entitlements",
    "features",
    "addons",
    "usage",
}
PLAN_REQUIRED = {"name", "price", "billing_cycle", "notice", "notice_to"}
ADDON_KEYS = {"name", "price", "entitlements"}
METRIC_KEYS = {"name", "unit", "decimals"}


def load_catalog_file(path: Path) -> Catalog:
    return parse_catalog(read_yaml(path), str(path))


def load_catalog_text(content: str, source: str = "catalog") -> Catalog:
    return parse_catalog(load_yaml(content, source), source)


def parse_catalog(data: Any, source: str = "catalog") -> Catalog:
    """Validate a loaded catalog document; raise :class:`InputError` listing every problem."""
    problems = Problems()
    top = Fields(data, problems, {"vendor", "plans", "addons", "metrics"}, {"vendor", "plans"})
    if not top.ok:
        problems.raise_if_any(source)
    with problems.at("vendor"):
        vendor = _vendor(top.data.get("vendor"), problems)
    currency = vendor.currency if vendor else "EUR"
    metrics = _section(top.data.get("metrics", {}), "metrics", problems, _metric)
    addons = _section(
        top.data.get("addons", {}), "addons", problems, lambda i, d, p: _addon(i, d, p, currency)
    )
    # References are checked against every id defined, valid or not, so that one bad add-on does
    # not also produce an "unknown add-on" problem at each plan that offers it.
    addon_ids = _keys(top.data.get("addons"))
    metric_ids = _keys(top.data.get("metrics"))
    plans = _section(
        top.data.get("plans"),
        "plans",
        problems,
        lambda i, d, p: _plan(i, d, p, currency, addon_ids, metric_ids),
    )
    if top.ok and "plans" in top.data and not plans and not problems.items:
        problems.add("a catalog needs at least one plan", "plans")
    problems.raise_if_any(source)
    assert vendor is not None
    return Catalog(vendor=vendor, plans=plans, addons=addons, metrics=metrics)


def _keys(section: Any) -> set[str]:
    return {str(k) for k in section} if isinstance(section, dict) else set()


def _section(data: Any, name: str, problems: Problems, build: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with problems.at(name):
        if data is None:
            data = {}
        if not isinstance(data, dict):
            problems.add("must be a mapping of id to definition")
            return result
    for key, value in data.items():
        with problems.at(name), problems.at(str(key)):
            try:
                identifier(key)
            except ValueError as exc:
                problems.add(str(exc))
                continue
            before = len(problems.items)
            item = build(key, value, problems)
            if item is not None and len(problems.items) == before:
                result[key] = item
    return result


def _vendor(data: Any, problems: Problems) -> Vendor | None:
    f = Fields(data, problems, VENDOR_KEYS, {"name", "address"})
    if not f.ok:
        return None
    before = len(problems.items)
    timezone = f.get("timezone", text, "Europe/Berlin")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add(
            f"unknown time zone {timezone!r} (use an IANA name like Europe/Berlin)", "timezone"
        )
    currency = f.get("currency", text, "EUR")
    if currency not in MINOR_UNITS:
        problems.add(f"unknown currency {currency!r} (an ISO 4217 code such as EUR)", "currency")
    vat_id = f.get("vat_id", optional_text, None)
    if vat_id is not None and (problem := vat_id_problem(vat_id)):
        problems.add(problem, "vat_id")
    country = f.get("country", optional_text, None) or _seller_country(
        vat_id, f.data.get("address")
    )
    if country is None or not is_eu(country):
        problems.add(
            f"the seller must be in an EU member state, not {country!r} (set vendor.country)",
            "country",
        )
    vendor = Vendor(
        name=f.get("name", text, ""),
        address=f.get("address", text, ""),
        vat_id=vat_id,
        country=country or "",
        timezone=timezone,
        currency=currency,
        withdrawal_days=f.get("withdrawal_days", whole(0, MAX_WITHDRAWAL_DAYS), 14),
        withdrawal_for_business=f.get("withdrawal_for_business", boolean, False),
        deletion_grace_days=f.get("deletion_grace_days", whole(0, MAX_DELETION_GRACE_DAYS), 0),
        tax_number=f.get("tax_number", optional_text, None),
        invoice_prefix=f.get("invoice_prefix", _prefix, "RE"),
        credit_note_prefix=f.get("credit_note_prefix", _prefix, "KR"),
        email=f.get("email", optional_text, None),
        phone=f.get("phone", optional_text, None),
        reply_to=f.get("reply_to", optional_text, None),
        iban=f.get("iban", optional_text, None),
        bic=f.get("bic", optional_text, None),
        payment_terms_days=f.get("payment_terms_days", whole(0, MAX_PAYMENT_TERMS_DAYS), 14),
    )
    if vendor.vat_id is None and vendor.tax_number is None:
        problems.add(
            "an invoice must show the seller's VAT ID or tax number (UStG § 14(4) Nr. 2):"
            " set vat_id or tax_number",
            "vat_id",
        )
    for key, problem in seller_contact_problems(vendor):
        problems.add(problem, key)
    if vendor.invoice_prefix == vendor.credit_note_prefix:
        problems.add(
            "invoices and credit notes need different number prefixes", "credit_note_prefix"
        )
    return vendor if len(problems.items) == before else None


def _seller_country(vat_id: str | None, address: Any) -> str | None:
    if vat_id:
        prefix = vat_id[:2].upper()
        return VAT_ID_PREFIX_TO_COUNTRY.get(prefix, prefix)
    if isinstance(address, str) and "," in address:
        tail = address.rsplit(",", 1)[1].strip().upper()
        if len(tail) == 2 and tail.isalpha():
            return tail
    return None


def _prefix(value: Any) -> str:
    if not isinstance(value, str) or not PREFIX.match(value):
        raise ValueError(
            f"{value!r} is not a number prefix (1 to 16 letters, digits, - or _, such as RE)"
        )
    return value


def localized_text(value: Any) -> LocalizedText:
    if isinstance(value, str) and value.strip():
        text(value)  # its length
        return {"de": value, "en": value}
    if not isinstance(value, dict) or not value:
        raise ValueError("must be a text or a mapping of locale to text, e.g. {de: ..., en: ...}")
    for locale, label in value.items():
        if not isinstance(locale, str) or not (2 <= len(locale) <= 5):
            raise ValueError(f"{locale!r} is not a locale such as de, en or zh")
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"the {locale} text must be a non-empty string")
        if len(label) > MAX_TEXT:
            raise ValueError(f"the {locale} text has more than {MAX_TEXT} characters")
    return dict(value)


def _entitlements(value: Any) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("must be a mapping of entitlement to a whole number")
    result = {}
    for key, amount in value.items():
        identifier(key)
        result[key] = whole(0)(amount)
    return result


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError("must be a list of ids")
    ids = tuple(identifier(v) for v in value)
    if len(set(ids)) != len(ids):
        raise ValueError("lists an id twice")
    return ids


def _notice(value: Any) -> Notice:
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("must be exactly one of {months: N}, {weeks: N} or {days: N}")
    ((unit, amount),) = value.items()
    try:
        notice_unit = NoticeUnit(unit)
    except ValueError:
        raise ValueError(f"unknown unit {unit!r} (months, weeks or days)") from None
    return Notice(whole(0, MAX_NOTICE[notice_unit])(amount), notice_unit)


def _enum(kind: Any) -> Any:
    def convert(value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:
            choices = " | ".join(m.value for m in kind)
            raise ValueError(f"{value!r} is not one of {choices}") from None

    return convert


def _plan(
    plan_id: str, data: Any, problems: Problems, currency: str, addons: set[str], metrics: set[str]
) -> Plan | None:
    f = Fields(data, problems, PLAN_KEYS, PLAN_REQUIRED)
    if not f.ok:
        return None
    addon_ids: tuple[str, ...] = f.get("addons", _ids, ())
    for addon_id in addon_ids:
        if addon_id not in addons:
            problems.add(f"unknown add-on {addon_id!r}", "addons")
    usage = {}
    raw_usage = f.data.get("usage") or {}
    if not isinstance(raw_usage, dict):
        problems.add("must be a mapping of metric id to unit price", "usage")
        raw_usage = {}
    with problems.at("usage"):
        for metric_id, price in raw_usage.items():
            if metric_id not in metrics:
                problems.add(
                    f"unknown metric {metric_id!r} (define it under metrics)", str(metric_id)
                )
                continue
            try:
                usage[metric_id] = decimal_value(USAGE_PRICE_PLACES, "unit price")(price)
            except ValueError as exc:
                problems.add(str(exc), str(metric_id))
    renewal = f.get("renewal_months", whole(1, MAX_TERM_MONTHS), None)
    return Plan(
        id=plan_id,
        name=f.get("name", localized_text, {}),
        price=f.get("price", decimal_value(MINOR_UNITS.get(currency, 2), "price"), 0),  # type: ignore[arg-type]
        per_seat=f.get("per_seat", boolean, False),
        billing_cycle=f.get("billing_cycle", _enum(BillingCycle), BillingCycle.MONTHLY),
        billing_alignment=f.get(
            "billing_alignment", _enum(BillingAlignment), BillingAlignment.ANNIVERSARY
        ),
        terms=TermPolicy(
            minimum_term_months=f.get("minimum_term_months", whole(0, MAX_TERM_MONTHS), 0),
            renewal_months=renewal,
            notice=f.get("notice", _notice, Notice(0, NoticeUnit.DAYS)),
            notice_to=f.get("notice_to", _enum(NoticeTo), NoticeTo.PERIOD_END),
        ),
        entitlements=f.get("entitlements", _entitlements, {}),
        features=f.get("features", _ids, ()),
        addons=addon_ids,
        usage=usage,
    )


def _addon(addon_id: str, data: Any, problems: Problems, currency: str) -> Addon | None:
    f = Fields(data, problems, ADDON_KEYS, {"name", "price"})
    if not f.ok:
        return None
    return Addon(
        id=addon_id,
        name=f.get("name", localized_text, {}),
        price=f.get("price", decimal_value(MINOR_UNITS.get(currency, 2), "price"), 0),  # type: ignore[arg-type]
        entitlements=f.get("entitlements", _entitlements, {}),
    )


def _metric(metric_id: str, data: Any, problems: Problems) -> Metric | None:
    f = Fields(data, problems, METRIC_KEYS, {"name", "unit"})
    if not f.ok:
        return None
    return Metric(
        id=metric_id,
        name=f.get("name", localized_text, {}),
        unit=f.get("unit", text, ""),
        decimals=f.get("decimals", _metric_decimals, 0),
    )


def _metric_decimals(value: Any) -> int:
    places = whole(0)(value)
    if places > MAX_METRIC_DECIMALS:
        raise ValueError(f"must be at most {MAX_METRIC_DECIMALS}, not {places}")
    return places


__all__ = ["InputError", "load_catalog_file", "load_catalog_text", "parse_catalog"]

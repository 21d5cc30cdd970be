"""The scenario file format of ``shared/scenarios/README.md``: parsed and validated, with the path
of every bad key, before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tenure.adapters.catalog_yaml import parse_catalog
from tenure.adapters.vat_ids import vat_id_problem
from tenure.adapters.yaml_source import (
    Fields,
    InputError,
    Problems,
    decimal_value,
    identifier,
    iso_date,
    optional_text,
    read_yaml,
    text,
    whole,
)
from tenure.domain.cancellation import CancellationKind
from tenure.domain.catalog import Catalog
from tenure.domain.customer import CustomerType

#: Step name -> (allowed argument keys, required argument keys).
STEPS: dict[str, tuple[set[str], set[str]]] = {
    "book_addon": ({"addon", "quantity"}, {"addon"}),
    "cancel_addon": ({"ref"}, {"ref"}),
    "withdraw_addon": ({"ref"}, {"ref"}),
    "record_usage": ({"metric", "quantity", "id", "occurred_at"}, {"metric", "quantity", "id"}),
    "change_plan": ({"plan", "seats"}, {"plan"}),
    "cancel_contract": ({"kind", "requested_end", "reason", "email"}, set()),
    "revoke_cancellation": (set(), set()),
    "decide_cancellation": ({"decision", "end_date", "reason"}, {"decision"}),
    "one_time_charge": ({"description", "amount"}, {"description", "amount"}),
    "withdraw_contract": (set(), set()),
}


@dataclass(frozen=True, slots=True)
class CustomerSpec:
    type: CustomerType
    name: str
    country: str
    email: str
    locale: str
    vat_id: str | None
    address: str | None


@dataclass(frozen=True, slots=True)
class Step:
    index: int
    at: datetime  # UTC
    action: str
    args: dict[str, Any]
    name: str | None = None  # the booking name given with `as`


@dataclass(frozen=True, slots=True)
class Scenario:
    source: str
    catalog: Catalog
    customer: CustomerSpec
    plan: str
    seats: int
    start: date
    steps: tuple[Step, ...]
    until: date
    expected: dict[str, Any] = field(default_factory=dict)


def load_scenario(path: Path) -> Scenario:
    return parse_scenario(read_yaml(path), str(path), path.parent)


def parse_scenario(data: Any, source: str, base: Path) -> Scenario:
    problems = Problems()
    top = Fields(
        data,
        problems,
        {"catalog", "customer", "contract", "steps", "until"},
        {"catalog", "customer", "contract"},
    )
    if not top.ok:
        problems.raise_if_any(source)
    catalog = _catalog(top.data.get("catalog"), base, problems)
    zone = ZoneInfo(catalog.vendor.timezone) if catalog else ZoneInfo("Europe/Berlin")
    with problems.at("customer"):
        customer = _customer(top.data.get("customer"), problems)
    with problems.at("contract"):
        c = Fields(
            top.data.get("contract"), problems, {"plan", "seats", "start"}, {"plan", "start"}
        )
        plan = c.get("plan", identifier, "")
        seats = c.get("seats", whole(1), 1)
        start = c.get("start", iso_date, date.min)
        if catalog and plan and plan not in catalog.plans:
            problems.add(
                f"unknown plan {plan!r} (the catalog has {', '.join(catalog.plans)})", "plan"
            )
    steps = _steps(top.data.get("steps") or [], problems, zone)
    until = top.get("until", iso_date, None)
    if until is None:
        until = max([start, *(s.at.astimezone(zone).date() for s in steps)])
    problems.raise_if_any(source)
    assert catalog is not None
    assert customer is not None
    if steps and steps[0].at.astimezone(zone).date() < start:
        problems.add(f"the first step is before the contract starts on {start}", "steps.0.at")
    problems.raise_if_any(source)
    return Scenario(source, catalog, customer, plan, seats, start, tuple(steps), until)


def _catalog(value: Any, base: Path, problems: Problems) -> Catalog | None:
    with problems.at("catalog"):
        try:
            if isinstance(value, str):
                return parse_catalog(read_yaml(base / value), str(base / value))
            if isinstance(value, dict):
                return parse_catalog(value, "catalog")
            problems.add("must be a path to a catalog file or the catalog itself")
        except InputError as exc:
            for problem in exc.problems:
                problems.add(problem if isinstance(value, dict) else f"{exc.source}: {problem}")
    return None


def _customer(value: Any, problems: Problems) -> CustomerSpec | None:
    f = Fields(
        value,
        problems,
        {"type", "name", "country", "vat_id", "email", "locale", "address"},
        {"type", "name", "country", "email"},
    )
    if not f.ok:
        return None
    kind = f.get("type", text, "business")
    if kind not in ("business", "consumer"):
        problems.add(f"{kind!r} is not one of business | consumer", "type")
        kind = "business"
    country = f.get("country", text, "DE")
    if len(country) != 2 or not country.isalpha():
        problems.add(f"{country!r} is not a two-letter country code", "country")
    vat_id = f.get("vat_id", optional_text, None)
    if vat_id is not None and (problem := vat_id_problem(vat_id)):
        problems.add(problem, "vat_id")
    email = f.get("email", text, "")
    if email and "@" not in email:
        problems.add(f"{email!r} is not an e-mail address", "email")
    locale = f.get("locale", text, "de")
    return CustomerSpec(
        CustomerType(kind),
        f.get("name", text, ""),
        country.upper(),
        email,
        locale,
        vat_id,
        f.get("address", optional_text, None),
    )


def parse_instant(value: Any, zone: ZoneInfo) -> datetime:
    """A local time in the vendor's zone, unless it carries an offset; returned in UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a time like 2026-02-03T10:00:00") from None
    else:
        raise ValueError(f"{value!r} is not a time like 2026-02-03T10:00:00")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(ZoneInfo("UTC"))


def _steps(value: Any, problems: Problems, zone: ZoneInfo) -> list[Step]:
    steps: list[Step] = []
    if not isinstance(value, list):
        problems.add("must be a list of steps", "steps")
        return steps
    names: set[str] = set()
    for index, raw in enumerate(value):
        with problems.at("steps"), problems.at(str(index)):
            step = _step(index, raw, problems, zone, names)
            if step is None:
                continue
            if steps and step.at < steps[-1].at:
                problems.add(
                    f"steps must be in time order; this one is before step {index - 1}", "at"
                )
            if step.name:
                names.add(step.name)
            steps.append(step)
    return steps


def _step(index: int, raw: Any, problems: Problems, zone: ZoneInfo, names: set[str]) -> Step | None:
    f = Fields(raw, problems, {"at", "as", *STEPS}, {"at"})
    if not f.ok:
        return None
    actions = [k for k in f.data if k in STEPS]
    if len(actions) != 1:
        problems.add(f"a step needs exactly one action of {', '.join(STEPS)}")
        return None
    action = actions[0]
    at = f.get("at", lambda v: parse_instant(v, zone), None)
    name = f.get("as", identifier, None)
    if name is not None and action != "book_addon":
        problems.add("only book_addon steps can name a booking", "as")
    with problems.at(action):
        allowed, required = STEPS[action]
        a = Fields(
            f.data[action] if f.data[action] is not None else {}, problems, allowed, required
        )
        args = _step_args(action, a, names, zone)
    if at is None:
        return None
    return Step(index, at, action, args, name)


def _step_args(action: str, a: Fields, names: set[str], zone: ZoneInfo) -> dict[str, Any]:
    args: dict[str, Any] = {}
    p = a.problems
    if action == "book_addon":
        args = {"addon": a.get("addon", identifier, ""), "quantity": a.get("quantity", whole(1), 1)}
    elif action in ("cancel_addon", "withdraw_addon"):
        ref = a.get("ref", identifier, "")
        if ref and ref not in names:
            p.add(f"no earlier book_addon step is named {ref!r}", "ref")
        args = {"ref": ref}
    elif action == "record_usage":
        args = {
            "metric": a.get("metric", identifier, ""),
            "quantity": a.get("quantity", decimal_value(6, "quantity"), Decimal(0)),
            "id": a.get("id", lambda v: text(str(v)), ""),
            "occurred_at": a.get("occurred_at", lambda v: parse_instant(v, zone), None),
        }
    elif action == "change_plan":
        args = {"plan": a.get("plan", identifier, ""), "seats": a.get("seats", whole(1), None)}
    elif action == "cancel_contract":
        kind = a.get("kind", text, "ordinary")
        if kind not in ("ordinary", "extraordinary"):
            p.add(f"{kind!r} is not one of ordinary | extraordinary", "kind")
            kind = "ordinary"
        args = {
            "kind": CancellationKind(kind),
            "requested_end": a.get("requested_end", iso_date, None),
            "reason": a.get("reason", optional_text, None),
            "email": a.get("email", optional_text, None),
        }
    elif action == "one_time_charge":
        args = {
            "description": a.get("description", text, ""),
            "amount": a.get("amount", _signed_amount, Decimal(0)),
        }
    elif action == "decide_cancellation":
        decision = a.get("decision", text, "")
        if decision and decision not in ("accept", "reject"):
            p.add(f"{decision!r} is not one of accept | reject", "decision")
        args = {
            "accept": decision == "accept",
            "end_date": a.get("end_date", iso_date, None),
            "reason": a.get("reason", optional_text, None) or "",
        }
    return args


def _signed_amount(value: Any) -> Decimal:
    """An exact amount that may be negative (a credit): ``"-10.00"``."""
    if isinstance(value, str) and value.startswith("-"):
        return -decimal_value(6, "amount")(value[1:])
    if isinstance(value, Decimal) and value < 0:
        return -decimal_value(6, "amount")(-value)
    return decimal_value(6, "amount")(value)

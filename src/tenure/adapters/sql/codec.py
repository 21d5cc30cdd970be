"""JSON forms of immutable domain values that are stored as documents (catalog versions, plan
snapshots, invoice parties, events). Decimals travel as strings, dates as ISO text: exact both ways.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tenure.domain import events as ev
from tenure.domain.calendar import BillingAlignment, BillingCycle, Period
from tenure.domain.catalog import Addon, Catalog, Metric, Plan, Vendor
from tenure.domain.contract import EntitlementGrant, Entitlements
from tenure.domain.invoicing import Party
from tenure.domain.notice import Notice, NoticeTo, NoticeUnit, TermPolicy
from tenure.services.encoding import event_data, plain_dict


def timeline_to_json(grants: Sequence[EntitlementGrant]) -> list[dict[str, Any]]:
    return [
        {
            "from": g.valid_from.isoformat(),
            "until": g.valid_until.isoformat() if g.valid_until else None,
            "limits": g.entitlements.limits,
            "features": list(g.entitlements.features),
        }
        for g in grants
    ]


def timeline_from_json(data: list[dict[str, Any]]) -> tuple[EntitlementGrant, ...]:
    return tuple(
        EntitlementGrant(
            datetime.fromisoformat(g["from"]),
            datetime.fromisoformat(g["until"]) if g["until"] else None,
            Entitlements(dict(g["limits"]), tuple(g["features"])),
        )
        for g in data
    )


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "name": plan.name,
        "price": str(plan.price),
        "per_seat": plan.per_seat,
        "billing_cycle": plan.billing_cycle.value,
        "billing_alignment": plan.billing_alignment.value,
        "minimum_term_months": plan.terms.minimum_term_months,
        "renewal_months": plan.terms.renewal_months,
        "notice": {plan.terms.notice.unit.value: plan.terms.notice.amount},
        "notice_to": plan.terms.notice_to.value,
        "entitlements": plan.entitlements,
        "features": list(plan.features),
        "addons": list(plan.addons),
        "usage": {k: str(v) for k, v in plan.usage.items()},
    }


def plan_from_json(data: dict[str, Any]) -> Plan:
    ((unit, amount),) = data["notice"].items()
    return Plan(
        id=data["id"],
        name=dict(data["name"]),
        price=Decimal(data["price"]),
        per_seat=data["per_seat"],
        billing_cycle=BillingCycle(data["billing_cycle"]),
        billing_alignment=BillingAlignment(data["billing_alignment"]),
        terms=TermPolicy(
            minimum_term_months=data["minimum_term_months"],
            renewal_months=data["renewal_months"],
            notice=Notice(amount, NoticeUnit(unit)),
            notice_to=NoticeTo(data["notice_to"]),
        ),
        entitlements=dict(data["entitlements"]),
        features=tuple(data["features"]),
        addons=tuple(data["addons"]),
        usage={k: Decimal(v) for k, v in data["usage"].items()},
    )


def catalog_to_json(catalog: Catalog) -> dict[str, Any]:
    return {
        "vendor": plain_dict(catalog.vendor, instants=datetime.isoformat),
        "plans": {k: plan_to_json(p) for k, p in catalog.plans.items()},
        "addons": {
            k: {"name": a.name, "price": str(a.price), "entitlements": a.entitlements}
            for k, a in catalog.addons.items()
        },
        "metrics": {
            k: {"name": m.name, "unit": m.unit, "decimals": m.decimals}
            for k, m in catalog.metrics.items()
        },
    }


def catalog_from_json(data: dict[str, Any]) -> Catalog:
    return Catalog(
        vendor=Vendor(**data["vendor"]),
        plans={k: plan_from_json(p) for k, p in data["plans"].items()},
        addons={
            k: Addon(k, dict(a["name"]), Decimal(a["price"]), dict(a["entitlements"]))
            for k, a in data["addons"].items()
        },
        # Versions stored before metrics had decimals counted whole units (the default).
        metrics={
            k: Metric(k, dict(m["name"]), m["unit"], m.get("decimals", 0))
            for k, m in data["metrics"].items()
        },
    )


def party_to_json(party: Party) -> dict[str, Any]:
    return plain_dict(party, instants=datetime.isoformat)


def party_from_json(data: dict[str, Any]) -> Party:
    return Party(**data)


EVENTS_BY_NAME: dict[str, type[ev.Event]] = {name: cls for cls, name in ev.EVENT_NAMES.items()}


def event_to_json(event: ev.Event) -> dict[str, Any]:
    """The event's fields as :func:`~tenure.services.encoding.event_data` gives them (the
    webhook payload's ``data``), instants written with ``+00:00`` like every stored time."""
    return event_data(event, instants=datetime.isoformat)


def event_from_json(name: str, data: dict[str, Any]) -> ev.Event:
    cls = EVENTS_BY_NAME[name]
    hints = _hints(cls)
    return cls(**{k: _typed(v, hints[k]) for k, v in data.items()})


_HINTS: dict[str, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls.__name__ not in _HINTS:
        _HINTS[cls.__name__] = typing.get_type_hints(cls)
    return _HINTS[cls.__name__]


def _typed(value: Any, hint: Any) -> Any:
    if value is None:
        return None
    if typing.get_origin(hint) is tuple:
        return tuple(value)
    options = typing.get_args(hint) or (hint,)
    if datetime in options:
        return datetime.fromisoformat(value)
    if date in options:
        return date.fromisoformat(value)
    return value


def period_or_none(start: date | None, end: date | None) -> Period | None:
    return Period(start, end) if start and end else None

"""``tenure audit``: the audit log."""

from __future__ import annotations

from typing import Annotated

import typer

from tenure.entrypoints.cli.common import handles_errors, show, tenure


@handles_errors
def audit(
    entity: Annotated[str | None, typer.Option(help="Only this contract (or other id).")] = None,
) -> None:
    """The append-only audit trail: who changed what, when, before and after."""
    with tenure() as (services, vendor):
        entries = services.queries.audit(vendor, entity)
    show(
        [
            {
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity_id,
                "status": (e.after or {}).get("status"),
                "version": (e.after or {}).get("version"),
            }
            for e in entries
        ],
        "audit log",
    )

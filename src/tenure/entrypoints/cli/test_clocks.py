"""``tenure clock``: test clocks for sandbox customers."""

from __future__ import annotations

from typing import Annotated

import typer

from tenure.entrypoints.cli.common import done, handles_errors, parse_instant, show, tenure

clock_app = typer.Typer(help="Test clocks for sandbox customers.", no_args_is_help=True)


@clock_app.command("create")
@handles_errors
def clock_create(
    at: Annotated[str, typer.Option(help="Frozen time, e.g. 2026-01-15T00:00 (vendor zone).")],
    name: Annotated[str, typer.Option(help="A label.")] = "",
) -> None:
    """Create a test clock; attach customers with `customers create --test-clock`."""
    with tenure() as (services, vendor):
        zone = services.queries.catalog(vendor).vendor.timezone
        clock = services.test_clocks.create(vendor, parse_instant(at, zone), name)
    done(
        f"created test clock {clock.id} at {clock.frozen_at:%Y-%m-%d %H:%M}Z",
        id=clock.id,
        frozen_at=clock.frozen_at,
    )


@clock_app.command("advance")
@handles_errors
def clock_advance(
    clock_id: Annotated[str, typer.Argument(help="Test clock id (clk_...).")],
    to: Annotated[str, typer.Option(help="New time, e.g. 2026-03-20T09:00 (vendor zone).")],
) -> None:
    """Move a test clock forward, running the billing and transitions on the way."""
    with tenure("test-clock") as (services, vendor):
        zone = services.queries.catalog(vendor).vendor.timezone
        run = services.test_clocks.advance(vendor, clock_id, parse_instant(to, zone))
    done(
        f"{clock_id} is at {to}: {len(run.documents)} document(s) issued on the way",
        clock=clock_id,
        documents=list(run.documents),
    )


@clock_app.command("list")
@handles_errors
def clock_list() -> None:
    """Test clocks of the vendor."""
    with tenure() as (services, vendor):
        show(
            [
                {"id": c.id, "name": c.name, "frozen_at": c.frozen_at}
                for c in services.test_clocks.list(vendor)
            ],
            "test clocks",
        )

"""``tenure cancel``: receive, quote, revoke, accept or reject a contract's cancellation."""

from __future__ import annotations

from typing import Annotated

import typer

from tenure.domain.cancellation import CancellationKind
from tenure.entrypoints.cli.arguments import ContractId
from tenure.entrypoints.cli.common import done, handles_errors, parse_date, tenure

cancel_app = typer.Typer(
    help="Contract cancellation: notice, revocation, decisions.", no_args_is_help=True
)


@cancel_app.command("create")
@handles_errors
def cancel_create(
    contract_id: ContractId,
    extraordinary: Annotated[
        bool,
        typer.Option(
            "--extraordinary", help="Termination for cause (BGB § 314), decided by the vendor."
        ),
    ] = False,
    end: Annotated[str | None, typer.Option(help="Requested end date (default earliest).")] = None,
    reason: Annotated[str | None, typer.Option(help="Reason (required if extraordinary).")] = None,
    email: Annotated[str | None, typer.Option(help="Where the confirmation goes.")] = None,
) -> None:
    """Receive a cancellation now; prints the end date."""
    kind = CancellationKind.EXTRAORDINARY if extraordinary else CancellationKind.ORDINARY
    with tenure() as (services, vendor):
        c = services.cancellations.cancel(
            vendor,
            contract_id,
            kind=kind,
            requested_end=parse_date(end),
            reason=reason,
            email=email,
        )
    moved = f" (not {c.requested_end}: {c.adjusted_reason})" if c.adjusted_reason else ""
    done(
        f"received {c.received_at:%Y-%m-%d %H:%M}Z ({c.received_on}): "
        + (
            f"contract ends on {c.effective_end}{moved}"
            if c.effective_end
            else "awaits your decision"
        ),
        cancellation=c.id,
        status=c.status.value,
        received_at=c.received_at,
        requested_end=c.requested_end,
        effective_end=c.effective_end,
        adjusted_reason=c.adjusted_reason,
    )


@cancel_app.command("quote")
@handles_errors
def cancel_quote(
    contract_id: ContractId,
    end: Annotated[str | None, typer.Option(help="A requested end date.")] = None,
) -> None:
    """The end date a notice received now would give (changes nothing)."""
    with tenure() as (services, vendor):
        earliest = services.cancellations.quote(vendor, contract_id, parse_date(end))
    done(f"a notice now ends {contract_id} on {earliest}", end_date=earliest)


@cancel_app.command("revoke")
@handles_errors
def cancel_revoke(contract_id: ContractId) -> None:
    """Revoke the pending cancellation."""
    with tenure() as (services, vendor):
        c = services.cancellations.revoke(vendor, contract_id)
    done(f"revoked {c.id}; the contract continues", cancellation=c.id, status=c.status.value)


@cancel_app.command("accept")
@handles_errors
def cancel_accept(
    contract_id: ContractId,
    end: Annotated[str | None, typer.Option(help="End date (default requested, or today).")] = None,
) -> None:
    """Accept a termination for cause."""
    with tenure() as (services, vendor):
        c = services.cancellations.accept(vendor, contract_id, parse_date(end))
    moved = f" ({c.adjusted_reason})" if c.adjusted_reason else ""
    done(
        f"accepted; the contract ends on {c.effective_end}{moved}",
        effective_end=c.effective_end,
        adjusted_reason=c.adjusted_reason,
    )


@cancel_app.command("reject")
@handles_errors
def cancel_reject(
    contract_id: ContractId,
    reason: Annotated[str, typer.Option(help="Why (the customer is told).")],
) -> None:
    """Reject a termination for cause."""
    with tenure() as (services, vendor):
        c = services.cancellations.reject(vendor, contract_id, reason)
    done(f"rejected {c.id}", cancellation=c.id, status=c.status.value)

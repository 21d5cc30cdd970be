"""Contracts, and the replies to a plan change and its preview."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tenure.domain.charges import Charge
from tenure.domain.contract import Contract, ScheduledChange
from tenure.domain.invoicing import DocumentDraft
from tenure.entrypoints.presenters.invoices import charge_dict, draft_dict
from tenure.services.encoding import plain_dict
from tenure.services.read_models import contract_view as contract_dict


def plan_change_dict(contract: Contract, change: ScheduledChange | None) -> dict[str, Any]:
    """The reply to a plan change: the contract, and when the change takes effect (``"now"``:
    an upgrade; a day: a downgrade at the period end)."""
    return plain_dict(
        {
            "contract": contract_dict(contract),
            "effective_on": change.effective_on if change else "now",
        }
    )


def plan_change_preview_dict(
    change: ScheduledChange | None,
    prorations: Sequence[Charge],
    documents: Sequence[DocumentDraft],
) -> dict[str, Any]:
    """What a plan change would do, and the next invoice with it; nothing changed."""
    return plain_dict(
        {
            "object": "plan_change_preview",
            "effective_on": change.effective_on if change else "now",
            "prorations": [charge_dict(c) for c in prorations],
            "next_invoice": [draft_dict(d) for d in documents],
        }
    )

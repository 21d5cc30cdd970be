"""Withdrawal from the whole contract (Widerruf, BGB §§ 312g, 355, 356, 356a; SPEC § 6): within
the window counted from the day the contract was concluded (its start), for consumers, and for
businesses where the vendor grants it. The contract ends at once (status ``withdrawn``, nothing
usable from the declaration on), its bookings with it, its pending items are dropped and
everything invoiced under it is credited in full by credit notes naming their invoices; no
further invoice is issued."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from tenure.domain import events as ev
from tenure.domain.booking import BookingStatus
from tenure.domain.contract_base import ContractBase, ContractStatus
from tenure.domain.errors import ContractEnded, WithdrawalNotAvailable, WithdrawalPeriodExpired
from tenure.domain.invoicing import Document, DocumentDraft, DocumentType, credit_notes_for


class WithdrawalMixin(ContractBase):
    @property
    def withdrawal_last_day(self) -> date | None:
        """The last day the customer may withdraw from the contract (its start not counted);
        None where it has no such right."""
        return self._withdrawal_window(self.start)

    def withdraw(self, at: datetime, issued: Sequence[Document]) -> list[DocumentDraft]:
        """The customer withdraws at ``at``: the contract ends at once; returns the credit notes
        for everything ``issued`` under it (one per invoice, all its lines not yet credited).
        Refused after the window (``withdrawal_period_expired``), where there is no right to
        withdraw (``withdrawal_not_available``) and once the contract is over."""
        day = self._local_day(at)
        if self.is_over:
            raise ContractEnded(f"the contract ended on {self.end_date}", end_date=self.end_date)
        last_day = self.withdrawal_last_day
        if last_day is None:
            raise WithdrawalNotAvailable(
                "withdrawal from this contract is not offered", contract=self.id
            )
        if day > last_day:
            raise WithdrawalPeriodExpired(
                f"the withdrawal period ended on {last_day}", contract=self.id, last_day=last_day
            )
        for booking in self.bookings.values():
            if booking.is_live():
                booking.status = BookingStatus.WITHDRAWN
                booking.ends_on = min(booking.ends_on, day) if booking.ends_on else day
        self.pending = []
        self.scheduled_change = None
        self.status = ContractStatus.WITHDRAWN
        self.end_date = day
        self.next_bill_date = None
        self._record(ev.ContractWithdrawn(contract_id=self.id, occurred_at=at, withdrawn_on=day))
        return _credit_everything(issued, day)


def _credit_everything(issued: Sequence[Document], day: date) -> list[DocumentDraft]:
    """One credit note per invoice of ``issued`` for whatever of it is not yet credited, in
    invoice order (what earlier credit notes gave back is not given twice)."""
    sources = dict.fromkeys(
        line.source
        for document in issued
        if document.type is DocumentType.INVOICE
        for line in document.lines
        if line.net > 0
    )
    by_invoice: dict[str, DocumentDraft] = {}
    for source in sources:
        for draft in credit_notes_for(source, issued, day):
            assert draft.refers_to is not None
            known = by_invoice.get(draft.refers_to)
            by_invoice[draft.refers_to] = draft if known is None else _joined(known, draft)
    order = {d.number: n for n, d in enumerate(issued)}
    return sorted(by_invoice.values(), key=lambda d: order[d.refers_to or ""])


def _joined(first: DocumentDraft, second: DocumentDraft) -> DocumentDraft:
    return replace(first, lines=first.lines + second.lines)

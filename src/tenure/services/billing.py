"""Billing: the run that applies and bills every contract's due days, one transaction per
contract and day, and the previews of what the next billing day will issue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tenure.domain.calendar import local_date
from tenure.domain.charges import Charge
from tenure.domain.contract import Contract, ScheduledChange
from tenure.domain.invoicing import DocumentDraft
from tenure.services import documents
from tenure.services.context import UseCases, plan_of, retrying
from tenure.services.errors import BillingDateInFuture
from tenure.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class BillingRun:
    """What a billing run did (``until`` None: each vendor's today)."""

    until: date | None
    contracts: int
    documents: tuple[str, ...]
    #: (vendor, contract, error) of contracts the run could not bill; the others were billed.
    failed: tuple[tuple[str, str, str], ...] = ()


class Billing(UseCases):
    def run(
        self,
        until: date | None = None,
        vendor_id: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> BillingRun:
        """Bill and apply everything due up to ``until`` (a local date, default today), one
        transaction per contract and day, so that a run stopped half-way resumes where it was.
        ``progress(done, total)`` is called after each contract. A run never bills ahead: an
        ``until`` after a vendor's today is refused before anything is written
        (:class:`~tenure.services.errors.BillingDateInFuture`, see :meth:`due`)."""
        issued: list[str] = []
        failed: list[tuple[str, str, str]] = []
        due = self.due(until, vendor_id)
        for done, (vendor, contract_id) in enumerate(due, 1):
            try:
                while (numbers := self.bill_next_day(vendor, contract_id, until)) is not None:
                    issued.extend(numbers)
            except Exception as exc:
                failed.append((vendor, contract_id, f"{type(exc).__name__}: {exc}"))
            if progress is not None:
                progress(done, len(due))
        return BillingRun(until, len(due), tuple(issued), tuple(failed))

    @retrying
    def bill_next_day(
        self, vendor_id: str, contract_id: str, until: date | None = None
    ) -> list[str] | None:
        """Apply and bill the contract's next due day if it is on or before ``until`` (default:
        today in the vendor's zone), in one transaction. Returns the numbers issued, or None when
        nothing is due. The contract row is locked, so concurrent runs take turns and a day is
        billed once (a second run finds it already processed)."""
        with self._uow() as uow:
            contract = uow.contracts.get(vendor_id, contract_id)
            day = contract.next_due_date()
            now = self.ctx.now(uow, vendor_id, contract.customer)
            today = local_date(now, contract.vendor.timezone)
            if day is None or day > last_billable_day(until, today):
                return None
            numbers = self._run_day(uow, vendor_id, contract, day, now)
            self._commit(uow, vendor_id, contract)
            return numbers

    def _run_day(
        self, uow: UnitOfWork, vendor_id: str, contract: Contract, day: date, now: datetime
    ) -> list[str]:
        usage = uow.usage.unbilled(vendor_id, contract.id, day)
        last_invoice = uow.documents.last_invoice_number(vendor_id, contract.id)
        drafts = contract.bill_day(day, uow.vendors.catalog(vendor_id), usage, last_invoice)
        issued = [documents.issue(uow, vendor_id, contract, draft, now) for draft in drafts]
        if issued:  # usage is a charge: it is on the first document (the invoice)
            uow.usage.mark_billed(vendor_id, usage, issued[0].number)
        return [document.number for document in issued]

    def due(self, until: date | None = None, vendor_id: str | None = None) -> list[tuple[str, str]]:
        """(vendor, contract) of the contracts a run up to ``until`` bills: each one whose next
        due day is on or before its :func:`last_billable_day`, in the zone of the catalog it
        runs on. Found by the stored next due date in one read-only transaction, so only the
        contracts really due are then loaded and locked.

        Raises :class:`~tenure.services.errors.BillingDateInFuture` when ``until`` is after the
        vendor's today (in the zone of its current catalog; for a run over all vendors: after
        the latest of their todays): one mistyped year would otherwise issue a year of immutable
        invoices ahead of time. A vendor whose today is earlier is billed up to its today."""
        now = self.ctx.clock.now()
        # The query's bounds hold in every zone; each row is then checked in its own.
        live = last_billable_day(until, latest_local_date(now))
        found: list[tuple[str, str]] = []
        with self._reading() as uow:
            vendors = [vendor_id] if vendor_id else uow.vendors.list()
            if until is not None and vendors:
                zones = {v: uow.vendors.catalog(v).vendor.timezone for v in vendors}
                latest = max(vendors, key=lambda v: local_date(now, zones[v]))
                refuse_future(until, latest, zones[latest], now)
            for vendor in vendors:
                clocks = {c.id: c.frozen_at for c in uow.test_clocks.list(vendor)}
                sandboxes = {
                    clock: last_billable_day(until, latest_local_date(at))
                    for clock, at in clocks.items()
                }
                for row in uow.contracts.due(vendor, live, sandboxes):
                    at = clocks[row.test_clock_id] if row.test_clock_id else now
                    if row.due_on <= last_billable_day(until, local_date(at, row.timezone)):
                        found.append((vendor, row.contract_id))
        return found

    def preview_plan_change(
        self, vendor_id: str, contract_id: str, plan_id: str, seats: int | None = None
    ) -> tuple[ScheduledChange | None, list[Charge], list[DocumentDraft]]:
        """What a plan change would do now: the scheduled change (a downgrade) or the prorations
        it would add (an upgrade), and the next invoice with it. Nothing is stored."""
        with self._reading() as uow:
            contract = uow.contracts.get(vendor_id, contract_id, lock=False)
            before = {p.id for p in contract.pending}
            latest = uow.vendors.catalog(vendor_id)  # as Contracts.change_plan resolves it
            change = contract.change_plan(
                plan_of(latest, plan_id),
                seats,
                self.ctx.now(uow, vendor_id, contract.customer),
                latest,
            )
            prorations = [p.charge for p in contract.pending if p.id not in before]
            return change, prorations, self._next_documents(uow, vendor_id, contract)

    def preview_next_invoice(self, vendor_id: str, contract_id: str) -> list[DocumentDraft]:
        """The document(s) the contract's next billing day would issue, from what is known now
        (usage recorded so far, pending items). Nothing is stored or numbered."""
        with self._reading() as uow:
            contract = uow.contracts.get(vendor_id, contract_id, lock=False)
            return self._next_documents(uow, vendor_id, contract)

    def _next_documents(
        self, uow: UnitOfWork, vendor_id: str, contract: Contract
    ) -> list[DocumentDraft]:
        """The documents of the next billing day, drafted by the same domain method as the real
        billing day (on a contract that will not be stored)."""
        return contract.preview_next_documents(
            uow.vendors.catalog(vendor_id),
            lambda day: uow.usage.unbilled(vendor_id, contract.id, day),
        )


def last_billable_day(until: date | None, today: date) -> date:
    """The last local day a run up to ``until`` (None: today) bills for a contract whose
    customer's today is ``today``: never a day after it, whatever the run asks. A live
    contract's today is the vendor's; a sandbox contract's is its test clock's, so it moves
    only with that clock."""
    return today if until is None else min(until, today)


def refuse_future(until: date, vendor_id: str, timezone: str, now: datetime) -> None:
    """Refuse a run up to ``until`` when that is after ``vendor_id``'s today in ``timezone``
    (GoBD: an issued invoice cannot be taken back, so none is issued ahead of time)."""
    today = local_date(now, timezone)
    if until > today:
        raise BillingDateInFuture(
            f"cannot bill up to {until}: it is after today ({today}) in the time zone of "
            f"vendor {vendor_id!r} ({timezone}); live contracts are billed up to today at the "
            "latest, sandbox contracts move with their test clock",
            until=until,
            today=today,
            vendor=vendor_id,
        )


def latest_local_date(at: datetime) -> date:
    """The local date at ``at`` in the zone furthest ahead (UTC+14): no zone's today is later."""
    return (at.astimezone(UTC) + timedelta(hours=14)).date()

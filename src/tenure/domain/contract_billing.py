"""How time moves a contract: the next due date, the transitions at the start of a day, the
charges of the consolidated invoice (recurring in advance, usage in arrears, pending items, final
settlement), and the documents of a billing day: drafted the same way for billing and previews,
then issued under a number."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal

from tenure.domain import events as ev
from tenure.domain import tax
from tenure.domain.booking import BookingStatus
from tenure.domain.calendar import ONE_DAY, Period
from tenure.domain.catalog import Catalog
from tenure.domain.charges import Charge, LineKind
from tenure.domain.contract_base import (
    ContractBase,
    ContractStatus,
)
from tenure.domain.invoicing import (
    Document,
    DocumentDraft,
    NumberSeries,
    Party,
    build_invoice,
    number_series,
)
from tenure.domain.usage import UsageRecord, usage_charges


class BillingMixin(ContractBase):
    def next_due_date(self) -> date | None:
        """The next local date on which something happens to this contract (billing, an add-on
        or the contract ending, a scheduled change, a term renewal); None once it has ended."""
        if self.is_over:
            return None
        candidates: list[date] = []
        if self.next_bill_date is not None:
            candidates.append(self.next_bill_date)
        if self.end_date is not None:
            candidates.append(self.end_date + ONE_DAY)
        if self.scheduled_change is not None:
            candidates.append(self.scheduled_change.effective_on)
        for booking in self.bookings.values():
            if booking.is_live() and booking.ends_on is not None:
                candidates.append(booking.ends_on + ONE_DAY)
        renewal = self._next_renewal()
        if renewal is not None:
            candidates.append(renewal)
        candidates = [d for d in candidates if d > self.processed_through]
        return min(candidates) if candidates else None

    def _next_renewal(self) -> date | None:
        if self.end_date is not None or self.terms.renewal_months is None:
            return None
        term_end = self.terms.term_last_day_on_or_after(self.processed_through + ONE_DAY)
        return term_end + ONE_DAY if term_end is not None else None

    def _roll_to(self, day: date, catalog: Catalog | None = None) -> bool:
        """Apply everything that takes effect at the start of ``day`` (which must be the next due
        date). Returns True when an invoice is due on ``day``; then call :meth:`_bill`.

        ``catalog`` is the vendor's current catalog version: a new period starts on its prices
        (a price change applies to new periods only; the running period keeps the old one)."""
        due = self.next_due_date()
        if due is None or day != due:
            raise ValueError(f"the next due date of contract {self.id} is {due}, not {day}")
        at = self._instant(day)
        renewal = self._next_renewal()
        self.processed_through = day
        for booking in self.bookings.values():
            if booking.is_live() and booking.ends_on is not None and booking.ends_on < day:
                # Anything charged beyond the booking's last day is given back (safety net: an
                # ordinary cancellation ends a booking exactly where its payment ends).
                self._credit_booking_from(booking, booking.ends_on + ONE_DAY, day)
                self._end_booking(booking, booking.ends_on, at)
        if self.end_date is not None and self.end_date < day:
            self.scheduled_change = None  # an ended contract changes plan no more
            return True  # final settlement on the day after the end
        change = self.scheduled_change
        if change is not None and change.effective_on <= day:
            # The target was resolved in the newest version when the change was asked for; it
            # takes that plan's price of the newest version the contract can move to.
            self.scheduled_change = None
            source = catalog if catalog is not None and self.can_follow(catalog) else self.catalog
            plan = source.plans.get(change.plan.id, change.plan)
            self._switch_plan(plan, change.seats, day, at, credit_from=None)
        if catalog is not None and catalog is not self.catalog and day == self.next_bill_date:
            self._adopt_catalog(catalog)
        if renewal == day:
            last = self.terms.term_last_day_on_or_after(day)
            if last is not None:
                self._record(
                    ev.TermRenewed(contract_id=self.id, occurred_at=at, term_last_day=last)
                )
        return self.next_bill_date == day

    def _bill(self, day: date, usage: Sequence[UsageRecord]) -> list[Charge]:
        """The charges of the invoice due on ``day``: recurring fees of the period starting then
        (in advance), ``usage`` before ``day`` (in arrears) and every pending item. On the day after
        the contract's end this is the final settlement, crediting prepaid time after the end."""
        if day != self.processed_through:
            raise ValueError("_roll_to(day) must come first")
        at = self._instant(day)
        charges: list[Charge] = []
        final = self.end_date is not None and self.end_date < day
        if final:
            assert self.end_date is not None
            charges.extend(self._end_credits(self.end_date + ONE_DAY))
        else:
            charges.extend(self._recurring(day))
        charges.extend(self._usage(usage))
        charges.extend(item.charge for item in self.pending)
        self.pending = []
        if final:
            self.status = ContractStatus.ENDED
            self.next_bill_date = None
            for booking in self.bookings.values():
                if booking.is_live():
                    assert self.end_date is not None
                    self._end_booking(booking, self.end_date, at)
            assert self.end_date is not None
            self._record(
                ev.ContractEnded(contract_id=self.id, occurred_at=at, end_date=self.end_date)
            )
        return charges

    def _recurring(self, day: date) -> list[Charge]:
        index = self.schedule.index_of(day)
        full = self.schedule.full_period(index)
        period = self.schedule.period(index)
        if self.end_date is not None:
            clipped = period.clipped(end=self.end_date + ONE_DAY)
            assert clipped is not None
            period = clipped
        self.next_bill_date = full.end
        charges = [self._plan_charge(self.plan, self.seats, LineKind.RECURRING, period, full)]
        self.plan_covered_until = period.end
        for booking in self.bookings.values():
            if booking.active_on(day):
                part = period.clipped(end=booking.ends_on + ONE_DAY if booking.ends_on else None)
                if part is not None:
                    charges.append(self._booking_charge(booking, LineKind.RECURRING, part, full))
                    booking.covered_until = part.end
        return charges

    def _end_credits(self, first_free_day: date) -> list[Charge]:
        """Credit prepaid time from ``first_free_day`` on (an end inside a billed period)."""
        credits = []
        coverage = self._coverage(first_free_day, self.plan_covered_until)
        if coverage is not None:
            part, full = coverage
            credits.append(
                self._plan_charge(self.plan, self.seats, LineKind.CREDIT, part, full, -1)
            )
            self.plan_covered_until = first_free_day
        for booking in self.bookings.values():
            if booking.status is not BookingStatus.WITHDRAWN:
                coverage = self._coverage(first_free_day, booking.covered_until)
                if coverage is not None:
                    part, full = coverage
                    credits.append(self._booking_charge(booking, LineKind.CREDIT, part, full, -1))
                    booking.covered_until = first_free_day
        return [c for c in credits if c.net != 0]

    def _usage(self, usage: Sequence[UsageRecord]) -> list[Charge]:
        def period_of(d: date) -> Period:
            period = self.schedule.period_containing(d)
            if self.end_date is not None:
                period = period.clipped(end=self.end_date + ONE_DAY) or period
            return period

        def metric_name(metric: str) -> str:
            known = self.catalog.metrics.get(metric)
            return self._text(known.name) if known else metric

        return usage_charges(usage, period_of, metric_name, self.currency)

    # ----------------------------------------------------------------- documents

    def tax_treatment(self, day: date) -> tax.TaxTreatment:
        """The VAT of what this contract bills on ``day``: by the vendor's and the customer's
        country, whether the customer is a business, and its VAT ID (SPEC § 4)."""
        c = self.customer
        return tax.tax_treatment(self.vendor.country, c.country, not c.is_consumer, c.vat_id, day)

    def shown_price(self, net: Decimal, at: datetime) -> Decimal:
        """A price as this customer is shown it: with VAT for a consumer (PAngV § 3: consumers
        see final prices), net for a business; VAT at the rate of ``at``'s local day."""
        if not self.customer.is_consumer:
            return net
        rate = self.tax_treatment(self._local_day(at)).rate
        return net + tax.vat_amount(net, rate, self.currency)

    def bill_day(
        self,
        day: date,
        catalog: Catalog | None,
        usage: Sequence[UsageRecord],
        last_invoice_number: str | None,
    ) -> list[DocumentDraft]:
        """Apply ``day`` (:meth:`_roll_to`) and draft its documents: none when no invoice is due
        or there is nothing to bill, else the consolidated invoice of :meth:`_bill`, with
        ``usage`` (the unbilled usage before ``day``); a credit note for credits that outweigh
        the charges refers to ``last_invoice_number`` (:func:`build_invoice`)."""
        return self._bill_day(day, catalog, lambda _: usage, last_invoice_number) or []

    def preview_next_documents(
        self, catalog: Catalog | None, usage_for: Callable[[date], Sequence[UsageRecord]]
    ) -> list[DocumentDraft]:
        """The documents of the next billing day, from what is known now: rolls this contract
        through the due days up to it and bills it as :meth:`bill_day` does, so call it on a copy
        that is not stored. ``usage_for(day)``: the unbilled usage before ``day``. A credit note
        in a preview refers to no invoice (``refers_to`` None)."""
        while (day := self.next_due_date()) is not None:
            drafts = self._bill_day(day, catalog, usage_for, None)
            if drafts is not None:
                return drafts
        return []

    def _bill_day(
        self,
        day: date,
        catalog: Catalog | None,
        usage_for: Callable[[date], Sequence[UsageRecord]],
        last_invoice_number: str | None,
    ) -> list[DocumentDraft] | None:
        """:meth:`bill_day`, but None when no invoice is due on ``day``."""
        if not self._roll_to(day, catalog):
            return None
        return build_invoice(
            contract_id=self.id,
            issue_date=day,
            currency=self.currency,
            seller=Party.seller(self.vendor),
            buyer=Party.buyer(self.customer),
            charges=self._bill(day, usage_for(day)),
            tax=self.tax_treatment(day),
            billing_date=day,
            last_invoice_number=last_invoice_number,
            livemode=self.livemode,
        )

    def number_series(self, draft: DocumentDraft) -> NumberSeries:
        """The vendor's series that numbers ``draft`` (storage hands out its next sequence)."""
        return number_series(self.vendor, draft)

    def issue(self, draft: DocumentDraft, number: str, now: datetime) -> tuple[Document, datetime]:
        """Issue ``draft`` under ``number`` (the next of :meth:`number_series`) and record
        :class:`~tenure.domain.events.DocumentIssued`. Returns the document and the instant it is
        issued: ``now``, but never before its issue date begins in the vendor's zone (a run that
        catches up bills a day at its start in any zone the catalog version runs in)."""
        if draft.contract_id != self.id:
            raise ValueError(f"a draft of contract {draft.contract_id} issued by {self.id}")
        issued_at = max(now, self._instant(draft.issue_date))
        document = Document(number, draft)
        self._record(
            ev.DocumentIssued(
                contract_id=self.id,
                occurred_at=issued_at,
                number=number,
                document_type=draft.type.value,
                issue_date=draft.issue_date,
                gross_total=str(draft.gross_total),
                refers_to=draft.refers_to,
            )
        )
        return document, issued_at

"""Cancellation of a contract: ordinary notice, termination for cause (BGB § 314) awaiting the
vendor's decision, revocation; the end date derived from the confirmed declarations."""

from __future__ import annotations

from datetime import date, datetime

from tenure.domain import events as ev
from tenure.domain.booking import BookingStatus
from tenure.domain.calendar import ONE_DAY, Period
from tenure.domain.cancellation import Cancellation, CancellationKind, CancellationStatus
from tenure.domain.charges import LineKind
from tenure.domain.contract_base import (
    ContractBase,
    ContractStatus,
)
from tenure.domain.errors import (
    CancellationAlreadyPending,
    CancellationNotPendingReview,
    CancellationNotRevocable,
    InvalidDate,
    NoPendingCancellation,
    ReasonRequired,
)
from tenure.domain.notice import EndAdjustment


class CancellationMixin(ContractBase):
    def cancel(
        self,
        *,
        kind: CancellationKind,
        at: datetime,
        email: str | None = None,
        requested_end: date | None = None,
        reason: str | None = None,
    ) -> Cancellation:
        """Receive a cancellation declaration. Ordinary: confirmed at once with the earliest
        allowed end date (or the requested later one). Extraordinary: waits for the vendor."""
        day = self._open_day(at)
        within_horizon(requested_end, day)
        # One open declaration of each kind: an ordinary notice does not block a termination for
        # cause (BGB § 314), and an ordinary notice may be given while one for cause is reviewed.
        open_one = next((c for c in self._open_cancellations() if c.kind is kind), None)
        if open_one is not None:
            raise CancellationAlreadyPending(
                f"a cancellation received on {open_one.received_on} is already "
                f"{open_one.status.value}",
                cancellation=open_one.id,
            )
        if kind is CancellationKind.EXTRAORDINARY and not (reason and reason.strip()):
            raise ReasonRequired("an extraordinary termination needs a reason")
        cancellation = Cancellation(
            id=self._next_id("cn"),
            kind=kind,
            received_at=at,
            received_on=day,
            requested_end=requested_end,
            effective_end=None,
            status=CancellationStatus.PENDING_REVIEW,
            email=email or self.customer.email,
            reason=reason,
        )
        if kind is CancellationKind.ORDINARY:
            terms = self.terms
            end = terms.end_date(day, self.schedule, requested_end)
            adjustment = terms.end_adjustment(day, requested_end, end)
            cancellation.effective_end = end
            cancellation.adjusted_reason = adjustment.value if adjustment else None
            cancellation.status = CancellationStatus.CONFIRMED
        self.cancellations.append(cancellation)
        self._refresh_end(day)
        self._record(
            ev.CancellationReceived(
                contract_id=self.id,
                occurred_at=at,
                cancellation_id=cancellation.id,
                kind=kind.value,
                received_at=at,
                received_on=day,
                effective_end=cancellation.effective_end,
                adjusted_reason=cancellation.adjusted_reason,
                email=cancellation.email,
            )
        )
        return cancellation

    def _refresh_end(self, day: date) -> None:
        """Derive the end date from the confirmed declarations (the earliest wins). When the end
        moves later or goes away, the days of the current period that were billed only up to the
        old end are charged as pending items, so that no day goes unbilled."""
        ends = [
            c.effective_end
            for c in self.cancellations
            if c.status is CancellationStatus.CONFIRMED and c.effective_end is not None
        ]
        old_end = self.end_date
        self.end_date = min(ends) if ends else None
        self.status = (
            ContractStatus.CANCELLATION_PENDING if self.end_date else ContractStatus.ACTIVE
        )
        if old_end is not None and (self.end_date is None or self.end_date > old_end):
            self._charge_coverage_gap(day)

    def accept_cancellation(self, at: datetime, end_date: date | None = None) -> Cancellation:
        """The vendor accepts an extraordinary termination: it ends on the requested (or given)
        date, or at once (today) when that date is absent or already past."""
        day = self._open_day(at)
        cancellation = self._pending_review()
        within_horizon(end_date, day)
        end = end_date or cancellation.requested_end or day
        if end < day:
            if end_date is not None:
                raise InvalidDate(f"the end date {end} is in the past", end_date=end)
            end = day
            cancellation.adjusted_reason = EndAdjustment.REQUESTED_END_IN_PAST.value
        cancellation.status = CancellationStatus.CONFIRMED
        cancellation.effective_end = end
        self._refresh_end(day)
        self._record(
            ev.CancellationAccepted(
                contract_id=self.id,
                occurred_at=at,
                cancellation_id=cancellation.id,
                effective_end=end,
                adjusted_reason=cancellation.adjusted_reason,
            )
        )
        return cancellation

    def reject_cancellation(self, at: datetime, reason: str) -> Cancellation:
        self._open_day(at)
        if not reason.strip():
            raise ReasonRequired("a rejection must tell the customer why")
        cancellation = self._pending_review()
        cancellation.status = CancellationStatus.REJECTED
        cancellation.decision_reason = reason
        self._record(
            ev.CancellationRejected(
                contract_id=self.id, occurred_at=at, cancellation_id=cancellation.id, reason=reason
            )
        )
        return cancellation

    def _pending_review(self) -> Cancellation:
        cancellation = next(
            (
                c
                for c in self._open_cancellations()
                if c.status is CancellationStatus.PENDING_REVIEW
            ),
            None,
        )
        if cancellation is None:
            raise CancellationNotPendingReview("no extraordinary termination awaits a decision")
        return cancellation

    def revoke_cancellation(self, at: datetime) -> Cancellation:
        """Withdraw the cancellation while the end date is still ahead (the contract still runs on
        its last day). The contract is active again; a later notice starts over."""
        day = self._local_day(at)
        cancellation = self._open_cancellation()
        if cancellation is None:
            if self.is_over:
                raise CancellationNotRevocable(
                    f"the contract ended on {self.end_date}", end_date=self.end_date
                )
            raise NoPendingCancellation("there is no cancellation to revoke")
        if self.is_over or (
            cancellation.effective_end is not None and day > cancellation.effective_end
        ):
            raise CancellationNotRevocable(
                f"the contract ended on {cancellation.effective_end}",
                end_date=cancellation.effective_end,
            )
        cancellation.status = CancellationStatus.REVOKED
        self._refresh_end(day)
        self._record(
            ev.CancellationRevoked(
                contract_id=self.id, occurred_at=at, cancellation_id=cancellation.id
            )
        )
        return cancellation

    def _charge_coverage_gap(self, day: date) -> None:
        """The current period was billed only up to an end date that has since moved later or
        gone away: charge the rest of it (up to the new end) as pending items."""
        if self.next_bill_date is None or self.next_bill_date <= day:
            return
        full = self.schedule.full_period_containing(self.next_bill_date - ONE_DAY)
        period_end = self.next_bill_date
        if self.end_date is not None:
            period_end = min(period_end, self.end_date + ONE_DAY)
        if self.plan_covered_until is not None and self.plan_covered_until < period_end:
            part = Period(max(self.plan_covered_until, full.start), period_end)
            self._add_pending(
                self._plan_charge(self.plan, self.seats, LineKind.PRORATION, part, full), day
            )
            self.plan_covered_until = period_end
        for booking in self.bookings.values():
            if (
                booking.status is BookingStatus.ACTIVE
                and booking.covered_until is not None
                and booking.covered_until < period_end
            ):
                part = Period(max(booking.covered_until, full.start), period_end)
                self._add_pending(
                    self._booking_charge(booking, LineKind.PRORATION, part, full), day
                )
                booking.covered_until = period_end


#: How far ahead an end date may lie (a contract ending in 9999 is a typo, not a wish).
MAX_YEARS_AHEAD = 100


def within_horizon(end: date | None, day: date) -> None:
    if end is not None and end.year > day.year + MAX_YEARS_AHEAD:
        raise InvalidDate(
            f"the end date {end} is more than {MAX_YEARS_AHEAD} years ahead", end_date=end
        )

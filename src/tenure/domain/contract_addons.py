"""Add-on bookings on a contract: book (usable at once, prorated), cancel to the end of the paid
period, withdraw within the window (Widerruf, BGB § 355) with credit notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from tenure.domain import events as ev
from tenure.domain.booking import AddonBooking, BookingStatus
from tenure.domain.catalog import Addon
from tenure.domain.charges import LineKind
from tenure.domain.contract_base import (
    ContractBase,
)
from tenure.domain.errors import (
    AddonAlreadyCancelled,
    AddonNotActive,
    AddonNotInPlan,
    InvalidQuantity,
    WithdrawalNotAvailable,
    WithdrawalPeriodExpired,
)
from tenure.domain.invoicing import Document, DocumentDraft, credit_notes_for


class AddonsMixin(ContractBase):
    def book_addon(self, addon: Addon, quantity: int, at: datetime) -> AddonBooking:
        """Book ``quantity`` units of ``addon``: usable at once, prorated charge pending."""
        day = self._open_day(at)
        if addon.id not in self.plan.addons:
            raise AddonNotInPlan(
                f"add-on {addon.id!r} is not offered with plan {self.plan.id!r}",
                addon=addon.id,
                plan=self.plan.id,
            )
        if quantity < 1:
            raise InvalidQuantity("quantity must be at least 1", quantity=quantity)
        booking = AddonBooking(
            id=self._next_id("bk"),
            addon=addon.id,
            quantity=quantity,
            booked_at=at,
            booked_on=day,
            withdrawal_last_day=self._withdrawal_window(day),
        )
        self.bookings[booking.id] = booking
        coverage = self._coverage(day, self.plan_covered_until)
        if coverage is not None:
            part, full = coverage
            self._add_pending(self._booking_charge(booking, LineKind.PRORATION, part, full), day)
            booking.covered_until = part.end
        prorated = [p.charge.net for p in self.pending if p.charge.source == booking.id]
        self._record(
            ev.AddonBooked(
                contract_id=self.id,
                occurred_at=at,
                booking_id=booking.id,
                addon=addon.id,
                quantity=quantity,
                booked_on=day,
                withdrawal_last_day=booking.withdrawal_last_day,
                prorated_net=str(sum(prorated, Decimal(0))) if prorated else None,
                collected_on=self.next_bill_date if prorated else None,
            )
        )
        return booking

    def cancel_addon(self, booking_id: str, at: datetime) -> AddonBooking:
        """Ordinary cancellation: the booking runs to the end of its paid period, no refund."""
        day = self._open_day(at)
        booking = self.booking(booking_id)
        if booking.status is BookingStatus.CANCELLATION_PENDING:
            raise AddonAlreadyCancelled(
                f"booking {booking_id!r} is already cancelled to {booking.ends_on}",
                ends_on=booking.ends_on,
            )
        if booking.status is not BookingStatus.ACTIVE:
            raise AddonNotActive(
                f"booking {booking_id!r} is {booking.status.value}", status=booking.status.value
            )
        # The end of the paid period, even past a pending contract end: the contract's final
        # settlement ends the booking with it and credits what was paid beyond that end.
        ends_on = booking.billed_until or day
        booking.status = BookingStatus.CANCELLATION_PENDING
        booking.ends_on = ends_on
        self._record(
            ev.AddonCancelled(
                contract_id=self.id, occurred_at=at, booking_id=booking.id, ends_on=ends_on
            )
        )
        return booking

    def withdraw_addon(
        self, booking_id: str, at: datetime, issued: Iterable[Document]
    ) -> list[DocumentDraft]:
        """Withdrawal (Widerruf, BGB § 355) inside the window: the booking ends at once, its
        pending items are dropped and what was invoiced is credited. Returns credit note drafts."""
        booking = self.booking(booking_id)
        day = self._local_day(at)
        if booking.status is BookingStatus.WITHDRAWN:
            raise AddonNotActive(f"booking {booking_id!r} is already withdrawn", status="withdrawn")
        if booking.withdrawal_last_day is None:
            raise WithdrawalNotAvailable(
                "withdrawal is not offered for this booking", booking=booking_id
            )
        if day > booking.withdrawal_last_day:
            raise WithdrawalPeriodExpired(
                f"the withdrawal period ended on {booking.withdrawal_last_day}",
                booking=booking_id,
                last_day=booking.withdrawal_last_day,
            )
        # Also a booking that already ended (cancelled, or dropped by a plan change) can be
        # withdrawn inside its window: what was paid for it comes back (SPEC § 6).
        removed = [p.charge.net for p in self.pending if p.charge.source == booking.id]
        self.pending = [p for p in self.pending if p.charge.source != booking.id]
        booking.status = BookingStatus.WITHDRAWN
        booking.ends_on = min(booking.ends_on, day) if booking.ends_on else day
        self._record(
            ev.AddonWithdrawn(
                contract_id=self.id,
                occurred_at=at,
                booking_id=booking.id,
                withdrawn_on=day,
                removed_net=str(sum(removed, Decimal(0))) if removed else None,
            )
        )
        return credit_notes_for(booking.id, issued, day)

"""Typed refusals of the domain. Each carries a stable ``code`` that the CLI, API and portal
translate; the message is for people and may change."""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A rule of the business refused a request. Never a bug: the input or state was not allowed."""

    code: ClassVar[str] = "domain_error"
    #: The HTTP status that stands for this refusal: 409 Conflict for a well-formed request that
    #: a rule or the state refuses; 404 for what does not exist; 422 for input no rule accepts.
    status: ClassVar[int] = 409

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class ContractNotStarted(DomainError):
    code = "contract_not_started"


class ContractEnded(DomainError):
    code = "contract_ended"


class InvalidQuantity(DomainError):
    code = "invalid_quantity"


class UnknownPlan(DomainError):
    code = "unknown_plan"
    status = 404


class UnknownAddon(DomainError):
    code = "unknown_addon"
    status = 404


class AddonNotInPlan(DomainError):
    code = "addon_not_in_plan"


class UnknownBooking(DomainError):
    code = "unknown_booking"
    status = 404


class AddonNotActive(DomainError):
    code = "addon_not_active"


class AddonAlreadyCancelled(DomainError):
    code = "addon_already_cancelled"


class WithdrawalNotAvailable(DomainError):
    code = "withdrawal_not_available"


class WithdrawalPeriodExpired(DomainError):
    code = "withdrawal_period_expired"


class PlanUnchanged(DomainError):
    code = "plan_unchanged"


class BillingCycleChangeNotSupported(DomainError):
    code = "billing_cycle_change_not_supported"


class CatalogChangeNotSupported(DomainError):
    """A plan change into a catalog version of another currency or time zone."""

    code = "catalog_change_not_supported"


class AddonWithdrawn(DomainError):
    """An add-on the newest catalog version no longer offers (running bookings keep it)."""

    code = "addon_withdrawn"


class CatalogStrandsContracts(DomainError):
    """A catalog upload that would leave running contracts on their old version, without the
    caller's explicit consent (``allow_grandfathering``)."""

    code = "catalog_strands_contracts"


class SeatsNotApplicable(DomainError):
    code = "seats_not_applicable"


class UnknownMetric(DomainError):
    code = "unknown_metric"
    status = 404


class MetricNotInPlan(DomainError):
    code = "metric_not_in_plan"


class FractionalQuantity(DomainError):
    """A usage quantity finer than its metric counts (half an SMS)."""

    code = "fractional_quantity"
    status = 422


class UsageInFuture(DomainError):
    """A usage instant later than now (beyond the clock skew allowed)."""

    code = "usage_in_future"
    status = 422


class UsageBeforeContractStart(DomainError):
    code = "usage_before_contract_start"


class UsagePeriodInvoiced(DomainError):
    """Usage of a period whose usage is already invoiced (late usage is a one-time charge)."""

    code = "usage_period_invoiced"


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"


class CancellationAlreadyPending(DomainError):
    code = "cancellation_already_pending"


class ReasonRequired(DomainError):
    code = "reason_required"


class NoPendingCancellation(DomainError):
    code = "no_pending_cancellation"


class CancellationNotRevocable(DomainError):
    code = "cancellation_not_revocable"


class CancellationNotPendingReview(DomainError):
    code = "cancellation_not_pending_review"


class InvalidDate(DomainError):
    code = "invalid_date"

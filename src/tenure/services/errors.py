"""Refusals of the service layer, beside the domain's (:mod:`tenure.domain.errors`).

Each carries a stable ``code`` and the HTTP ``status`` that stands for it, so no entry point
guesses a status from a code's spelling. :class:`ConcurrencyConflict` is no refusal: running the
use case again is safe, and the use cases do so on their own (see :func:`retrying`).
"""

from __future__ import annotations

from tenure.domain.errors import DomainError


class NotFound(DomainError):
    code = "not_found"
    status = 404


class UnknownVendor(NotFound):
    code = "unknown_vendor"


class UnknownCustomer(NotFound):
    code = "unknown_customer"


class UnknownContract(NotFound):
    code = "unknown_contract"


class UnknownWebhookEndpoint(NotFound):
    code = "unknown_webhook_endpoint"


class UnknownDelivery(NotFound):
    code = "unknown_webhook_delivery"


class UnknownTestClock(NotFound):
    code = "unknown_test_clock"


class InvalidCursor(DomainError):
    code = "invalid_cursor"
    status = 422


class ConcurrencyConflict(Exception):
    """Another transaction changed the same data first; running the use case again is safe."""

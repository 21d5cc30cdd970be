"""Refusals of the service layer, beside the domain's (:mod:`tenure.domain.errors`).

Each carries a stable ``code`` and the HTTP ``status`` that stands for it, so no entry point
guesses a status from a code's spelling. :class:`ConcurrencyConflict` is no refusal: running the
use case again is safe, and the use cases do so on their own (see :func:`retrying`).
"""

from __future__ import annotations

from typing import ClassVar

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


class UnknownDocument(NotFound):
    code = "unknown_document"


class UnknownEmail(NotFound):
    code = "unknown_email"


class InvalidSetting(DomainError, ValueError):
    """An operator setting (an environment variable such as ``TENURE_SMTP_URL``) that tenure
    cannot start with."""

    code = "invalid_setting"
    status = 500


class EmailNotResendable(DomainError):
    """Only a failed mail, or one whose delivery is unknown, can be sent again."""

    code = "email_not_resendable"
    status = 409


class UnknownTestClock(NotFound):
    code = "unknown_test_clock"


class TestClockLimit(DomainError):
    """A test clock's documented limits (:mod:`tenure.services.repositories.test_clocks`)."""

    __test__ = False  # not a pytest test class
    code = "test_clock_limit"
    status = 422


class AdvanceTooFar(TestClockLimit):
    code = "advance_too_far"


class TooManyContractsOnClock(TestClockLimit):
    code = "too_many_contracts_on_clock"


class AdvanceInterrupted(DomainError):
    """The service is shutting down: the advance stopped at a billing day (everything up to it
    is committed) and can be repeated to go on."""

    code = "advance_interrupted"
    status = 503


class InvalidCursor(DomainError):
    code = "invalid_cursor"
    status = 422


class BillingDateInFuture(DomainError):
    """A billing run was asked to bill past the vendor's today (a live contract is never billed
    ahead of time; sandbox contracts move with their test clock)."""

    code = "billing_date_in_future"
    status = 422


class ConcurrencyConflict(Exception):
    """Another transaction changed the same data first; running the use case again is safe."""


class StorageError(Exception):
    """The store could not do what was asked, through no rule of tenure: no refusal (so not a
    :class:`DomainError`), but with a ``code``, the HTTP ``status`` that stands for it and a
    ``detail`` safe to show a client (the driver's message stays in the cause)."""

    code: ClassVar[str] = "storage_error"
    status: ClassVar[int] = 500
    detail: ClassVar[str] = "the store failed"


class InvalidStoredValue(StorageError):
    """The database refused a value the input checks let through (PostgreSQL: a NUL
    character in a text, a text longer than its column, an integer out of range)."""

    code = "invalid_input"
    status = 422
    detail = "the request contains a value that cannot be stored"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        #: The column (named as the input field where they agree) whose value was refused.
        self.field = field


class StoreUnavailable(StorageError):
    """The database is unreachable or, on SQLite, stayed locked past the busy timeout; trying
    again shortly may succeed."""

    code = "database_unavailable"
    status = 503
    detail = "the database is busy; retry shortly"


#: Characters of an error (or of a webhook answer's excerpt) kept in a log row: a delivery's,
#: a render job's or a mail's ``last_error``, an audit entry.
ERROR_LENGTH = 300


def describe(exc: BaseException) -> str:
    """``ValueError: the message``, cut to :data:`ERROR_LENGTH` characters: an error as a log
    row keeps it."""
    return f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]

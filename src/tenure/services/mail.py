"""The e-mail port: what the service layer hands to the mail adapters, and what they promise back.

The service decides which e-mail an event produces (:mod:`tenure.services.notifications`), fills an
:class:`OutgoingMail` with plain values (the *context* below), asks a :class:`Composer` for the
MIME message and a :class:`Mailer` to deliver it. The adapters live in ``tenure.adapters.mail``:
``TemplateComposer`` (Jinja2 templates with Babel catalogs in de, en, zh), ``SmtpMailer`` and
``FolderMailer`` (``.eml`` files, the embedded default).

Delivery outcomes, for the retry logic:

* ``send`` returns: the server accepted the message (250 after DATA).
* :class:`MailRejected`: the server refused it for good (a 5xx answer to MAIL FROM, RCPT TO or
  DATA); retrying sends the same refusal.
* :class:`DeliveryUncertain` (an ``OSError``): the connection broke after the message was handed
  over, so the server may have accepted it; retrying may deliver it twice.
* any other ``OSError``: a transient failure (4xx, refused connection, timeout, TLS or
  authentication trouble, which is configuration the operator fixes); retry later.

The context contract: every template needs :data:`COMMON_CONTEXT` plus its own keys from
:data:`TEMPLATE_CONTEXT`; each key lists the types it accepts (``None`` only where listed). Amounts
are ``Decimal`` in ``context["currency"]`` (never float), days are ``date``, instants are aware
``datetime`` (shown in ``context["timezone"]``), lists are tuples whose every item has the key's
item type. A key with a default may be left out; extra keys are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from email.message import EmailMessage
from typing import Any, NamedTuple, Protocol

#: The languages every template is written in (the customer's ``locale``).
LOCALES = ("de", "en", "zh")

_NONE = type(None)
#: The default of a key that must be given.
REQUIRED: Any = object()


class MailRejected(OSError):
    """The server refused the message permanently (5xx): do not retry."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class DeliveryUncertain(OSError):
    """The connection failed after the message was handed over (during or after DATA): the
    server may have accepted it. An ``OSError``, so a caller that does not care retries."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "application/pdf", "application/xml"
    data: bytes


@dataclass(frozen=True)
class OutgoingMail:
    """One e-mail to compose: a template, the recipient's language and the values it shows."""

    template: str
    locale: str  # "de", "en" or "zh"
    to: str  # one address
    sender: str  # the From address
    sender_name: str  # the From display name, the vendor's name
    reply_to: str | None
    message_id: str  # "<em_abc@tenure.invalid>", chosen (and recorded) by the service
    context: Mapping[str, Any] = field(hash=False)
    attachments: tuple[Attachment, ...] = ()


class Composer(Protocol):
    def compose(self, mail: OutgoingMail) -> EmailMessage:
        """The complete message; ``ValueError`` for a bad mail (unknown template or locale,
        missing or mistyped context keys, CR/LF in a header value)."""
        ...


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` to its To address; raises as the module docstring says."""
        ...


class Key(NamedTuple):
    """One context key: the types it accepts, what it means, for an optional key the value it
    has when left out, the values it may take, and for a tuple the types its items must have."""

    types: tuple[type, ...]
    doc: str
    default: Any = REQUIRED
    choices: tuple[Any, ...] = ()
    items: tuple[type, ...] = ()


def _key(
    doc: str,
    *types: type,
    default: Any = REQUIRED,
    choices: tuple[Any, ...] = (),
    items: tuple[type, ...] = (),
) -> Key:
    return Key(types, doc, default, choices, items)


#: Keys every template needs.
COMMON_CONTEXT: dict[str, Key] = {
    "vendor_name": _key("the vendor's legal name (footer)", str),
    "vendor_address": _key("the vendor's address, one line (footer)", str),
    "vendor_email": _key("the vendor's contact address (footer)", str, _NONE),
    "vendor_phone": _key("the vendor's phone number (footer)", str, _NONE),
    "customer_name": _key("the customer's name", str),
    "customer_id": _key("the customer's id (Kundennummer)", str),
    "contract_id": _key("the contract's id", str),
    "plan_name": _key("the contract's plan, in the customer's language", str),
    "currency": _key("ISO 4217 code of every amount, e.g. 'EUR'", str),
    "timezone": _key("the vendor's IANA time zone, e.g. 'Europe/Berlin'", str),
    "sent_at": _key("aware instant of sending: the Date header", datetime),
    "livemode": _key("False for a sandbox mail: '[TEST]' subject prefix and a note", bool),
}

_PLAN_CHANGE = {
    "old_plan_name": _key("the plan before the change", str),
    "old_seats": _key("seats before the change", int),
    "new_plan_name": _key("the plan after the change", str),
    "new_seats": _key("seats after the change", int),
    "effective_on": _key("first day of the new plan", date),
}
_DOCUMENT = {
    "number": _key("the document number, e.g. 'RE-2026-000001'", str),
    "issue_date": _key("the issue date", date),
    "gross_total": _key("the gross total (negative on a credit note)", Decimal),
    "due_date": _key("the day payment is due (invoices)", date, _NONE),
    "refers_to": _key("the corrected invoice's number (credit notes)", str, _NONE),
    "refers_to_date": _key("the corrected invoice's issue date (credit notes)", date, _NONE),
}

#: Each template's own keys, in addition to :data:`COMMON_CONTEXT`.
TEMPLATE_CONTEXT: dict[str, dict[str, Key]] = {
    "contract_confirmation": {
        "seats": _key("seats (licences) booked", int),
        "start": _key("the contract's first day", date),
    },
    "addon_booking_confirmation": {
        "addon_name": _key("the add-on, in the customer's language", str),
        "quantity": _key("units booked", int),
        "booked_on": _key("the booking day; usable at once", date),
        "unit_price": _key("price of one unit per billing period", Decimal),
        "prorated_amount": _key(
            "amount for the rest of the current period, else None", Decimal, _NONE
        ),
        "collected_on": _key("date of the next Sammelrechnung that collects it", date, _NONE),
        "withdrawal_last_day": _key("last day of the withdrawal period, if any", date, _NONE),
        "net_amounts": _key(
            "the amounts read 'plus VAT' (catalog prices and pending items are net); give "
            "False with gross amounts (consumers see gross prices, PAngV)",
            bool,
            default=True,
        ),
    },
    "addon_cancellation_confirmation": {
        "addon_name": _key("the add-on, in the customer's language", str),
        "quantity": _key("units of the booking", int),
        "ends_on": _key("last day of use, the billed-until date ('Kündigung zum')", date),
    },
    "withdrawal_confirmation": {
        "addon_name": _key("the add-on, in the customer's language", str),
        "withdrawn_on": _key("the day of the withdrawal; cancelled at once", date),
        "amount": _key(
            "the amount taken back: removed from the pending Sammelrechnung, or credited when "
            "credit_note is set; None: the mail says only that nothing is charged",
            Decimal,
            _NONE,
        ),
        "credit_note": _key("number of the credit note when already invoiced", str, _NONE),
        "net_amounts": _key(
            "True: the amount is net and reads 'plus VAT' (a pending item's net); the default "
            "suits a credit note's gross",
            bool,
            default=False,
        ),
    },
    "plan_change_confirmation": _PLAN_CHANGE,
    "plan_change_scheduled": _PLAN_CHANGE,
    "cancellation_confirmation": {
        "kind": _key("'ordinary' or 'extraordinary'", str, choices=("ordinary", "extraordinary")),
        "reason": _key("the customer's reason (extraordinary)", str, _NONE),
        "requested_end": _key("the end the customer asked for; None: earliest", date, _NONE),
        "received_at": _key("aware instant of receipt (BGB § 312k(4))", datetime),
        "effective_end": _key("the contract's last day; None while under review", date, _NONE),
        "declared_email": _key("the e-mail address given in the declaration", str),
    },
    "cancellation_revoked": {
        "revoked_at": _key("aware instant the cancellation was revoked", datetime),
    },
    "cancellation_accepted": {
        "effective_end": _key("the contract's last day", date),
    },
    "cancellation_rejected": {
        "reason": _key("why the vendor rejects the extraordinary termination", str),
    },
    "contract_withdrawal_confirmation": {
        "received_at": _key("aware instant the declaration of withdrawal was received", datetime),
        "withdrawn_on": _key("the day the contract ended, at once, with its add-ons", date),
        "credit_notes": _key(
            "numbers of the credit notes crediting everything invoiced under the contract; empty "
            "when nothing had been invoiced",
            tuple,
            items=(str,),
        ),
        "amount": _key(
            "the gross total of those credit notes, shown as a positive amount; None when nothing "
            "had been invoiced (or to leave the amount out)",
            Decimal,
            _NONE,
        ),
    },
    "contract_ended": {
        "end_date": _key("the contract's last day", date),
    },
    "invoice_issued": _DOCUMENT,
    "credit_note_issued": _DOCUMENT,
}

#: Every template name.
TEMPLATES: tuple[str, ...] = tuple(TEMPLATE_CONTEXT)


def with_defaults(template: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """``context`` with the optional keys it leaves out set to their defaults."""
    keys = {**COMMON_CONTEXT, **TEMPLATE_CONTEXT.get(template, {})}
    defaults = {n: k.default for n, k in keys.items() if k.default is not REQUIRED}
    return {**defaults, **context}


def context_problems(template: str, context: Mapping[str, Any]) -> list[str]:
    """What is wrong with ``context`` for ``template``: missing keys and values of the wrong type
    (a ``datetime`` is no ``date``, a ``bool`` no ``int``). Empty when it is complete."""
    if template not in TEMPLATE_CONTEXT:
        return [f"unknown template {template!r}"]
    problems = []
    for name, key in {**COMMON_CONTEXT, **TEMPLATE_CONTEXT[template]}.items():
        if name not in context:
            if key.default is REQUIRED:
                problems.append(f"{name}: missing")
        elif isinstance(context[name], datetime) and context[name].utcoffset() is None:
            problems.append(f"{name}: a naive datetime, expected an aware one")
        elif not _fits(context[name], key.types):
            expected = " | ".join("None" if t is _NONE else t.__name__ for t in key.types)
            problems.append(f"{name}: {type(context[name]).__name__}, expected {expected}")
        elif key.choices and context[name] not in key.choices:
            problems.append(f"{name}: {context[name]!r}, expected one of {key.choices}")
        elif key.items and isinstance(context[name], tuple):
            wrong = [item for item in context[name] if not _fits(item, key.items)]
            if wrong:
                expected = " | ".join(t.__name__ for t in key.items)
                found = type(wrong[0]).__name__
                problems.append(f"{name}: an item of type {found}, expected {expected} items")
    return problems


def _fits(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in types:
        return False
    if isinstance(value, datetime) and datetime not in types:
        return False
    return isinstance(value, types)

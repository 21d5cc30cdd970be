"""Realistic e-mails of the CloudCRM demo vendor for the mail adapter tests: one context per
template, with the values a service would fill in (SPEC §§ 5-8; seed 002: add-ons at 5,90 € per
month, the prorated amount on the next Sammelrechnung)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tenure.services.mail import TEMPLATE_CONTEXT, Attachment, OutgoingMail

D = date.fromisoformat
#: 12:03:27 UTC on 17 April 2026 is 14:03 in Berlin (MESZ).
SENT = datetime(2026, 4, 17, 12, 3, 27, tzinfo=UTC)

COMMON: dict[str, Any] = {
    "vendor_name": "CloudCRM GmbH",
    "vendor_address": "Musterstraße 1, 10115 Berlin, DE",
    "vendor_email": "rechnung@cloudcrm.example",
    "vendor_phone": "+49 30 1234567",
    "customer_name": "Muster & Söhne GmbH",
    "customer_id": "cus_8f2k1",
    "contract_id": "con_3hx9a",
    "plan_name": "CloudCRM Business",
    "currency": "EUR",
    "timezone": "Europe/Berlin",
    "sent_at": SENT,
    "livemode": True,
}

ADDON_NAMES = {"de": "Zusätzliche Benutzer", "en": "Additional users", "zh": "额外用户"}

CONTEXTS: dict[str, dict[str, Any]] = {
    "contract_confirmation": {"seats": 3, "start": D("2026-04-17")},
    "addon_booking_confirmation": {
        "quantity": 2,
        "booked_on": D("2026-04-03"),
        "unit_price": Decimal("5.90"),
        # 2 × 5.90 € for 15 of the 31 days of the period 18 March - 17 April
        "prorated_amount": Decimal("5.71"),
        "collected_on": D("2026-04-18"),
        "withdrawal_last_day": D("2026-04-17"),
        "net_amounts": False,
    },
    "addon_cancellation_confirmation": {"quantity": 1, "ends_on": D("2026-04-17")},
    "withdrawal_confirmation": {
        "withdrawn_on": D("2026-04-10"),
        "amount": Decimal("5.71"),
        "credit_note": None,
        "net_amounts": False,
    },
    "plan_change_confirmation": {
        "old_plan_name": "CloudCRM Starter",
        "old_seats": 1,
        "new_plan_name": "CloudCRM Business",
        "new_seats": 5,
        "effective_on": D("2026-05-01"),
    },
    "plan_change_scheduled": {
        "old_plan_name": "CloudCRM Starter",
        "old_seats": 1,
        "new_plan_name": "CloudCRM Business",
        "new_seats": 5,
        "effective_on": D("2026-05-01"),
    },
    "cancellation_confirmation": {
        "kind": "ordinary",
        "reason": None,
        "requested_end": None,
        "received_at": SENT,
        "effective_end": D("2026-06-30"),
        "declared_email": "kuendigung@muster-soehne.de",
    },
    "cancellation_revoked": {"revoked_at": datetime(2026, 5, 2, 8, 15, tzinfo=UTC)},
    "cancellation_accepted": {"effective_end": D("2026-04-30")},
    "cancellation_rejected": {
        "reason": "Eine Preiserhöhung um 2 % ist kein wichtiger Grund im Sinne von § 314 BGB."
    },
    "contract_withdrawal_confirmation": {
        # A consumer withdraws on day 8 of the contract: its first invoice is credited in full.
        "received_at": SENT,
        "withdrawn_on": D("2026-04-17"),
        "credit_notes": ("KR-2026-000008",),
        "amount": Decimal("41.65"),
    },
    "contract_ended": {"end_date": D("2026-06-30")},
    "invoice_issued": {
        "number": "RE-2026-000042",
        "issue_date": D("2026-04-18"),
        "gross_total": Decimal("79.15"),
        "due_date": D("2026-05-02"),
        "refers_to": None,
        "refers_to_date": None,
    },
    "credit_note_issued": {
        "number": "KR-2026-000007",
        "issue_date": D("2026-04-20"),
        "gross_total": Decimal("-7.02"),
        "due_date": None,
        "refers_to": "RE-2026-000042",
        "refers_to_date": D("2026-04-18"),
    },
}

PDF = Attachment(
    "RE-2026-000042.pdf", "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n%%EOF\n"
)
XML = Attachment(
    "RE-2026-000042.xml",
    "application/xml",
    b'<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryInvoice/>\n',
)


def context(template: str, locale: str = "de", **overrides: Any) -> dict[str, Any]:
    values = {**COMMON, **CONTEXTS[template], **overrides}
    if "addon_name" in TEMPLATE_CONTEXT[template] and "addon_name" not in overrides:
        values["addon_name"] = ADDON_NAMES[locale]
    return values


def outgoing(template: str, locale: str = "de", **overrides: Any) -> OutgoingMail:
    """The e-mail ``template`` in ``locale`` to the customer, with PDF and XML for documents."""
    documents = template in ("invoice_issued", "credit_note_issued")
    return OutgoingMail(
        template=template,
        locale=locale,
        to="buchhaltung@muster-soehne.de",
        sender="rechnung@cloudcrm.example",
        sender_name="CloudCRM GmbH",
        reply_to="support@cloudcrm.example",
        message_id="<em_01HZX4Q7@tenure.invalid>",
        context=context(template, locale, **overrides),
        attachments=(PDF, XML) if documents else (),
    )


def with_mail(mail: OutgoingMail, **changes: Any) -> OutgoingMail:
    return replace(mail, **changes)

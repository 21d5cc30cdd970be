"""The few sentences an e-invoice carries as text: payment terms (BT-20), the sandbox note and
the VAT exemption reasons (BT-120). Payment terms follow the buyer's locale (de, en, zh)."""

from __future__ import annotations

from datetime import date

_TERMS = {
    "de": (
        "Zahlbar innerhalb von {days} Tagen ohne Abzug bis zum {due:%d.%m.%Y}.",
        "Zahlbar sofort ohne Abzug.",
        "Zahlbar ohne Abzug.",
        "Der Betrag wird Ihnen erstattet oder mit Ihrer nächsten Rechnung verrechnet.",
    ),
    "en": (
        "Payable within {days} days without deduction, by {due:%Y-%m-%d}.",
        "Payable immediately without deduction.",
        "Payable without deduction.",
        "The amount will be refunded to you or set off against your next invoice.",
    ),
    "zh": (
        "请于 {days} 天内（{due:%Y-%m-%d} 前）全额付款，不得扣减。",
        "请立即全额付款，不得扣减。",
        "请全额付款，不得扣减。",
        "该金额将退还给您，或在您的下一张发票中抵扣。",
    ),
}

_EXEMPTION_REASONS = {
    "AE": "Reverse charge",
    "O": "Not subject to VAT",
}


def payment_terms(locale: str, credit_note: bool, days: int | None, due: date | None) -> str:
    """BT-20 in the buyer's language (German when the locale is unknown): the payment period
    and due date of an invoice, or how a credit note's amount reaches the buyer."""
    within, at_once, unknown, refund = _TERMS.get(locale, _TERMS["de"])
    if credit_note:
        return refund
    if days is None or due is None:
        return unknown
    return at_once if days == 0 else within.format(days=days, due=due)


def sandbox_note() -> str:
    """BT-22 of a sandbox (test mode) document, so that nobody books or pays it."""
    return (
        "TEST – Testdokument aus einer Sandbox, keine Rechnung und kein Buchungsbeleg / "
        "Test document from a sandbox, not a valid invoice or credit note"
    )


def exemption_reason(category: str) -> str:
    """BT-120 when the document names no tax note of its own."""
    return _EXEMPTION_REASONS[category]

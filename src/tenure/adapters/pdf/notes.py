"""The notes below a document's totals: why no or foreign VAT is charged (UStG § 14a, the EU
One-Stop Shop), how and by when to pay or what happens to a credit, and the footnotes of the
table."""

from __future__ import annotations

from tenure.adapters.pdf.i18n import Texts
from tenure.domain.invoicing import Document, DocumentDraft, DocumentLine, DocumentType
from tenure.domain.money import round_half_up
from tenure.domain.tax import (
    NOT_TAXABLE_NOTE_BUSINESS,
    NOT_TAXABLE_NOTE_CONSUMER,
    REVERSE_CHARGE_NOTE,
    TaxCategory,
    is_eu,
)

#: The domain's tax notes are written in German and English; a document in another language
#: prints the note as it is (the legal wording) and explains it below in its own language.
NOTE_LANGUAGES = ("de", "en")
NOTE_EXPLANATIONS = {
    REVERSE_CHARGE_NOTE: "The VAT on this service is owed by you as the recipient (reverse "
    "charge); this document therefore shows no VAT.",
    NOT_TAXABLE_NOTE_BUSINESS: "The service is supplied outside the EU and not subject to "
    "German VAT; this document therefore shows no VAT.",
    NOT_TAXABLE_NOTE_CONSUMER: "The service is supplied outside the EU and not subject to "
    "German VAT; this document therefore shows no VAT.",
}
#: Marks a line charged for part of its period only (see the footnote).
PRORATED = "*"


def is_prorated(line: DocumentLine, currency: str) -> bool:
    """A line charged for part of its period: its net is not quantity × unit price (the unit
    price is the price of the full period)."""
    return round_half_up(abs(line.quantity * line.unit_price), currency) != abs(line.net)


def tax_notes(t: Texts, draft: DocumentDraft) -> tuple[str, ...]:
    notes: list[str] = []
    if draft.tax_note:
        notes.append(draft.tax_note)
        explanation = NOTE_EXPLANATIONS.get(draft.tax_note)
        if explanation and t.language not in NOTE_LANGUAGES:
            notes.append(t(explanation))
    categories = {line.tax_category for line in draft.lines}
    if TaxCategory.REVERSE_CHARGE in categories and draft.buyer.vat_id:
        notes.append(t("VAT ID of the recipient: {vat_id}", vat_id=draft.buyer.vat_id))
    buyer_country = draft.buyer.country.upper()
    if (
        TaxCategory.STANDARD in categories
        and buyer_country != draft.seller.country.upper()
        and is_eu(buyer_country)
    ):
        rates = sorted(
            {line.vat_rate for line in draft.lines if line.tax_category is TaxCategory.STANDARD}
        )
        notes.append(
            t(
                "VAT of {country} at its rate of {rate}, declared through the EU One-Stop Shop "
                "(§ 18j UStG).",
                country=t.country(buyer_country),
                rate=", ".join(t.percent(rate) for rate in rates),
            )
        )
    return tuple(notes)


def payment_terms(t: Texts, document: Document) -> tuple[str, ...]:
    draft = document.draft
    seller = draft.seller
    if draft.type is DocumentType.CREDIT_NOTE:
        amount = t.money(-draft.gross_total, draft.currency)
        return (
            t(
                "The amount of {amount} will be refunded to you or set off against open invoices.",
                amount=amount,
            ),
        )
    if draft.gross_total <= 0:
        return (t("Nothing is to be paid."),)
    due = draft.due_date
    lines = [
        t("Payable by {date} without deduction.", date=t.date(due))
        if due
        else t("Payable immediately without deduction.")
    ]
    if seller.iban:
        lines.append(
            t(
                "Please transfer the amount to the following account, quoting the invoice "
                "number {number}:",
                number=document.number,
            )
        )
        bank = [t("Account holder {name}", name=seller.name), f"IBAN {_iban(seller.iban)}"]
        if seller.bic:
            bank.append(f"BIC {seller.bic}")
        lines.append(" · ".join(bank))
    return tuple(lines)


def _iban(iban: str) -> str:
    """An IBAN in groups of four, as it is printed on paper."""
    compact = iban.replace(" ", "").upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def footnotes(t: Texts, draft: DocumentDraft) -> tuple[str, ...]:
    notes = []
    if any(is_prorated(line, draft.currency) for line in draft.lines):
        notes.append(
            f"{PRORATED} "
            + t(
                "Charged pro rata for the service period: the unit price is the price of a full "
                "billing period, the amount the share of the days stated in the description."
            )
        )
    if any(line.period is None for line in draft.lines):
        notes.append(
            t("Where no service period is given, the date of service is the date of issue.")
        )
    return tuple(notes)

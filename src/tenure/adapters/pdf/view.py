"""What an invoice or credit note shows, as text in the buyer's language: the content of the
PDF, decided here and only drawn by :mod:`tenure.adapters.pdf.layout`.

UStG § 14 Abs. 4 lists what an invoice must state: the full names and addresses of seller and
buyer (Nr. 1), the seller's tax number or VAT ID (Nr. 2), the issue date (Nr. 3), a unique number
(Nr. 4), quantity and kind of the service (Nr. 5), its time (Nr. 6, here the service period of
each line), the net per tax rate, the rate and the tax (Nr. 7, 8) and a note where no German VAT
is charged (§ 14a). A credit note is a *Rechnungskorrektur* of the invoice it names (never a
"Gutschrift", which in German VAT law is a bill the buyer writes); its amounts are printed
positive, as what is credited, as EN 16931 carries them on a credit note (type code 381).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tenure.adapters.pdf.i18n import Texts
from tenure.adapters.pdf.notes import PRORATED, footnotes, is_prorated, payment_terms, tax_notes
from tenure.domain.invoicing import Document, DocumentDraft, DocumentLine, DocumentType, Party

SANDBOX_MARK = "TESTDOKUMENT / TEST DOCUMENT"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: all cells already formatted."""

    position: str
    description: str
    period: str
    quantity: str
    unit_price: str
    rate: str
    amount: str


@dataclass(frozen=True, slots=True)
class Total:
    label: str
    amount: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class DocumentView:
    """The text of a document, in reading order."""

    number: str
    language: str
    pdf_language: str
    title: str
    reference: str | None
    facts: tuple[tuple[str, str], ...]
    seller_name: str
    seller_lines: tuple[str, ...]
    buyer_label: str
    buyer_name: str
    buyer_lines: tuple[str, ...]
    headline: str | None
    columns: tuple[str, ...]
    show_rates: bool
    rows: tuple[Row, ...]
    totals: tuple[Total, ...]
    notes: tuple[str, ...]
    payment: tuple[str, ...]
    footnotes: tuple[str, ...]
    footer: tuple[str, ...]
    #: "RE-2026-000001 · Seite {page} von {pages}", the fields left for the layout.
    page_label: str
    sandbox: str | None

    def characters(self) -> frozenset[str]:
        """Every character the document prints (which glyphs its fonts must carry)."""
        texts: list[str] = []
        for name in self.__slots__:
            _collect(getattr(self, name), texts)
        return frozenset("".join(texts))


def _collect(value: object, into: list[str]) -> None:
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, tuple):
        for item in value:
            _collect(item, into)
    elif isinstance(value, Row | Total):
        for name in value.__slots__:
            _collect(getattr(value, name), into)


def document_view(document: Document, preceding_issue_date: date | None) -> DocumentView:
    """The content of ``document`` in its buyer's language (fixed at issue).

    ``preceding_issue_date``: for a credit note, the issue date of the invoice it corrects."""
    draft = document.draft
    t = Texts.of(draft.buyer.locale)
    credit = draft.type is DocumentType.CREDIT_NOTE
    sign = Decimal(-1) if credit else Decimal(1)
    title = t("Credit note") if credit else t("Invoice")
    show_rates = len({(line.vat_rate, line.tax_category) for line in draft.lines}) > 1
    rows = tuple(_row(t, draft, i, line, sign) for i, line in enumerate(draft.lines, start=1))
    return DocumentView(
        number=document.number,
        language=t.language,
        pdf_language=t.pdf_language,
        title=title,
        reference=_reference(t, document, preceding_issue_date),
        facts=_facts(t, document),
        seller_name=draft.seller.name,
        seller_lines=_seller_lines(t, draft),
        buyer_label=t("Bill to"),
        buyer_name=draft.buyer.name,
        buyer_lines=_buyer_lines(t, draft),
        headline=_headline(t, draft),
        columns=_columns(t, show_rates),
        show_rates=show_rates,
        rows=rows,
        totals=_totals(t, draft, sign),
        notes=tax_notes(t, draft),
        payment=payment_terms(t, document),
        footnotes=footnotes(t, draft),
        footer=_footer(t, draft.seller),
        page_label=t(
            "{number} · Page {page} of {pages}",
            number=document.number,
            page="{page}",
            pages="{pages}",
        ),
        sandbox=None if draft.livemode else _sandbox_mark(t),
    )


def _sandbox_mark(t: Texts) -> str:
    """ "TESTDOKUMENT / TEST DOCUMENT · …": in German and English whatever the language."""
    explanation = t("Sandbox, not a valid tax document")
    return f"{SANDBOX_MARK} · {explanation}"


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a PDF says about itself (its information dictionary and XMP metadata)."""

    title: str
    subject: str
    author: str
    language: str


def metadata(document: Document) -> Metadata:
    """``Rechnung RE-2026-000001``, by the seller, in the buyer's language."""
    t = Texts.of(document.draft.buyer.locale)
    kind = t("Credit note") if document.type is DocumentType.CREDIT_NOTE else t("Invoice")
    return Metadata(
        title=f"{kind} {document.number}",
        subject=t(
            "{document} {number} of {date}",
            document=kind,
            number=document.number,
            date=t.date(document.issue_date),
        ),
        author=document.draft.seller.name,
        language=t.pdf_language,
    )


def _reference(t: Texts, document: Document, invoice_date: date | None) -> str | None:
    """ "zu Rechnung RE-2026-000001 vom 17.04.2026": the invoice a credit note corrects."""
    if document.type is not DocumentType.CREDIT_NOTE or not document.refers_to:
        return None
    if invoice_date is None:
        return t("for invoice {number}", number=document.refers_to)
    return t("for invoice {number} of {date}", number=document.refers_to, date=t.date(invoice_date))


def _facts(t: Texts, document: Document) -> tuple[tuple[str, str], ...]:
    draft = document.draft
    if draft.type is DocumentType.CREDIT_NOTE:
        facts = [
            (t("Credit note number"), document.number),
            (t("Date of issue"), t.date(draft.issue_date)),
        ]
    else:
        facts = [
            (t("Invoice number"), document.number),
            (t("Invoice date"), t.date(draft.issue_date)),
        ]
        if draft.due_date is not None:
            facts.append((t("Due date"), t.date(draft.due_date)))
    if draft.buyer.id:
        facts.append((t("Customer number"), draft.buyer.id))
    if draft.buyer.buyer_reference:
        facts.append((t("Your reference"), draft.buyer.buyer_reference))
    return tuple(facts)


def _address_lines(t: Texts, party: Party, other: Party) -> list[str]:
    """The address as lines; the country named when the other party lives in another one (and
    a trailing country code, "…, DE", replaced by that name or dropped)."""
    parts = [part.strip() for part in (party.address or "").split(",") if part.strip()]
    if parts and parts[-1].upper() == party.country.upper():
        parts.pop()
    if party.country.upper() != other.country.upper():
        parts.append(t.country(party.country))
    return parts


def _seller_lines(t: Texts, draft: DocumentDraft) -> tuple[str, ...]:
    seller = draft.seller
    lines = _address_lines(t, seller, draft.buyer)
    if seller.phone:
        lines.append(t("Phone {phone}", phone=seller.phone))
    if seller.email:
        lines.append(seller.email)
    if seller.vat_id:
        lines.append(t("VAT ID {vat_id}", vat_id=seller.vat_id))
    if seller.tax_number:
        lines.append(t("Tax number {tax_number}", tax_number=seller.tax_number))
    return tuple(lines)


def _buyer_lines(t: Texts, draft: DocumentDraft) -> tuple[str, ...]:
    buyer = draft.buyer
    lines = _address_lines(t, buyer, draft.seller)
    if buyer.vat_id:
        lines.append(t("VAT ID {vat_id}", vat_id=buyer.vat_id))
    return tuple(lines)


def _headline(t: Texts, draft: DocumentDraft) -> str | None:
    """ "16,54 € fällig am 01.05.2026": what the document asks for, at a glance."""
    if draft.type is DocumentType.CREDIT_NOTE:
        return t("{amount} credited to you", amount=t.money(-draft.gross_total, draft.currency))
    if draft.gross_total <= 0:
        return None
    amount = t.money(draft.gross_total, draft.currency)
    if draft.due_date is None:
        return t("{amount} due immediately", amount=amount)
    return t("{amount} due {date}", amount=amount, date=t.date(draft.due_date))


def _columns(t: Texts, show_rates: bool) -> tuple[str, ...]:
    rate = (t("VAT"),) if show_rates else ()
    return (
        t("Pos."),
        t("Description"),
        t("Service period"),
        t("Qty"),
        t("Unit price"),
        *rate,
        t("Amount"),
    )


def _row(t: Texts, draft: DocumentDraft, position: int, line: DocumentLine, sign: Decimal) -> Row:
    currency = draft.currency
    unit_price = abs(line.unit_price) if sign < 0 else line.unit_price
    description = line.description
    if is_prorated(line, currency):
        description = f"{description} {PRORATED}"
    return Row(
        position=str(position),
        description=description,
        period=t.period(line.period) if line.period else "–",
        quantity=t.quantity(line.quantity),
        unit_price=t.price(unit_price, currency),
        rate=t.percent(line.vat_rate),
        amount=t.money(sign * line.net, currency),
    )


def _totals(t: Texts, draft: DocumentDraft, sign: Decimal) -> tuple[Total, ...]:
    """Net, the VAT of each rate on the net of that rate, and the gross total (§ 14 Abs. 4 Nr. 7
    and 8 UStG)."""
    currency = draft.currency
    totals = [Total(t("Net total"), t.money(sign * draft.net_total, currency))]
    for sub in draft.tax_subtotals:
        label = t(
            "VAT {rate} on {net}", rate=t.percent(sub.rate), net=t.money(sign * sub.net, currency)
        )
        totals.append(Total(label, t.money(sign * sub.vat, currency)))
    gross = t("Total credited") if sign < 0 else t("Total")
    totals.append(Total(gross, t.money(sign * draft.gross_total, currency), strong=True))
    return tuple(totals)


def _footer(t: Texts, seller: Party) -> tuple[str, ...]:
    first = [
        seller.name,
        *(part.strip() for part in (seller.address or "").split(",") if part.strip()),
    ]
    second = []
    if seller.vat_id:
        second.append(t("VAT ID {vat_id}", vat_id=seller.vat_id))
    if seller.tax_number:
        second.append(t("Tax number {tax_number}", tax_number=seller.tax_number))
    if seller.email:
        second.append(seller.email)
    return tuple(" · ".join(line) for line in (first, second) if line)

"""What an e-invoice says, in EN 16931's terms and independent of the syntax: CII and UBL write
the same :class:`InvoiceContent`, so a business term is decided once, here.

Credit notes: tenure's credit-note lines carry negative nets; an EN 16931 credit note (type 381)
states the credited amounts as positive numbers (the type code says which way the money goes),
so every amount of a credit note is negated once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tenure.adapters.einvoice.address import PostalAddress, postal_address
from tenure.adapters.einvoice.texts import exemption_reason, payment_terms, sandbox_note
from tenure.domain.invoicing import Document, DocumentDraft, DocumentLine, DocumentType, Party
from tenure.domain.money import round_half_up
from tenure.domain.tax import TaxCategory

INVOICE = "380"  # UNTDID 1001: commercial invoice
CREDIT_NOTE = "381"  # UNTDID 1001: credit note
#: UN/ECE Rec. 20 "one": seats, subscriptions and counted usage units alike.
UNIT_CODE = "C62"
SEPA_CREDIT_TRANSFER = "58"  # UNTDID 4461
INSTRUMENT_NOT_DEFINED = "1"  # UNTDID 4461
EMAIL_SCHEME = "EM"  # CEF EAS: electronic mail
TAX_NUMBER_SCHEME = "FC"  # the seller's tax number (BT-32), "FC" by the CEN syntax bindings
#: UNTDID 4451 subject codes of the notes (BT-21).
TAX_NOTE_SUBJECT = "TXD"
GENERAL_NOTE_SUBJECT = "AAI"
_CENT = Decimal("0.01")
_EXEMPTION_CODES = {
    TaxCategory.REVERSE_CHARGE: "VATEX-EU-AE",
    TaxCategory.NOT_SUBJECT: "VATEX-EU-O",
}


@dataclass(frozen=True, slots=True)
class Contact:
    """BG-6: the seller's contact point (BT-41), phone (BT-42) and e-mail (BT-43)."""

    name: str
    phone: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class Trader:
    """BG-4 seller or BG-7 buyer."""

    name: str
    address: PostalAddress
    identifier: str | None  # BT-29 / BT-46
    vat_id: str | None  # BT-31 / BT-48
    tax_number: str | None  # BT-32 (seller only)
    email: str | None  # BT-34 / BT-49, scheme EM
    contact: Contact | None  # BG-6 (seller only)


@dataclass(frozen=True, slots=True)
class Note:
    """BG-1: a note (BT-22) with its subject code (BT-21)."""

    text: str
    subject: str


@dataclass(frozen=True, slots=True)
class Line:
    """BG-25. ``quantity`` × ``price`` / ``base_quantity`` is the line net (see
    :func:`invoice_content` for prorated lines)."""

    position: str  # BT-126
    item: str  # BT-155, the seller's item id
    name: str  # BT-153
    quantity: Decimal  # BT-129, unit C62
    price: Decimal  # BT-146, never negative
    base_quantity: Decimal | None  # BT-149 (None: 1)
    net: Decimal  # BT-131
    period: tuple[date, date] | None  # BT-134, BT-135 (inclusive)
    category: str  # BT-151
    rate: Decimal | None  # BT-152 (None for category O)


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    """BG-23."""

    category: str  # BT-118
    rate: Decimal  # BT-119
    basis: Decimal  # BT-116
    amount: Decimal  # BT-117
    exemption_code: str | None  # BT-121
    exemption_text: str | None  # BT-120


@dataclass(frozen=True, slots=True)
class PaymentMeans:
    """BG-16: the code (BT-81), the remittance information (BT-83) and BG-17's account."""

    code: str
    reference: str | None
    iban: str | None
    bic: str | None


@dataclass(frozen=True, slots=True)
class InvoiceContent:
    number: str  # BT-1
    type_code: str  # BT-3
    issue_date: date  # BT-2
    currency: str  # BT-5
    notes: tuple[Note, ...]  # BG-1
    buyer_reference: str  # BT-10
    seller: Trader
    buyer: Trader
    preceding: tuple[str, date | None] | None  # BG-3: BT-25, BT-26
    period: tuple[date, date] | None  # BG-14 (inclusive)
    payment_means: PaymentMeans
    payment_terms: str  # BT-20
    due_date: date | None  # BT-9
    lines: tuple[Line, ...]
    breakdown: tuple[VatBreakdown, ...]
    line_total: Decimal  # BT-106
    tax_basis_total: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    grand_total: Decimal  # BT-112
    due_payable: Decimal  # BT-115


def invoice_content(document: Document, preceding_issue_date: date | None) -> InvoiceContent:
    """The EN 16931 content of ``document``; ``preceding_issue_date`` is the issue date of the
    invoice a credit note corrects (BT-26), None when unknown or for an invoice.

    Prorated lines: the domain keeps the full-period unit price and the prorated net (3 seats at
    10.00 for 18 of 31 days: 17.42). A line whose quantity × unit price does not round to its net
    is written as its quantity at the net price of that whole quantity (BT-146 = 17.42 for
    BT-149 base quantity 3): quantity × price / base quantity equals the net exactly, nothing is
    invented (no discount, no fractional seats), and the description already names the prorated
    part of the period. Every other line is quantity × unit price (250 SMS at 0.09).

    A line with a negative net (a credit on an invoice) has a negative quantity, since the net
    price is never negative (BR-27). On a category O document (not subject to VAT), the seller's
    and buyer's VAT ids are left out (BR-O-02), and the seller's VAT id or tax number names the
    seller as BT-29 instead (BR-CO-26).
    """
    draft = document.draft
    sign = Decimal(-1) if draft.type is DocumentType.CREDIT_NOTE else Decimal(1)
    not_subject = any(line.tax_category is TaxCategory.NOT_SUBJECT for line in draft.lines)
    lines = tuple(
        _line(position, line, sign, draft.currency)
        for position, line in enumerate(draft.lines, start=1)
    )
    locale = draft.buyer.locale or "de"
    notes = []
    if not draft.livemode:
        notes.append(Note(sandbox_note(), GENERAL_NOTE_SUBJECT))
    if draft.tax_note:
        notes.append(Note(draft.tax_note, TAX_NOTE_SUBJECT))
    return InvoiceContent(
        number=document.number,
        type_code=INVOICE if draft.type is DocumentType.INVOICE else CREDIT_NOTE,
        issue_date=draft.issue_date,
        currency=draft.currency,
        notes=tuple(notes),
        buyer_reference=draft.buyer.buyer_reference or draft.buyer.id or document.number,
        seller=_seller(draft.seller, not_subject),
        buyer=_buyer(draft.buyer, not_subject),
        preceding=(draft.refers_to, preceding_issue_date) if draft.refers_to else None,
        period=_period(lines),
        payment_means=_payment_means(document),
        payment_terms=payment_terms(
            locale,
            draft.type is DocumentType.CREDIT_NOTE,
            draft.seller.payment_terms_days,
            draft.due_date,
        ),
        due_date=draft.due_date,
        lines=lines,
        breakdown=_breakdown(draft, sign),
        line_total=sign * draft.net_total,
        tax_basis_total=sign * draft.net_total,
        tax_total=sign * draft.vat_total,
        grand_total=sign * draft.gross_total,
        due_payable=sign * draft.gross_total,
    )


def _breakdown(draft: DocumentDraft, sign: Decimal) -> tuple[VatBreakdown, ...]:
    """BG-23 per (category, rate), with the exemption reason of AE and O (BR-AE-10, BR-O-10):
    the document's own tax note, else the standard English phrase."""
    return tuple(
        VatBreakdown(
            category=sub.category.value,
            rate=sub.rate,
            basis=sign * sub.net,
            amount=sign * sub.vat,
            exemption_code=_EXEMPTION_CODES.get(sub.category),
            exemption_text=(
                (draft.tax_note or exemption_reason(sub.category.value))
                if sub.category in _EXEMPTION_CODES
                else None
            ),
        )
        for sub in draft.tax_subtotals
    )


def _line(position: int, line: DocumentLine, sign: Decimal, currency: str) -> Line:
    net = sign * line.net
    direction = -1 if net < 0 else 1
    count = abs(line.quantity)
    price, base = abs(line.unit_price), None
    if round_half_up(count * price, currency) != abs(net):  # prorated: see invoice_content
        price = abs(net)
        base = count if count not in (0, 1) else None
    category = line.tax_category
    return Line(
        position=str(position),
        item=line.item,
        name=line.description,
        quantity=direction * count,
        price=price,
        base_quantity=base,
        net=net,
        period=(line.period.start, line.period.last_day) if line.period else None,
        category=category.value,
        rate=None if category is TaxCategory.NOT_SUBJECT else line.vat_rate,
    )


def _period(lines: tuple[Line, ...]) -> tuple[date, date] | None:
    periods = [line.period for line in lines if line.period]
    if not periods:
        return None
    return min(start for start, _ in periods), max(end for _, end in periods)


def _seller(party: Party, not_subject: bool) -> Trader:
    return Trader(
        name=party.name,
        address=postal_address(party.address, party.country),
        identifier=(party.vat_id or party.tax_number) if not_subject else None,
        vat_id=None if not_subject else party.vat_id,
        tax_number=party.tax_number,
        email=party.email,
        contact=Contact(party.name, party.phone, party.email),
    )


def _buyer(party: Party, not_subject: bool) -> Trader:
    return Trader(
        name=party.name,
        address=postal_address(party.address, party.country),
        identifier=party.id,
        vat_id=None if not_subject else party.vat_id,
        tax_number=None,
        email=party.email,
        contact=None,
    )


def _payment_means(document: Document) -> PaymentMeans:
    """SEPA credit transfer to the seller's account for an invoice when the seller has an IBAN;
    otherwise (no account, or a credit note, whose money goes to the buyer) "not defined"."""
    seller = document.draft.seller
    if document.type is DocumentType.INVOICE and seller.iban:
        return PaymentMeans(
            SEPA_CREDIT_TRANSFER, document.number, seller.iban.replace(" ", ""), seller.bic
        )
    return PaymentMeans(INSTRUMENT_NOT_DEFINED, None, None, None)


def amount_text(value: Decimal) -> str:
    """An amount with two decimals (BR-DEC-*), never "-0.00". Raises ValueError for an amount
    with more decimals (a currency with three, such as BHD, cannot be written in EN 16931)."""
    rounded = value.quantize(_CENT)
    if rounded != value:
        raise ValueError(f"{value} has more than the two decimals EN 16931 allows")
    return str(abs(rounded) if rounded == 0 else rounded)


def decimal_text(value: Decimal) -> str:
    """A quantity or rate without exponent or trailing zeros: "250", "2.5", "19"."""
    return format((abs(value) if value == 0 else value).normalize(), "f")


def price_text(value: Decimal) -> str:
    """A price with at least two decimals and no rounding: "0.09", "49.00", "0.0125"."""
    exponent = value.normalize().as_tuple().exponent
    return (
        amount_text(value) if isinstance(exponent, int) and exponent >= -2 else decimal_text(value)
    )

"""Invoices and credit notes: immutable, numbered documents (SPEC § 7, UStG § 14, GoBD).

A document is built as a :class:`DocumentDraft` from charges and the customer's tax treatment and
becomes an issued :class:`Document` only when the numbering series gives it a number. VAT is
computed per rate on the sum of the line nets (EN 16931 BR-CO-17). A mistake is never edited
away: it is corrected by a credit note that refers to the original.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from tenure.domain.calendar import Period
from tenure.domain.catalog import Vendor
from tenure.domain.charges import Charge, LineKind
from tenure.domain.customer import Customer
from tenure.domain.tax import TaxCategory, TaxTreatment, vat_amount


class DocumentType(enum.Enum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True, slots=True)
class Party:
    """Name, address and tax ids as printed on the document (a snapshot, never a live reference)."""

    name: str
    address: str | None
    country: str
    vat_id: str | None = None
    tax_number: str | None = None
    email: str | None = None
    #: The buyer: its customer id (EN 16931 BT-46), the locale its documents are written in
    #: (fixed at issue) and the reference it asked for (BT-10, a Leitweg-ID).
    id: str | None = None
    locale: str | None = None
    buyer_reference: str | None = None
    #: The seller: its phone (BG-6), the account to pay to (BG-17) and its payment terms.
    phone: str | None = None
    iban: str | None = None
    bic: str | None = None
    payment_terms_days: int | None = None

    @classmethod
    def seller(cls, vendor: Vendor) -> Party:
        """The vendor as the seller: name, address and VAT ID or tax number (UStG § 14 Abs. 4
        Nr. 1, 2)."""
        return cls(
            name=vendor.name,
            address=vendor.address,
            country=vendor.country,
            vat_id=vendor.vat_id,
            tax_number=vendor.tax_number,
            email=vendor.email,
            phone=vendor.phone,
            iban=vendor.iban,
            bic=vendor.bic,
            payment_terms_days=vendor.payment_terms_days,
        )

    @classmethod
    def buyer(cls, customer: Customer) -> Party:
        """The customer as the buyer: name, address (UStG § 14 Abs. 4 Nr. 1), the VAT ID a reverse
        charge names (§ 14a Abs. 1 UStG) and the e-mail the document goes to."""
        return cls(
            name=customer.name,
            address=customer.address,
            country=customer.country,
            vat_id=customer.vat_id,
            email=customer.email,
            id=customer.id,
            locale=customer.locale,
            buyer_reference=customer.buyer_reference,
        )


@dataclass(frozen=True, slots=True)
class DocumentLine:
    kind: LineKind
    item: str
    description: str
    period: Period | None
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    vat_rate: Decimal
    tax_category: TaxCategory
    source: str

    @classmethod
    def from_charge(cls, charge: Charge, tax: TaxTreatment) -> DocumentLine:
        return cls(
            kind=charge.kind,
            item=charge.item,
            description=charge.description,
            period=charge.period,
            quantity=charge.quantity,
            unit_price=charge.unit_price,
            net=charge.net,
            vat_rate=tax.rate,
            tax_category=tax.category,
            source=charge.source,
        )


@dataclass(frozen=True, slots=True)
class TaxSubtotal:
    rate: Decimal
    category: TaxCategory
    net: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class DocumentDraft:
    type: DocumentType
    contract_id: str
    issue_date: date
    currency: str
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    tax_note: str | None
    refers_to: str | None = None
    #: For regular invoices: the billing date they were issued for (unique per contract).
    billing_date: date | None = None
    #: False for a sandbox customer's document: numbered in the sandbox series
    #: (:func:`number_series`), never in the live one, and never exported to accounting.
    livemode: bool = True

    @property
    def tax_subtotals(self) -> tuple[TaxSubtotal, ...]:
        groups: dict[tuple[Decimal, TaxCategory], Decimal] = {}
        for line in self.lines:
            key = (line.vat_rate, line.tax_category)
            groups[key] = groups.get(key, Decimal(0)) + line.net
        return tuple(
            TaxSubtotal(rate, category, net, vat_amount(net, rate, self.currency))
            for (rate, category), net in sorted(groups.items(), key=lambda kv: kv[0][0])
        )

    @property
    def due_date(self) -> date | None:
        """When an invoice is due: its issue date plus the seller's payment terms (None for a
        credit note, and for documents issued before payment terms were recorded)."""
        days = self.seller.payment_terms_days
        if self.type is not DocumentType.INVOICE or days is None:
            return None
        return self.issue_date + timedelta(days=days)

    @property
    def net_total(self) -> Decimal:
        return sum((line.net for line in self.lines), Decimal(0))

    @property
    def vat_total(self) -> Decimal:
        return sum((sub.vat for sub in self.tax_subtotals), Decimal(0))

    @property
    def gross_total(self) -> Decimal:
        return self.net_total + self.vat_total


@dataclass(frozen=True, slots=True)
class Document:
    """An issued invoice or credit note. Frozen: it is never changed once numbered."""

    number: str
    draft: DocumentDraft

    @property
    def type(self) -> DocumentType:
        return self.draft.type

    @property
    def lines(self) -> tuple[DocumentLine, ...]:
        return self.draft.lines

    @property
    def issue_date(self) -> date:
        return self.draft.issue_date

    @property
    def refers_to(self) -> str | None:
        return self.draft.refers_to

    @property
    def livemode(self) -> bool:
        return self.draft.livemode


def format_number(prefix: str, year: int, sequence: int) -> str:
    """``RE-2026-000001``: prefix, year of issue, six-digit gap-free sequence."""
    return f"{prefix}-{year}-{sequence:06d}"


@dataclass(frozen=True, slots=True)
class NumberSeries:
    """One of a vendor's gap-free number series (UStG § 14 Abs. 4 Nr. 4): its own per prefix and
    year of issue. Storage hands out the sequence; this formats the number."""

    prefix: str
    year: int

    def number(self, sequence: int) -> str:
        return format_number(self.prefix, self.year, sequence)


#: Put before a vendor's prefix for the documents of sandbox customers: ``TEST-RE-2026-000001``.
SANDBOX_PREFIX = "TEST-"


def number_series(vendor: Vendor, draft: DocumentDraft) -> NumberSeries:
    """The series that numbers ``draft``: invoices and credit notes have their own prefix, and
    each series restarts with the year of the issue date.

    A sandbox document (``livemode`` False) has series of its own, the vendor's prefixes behind
    :data:`SANDBOX_PREFIX`: a test clock that bills January to April after a live invoice of
    November never takes a live number, so the live series stays gap-free and in date order
    (UStG § 14 Abs. 4 Nr. 4, GoBD) and a test document is recognisable by its number."""
    prefix = (
        vendor.invoice_prefix if draft.type is DocumentType.INVOICE else vendor.credit_note_prefix
    )
    if not draft.livemode:
        prefix = SANDBOX_PREFIX + prefix
    return NumberSeries(prefix, draft.issue_date.year)


def build_invoice(
    *,
    contract_id: str,
    issue_date: date,
    currency: str,
    seller: Party,
    buyer: Party,
    charges: Sequence[Charge],
    tax: TaxTreatment,
    billing_date: date | None,
    last_invoice_number: str | None,
    livemode: bool = True,
) -> list[DocumentDraft]:
    """The documents of a billing date: none when there is nothing to bill (no charges, or only
    charges of 0.00: a free plan gets no monthly zero invoices); else one consolidated invoice.

    An invoice never has a negative total: when the credits of a day outweigh its charges (a final
    settlement, a large goodwill credit), the charges go on an invoice and the credits on a credit
    note that refers to the contract's last invoice before that day. So a credit note never
    carries a charge, and everything charged stays on an invoice where a later withdrawal or
    correction finds it. ``livemode`` False: a sandbox customer's documents.
    """
    if all(c.net == 0 for c in charges):
        return []

    def draft(kind: DocumentType, part: Sequence[Charge], key: date | None) -> DocumentDraft:
        return DocumentDraft(
            type=kind,
            contract_id=contract_id,
            issue_date=issue_date,
            currency=currency,
            seller=seller,
            buyer=buyer,
            lines=tuple(DocumentLine.from_charge(c, tax) for c in part),
            tax_note=tax.note,
            refers_to=last_invoice_number if kind is DocumentType.CREDIT_NOTE else None,
            billing_date=key,
            livemode=livemode,
        )

    if sum((c.net for c in charges), Decimal(0)) >= 0:
        return [draft(DocumentType.INVOICE, charges, billing_date)]
    debits = [c for c in charges if c.net > 0]
    credits = [c for c in charges if c.net < 0]
    documents = [draft(DocumentType.INVOICE, debits, billing_date)] if debits else []
    documents.append(draft(DocumentType.CREDIT_NOTE, credits, None if debits else billing_date))
    return documents


def credit_notes_for(
    source: str, documents: Iterable[Document], issue_date: date
) -> list[DocumentDraft]:
    """Credit notes that give back whatever ``source`` (a booking) was charged and not yet
    credited: one per original invoice, each naming it.

    A line counts as credited by credit-note lines that refer to its invoice with the same source,
    item and period (so a partial credit is topped up, never repeated); and the whole is capped at
    the net the source was charged over all documents, so credits already given elsewhere (a
    plan change's proration credit, a final settlement) are not given twice.
    """
    docs = list(documents)
    cap = sum((x.net for d in docs for x in d.lines if x.source == source), Decimal(0))
    credited: dict[tuple[str, str, Period | None], Decimal] = {}
    for doc in docs:
        if doc.type is DocumentType.CREDIT_NOTE and doc.refers_to:
            for line in doc.lines:
                if line.source == source:
                    key = (doc.refers_to, line.item, line.period)
                    credited[key] = credited.get(key, Decimal(0)) + line.net
    drafts = []
    for doc in reversed(docs):  # the newest charges are given back first
        if doc.type is not DocumentType.INVOICE:
            continue
        credit_lines = []
        for line in doc.lines:
            if line.source != source or line.net <= 0 or cap <= 0:
                continue
            key = (doc.number, line.item, line.period)
            rest = min(line.net + credited.get(key, Decimal(0)), cap)
            if rest > 0:
                credited[key] = credited.get(key, Decimal(0)) - rest
                cap -= rest
                credit_lines.append(replace(line, kind=LineKind.CREDIT, net=-rest))
        if credit_lines:
            drafts.append(
                replace(
                    doc.draft,
                    type=DocumentType.CREDIT_NOTE,
                    issue_date=issue_date,
                    lines=tuple(credit_lines),
                    refers_to=doc.number,
                    billing_date=None,
                )
            )
    return list(reversed(drafts))

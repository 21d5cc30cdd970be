"""Realistic tenure documents for the e-invoice tests, built the way billing builds them
(``build_invoice``, ``credit_notes_for``) from the demo vendor and customers of each tax case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from tenure.domain.calendar import Period
from tenure.domain.catalog import Vendor
from tenure.domain.charges import Charge, LineKind
from tenure.domain.customer import Customer, CustomerType
from tenure.domain.invoicing import (
    Document,
    DocumentDraft,
    DocumentLine,
    DocumentType,
    Party,
    build_invoice,
    credit_notes_for,
)
from tenure.domain.proration import prorate, proration_label
from tenure.domain.tax import TaxCategory, TaxTreatment, tax_treatment

D = date.fromisoformat
ISSUE = D("2026-03-01")
MARCH = Period(D("2026-03-01"), D("2026-04-01"))
FEBRUARY = Period(D("2026-02-01"), D("2026-03-01"))
LATE_MARCH = Period(D("2026-03-14"), D("2026-04-01"))  # 18 of 31 days

VENDOR = Vendor(
    name="CloudCRM GmbH",
    address="Musterstraße 1, 10115 Berlin, DE",
    vat_id="DE123456788",
    country="DE",
    tax_number="37/123/45678",
    email="rechnung@cloudcrm.example",
    phone="+49 30 1234567",
    iban="DE02120300000000202051",
    bic="BYLADEM1001",
    payment_terms_days=14,
)
SELLER = Party.seller(VENDOR)
#: The issue date of RE-2026-000001, the invoice the withdrawal credit notes correct.
FIRST_INVOICE_ISSUED = ISSUE


def customer(
    name: str,
    country: str,
    address: str,
    *,
    business: bool = True,
    vat_id: str | None = None,
    locale: str = "de",
    buyer_reference: str | None = None,
) -> Customer:
    return Customer(
        id=f"cus_{country.lower()}",
        type=CustomerType.BUSINESS if business else CustomerType.CONSUMER,
        name=name,
        country=country,
        email=f"billing@{country.lower()}.example",
        locale=locale,
        vat_id=vat_id,
        address=address,
        buyer_reference=buyer_reference,
    )


DOMESTIC = customer(
    "Muster AG", "DE", "Hauptstraße 5, 80331 München", buyer_reference="04011000-12345-03"
)
AUSTRIAN = customer(
    "Wiener Software GmbH", "AT", "Ringstraße 1, 1010 Wien, AT", vat_id="ATU12345678"
)
FRENCH_CONSUMER = customer(
    "Camille Martin", "FR", "1 Rue de Rivoli, 75001 Paris", business=False, locale="en"
)
SWISS = customer(
    "Zürcher Handel AG", "CH", "Bahnhofstrasse 1, 8001 Zürich", vat_id="CHE-123.456.789 MWST"
)
AMERICAN = customer("Acme Inc.", "US", "1 Main St, San Francisco, CA 94105, US", locale="en")


def treatment(buyer: Customer) -> TaxTreatment:
    return tax_treatment(VENDOR.country, buyer.country, not buyer.is_consumer, buyer.vat_id, ISSUE)


def charge(
    description: str,
    net: str,
    *,
    quantity: str = "1",
    unit_price: str | None = None,
    kind: LineKind = LineKind.RECURRING,
    source: str = "plan",
    item: str = "plan:business",
    period: Period = MARCH,
) -> Charge:
    return Charge(
        kind=kind,
        item=item,
        description=description,
        period=period,
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price if unit_price is not None else net),
        net=Decimal(net),
        source=source,
    )


def seats_prorated(seats: int, price: str, part: Period, full: Period = MARCH) -> Charge:
    """A per-seat plan for part of its period, as the contract prorates it."""
    net = prorate(Decimal(price) * seats, part, full, "EUR")
    return charge(
        f"CloudCRM Team ({proration_label(part, full)})",
        str(net),
        quantity=str(seats),
        unit_price=price,
        kind=LineKind.PRORATION,
        item="plan:team",
        period=part,
    )


SMS = charge(
    "SMS-Versand",
    "22.50",
    quantity="250",
    unit_price="0.09",
    kind=LineKind.USAGE,
    source="usage",
    item="metric:sms",
    period=FEBRUARY,
)
FIVE_LINES = [
    charge("CloudCRM Business", "49.00"),
    seats_prorated(3, "10.00", LATE_MARCH),
    charge(
        "Zusatzspeicher 50 GB",
        "5.90",
        source="bk_storage",
        item="addon:storage",
        kind=LineKind.RECURRING,
    ),
    SMS,
    charge(
        "Kulanzgutschrift",
        "-5.00",
        unit_price="-5.00",
        kind=LineKind.CREDIT,
        source="one_time",
        item="one_time",
        period=Period(D("2026-02-20"), D("2026-02-21")),
    ),
]


def invoice(
    buyer: Customer,
    charges: list[Charge],
    *,
    number: str = "RE-2026-000001",
    livemode: bool = True,
) -> Document:
    (draft,) = build_invoice(
        contract_id="ctr_1",
        issue_date=ISSUE,
        currency="EUR",
        seller=SELLER,
        buyer=Party.buyer(buyer),
        charges=charges,
        tax=treatment(buyer),
        billing_date=ISSUE,
        last_invoice_number=None,
        livemode=livemode,
    )
    return Document(number, draft)


def withdrawal_credit(original: Document, source: str, number: str = "KR-2026-000001") -> Document:
    """The credit note of a withdrawn booking (``credit_notes_for``), issued a week later."""
    (draft,) = credit_notes_for(source, [original], D("2026-03-08"))
    return Document(number, draft)


def two_rates() -> Document:
    """A hand-built domestic invoice with 19 % and 7 % lines (e.g. software and an e-book)."""

    def line(description: str, net: str, rate: str, quantity: str = "1") -> DocumentLine:
        return DocumentLine(
            kind=LineKind.RECURRING,
            item=f"item:{rate}",
            description=description,
            period=MARCH,
            quantity=Decimal(quantity),
            unit_price=Decimal(net) / Decimal(quantity),
            net=Decimal(net),
            vat_rate=Decimal(rate),
            tax_category=TaxCategory.STANDARD,
            source="plan",
        )

    draft = DocumentDraft(
        type=DocumentType.INVOICE,
        contract_id="ctr_1",
        issue_date=ISSUE,
        currency="EUR",
        seller=SELLER,
        buyer=Party.buyer(DOMESTIC),
        lines=(
            line("CloudCRM Business", "49.00", "19"),
            line("Handbuch (E-Book)", "0.07", "7"),
            line("Schulungsvideo", "0.05", "19"),
            line("Fachbuch (E-Book)", "19.98", "7", quantity="2"),
        ),
        tax_note=None,
    )
    return Document("RE-2026-000002", draft)


def without_bank_account(document: Document) -> Document:
    seller = replace(document.draft.seller, iban=None, bic=None)
    return replace(document, draft=replace(document.draft, seller=seller))


def settlement_credit() -> tuple[Document, Document]:
    """A final settlement whose credit outweighs its charges: ``build_invoice`` puts the usage on
    an invoice and the prorated plan credit on a credit note that names the contract's last
    invoice (issued 2026-02-01)."""
    unused = Period(D("2026-03-22"), D("2026-04-01"))
    credit = charge(
        "CloudCRM Business (10/31)",
        str(-prorate(Decimal("49.00"), unused, MARCH, "EUR")),
        unit_price="49.00",
        kind=LineKind.CREDIT,
        period=unused,
    )
    usage = replace(SMS, quantity=Decimal(50), net=Decimal("4.50"))
    invoice_draft, credit_draft = build_invoice(
        contract_id="ctr_1",
        issue_date=D("2026-03-22"),
        currency="EUR",
        seller=SELLER,
        buyer=Party.buyer(DOMESTIC),
        charges=[usage, credit],
        tax=treatment(DOMESTIC),
        billing_date=D("2026-03-22"),
        last_invoice_number="RE-2026-000001",
    )
    return Document("RE-2026-000003", invoice_draft), Document("KR-2026-000002", credit_draft)


def _withdrawal(buyer_invoice: Document) -> tuple[Document, date | None]:
    return withdrawal_credit(buyer_invoice, "bk_storage"), FIRST_INVOICE_ISSUED


#: name → (document, the issue date of the invoice it corrects)
CASES: dict[str, Callable[[], tuple[Document, date | None]]] = {
    "domestic-19": lambda: (invoice(DOMESTIC, FIVE_LINES), None),
    "reverse-charge-AT": lambda: (invoice(AUSTRIAN, FIVE_LINES), None),
    "oss-FR-consumer-20": lambda: (invoice(FRENCH_CONSUMER, FIVE_LINES), None),
    "non-EU-CH-business": lambda: (invoice(SWISS, FIVE_LINES), None),
    "non-EU-US-sandbox": lambda: (invoice(AMERICAN, FIVE_LINES, livemode=False), None),
    "two-rates-19-7": lambda: (two_rates(), None),
    "usage-250-sms": lambda: (invoice(DOMESTIC, [SMS]), None),
    "prorated-3-seats": lambda: (
        invoice(DOMESTIC, [seats_prorated(3, "10.00", LATE_MARCH)]),
        None,
    ),
    "withdrawal-credit-prorated-seats": lambda: (
        withdrawal_credit(invoice(DOMESTIC, [seats_prorated(3, "10.00", LATE_MARCH)]), "plan"),
        FIRST_INVOICE_ISSUED,
    ),
    "no-bank-account": lambda: (without_bank_account(invoice(DOMESTIC, FIVE_LINES)), None),
    "withdrawal-credit-domestic": lambda: _withdrawal(invoice(DOMESTIC, FIVE_LINES)),
    "withdrawal-credit-reverse-charge": lambda: _withdrawal(invoice(AUSTRIAN, FIVE_LINES)),
    "withdrawal-credit-non-EU": lambda: _withdrawal(invoice(SWISS, FIVE_LINES)),
    "withdrawal-credit-unknown-invoice-date": lambda: (
        withdrawal_credit(invoice(FRENCH_CONSUMER, FIVE_LINES), "bk_storage"),
        None,
    ),
    "settlement-invoice": lambda: (settlement_credit()[0], None),
    "settlement-credit-note": lambda: (settlement_credit()[1], D("2026-02-01")),
}

"""Invoices and credit notes (SPEC §§ 3, 4, 6, 7): consolidated invoices, totals, VAT per rate on
the sum of nets, negative consolidations as credit notes, credit notes per original invoice."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from tenure.domain.calendar import Period
from tenure.domain.charges import Charge, LineKind
from tenure.domain.invoicing import (
    Document,
    DocumentDraft,
    DocumentLine,
    DocumentType,
    Party,
    build_invoice,
    credit_notes_for,
    format_number,
)
from tenure.domain.tax import REVERSE_CHARGE_NOTE, TaxCategory, TaxTreatment

D = date.fromisoformat
SELLER = Party(name="CloudCRM GmbH", address="Berlin", country="DE", vat_id="DE123456789")
BUYER = Party(name="Muster AG", address="München", country="DE")
DE_19 = TaxTreatment(Decimal("19"), TaxCategory.STANDARD, None, "DE")
REVERSE = TaxTreatment(Decimal(0), TaxCategory.REVERSE_CHARGE, REVERSE_CHARGE_NOTE, "AT")
MARCH = Period(D("2026-03-01"), D("2026-04-01"))


def charge(
    net: str,
    *,
    source: str = "plan",
    kind: LineKind = LineKind.RECURRING,
    quantity: str = "1",
) -> Charge:
    return Charge(
        kind=kind,
        item=source,
        description=f"{source} {net}",
        period=MARCH,
        quantity=Decimal(quantity),
        unit_price=Decimal(net),
        net=Decimal(net),
        source=source,
    )


def documents(
    charges: list[Charge],
    *,
    tax: TaxTreatment = DE_19,
    last_invoice_number: str | None = None,
) -> list[DocumentDraft]:
    return build_invoice(
        contract_id="C-1",
        issue_date=D("2026-03-01"),
        currency="EUR",
        seller=SELLER,
        buyer=BUYER,
        charges=charges,
        tax=tax,
        billing_date=D("2026-03-01"),
        last_invoice_number=last_invoice_number,
    )


def invoice(
    charges: list[Charge],
    *,
    tax: TaxTreatment = DE_19,
    last_invoice_number: str | None = None,
) -> DocumentDraft | None:
    """The one document of a billing day (None when nothing is billed)."""
    drafts = documents(charges, tax=tax, last_invoice_number=last_invoice_number)
    assert len(drafts) <= 1, drafts
    return drafts[0] if drafts else None


def issued(number: str, charges: list[Charge], issue_date: str = "2026-03-01") -> Document:
    draft = invoice(charges)
    assert draft is not None
    return Document(number, replace(draft, issue_date=D(issue_date)))


# --- build_invoice -------------------------------------------------------------------------------


def test_no_charges_means_no_invoice() -> None:
    assert invoice([]) is None


def test_invoice_totals_are_the_sum_of_its_lines() -> None:
    # nets 10.00 + 5.90 - 2.00 = 13.90; VAT 19 % = 2.641 → 2.64; gross 16.54
    draft = invoice([charge("10.00"), charge("5.90", source="b-1"), charge("-2.00", source="b-2")])
    assert draft is not None
    assert draft.type is DocumentType.INVOICE
    assert len(draft.lines) == 3
    assert draft.net_total == Decimal("13.90")
    assert draft.vat_total == Decimal("2.64")
    assert draft.gross_total == Decimal("16.54")


def test_invoice_lines_carry_the_charge_and_the_tax_treatment() -> None:
    c = charge("5.90", source="b-1", kind=LineKind.PRORATION, quantity="2")
    draft = invoice([c])
    assert draft is not None
    (line,) = draft.lines
    assert (line.kind, line.item, line.description, line.period) == (
        LineKind.PRORATION,
        "b-1",
        c.description,
        MARCH,
    )
    assert (line.quantity, line.unit_price, line.net, line.source) == (
        Decimal("2"),
        Decimal("5.90"),
        Decimal("5.90"),
        "b-1",
    )
    assert line.vat_rate == Decimal("19")
    assert line.tax_category is TaxCategory.STANDARD
    assert draft.billing_date == D("2026-03-01")
    assert draft.refers_to is None


def test_invoice_vat_is_per_rate_on_the_sum_of_nets_not_per_line() -> None:
    # 3 × 0.03 at 19 %: per line 0.01 each (0.03), on the sum 0.09 × 19 % = 0.0171 → 0.02
    draft = invoice([charge("0.03"), charge("0.03", source="b-1"), charge("0.03", source="b-2")])
    assert draft is not None
    (subtotal,) = draft.tax_subtotals
    assert subtotal.rate == Decimal("19")
    assert subtotal.net == Decimal("0.09")
    assert subtotal.vat == Decimal("0.02")
    assert draft.vat_total == Decimal("0.02")
    assert draft.gross_total == Decimal("0.11")


def test_mixed_rates_get_one_subtotal_per_rate() -> None:
    # 19 %: 10.00 + 0.05 = 10.05 → 1.9095 → 1.91; 7 %: 0.07 + 0.07 = 0.14 → 0.0098 → 0.01
    def line(net: str, rate: str) -> DocumentLine:
        return DocumentLine(
            kind=LineKind.RECURRING,
            item="x",
            description="x",
            period=MARCH,
            quantity=Decimal(1),
            unit_price=Decimal(net),
            net=Decimal(net),
            vat_rate=Decimal(rate),
            tax_category=TaxCategory.STANDARD,
            source="x",
        )

    draft = DocumentDraft(
        type=DocumentType.INVOICE,
        contract_id="C-1",
        issue_date=D("2026-03-01"),
        currency="EUR",
        seller=SELLER,
        buyer=BUYER,
        lines=(line("10.00", "19"), line("0.07", "7"), line("0.05", "19"), line("0.07", "7")),
        tax_note=None,
    )
    subtotals = draft.tax_subtotals
    assert [(s.rate, s.net, s.vat) for s in subtotals] == [
        (Decimal("7"), Decimal("0.14"), Decimal("0.01")),
        (Decimal("19"), Decimal("10.05"), Decimal("1.91")),
    ]
    assert draft.net_total == Decimal("10.19")
    assert draft.vat_total == Decimal("1.92")
    assert draft.gross_total == Decimal("12.11")


def test_reverse_charge_invoice_has_zero_vat_and_the_note() -> None:
    draft = invoice([charge("100.00")], tax=REVERSE)
    assert draft is not None
    assert draft.tax_note == "Steuerschuldnerschaft des Leistungsempfängers / Reverse charge"
    assert draft.vat_total == Decimal("0.00")
    assert draft.gross_total == Decimal("100.00")
    assert draft.lines[0].tax_category is TaxCategory.REVERSE_CHARGE


def test_a_negative_day_splits_into_an_invoice_for_charges_and_a_credit_note_for_credits() -> None:
    # final settlement: 5.00 usage, -20.00 credit. An invoice never has a negative total, and a
    # credit note never carries a charge: usage 5.00 on an invoice, the credit on a credit note
    # that names the contract's last invoice.
    invoice_draft, credit = documents(
        [
            charge("5.00", source="usage", kind=LineKind.USAGE),
            charge("-20.00", kind=LineKind.CREDIT),
        ],
        last_invoice_number="RE-2026-000007",
    )
    assert (invoice_draft.type, invoice_draft.net_total) == (DocumentType.INVOICE, Decimal("5.00"))
    assert invoice_draft.billing_date == D("2026-03-01")
    assert credit.type is DocumentType.CREDIT_NOTE
    assert credit.refers_to == "RE-2026-000007"
    assert credit.billing_date is None
    assert (credit.net_total, credit.vat_total, credit.gross_total) == (
        Decimal("-20.00"),
        Decimal("-3.80"),
        Decimal("-23.80"),
    )


def test_positive_total_stays_an_invoice_even_with_a_last_invoice() -> None:
    draft = invoice(
        [charge("20.00"), charge("-5.00", kind=LineKind.CREDIT)],
        last_invoice_number="RE-2026-000007",
    )
    assert draft is not None
    assert draft.type is DocumentType.INVOICE
    assert draft.refers_to is None
    assert draft.net_total == Decimal("15.00")


def test_zero_total_stays_an_invoice() -> None:
    draft = invoice(
        [charge("5.00"), charge("-5.00", kind=LineKind.CREDIT)],
        last_invoice_number="RE-2026-000007",
    )
    assert draft is not None
    assert draft.type is DocumentType.INVOICE
    assert draft.gross_total == Decimal("0.00")


def test_document_numbers_have_prefix_year_and_six_digits() -> None:
    assert format_number("RE", 2026, 1) == "RE-2026-000001"
    assert format_number("KR", 2027, 123456) == "KR-2027-123456"


# --- credit_notes_for ----------------------------------------------------------------------------


def booking_invoices() -> list[Document]:
    return [
        issued("RE-2026-000001", [charge("10.00"), charge("4.57", source="b-1")], "2026-02-01"),
        issued("RE-2026-000002", [charge("10.00"), charge("5.90", source="b-1")], "2026-03-01"),
        issued("RE-2026-000003", [charge("10.00")], "2026-04-01"),
    ]


def test_one_credit_note_per_original_invoice_naming_it() -> None:
    notes = credit_notes_for("b-1", booking_invoices(), D("2026-03-05"))
    assert [n.refers_to for n in notes] == ["RE-2026-000001", "RE-2026-000002"]
    assert all(n.type is DocumentType.CREDIT_NOTE for n in notes)


def test_credit_note_negates_the_nets_of_the_source_only() -> None:
    notes = credit_notes_for("b-1", booking_invoices(), D("2026-03-05"))
    assert [[line.net for line in n.lines] for n in notes] == [
        [Decimal("-4.57")],
        [Decimal("-5.90")],
    ]
    assert all(line.source == "b-1" for n in notes for line in n.lines)
    assert all(line.kind is LineKind.CREDIT for n in notes for line in n.lines)
    assert [n.net_total for n in notes] == [Decimal("-4.57"), Decimal("-5.90")]
    # VAT is reversed at the original rate: -4.57 × 19 % = -0.8683 → -0.87; -5.90 → -1.121 → -1.12
    assert [n.vat_total for n in notes] == [Decimal("-0.87"), Decimal("-1.12")]


def test_credit_note_keeps_parties_currency_and_contract_and_gets_the_new_issue_date() -> None:
    (first, _) = credit_notes_for("b-1", booking_invoices(), D("2026-03-05"))
    assert first.issue_date == D("2026-03-05")
    assert first.seller == SELLER
    assert first.buyer == BUYER
    assert first.currency == "EUR"
    assert first.contract_id == "C-1"
    assert first.billing_date is None


def test_source_never_invoiced_gets_no_credit_note() -> None:
    assert credit_notes_for("b-9", booking_invoices(), D("2026-03-05")) == []


def test_already_credited_invoice_is_not_credited_twice() -> None:
    docs = booking_invoices()
    first_round = credit_notes_for("b-1", docs, D("2026-03-05"))
    issued_notes = [Document(f"KR-2026-00000{i + 1}", note) for i, note in enumerate(first_round)]
    assert credit_notes_for("b-1", docs + issued_notes, D("2026-03-06")) == []


def test_only_the_uncredited_invoice_is_credited() -> None:
    docs = booking_invoices()
    first_round = credit_notes_for("b-1", docs, D("2026-03-05"))
    only_first = Document("KR-2026-000001", first_round[0])
    notes = credit_notes_for("b-1", [*docs, only_first], D("2026-03-06"))
    assert [n.refers_to for n in notes] == ["RE-2026-000002"]
    assert notes[0].net_total == Decimal("-5.90")


def test_credit_notes_are_not_themselves_credited() -> None:
    docs = booking_invoices()
    (note, _) = credit_notes_for("b-1", docs, D("2026-03-05"))
    notes = credit_notes_for("b-1", [Document("KR-2026-000001", note)], D("2026-03-06"))
    assert notes == []


def test_partly_credited_invoice_is_credited_only_for_the_rest() -> None:
    # RE-1 billed 10.00 for booking b-1; KR-1 already credited 4.00 of it. Crediting "everything
    # still uncredited" must give back 6.00 more, not another 10.00 (10.00 + 4.00 > 10.00 billed).
    original = issued("RE-2026-000001", [charge("10.00", source="b-1")])
    partial = Document(
        "KR-2026-000001",
        replace(
            original.draft,
            type=DocumentType.CREDIT_NOTE,
            refers_to="RE-2026-000001",
            lines=(replace(original.draft.lines[0], kind=LineKind.CREDIT, net=Decimal("-4.00")),),
        ),
    )
    notes = credit_notes_for("b-1", [original, partial], D("2026-03-10"))
    assert [n.refers_to for n in notes] == ["RE-2026-000001"]
    assert notes[0].net_total == Decimal("-6.00")


def test_charges_of_only_zero_mean_no_invoice() -> None:
    # A free plan gets no monthly 0.00 invoices.
    assert invoice([charge("0.00"), charge("0.00", source="b-1")]) is None


def test_a_zero_line_next_to_a_paid_one_stays_on_the_invoice() -> None:
    draft = invoice([charge("0.00", source="b-1"), charge("49.00")])
    assert draft is not None
    assert [line.net for line in draft.lines] == [Decimal("0.00"), Decimal("49.00")]


def test_only_credits_make_one_credit_note_even_without_an_earlier_invoice() -> None:
    (draft,) = documents([charge("-5.00", kind=LineKind.CREDIT)])
    assert draft.type is DocumentType.CREDIT_NOTE
    assert draft.refers_to is None
    assert draft.billing_date == D("2026-03-01")


def test_credits_already_given_elsewhere_are_not_given_again() -> None:
    # RE-1 billed 10.00 for b-1; a later invoice RE-2 carried a -4.00 proration credit for it
    # (a plan change). A withdrawal gives back the 6.00 still held, not 10.00.
    first = issued("RE-2026-000001", [charge("10.00", source="b-1")])
    second = issued(
        "RE-2026-000002",
        [charge("49.00"), charge("-4.00", source="b-1", kind=LineKind.CREDIT)],
        issue_date="2026-04-01",
    )
    (note,) = credit_notes_for("b-1", [first, second], D("2026-04-02"))
    assert (note.refers_to, note.net_total) == ("RE-2026-000001", Decimal("-6.00"))

"""What the e-invoice says (EN 16931 business terms), decided once for CII and UBL: credit notes
in positive amounts naming the invoice they correct, prorated and credit lines that stay
truthful, the VAT cases, payment terms and means, buyer reference, the sandbox note; and how the
two syntaxes carry it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from tenure.adapters.einvoice.cii import PEPPOL_BILLING, XRECHNUNG, cii_xml
from tenure.adapters.einvoice.content import (
    InvoiceContent,
    Line,
    amount_text,
    decimal_text,
    invoice_content,
    price_text,
)
from tenure.adapters.einvoice.texts import payment_terms
from tenure.adapters.einvoice.ubl import ubl_xml
from tenure.domain.invoicing import Document
from tenure.domain.tax import NOT_TAXABLE_NOTE_BUSINESS, REVERSE_CHARGE_NOTE

from .einvoice_documents import (
    AMERICAN,
    AUSTRIAN,
    CASES,
    DOMESTIC,
    FIRST_INVOICE_ISSUED,
    FIVE_LINES,
    FRENCH_CONSUMER,
    LATE_MARCH,
    SMS,
    SWISS,
    D,
    invoice,
    seats_prorated,
    two_rates,
    withdrawal_credit,
    without_bank_account,
)

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def content(document: Document, preceding: date | None = None) -> InvoiceContent:
    return invoice_content(document, preceding)


def texts(xml: bytes, path: str) -> list[str]:
    return [str(value) for value in etree.fromstring(xml).xpath(path, namespaces=NS)]


def test_an_invoice_has_number_dates_currency_due_date_and_payment_terms() -> None:
    c = content(invoice(DOMESTIC, FIVE_LINES))
    assert (c.number, c.type_code, c.issue_date, c.currency) == (
        "RE-2026-000001",
        "380",
        D("2026-03-01"),
        "EUR",
    )
    assert c.due_date == D("2026-03-15")  # 14 days' payment terms
    assert c.payment_terms == "Zahlbar innerhalb von 14 Tagen ohne Abzug bis zum 15.03.2026."
    assert c.preceding is None


def test_the_totals_are_the_documents_and_the_breakdown_its_vat_per_rate() -> None:
    # 49.00 + 17.42 + 5.90 + 22.50 - 5.00 = 89.82; 19 % on the sum: 17.0658 → 17.07
    c = content(invoice(DOMESTIC, FIVE_LINES))
    assert (c.line_total, c.tax_basis_total, c.tax_total, c.grand_total, c.due_payable) == (
        Decimal("89.82"),
        Decimal("89.82"),
        Decimal("17.07"),
        Decimal("106.89"),
        Decimal("106.89"),
    )
    (vat,) = c.breakdown
    assert (vat.category, vat.rate, vat.basis, vat.amount) == (
        "S",
        19,
        Decimal("89.82"),
        Decimal("17.07"),
    )
    assert (vat.exemption_code, vat.exemption_text) == (None, None)


def test_several_rates_get_one_breakdown_each() -> None:
    c = content(two_rates())
    assert [(v.rate, v.basis, v.amount) for v in c.breakdown] == [
        (Decimal(7), Decimal("20.05"), Decimal("1.40")),
        (Decimal(19), Decimal("49.05"), Decimal("9.32")),
    ]
    assert [line.rate for line in c.lines] == [19, 7, 19, 7]


def test_a_credit_note_is_381_in_positive_amounts_and_names_the_invoice_it_corrects() -> None:
    credit = withdrawal_credit(invoice(DOMESTIC, FIVE_LINES), "bk_storage")
    c = content(credit, FIRST_INVOICE_ISSUED)
    assert c.type_code == "381"
    assert c.preceding == ("RE-2026-000001", D("2026-03-01"))
    (line,) = c.lines
    assert (line.name, line.quantity, line.price, line.net) == (
        "Zusatzspeicher 50 GB",
        1,
        Decimal("5.90"),
        Decimal("5.90"),
    )
    assert (c.line_total, c.tax_total, c.grand_total, c.due_payable) == (
        Decimal("5.90"),
        Decimal("1.12"),
        Decimal("7.02"),
        Decimal("7.02"),
    )
    assert c.due_date is None
    assert c.payment_means.code == "1"  # the money goes to the buyer: not the seller's account
    assert "erstattet" in c.payment_terms


def test_a_credit_note_without_the_invoice_date_still_names_the_invoice() -> None:
    credit = withdrawal_credit(invoice(DOMESTIC, FIVE_LINES), "bk_storage")
    assert content(credit).preceding == ("RE-2026-000001", None)


def test_a_credit_on_an_invoice_is_a_negative_quantity_at_a_positive_price() -> None:
    goodwill = content(invoice(DOMESTIC, FIVE_LINES)).lines[4]
    assert (goodwill.name, goodwill.quantity, goodwill.price, goodwill.net) == (
        "Kulanzgutschrift",
        -1,
        Decimal("5.00"),
        Decimal("-5.00"),
    )


def test_a_prorated_line_is_its_quantity_at_the_net_price_of_that_whole_quantity() -> None:
    # 3 seats at 10.00 for 18 of 31 days: 30.00 × 18/31 = 17.419… → 17.42
    (line,) = content(invoice(DOMESTIC, [seats_prorated(3, "10.00", LATE_MARCH)])).lines
    assert (line.quantity, line.price, line.base_quantity, line.net) == (
        3,
        Decimal("17.42"),
        3,
        Decimal("17.42"),
    )
    assert line.name == "CloudCRM Team (18/31)"
    assert line.period == (D("2026-03-14"), D("2026-03-31"))  # the last day, inclusive


def test_a_usage_line_is_its_quantity_at_the_unit_price() -> None:
    (line,) = content(invoice(DOMESTIC, [SMS])).lines
    assert (line.quantity, line.price, line.base_quantity, line.net) == (
        250,
        Decimal("0.09"),
        None,
        Decimal("22.50"),
    )
    assert line.period == (D("2026-02-01"), D("2026-02-28"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_line_is_quantity_times_price_per_base_quantity_at_a_price_never_negative(
    name: str,
) -> None:
    def product(line: Line) -> Decimal:
        exact = line.quantity * line.price / (line.base_quantity or 1)
        return exact.quantize(Decimal("0.01"))

    document, preceding = CASES[name]()
    lines = content(document, preceding).lines
    assert [product(line) for line in lines] == [line.net for line in lines]
    assert all(line.price >= 0 for line in lines)


def test_the_invoicing_period_runs_from_the_first_line_start_to_the_last_line_end() -> None:
    assert content(invoice(DOMESTIC, FIVE_LINES)).period == (D("2026-02-01"), D("2026-03-31"))


def test_reverse_charge_names_the_buyers_vat_id_and_the_exemption() -> None:
    c = content(invoice(AUSTRIAN, FIVE_LINES))
    assert c.buyer.vat_id == "ATU12345678"
    assert c.seller.vat_id == "DE123456788"
    (vat,) = c.breakdown
    assert (vat.category, vat.rate, vat.amount) == ("AE", 0, 0)
    assert (vat.exemption_code, vat.exemption_text) == ("VATEX-EU-AE", REVERSE_CHARGE_NOTE)
    assert all((line.category, line.rate) == ("AE", 0) for line in c.lines)
    assert [(n.subject, n.text) for n in c.notes] == [("TXD", REVERSE_CHARGE_NOTE)]


def test_eu_consumer_pays_the_vat_of_its_country() -> None:
    c = content(invoice(FRENCH_CONSUMER, FIVE_LINES))
    (vat,) = c.breakdown
    assert (vat.category, vat.rate, vat.amount) == ("S", 20, Decimal("17.96"))
    assert c.payment_terms == "Payable within 14 days without deduction, by 2026-03-15."


def test_not_subject_to_vat_leaves_out_the_vat_ids_and_names_the_seller_otherwise() -> None:
    c = content(invoice(SWISS, FIVE_LINES))
    assert (c.seller.vat_id, c.buyer.vat_id) == (None, None)  # BR-O-02
    assert c.seller.identifier == "DE123456788"  # BR-CO-26: the seller stays identified
    assert c.seller.tax_number == "37/123/45678"
    (vat,) = c.breakdown
    assert (vat.category, vat.rate, vat.amount, vat.exemption_code) == ("O", 0, 0, "VATEX-EU-O")
    assert vat.exemption_text == NOT_TAXABLE_NOTE_BUSINESS
    assert all((line.category, line.rate) == ("O", None) for line in c.lines)  # BR-O-05


def test_a_sandbox_document_says_first_that_it_is_a_test() -> None:
    c = content(invoice(AMERICAN, FIVE_LINES, livemode=False))
    assert c.notes[0].text.startswith("TEST – Testdokument")
    assert c.notes[1].text == NOT_TAXABLE_NOTE_BUSINESS
    assert all("TEST" not in n.text for n in content(invoice(AMERICAN, FIVE_LINES)).notes)


def test_the_buyer_reference_is_the_buyers_else_its_id_else_the_document_number() -> None:
    document = invoice(DOMESTIC, FIVE_LINES)
    assert content(document).buyer_reference == "04011000-12345-03"
    buyer = replace(document.draft.buyer, buyer_reference=None)
    document = replace(document, draft=replace(document.draft, buyer=buyer))
    assert content(document).buyer_reference == "cus_de"
    buyer = replace(buyer, id=None)
    document = replace(document, draft=replace(document.draft, buyer=buyer))
    assert content(document).buyer_reference == "RE-2026-000001"


def test_an_invoice_is_paid_by_sepa_transfer_to_the_sellers_account() -> None:
    means = content(invoice(DOMESTIC, FIVE_LINES)).payment_means
    assert (means.code, means.iban, means.bic, means.reference) == (
        "58",
        "DE02120300000000202051",
        "BYLADEM1001",
        "RE-2026-000001",
    )
    means = content(without_bank_account(invoice(DOMESTIC, FIVE_LINES))).payment_means
    assert (means.code, means.iban) == ("1", None)


def test_the_seller_has_a_contact_and_an_electronic_address_and_the_buyer_its_own() -> None:
    c = content(invoice(DOMESTIC, FIVE_LINES))
    assert c.seller.contact is not None
    assert (c.seller.contact.name, c.seller.contact.phone, c.seller.contact.email) == (
        "CloudCRM GmbH",
        "+49 30 1234567",
        "rechnung@cloudcrm.example",
    )
    assert (c.seller.email, c.buyer.email, c.buyer.identifier) == (
        "rechnung@cloudcrm.example",
        "billing@de.example",
        "cus_de",
    )
    assert (c.seller.address.city, c.seller.address.post_code) == ("Berlin", "10115")


@pytest.mark.parametrize(
    ("locale", "days", "expected"),
    [
        ("de", 0, "Zahlbar sofort ohne Abzug."),
        ("de", None, "Zahlbar ohne Abzug."),
        ("en", 30, "Payable within 30 days without deduction, by 2026-03-31."),
        ("zh", 14, "请于 14 天内（2026-03-31 前）全额付款，不得扣减。"),
        ("fr", 14, "Zahlbar innerhalb von 14 Tagen ohne Abzug bis zum 31.03.2026."),
    ],
)
def test_payment_terms_speak_the_buyers_language(
    locale: str, days: int | None, expected: str
) -> None:
    assert payment_terms(locale, False, days, D("2026-03-31")) == expected


def test_numbers_are_written_without_exponent_and_never_as_minus_zero() -> None:
    assert amount_text(Decimal("-0.00")) == "0.00"
    assert amount_text(Decimal("5.9")) == "5.90"
    assert decimal_text(Decimal("2.5E+2")) == "250"
    assert decimal_text(Decimal("-0")) == "0"
    assert price_text(Decimal("49")) == "49.00"
    assert price_text(Decimal("0.0125")) == "0.0125"
    with pytest.raises(ValueError, match="two decimals"):
        amount_text(Decimal("1.234"))  # never rounded away silently


# --- the two syntaxes ----------------------------------------------------------------------------


def test_facturx_cii_names_the_en16931_profile_and_xrechnung_its_cius_and_process() -> None:
    document = invoice(DOMESTIC, FIVE_LINES)
    facturx = cii_xml(document, None)
    assert texts(facturx, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()") == [
        "urn:cen.eu:en16931:2017"
    ]
    assert texts(facturx, "//ram:BusinessProcessSpecifiedDocumentContextParameter") == []
    xrechnung = cii_xml(document, None, profile="xrechnung")
    assert texts(xrechnung, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()") == [
        XRECHNUNG
    ]
    assert texts(
        xrechnung, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()"
    ) == [PEPPOL_BILLING]
    with pytest.raises(ValueError, match="unknown CII profile"):
        cii_xml(document, None, profile="zugferd-basic")


def test_a_ubl_credit_note_is_a_creditnote_with_credited_quantities_and_the_invoice_named() -> None:
    credit = withdrawal_credit(invoice(DOMESTIC, FIVE_LINES), "bk_storage")
    xml = ubl_xml(credit, FIRST_INVOICE_ISSUED)
    assert etree.QName(etree.fromstring(xml)).localname == "CreditNote"
    assert texts(xml, "/*/cbc:CustomizationID/text()") == [XRECHNUNG]
    assert texts(xml, "/*/cbc:CreditNoteTypeCode/text()") == ["381"]
    assert texts(xml, "//cac:CreditNoteLine/cbc:CreditedQuantity/text()") == ["1"]
    assert texts(xml, "//cac:InvoiceDocumentReference/cbc:ID/text()") == ["RE-2026-000001"]
    assert texts(xml, "//cac:InvoiceDocumentReference/cbc:IssueDate/text()") == ["2026-03-01"]
    assert texts(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == ["7.02"]


def test_the_cii_credit_note_names_the_invoice_and_its_date() -> None:
    credit = withdrawal_credit(invoice(DOMESTIC, FIVE_LINES), "bk_storage")
    xml = cii_xml(credit, FIRST_INVOICE_ISSUED)
    reference = "//ram:InvoiceReferencedDocument"
    assert texts(xml, f"{reference}/ram:IssuerAssignedID/text()") == ["RE-2026-000001"]
    assert texts(xml, f"{reference}/ram:FormattedIssueDateTime/*/text()") == ["20260301"]
    assert texts(xml, "//rsm:ExchangedDocument/ram:TypeCode/text()") == ["381"]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("syntax", ["cii", "ubl"])
def test_xrechnung_carries_what_its_german_rules_require(name: str, syntax: str) -> None:
    """The BR-DE rules of XRechnung 3.0 that concern tenure's documents (KoSIT's schematron is
    not in ../shared): BT-10, BG-6 with phone and e-mail, seller and buyer city and post code,
    BG-16, and a rate in every VAT breakdown."""
    document, preceding = CASES[name]()
    if syntax == "cii":
        xml = cii_xml(document, preceding, profile="xrechnung")
        paths = {
            "BR-DE-15": "//ram:BuyerReference",
            "BR-DE-6": "//ram:SellerTradeParty/ram:DefinedTradeContact/*/ram:CompleteNumber",
            "BR-DE-7": "//ram:SellerTradeParty/ram:DefinedTradeContact/*/ram:URIID",
            "BR-DE-3": "//ram:SellerTradeParty/ram:PostalTradeAddress/ram:CityName",
            "BR-DE-4": "//ram:SellerTradeParty/ram:PostalTradeAddress/ram:PostcodeCode",
            "BR-DE-8": "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CityName",
            "BR-DE-9": "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:PostcodeCode",
            "BR-DE-1": "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode",
        }
        breakdowns = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
        rate = "ram:RateApplicablePercent"
    else:
        xml = ubl_xml(document, preceding)
        party = "//cac:AccountingSupplierParty/cac:Party"
        paths = {
            "BR-DE-15": "/*/cbc:BuyerReference",
            "BR-DE-6": f"{party}/cac:Contact/cbc:Telephone",
            "BR-DE-7": f"{party}/cac:Contact/cbc:ElectronicMail",
            "BR-DE-3": f"{party}/cac:PostalAddress/cbc:CityName",
            "BR-DE-4": f"{party}/cac:PostalAddress/cbc:PostalZone",
            "BR-DE-8": "//cac:AccountingCustomerParty//cac:PostalAddress/cbc:CityName",
            "BR-DE-9": "//cac:AccountingCustomerParty//cac:PostalAddress/cbc:PostalZone",
            "BR-DE-1": "/*/cac:PaymentMeans/cbc:PaymentMeansCode",
        }
        breakdowns = "//cac:TaxSubtotal/cac:TaxCategory"
        rate = "cbc:Percent"
    missing = [rule for rule, path in paths.items() if not texts(xml, f"{path}/text()")]
    assert missing == []
    tree = etree.fromstring(xml)
    assert all(b.xpath(rate, namespaces=NS) for b in tree.xpath(breakdowns, namespaces=NS))

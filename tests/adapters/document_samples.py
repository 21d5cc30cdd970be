"""Issued documents to render in the PDF and Factur-X tests (and the documents benchmark): built
the way billing builds them, with ``build_invoice`` and ``credit_notes_for``."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from tenure.domain.calendar import Period
from tenure.domain.charges import Charge, LineKind
from tenure.domain.invoicing import Document, Party, build_invoice, credit_notes_for
from tenure.domain.tax import tax_treatment

D = Decimal
ISSUED = date(2026, 4, 17)
APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))
#: ``../shared`` beside the repository: the EN 16931 example CII used as the XML to embed.
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
CII_EXAMPLE = SHARED / "validation" / "en16931" / "examples" / "CII_example1.xml"
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
POPPLER = {tool: shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm")}

SELLER = Party(
    name="CloudCRM GmbH",
    address="Friedrichstraße 123, 10117 Berlin",
    country="DE",
    vat_id="DE123456789",
    tax_number="30/123/45678",
    email="billing@cloudcrm.example",
    phone="+49 30 1234567",
    iban="DE89370400440532013000",
    bic="COBADEFFXXX",
    payment_terms_days=14,
)


def buyer(**fields: str | None) -> Party:
    """A German business customer unless ``fields`` say otherwise."""
    values: dict[str, str | None] = {
        "name": "Muster AG",
        "address": "Leopoldstraße 5, 80802 München",
        "country": "DE",
        "id": "cus_0042",
        "locale": "de",
    }
    values.update(fields)
    return Party(**values)  # type: ignore[arg-type]


def five_lines() -> list[Charge]:
    """A typical month: the plan for five seats, a prorated add-on booked on the 17th, usage
    of March, a one-time fee and a second add-on."""
    return [
        Charge(
            LineKind.RECURRING, "plan:pro", "CloudCRM Pro (monatlich)", APRIL, D(5), D("29.00"),
            D("145.00"), "plan",
        ),
        Charge(
            LineKind.PRORATION, "addon:sms", "SMS-Paket (14/30)",
            Period(date(2026, 4, 17), date(2026, 5, 1)), D(1), D("5.90"), D("2.75"), "b-1",
        ),
        Charge(
            LineKind.USAGE, "metric:api", "API-Aufrufe",
            Period(date(2026, 3, 1), date(2026, 4, 1)), D(12500), D("0.0025"), D("31.25"), "usage",
        ),
        Charge(
            LineKind.ONE_TIME, "one_time", "Einrichtung Datenimport",
            Period(ISSUED, date(2026, 4, 18)), D(1), D("99.00"), D("99.00"), "one_time",
        ),
        Charge(
            LineKind.RECURRING, "addon:storage", "Zusätzlicher Speicher 100 GB", APRIL, D(2),
            D("5.90"), D("11.80"), "b-2",
        ),
    ]  # fmt: skip


def invoice(
    to: Party | None = None,
    charges: list[Charge] | None = None,
    *,
    number: str = "RE-2026-000001",
    business: bool = True,
    livemode: bool = True,
) -> Document:
    """An issued invoice of 17.04.2026 from CloudCRM GmbH, taxed as billing taxes it."""
    to = to or buyer()
    tax = tax_treatment(SELLER.country, to.country, business, to.vat_id, ISSUED)
    (draft,) = build_invoice(
        contract_id="C-1",
        issue_date=ISSUED,
        currency="EUR",
        seller=SELLER,
        buyer=to,
        charges=charges or five_lines(),
        tax=tax,
        billing_date=ISSUED,
        last_invoice_number=None,
        livemode=livemode,
    )
    return Document(number, draft)


def credit_note(
    original: Document, source: str = "b-2", number: str = "KR-2026-000001"
) -> Document:
    """The credit note that gives back what ``source`` was charged on ``original``."""
    (draft,) = credit_notes_for(source, [original], date(2026, 4, 20))
    return Document(number, draft)


def reverse_charge() -> Document:
    austrian = buyer(
        name="Alpen Software GmbH",
        address="Mariahilfer Straße 1, 1060 Wien, AT",
        country="AT",
        vat_id="ATU12345678",
        locale="en",
    )
    return invoice(austrian)


def oss_consumer() -> Document:
    polish = buyer(
        name="Jan Kowalski", address="ul. Marszałkowska 1, 00-001 Warszawa", country="PL",
        locale="en", id="cus_0077",
    )  # fmt: skip
    return invoice(polish, business=False)


def non_eu() -> Document:
    american = buyer(
        name="Acme Inc.", address="1 Market St, San Francisco, CA 94105", country="US",
        locale="en", buyer_reference="PO-7781",
    )  # fmt: skip
    return invoice(american)


def chinese() -> Document:
    shanghai = buyer(
        name="上海云端科技有限公司", address="浦东新区世纪大道100号, 200120 上海", country="CN",
        locale="zh",
    )  # fmt: skip
    return invoice(shanghai)


def forty_lines() -> Document:
    charges = [
        Charge(
            LineKind.USAGE, f"metric:m{i}",
            f"Zusatzleistung {i} mit einer etwas längeren Beschreibung" if i % 3 else f"Posten {i}",
            APRIL, D(i), D("1.50"), D("1.50") * i, f"s{i}",
        )
        for i in range(1, 41)
    ]  # fmt: skip
    return invoice(charges=charges, number="RE-2026-000009")

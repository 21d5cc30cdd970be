"""What a document says, before it is drawn: the message catalogs (complete in German, English
and Chinese), the formats of each language, and the content decisions of the view (signs of a
credit note, service periods, notes, addresses)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from tenure.adapters.pdf import i18n
from tenure.adapters.pdf.fonts import Face, FontMissing
from tenure.adapters.pdf.i18n import Texts, language_of
from tenure.adapters.pdf.notes import NOTE_EXPLANATIONS
from tenure.adapters.pdf.view import document_view, metadata
from tenure.domain.calendar import Period
from tenure.domain.charges import Charge, LineKind

from . import document_samples as samples

PACKAGE = Path(i18n.__file__).parent
FIELD = re.compile(r"\{(\w+)\}")


def used_messages() -> set[str]:
    """The messages the code translates: every ``t("…")`` and the tax-note explanations."""
    found = set(NOTE_EXPLANATIONS.values())
    for path in PACKAGE.glob("*.py"):
        found |= {m[1] for m in extract_from_file("python", str(path), keywords={"t": None})}
    return found


@pytest.mark.parametrize("language", ["de", "en", "zh"])
def test_each_catalog_translates_every_message_and_no_other(language: str) -> None:
    path = PACKAGE / "locale" / language / "LC_MESSAGES" / "documents.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    entries = {message.id: message.string for message in catalog if message.id}
    assert set(entries) == used_messages()
    for msgid, msgstr in entries.items():
        assert msgstr, f"{language}: {msgid!r} is not translated"
        assert set(FIELD.findall(str(msgstr))) == set(FIELD.findall(str(msgid))), msgid


def test_no_compiled_catalog_is_kept() -> None:
    assert not list((PACKAGE / "locale").rglob("*.mo"))


@pytest.mark.parametrize(
    ("locale", "money", "price", "day", "quantity", "rate"),
    [
        ("de", "5,90 €", "0,0025 €", "17.04.2026", "12.500", "19 %"),
        ("en", "€5.90", "€0.0025", "17 Apr 2026", "12,500", "19%"),
        ("zh", "€5.90", "€0.0025", "2026年4月17日", "12,500", "19%"),
    ],
)
def test_each_language_formats_amounts_dates_and_numbers_its_way(
    locale: str, money: str, price: str, day: str, quantity: str, rate: str
) -> None:
    t = Texts.of(locale)
    assert t.money(Decimal("5.90"), "EUR").replace("\xa0", " ") == money
    assert t.price(Decimal("0.0025"), "EUR").replace("\xa0", " ") == price
    assert t.date(date(2026, 4, 17)) == day
    assert t.quantity(Decimal("12500")) == quantity
    assert t.percent(Decimal("19")).replace("\xa0", " ") == rate


def test_numbers_keep_the_digits_they_have() -> None:
    t = Texts.of("de")
    assert t.quantity(Decimal("10")) == "10"
    assert t.quantity(Decimal("2.50")) == "2,5"
    assert t.percent(Decimal("25.5")).replace("\xa0", " ") == "25,5 %"
    assert t.money(Decimal("-1234.5"), "EUR").replace("\xa0", " ") == "-1.234,50 €"


def test_a_period_is_shown_from_its_first_to_its_last_day() -> None:
    t = Texts.of("de")
    assert t.period(Period(date(2026, 4, 1), date(2026, 5, 1))) == "01.04.2026 – 30.04.2026"
    assert t.period(Period(date(2026, 4, 17), date(2026, 4, 18))) == "17.04.2026"


@pytest.mark.parametrize(
    ("locale", "language"),
    [(None, "de"), ("de", "de"), ("en", "en"), ("en_GB", "en"), ("zh-CN", "zh"), ("fr", "de")],
)
def test_the_document_language_follows_the_buyers_locale(locale: str | None, language: str) -> None:
    assert language_of(locale) == language


def test_a_credit_note_shows_what_it_credits_as_positive_amounts() -> None:
    view = document_view(samples.credit_note(samples.invoice()), date(2026, 4, 17))
    (row,) = view.rows
    assert (row.quantity, row.unit_price, row.amount) == ("2", "5,90\xa0€", "11,80\xa0€")
    assert [total.amount for total in view.totals] == ["11,80\xa0€", "2,24\xa0€", "14,04\xa0€"]
    assert view.title == "Rechnungskorrektur"
    assert view.reference == "zu Rechnung RE-2026-000001 vom 17.04.2026"


def test_a_credit_on_an_invoice_stays_negative() -> None:
    day = Period(date(2026, 4, 17), date(2026, 4, 18))
    goodwill = Charge(
        LineKind.CREDIT, "one_time", "Kulanz", day, Decimal(1), Decimal("-10.00"),
        Decimal("-10.00"), "one_time",
    )  # fmt: skip
    view = document_view(samples.invoice(charges=[*samples.five_lines(), goodwill]), None)
    assert view.rows[-1].amount == "-10,00\xa0€"
    assert view.totals[0].amount == "279,80\xa0€"


def test_a_line_without_a_period_points_to_the_date_of_issue() -> None:
    document = samples.invoice()
    lines = (replace(document.lines[0], period=None), *document.lines[1:])
    view = document_view(replace(document, draft=replace(document.draft, lines=lines)), None)
    assert view.rows[0].period == "–"
    assert any("Leistungsdatum dem Ausstellungsdatum" in note for note in view.footnotes)


def test_several_rates_get_a_rate_column_and_a_vat_line_each() -> None:
    document = samples.invoice()
    reduced = replace(document.lines[0], vat_rate=Decimal(7))
    lines = (reduced, *document.lines[1:])
    view = document_view(replace(document, draft=replace(document.draft, lines=lines)), None)
    assert view.show_rates
    assert "USt." in view.columns
    assert [row.rate for row in view.rows[:2]] == ["7\xa0%", "19\xa0%"]
    vat_lines = [total.label for total in view.totals if total.label.startswith("USt.")]
    assert vat_lines == ["USt. 7\xa0% auf 145,00\xa0€", "USt. 19\xa0% auf 144,80\xa0€"]


def test_only_foreign_eu_consumers_get_the_oss_note() -> None:
    def oss(document: object) -> bool:
        view = document_view(document, None)  # type: ignore[arg-type]
        return any("One-Stop" in note for note in view.notes)

    assert oss(samples.oss_consumer())
    assert not oss(samples.invoice())
    assert not oss(samples.reverse_charge())
    assert not oss(samples.non_eu())


def test_addresses_name_the_country_only_across_a_border() -> None:
    domestic = document_view(samples.invoice(), None)
    assert domestic.buyer_lines == ("Leopoldstraße 5", "80802 München")
    foreign = document_view(samples.reverse_charge(), None)
    assert foreign.buyer_lines == (
        "Mariahilfer Straße 1",
        "1060 Wien",
        "Austria",
        "VAT ID ATU12345678",
    )
    assert "Germany" in foreign.seller_lines


def test_the_metadata_is_in_the_buyers_language() -> None:
    assert metadata(samples.invoice()).title == "Rechnung RE-2026-000001"
    assert metadata(samples.reverse_charge()).subject == "Invoice RE-2026-000001 of 17 Apr 2026"
    assert metadata(samples.chinese()).language == "zh-CN"


def test_a_missing_font_names_the_debian_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TENURE_FONT_DIR", str(tmp_path))
    with pytest.raises(FontMissing, match="fonts-dejavu-core"):
        _ = Face("DejaVuSans.ttf", "fonts-dejavu-core").path
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")
    assert Face("DejaVuSans.ttf", "fonts-dejavu-core").path == tmp_path / "DejaVuSans.ttf"

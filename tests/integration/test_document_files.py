"""Rendered documents (issue #9): rendered after the billing transaction by a worker, once,
stored with their SHA-256; every later read gives the bytes on record, whatever the renderer
does afterwards; a failing render is retried; on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.domain.invoicing import Document
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.document_files import RenderedDocument
from tenure.services.errors import UnknownDocument
from tenure.services.repositories.document_files import FileFormat

CATALOG = Path(__file__).resolve().parents[2] / "src" / "tenure" / "demo" / "cloudcrm.yaml"
NOV_28 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@dataclass
class CountingRenderer:
    """A stand-in for the Factur-X renderer that says which version of it made the bytes (the
    real one is exercised in tests/integration/test_documents_end_to_end.py)."""

    version: str = "v1"
    calls: list[str] = field(default_factory=list)
    fail: bool = False

    def render(self, document: Document, preceding_issue_date: date | None) -> RenderedDocument:
        self.calls.append(document.number)
        if self.fail:
            raise RuntimeError("font missing")
        tag = f"{document.number} {self.version} {preceding_issue_date}".encode()
        return RenderedDocument(b"%PDF " + tag, b"<cii>" + tag, b"<ubl>" + tag)


def billed(store_factory: Any, renderer: CountingRenderer) -> tuple[Services, ManualClock, str]:
    clock = ManualClock(NOV_28)
    app = bootstrap(store_factory(clock), clock, renderer=renderer)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Kunde GmbH",
        country="DE",
        email="k@kunde.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    app.contracts.start(vendor, customer.id, "business")
    app.billing.run(vendor_id=vendor)
    return app, clock, vendor


def test_documents_are_rendered_after_billing_by_the_worker_once(store_factory: Any) -> None:
    renderer = CountingRenderer()
    app, _, vendor = billed(store_factory, renderer)
    assert renderer.calls == []  # the billing transaction renders nothing
    app.bus.dispatch()  # document.issued queues the rendering
    assert app.document_files.render_next() is True
    assert app.document_files.render_next() is False
    assert renderer.calls == ["RE-2026-000001"]

    pdf = app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF)
    assert pdf.content == b"%PDF RE-2026-000001 v1 None"
    assert pdf.sha256 == hashlib.sha256(pdf.content).hexdigest()
    assert pdf.filename == "RE-2026-000001.pdf"
    ubl = app.document_files.file(vendor, "RE-2026-000001", FileFormat.UBL)
    assert ubl.content.startswith(b"<ubl>")
    assert ubl.filename == "RE-2026-000001.ubl.xml"
    assert renderer.calls == ["RE-2026-000001"]  # served from storage


def test_a_renderer_change_never_alters_an_issued_document(store_factory: Any) -> None:
    renderer = CountingRenderer()
    app, _, vendor = billed(store_factory, renderer)
    first = app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF)
    renderer.version = "v2 (new template)"
    assert app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF) == first
    # Rendering it again (the queued job, or a race with a download) keeps the stored bytes.
    again = app.document_files.render(vendor, "RE-2026-000001")
    assert again[FileFormat.PDF].content == first.content
    app.bus.dispatch()
    app.document_files.render_next()
    assert app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF) == first


def test_a_download_before_the_worker_renders_and_stores_on_the_spot(store_factory: Any) -> None:
    renderer = CountingRenderer()
    app, _, vendor = billed(store_factory, renderer)
    app.bus.dispatch()
    cii = app.document_files.file(vendor, "RE-2026-000001", FileFormat.CII)
    assert renderer.calls == ["RE-2026-000001"]
    assert app.document_files.render_next() is False  # the job went with the files
    assert app.document_files.file(vendor, "RE-2026-000001", FileFormat.CII) == cii


def test_a_failed_render_is_retried_later(store_factory: Any) -> None:
    renderer = CountingRenderer(fail=True)
    app, clock, vendor = billed(store_factory, renderer)
    app.bus.dispatch()
    assert app.document_files.render_next() is True  # failed, logged, queued again
    assert app.document_files.render_next() is False  # not due yet
    renderer.fail = False
    clock.advance_to(clock.now() + timedelta(seconds=31))
    assert app.document_files.render_next() is True
    assert app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF).content.startswith(
        b"%PDF"
    )
    assert renderer.calls == ["RE-2026-000001", "RE-2026-000001"]


def test_each_vendor_gets_its_own_files_of_the_same_number(store_factory: Any) -> None:
    """Two vendors each have an RE-2026-000001: each gets the files of its own."""
    renderer = CountingRenderer()
    app, _, vendor = billed(store_factory, renderer)
    ours = app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF)
    other = app.vendors.create(load_catalog_file(CATALOG))
    with pytest.raises(UnknownDocument):  # none issued yet
        app.document_files.file(other, "RE-2026-000001", FileFormat.PDF)
    customer = app.customers.create(
        other,
        type=CustomerType.BUSINESS,
        name="Andere AG",
        country="DE",
        email="a@andere.example",
        address="Anderer Weg 2, 20095 Hamburg",
    )
    app.contracts.start(other, customer.id, "business")
    renderer.version = "other vendor"
    app.billing.run(vendor_id=other)
    theirs = app.document_files.file(other, "RE-2026-000001", FileFormat.PDF)
    assert theirs.content == b"%PDF RE-2026-000001 other vendor None"
    assert app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF) == ours
    with pytest.raises(UnknownDocument):
        app.document_files.file(vendor, "RE-2026-999999", FileFormat.PDF)


def test_stored_files_cannot_be_changed_or_deleted_in_the_database(
    store_factory: Any, store_kind: str
) -> None:
    """GoBD: like the documents, their files are refused any change by the database itself."""
    if store_kind == "memory":
        pytest.skip("the database's own refusal: SQL stores only")
    from sqlalchemy import text

    app, _, vendor = billed(store_factory, CountingRenderer())
    app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF)
    engine = app.uow_factory().session.engine  # type: ignore[attr-defined]
    for statement in (
        "UPDATE document_files SET content = :x WHERE number = 'RE-2026-000001'",
        "DELETE FROM document_files WHERE number = 'RE-2026-000001'",
    ):
        with pytest.raises(Exception, match="immutable"), engine.begin() as conn:
            conn.execute(text(statement), {"x": b"forged"})
    pdf = app.document_files.file(vendor, "RE-2026-000001", FileFormat.PDF)
    assert pdf.content == b"%PDF RE-2026-000001 v1 None"


def test_a_credit_note_is_rendered_with_its_invoices_date(store_factory: Any) -> None:
    renderer = CountingRenderer()
    clock = ManualClock(NOV_28)
    app = bootstrap(store_factory(clock), clock, renderer=renderer)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor,
        type=CustomerType.CONSUMER,
        name="Erika Mustermann",
        country="DE",
        email="erika@example.org",
        address="Heidestraße 17, 51147 Köln",
    )
    contract = app.contracts.start(vendor, customer.id, "business")
    booking = app.addons.book(vendor, contract.id, "extra_user")
    app.billing.run(vendor_id=vendor)  # RE-2026-000001 with the plan and the add-on
    clock.advance_to(clock.now() + timedelta(days=2))
    (credit_note,) = app.addons.withdraw(vendor, contract.id, booking)
    assert credit_note.refers_to == "RE-2026-000001"
    pdf = app.document_files.file(vendor, credit_note.number, FileFormat.PDF)
    assert pdf.content == f"%PDF {credit_note.number} v1 2026-11-28".encode()

"""Documents are found by key: one by its number, and a contract's newest invoice number,
without loading the vendor's or the contract's other documents (security review #14 point 8)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.domain.invoicing import Document, DocumentType
from tenure.services.clock import ManualClock
from tenure.services.errors import UnknownDocument

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"


def test_one_document_by_number_and_the_newest_invoice_of_a_contract(store_factory: Any) -> None:
    clock = ManualClock(datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
    app = bootstrap(store_factory(clock), clock)
    vendor, other = (app.vendors.create(load_catalog_file(CATALOG)) for _ in range(2))
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="M",
        country="DE",
        email="m@k.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    contract = app.contracts.start(vendor, customer.id, "business").id
    clock.advance_to(datetime(2026, 4, 20, 9, 0, tzinfo=UTC))
    app.billing.run()
    invoices = app.queries.documents(vendor, contract)
    assert [d.number[-1] for d in invoices] == ["1", "2", "3", "4"]
    assert app.queries.document(vendor, invoices[1].number) == invoices[1]

    with app.queries.ctx.uow_factory() as uow:
        assert uow.documents.last_invoice_number(vendor, contract) == invoices[-1].number
        assert uow.documents.last_invoice_number(vendor, "ctr_none") is None
        # A credit note issued after the newest invoice is no invoice: the invoice stays newest.
        credit = replace(invoices[0].draft, type=DocumentType.CREDIT_NOTE, billing_date=None)
        uow.documents.add(vendor, Document("KR-2026-000001", credit), clock.now())
        assert uow.documents.last_invoice_number(vendor, contract) == invoices[-1].number

    with pytest.raises(UnknownDocument):
        app.queries.document(vendor, "RE-2026-999999")
    with pytest.raises(UnknownDocument):  # another vendor's number is not found
        app.queries.document(other, invoices[0].number)

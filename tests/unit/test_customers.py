"""Customers in the service layer: the tax identity and address checks every entry point gets
(decision 0012), changes that reach only documents issued afterwards, and deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.domain import events as ev
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.customers import CustomerHasContracts, InvalidCustomer
from tenure.services.errors import UnknownCustomer

CATALOGS = Path(__file__).resolve().parents[2] / "examples" / "catalogs"
ADDRESS = "Kundenweg 1, 10115 Berlin"


@pytest.fixture
def app() -> tuple[Services, str, ManualClock]:
    clock = ManualClock(datetime(2026, 2, 3, 9, tzinfo=UTC))
    services = bootstrap(InMemoryStore(), clock)
    vendor = services.vendors.create(load_catalog_file(CATALOGS / "cloudcrm.yaml"))
    return services, vendor, clock


def create(app: tuple[Services, str, ManualClock], **given: Any) -> Any:
    services, vendor, _ = app
    fields: dict[str, Any] = {
        "type": CustomerType.BUSINESS,
        "name": "Muster GmbH",
        "country": "DE",
        "email": "b@muster.example",
        "address": ADDRESS,
        **given,
    }
    return services.customers.create(vendor, **fields)


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        ({"country": "ZZ"}, "invalid_country", "country"),
        ({"country": "XX"}, "invalid_country", "country"),
        ({"country": "EU"}, "invalid_country", "country"),
        ({"country": "UK"}, "invalid_country", "country"),
        ({"country": "FR", "vat_id": "DE129273398"}, "vat_id_country_mismatch", "vat_id"),
        ({"country": "GR", "vat_id": "GR094259216"}, "vat_id_country_mismatch", "vat_id"),
        ({"country": "DE", "vat_id": "DE123456789"}, "invalid_vat_id", "vat_id"),
        ({"country": "CH", "vat_id": "CHE123456789"}, "invalid_vat_id", "vat_id"),
        (
            {"type": CustomerType.CONSUMER, "vat_id": "DE129273398"},
            "vat_id_not_allowed",
            "vat_id",
        ),
        ({"address": ""}, "field_required", "address"),
        ({"address": "   "}, "field_required", "address"),
        ({"name": " "}, "field_required", "name"),
        ({"email": "nope"}, "invalid_email", "email"),
    ],
)
def test_a_customer_whose_data_cannot_go_on_an_invoice_is_refused(
    app: tuple[Services, str, ManualClock], given: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(InvalidCustomer) as refused:
        create(app, **given)
    assert (refused.value.code, refused.value.status) == (code, 422)
    assert refused.value.details["field"] == field
    assert app[0].queries.customers(app[1]) == []


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ({"country": "de", "vat_id": "de 129 273 398"}, ("DE", "DE129273398")),
        ({"country": "GR", "vat_id": "EL094259216"}, ("GR", "EL094259216")),
        ({"country": "AT", "vat_id": "ATU13585627"}, ("AT", "ATU13585627")),
        ({"country": "AT", "vat_id": ""}, ("AT", None)),  # an EU business without a VAT ID
        ({"country": "CH"}, ("CH", None)),
        ({"type": CustomerType.CONSUMER, "country": "FR"}, ("FR", None)),
    ],
)
def test_valid_tax_identities_are_stored_normalised(
    app: tuple[Services, str, ManualClock], given: dict[str, Any], stored: tuple[str, Any]
) -> None:
    customer = create(app, **given)
    assert (customer.country, customer.vat_id) == stored
    assert app[0].queries.customer(app[1], customer.id) == customer


def test_an_update_reaches_later_documents_and_never_issued_ones(
    app: tuple[Services, str, ManualClock],
) -> None:
    services, vendor, clock = app
    customer = create(app)
    contract = services.contracts.start(vendor, customer.id, "business")
    services.billing.run()
    clock.advance_to(clock.now() + timedelta(days=31))

    updated = services.customers.update(
        vendor,
        customer.id,
        name="Muster AG",
        address="Neue Straße 2, 80331 München",
        vat_id="DE129273398",
    )
    services.billing.run()

    first, second = services.queries.documents(vendor, contract.id)
    assert (first.draft.buyer.name, first.draft.buyer.address) == ("Muster GmbH", ADDRESS)
    assert first.draft.buyer.vat_id is None
    assert second.draft.buyer.name == "Muster AG"
    assert second.draft.buyer.address == "Neue Straße 2, 80331 München"
    assert second.draft.buyer.vat_id == "DE129273398"
    assert services.queries.customer(vendor, customer.id) == updated
    with services.uow_factory() as uow:
        events = [m.event for m in uow.outbox.list(vendor)]
    (change,) = [e for e in events if isinstance(e, ev.CustomerUpdated)]
    assert (change.customer_id, change.changed) == (customer.id, ("name", "address", "vat_id"))
    assert not isinstance(change, ev.ContractEvent)  # a customer event belongs to no contract
    assert change.name == "customer.updated"


def test_an_update_is_checked_as_a_creation_and_a_refused_one_changes_nothing(
    app: tuple[Services, str, ManualClock],
) -> None:
    services, vendor, _ = app
    customer = create(app, vat_id="DE129273398")
    with pytest.raises(InvalidCustomer) as refused:
        services.customers.update(vendor, customer.id, country="FR")  # the VAT ID is German
    assert refused.value.code == "vat_id_country_mismatch"
    with pytest.raises(InvalidCustomer) as refused:
        services.customers.update(vendor, customer.id, address=" ")
    assert refused.value.code == "field_required"
    moved = services.customers.update(vendor, customer.id, country="FR", vat_id=None)
    assert (moved.country, moved.vat_id) == ("FR", None)
    same = services.customers.update(vendor, customer.id, name=moved.name)
    assert same == moved
    with services.uow_factory() as uow:  # nothing changed: no event
        changes = [m.event for m in uow.outbox.list(vendor)]
    assert [(e.name, getattr(e, "changed", None)) for e in changes] == [
        ("customer.updated", ("country", "vat_id"))
    ]
    with pytest.raises(UnknownCustomer):
        services.customers.update(vendor, "cus_nope", name="X")


def test_only_a_customer_without_contracts_can_be_deleted(
    app: tuple[Services, str, ManualClock],
) -> None:
    services, vendor, _ = app
    kept, gone = create(app), create(app, name="Weg GmbH")
    services.contracts.start(vendor, kept.id, "business")

    with pytest.raises(CustomerHasContracts) as refused:
        services.customers.delete(vendor, kept.id)
    assert (refused.value.code, refused.value.status) == ("customer_has_contracts", 409)
    services.customers.delete(vendor, gone.id)

    assert [c.id for c in services.queries.customers(vendor)] == [kept.id]
    with pytest.raises(UnknownCustomer):
        services.queries.customer(vendor, gone.id)
    with pytest.raises(UnknownCustomer):
        services.contracts.start(vendor, gone.id, "business")
    with services.uow_factory() as uow:
        deleted = [m.event for m in uow.outbox.list(vendor) if m.event.name == "customer.deleted"]
    assert deleted == [ev.CustomerDeleted(occurred_at=deleted[0].occurred_at, customer_id=gone.id)]

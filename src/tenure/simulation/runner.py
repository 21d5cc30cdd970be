"""``tenure simulate``: play one customer's contract through time on a test clock, through the
same use cases as production, and report the outcome in the documented JSON shape."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from tenure.adapters.memory import InMemoryStore
from tenure.adapters.sql import SqlStore
from tenure.bootstrap import bootstrap
from tenure.domain.calendar import ONE_DAY, local_date, start_of_local_day
from tenure.domain.contract import Contract
from tenure.domain.errors import DomainError, UnknownBooking
from tenure.domain.invoicing import Document
from tenure.services.clock import ManualClock
from tenure.services.context import SequentialIds
from tenure.services.notifications import Email, emails_for
from tenure.simulation.output import render
from tenure.simulation.scenario import Scenario, Step

VENDOR_ID = "ven_simulation"
#: The billing address of a scenario customer that gives none (the scenario format has it as
#: an optional key, and simulated documents are previews, never issued to anyone).
NO_ADDRESS = "(no address given in the scenario)"

StoreKind = Literal["sqlite", "memory"]


@dataclass
class Rejection:
    at: datetime
    step: str
    code: str
    message: str
    index: int


@dataclass
class Outcome:
    contract: Contract
    booking_names: dict[str, str]
    documents: list[Document]
    emails: list[Email]
    rejected: list[Rejection] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return render(self)


class Simulation:
    def __init__(self, scenario: Scenario, store: StoreKind = "sqlite") -> None:
        self.scenario = scenario
        self.zone = scenario.catalog.vendor.timezone
        self.clock = ManualClock(start_of_local_day(scenario.start, self.zone))
        self.store_kind = store
        self.store: InMemoryStore | SqlStore = InMemoryStore()
        self.services = bootstrap(self.store, self.clock, SequentialIds())
        self.names: dict[str, str] = {}
        self.rejected: list[Rejection] = []

    def run(self) -> Outcome:
        """Play the scenario; on SQLite in a throw-away database that is removed afterwards."""
        if self.store_kind == "memory":
            return self._play()
        with tempfile.TemporaryDirectory(prefix="tenure-simulate-") as folder:
            store = SqlStore(
                f"sqlite:///{Path(folder) / 'simulation.sqlite'}", self.clock, actor="simulate"
            )
            self.store, self.services = store, bootstrap(store, self.clock, SequentialIds())
            try:
                return self._play()
            finally:
                store.dispose()

    def _play(self) -> Outcome:
        s = self.scenario
        services = self.services
        services.vendors.create(s.catalog, VENDOR_ID)
        c = s.customer
        customer = services.customers.create(
            VENDOR_ID,
            type=c.type,
            name=c.name,
            country=c.country,
            email=c.email,
            locale=c.locale,
            vat_id=c.vat_id,
            address=c.address or NO_ADDRESS,
        )
        self.contract_id = services.contracts.start(
            VENDOR_ID, customer.id, s.plan, s.seats, s.start
        ).id
        for step in s.steps:
            self.advance_to(step.at)
            try:
                self.perform(step)
            except DomainError as exc:
                self.rejected.append(
                    Rejection(step.at, step.action, exc.code, exc.message, step.index)
                )
        self.advance_to(start_of_local_day(s.until + ONE_DAY, self.zone), through_previous=True)
        with self.store.unit_of_work().reading() as uow:
            contract = uow.contracts.get(VENDOR_ID, self.contract_id, lock=False)
            documents = uow.documents.list(VENDOR_ID)
            emails = [
                e
                for m in uow.outbox.list(VENDOR_ID)
                for e in emails_for(m.event, contract.customer)
            ]
        return Outcome(contract, self.names, documents, emails, self.rejected)

    def advance_to(self, instant: datetime, through_previous: bool = False) -> None:
        """Move the test clock to ``instant``, running billing and scheduled transitions at the
        start of every local day on the way, exactly as the production scheduler would."""
        target = local_date(instant, self.zone)
        if through_previous:
            target -= ONE_DAY
        while True:
            day = self.services.queries.contract(VENDOR_ID, self.contract_id).next_due_date()
            if day is None or day > target:
                break
            self.clock.advance_to(max(self.clock.now(), start_of_local_day(day, self.zone)))
            self.services.billing.run(until=day, vendor_id=VENDOR_ID)
        if not through_previous:
            self.clock.advance_to(instant)

    def perform(self, step: Step) -> None:
        services, a, cid = self.services, step.args, self.contract_id
        if step.action == "book_addon":
            booking = services.addons.book(VENDOR_ID, cid, a["addon"], a["quantity"])
            self.names[booking] = step.name or booking
        elif step.action == "cancel_addon":
            services.addons.cancel(VENDOR_ID, cid, self._booking(a["ref"]))
        elif step.action == "withdraw_addon":
            services.addons.withdraw(VENDOR_ID, cid, self._booking(a["ref"]))
        elif step.action == "withdraw_contract":
            services.contracts.withdraw(VENDOR_ID, cid)
        elif step.action == "record_usage":
            services.usage.record(
                VENDOR_ID, cid, a["metric"], a["quantity"], a["id"], a["occurred_at"]
            )
        elif step.action == "change_plan":
            services.contracts.change_plan(VENDOR_ID, cid, a["plan"], a["seats"])
        elif step.action == "cancel_contract":
            services.cancellations.cancel(
                VENDOR_ID,
                cid,
                kind=a["kind"],
                requested_end=a["requested_end"],
                reason=a["reason"],
                email=a["email"],
            )
        elif step.action == "revoke_cancellation":
            services.cancellations.revoke(VENDOR_ID, cid)
        elif step.action == "one_time_charge":
            services.contracts.add_one_time_charge(VENDOR_ID, cid, a["description"], a["amount"])
        elif step.action == "decide_cancellation":
            if a["accept"]:
                services.cancellations.accept(VENDOR_ID, cid, a["end_date"])
            else:
                services.cancellations.reject(VENDOR_ID, cid, a["reason"])
        else:  # pragma: no cover - the parser admits only known steps
            raise AssertionError(step.action)

    def _booking(self, name: str) -> str:
        for booking_id, given in self.names.items():
            if given == name:
                return booking_id
        raise UnknownBooking(f"the booking {name!r} was never made (its step was refused)")


def simulate(scenario: Scenario, store: StoreKind = "sqlite") -> Outcome:
    """Run ``scenario`` through the use cases on a throw-away SQLite database (or in memory)."""
    return Simulation(scenario, store).run()


__all__ = ["Outcome", "Simulation", "simulate"]

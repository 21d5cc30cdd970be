"""What every use case shares: the unit of work it opens, the clock, the id source, and the
retry on concurrency conflicts. :class:`UseCases` is the base of each feature's service."""

from __future__ import annotations

import functools
import itertools
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import ParamSpec, Protocol, TypeVar

from tenure.domain.catalog import Catalog, Plan
from tenure.domain.contract import Contract
from tenure.domain.customer import Customer
from tenure.domain.errors import UnknownPlan
from tenure.services.clock import Clock
from tenure.services.errors import ConcurrencyConflict
from tenure.services.unit_of_work import UnitOfWork

P = ParamSpec("P")
R = TypeVar("R")

#: How often a use case is run again after a concurrency conflict before giving up.
MAX_ATTEMPTS = 8


class IdGenerator(Protocol):
    def __call__(self, prefix: str) -> str:
        """A new opaque id such as ``cus_...``."""
        ...


def random_ids(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


@dataclass
class SequentialIds:
    """Deterministic ids (``cus_000001``) for simulations and tests."""

    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __call__(self, prefix: str) -> str:
        return f"{prefix}_{next(self.counter):06d}"


@dataclass(frozen=True)
class Context:
    """Storage, time and ids, as wired by the bootstrap."""

    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator = random_ids
    #: Set by :meth:`joined`: use cases do not retry on their own (the caller does).
    in_caller_transaction: bool = False

    def joined(self, uow: UnitOfWork) -> Context:
        """This context with every unit of work being the open ``uow`` (each use case then runs
        as a savepoint of the caller's transaction)."""
        return replace(self, uow_factory=lambda: uow, in_caller_transaction=True)

    def now(self, uow: UnitOfWork, vendor_id: str, customer: Customer) -> datetime:
        """The current instant for this customer: its test clock's for a sandbox customer."""
        if customer.test_clock_id is None:
            return self.clock.now()
        return uow.test_clocks.get(vendor_id, customer.test_clock_id).frozen_at


class UseCases:
    """Base of a feature's use cases: each public method is one transaction."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def in_caller_transaction(self) -> bool:
        return self.ctx.in_caller_transaction

    def _uow(self) -> UnitOfWork:
        return self.ctx.uow_factory()

    def _reading(self) -> UnitOfWork:
        return self.ctx.uow_factory().reading()

    def _commit(self, uow: UnitOfWork, vendor_id: str, contract: Contract) -> None:
        """End the contract's change (its events go to the outbox) and commit."""
        uow.outbox.publish(vendor_id, contract.finish_change())
        uow.commit()


def retrying(method: Callable[P, R]) -> Callable[P, R]:
    """Run a use case again when another transaction got in first (a lost optimistic check, a
    deadlock, a usage key recorded meanwhile). Each attempt is a fresh transaction, so this is
    safe; a short random pause keeps two retrying writers from colliding again."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if args and getattr(args[0], "in_caller_transaction", False):
            # Joined to a caller's transaction: a retry here would keep the caller's locks and
            # meet the same conflict again; the caller retries the whole transaction.
            return method(*args, **kwargs)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return method(*args, **kwargs)
            except ConcurrencyConflict:
                if attempt == MAX_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")

    return run


def plan_of(catalog: Catalog, plan_id: str) -> Plan:
    plan = catalog.plans.get(plan_id)
    if plan is None:
        raise UnknownPlan(f"no plan {plan_id!r} in the catalog", plan=plan_id)
    return plan

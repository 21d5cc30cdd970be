"""Test clocks of sandbox customers."""

from __future__ import annotations

import abc
import builtins
from dataclasses import dataclass
from datetime import datetime, timedelta

#: How far one advance moves a clock at most: two years cover every billing cycle and notice
#: period twice; a longer simulation is several advances.
MAX_ADVANCE = timedelta(days=731)
#: Running contracts on one test clock at most (an advance bills each of them day by day).
MAX_CONTRACTS_PER_CLOCK = 100


@dataclass(frozen=True, slots=True)
class TestClock:
    """A sandbox clock (as in Stripe): frozen at ``frozen_at`` until advanced."""

    __test__ = False

    id: str
    name: str
    frozen_at: datetime


class TestClockRepository(abc.ABC):
    __test__ = False  # not a pytest test class

    @abc.abstractmethod
    def add(self, vendor_id: str, clock: TestClock) -> None: ...

    @abc.abstractmethod
    def get(self, vendor_id: str, clock_id: str, lock: bool = False) -> TestClock:
        """The clock (locked until the transaction ends if ``lock``); raises UnknownTestClock."""

    @abc.abstractmethod
    def update(self, vendor_id: str, clock: TestClock) -> None: ...

    @abc.abstractmethod
    def list(self, vendor_id: str) -> builtins.list[TestClock]: ...

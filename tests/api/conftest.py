"""The ``api`` fixture: a vendor, its API key and a test client, on each store kind."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_api import Api


@pytest.fixture
def api(store_factory: Any) -> Api:
    return Api(store_factory)

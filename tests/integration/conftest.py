"""Fixtures of the integration tests (real SQLite files and the PostgreSQL test database)."""

from tests.integration.fleet import db_url

__all__ = ["db_url"]

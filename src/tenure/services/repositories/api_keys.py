"""API keys of the vendor API (stored hashed, see :mod:`tenure.services.access`)."""

from __future__ import annotations

import abc
from datetime import datetime

from tenure.services.access import ApiKeyRecord


class ApiKeyRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, record: ApiKeyRecord) -> None: ...

    @abc.abstractmethod
    def get(self, key_id: str) -> ApiKeyRecord | None: ...

    @abc.abstractmethod
    def of_vendor(self, vendor_id: str) -> list[ApiKeyRecord]:
        """The vendor's keys, revoked ones too, oldest first."""

    @abc.abstractmethod
    def revoke(self, key_id: str, at: datetime) -> None:
        """Revoke the key at ``at``; a key revoked before keeps its first revocation time."""

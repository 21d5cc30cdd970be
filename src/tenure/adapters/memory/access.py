"""API keys and Idempotency-Keys in memory."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.tables import MISSING
from tenure.services.access import ApiKeyRecord
from tenure.services.repositories.api_keys import ApiKeyRepository
from tenure.services.repositories.idempotency import (
    IdempotencyKeys,
    IdempotentResponse,
    expired,
)


class MemoryApiKeys(ApiKeyRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def add(self, record: ApiKeyRecord) -> None:
        self._t.put("api_keys", record.id, record)

    def get(self, key_id: str) -> ApiKeyRecord | None:
        record: ApiKeyRecord | None = self._t.get("api_keys", key_id)
        return record

    def of_vendor(self, vendor_id: str) -> list[ApiKeyRecord]:
        found = [r for _, r in self._t.scan("api_keys") if r.vendor_id == vendor_id]
        return sorted(found, key=lambda r: (r.created_at, r.id))

    def revoke(self, key_id: str, at: datetime) -> None:
        record = self._t.get_for_update("api_keys", key_id)
        if record is not MISSING and record.revoked_at is None:
            self._t.put("api_keys", key_id, replace(record, revoked_at=at))


class MemoryIdempotencyKeys(IdempotencyKeys):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def claim(
        self, vendor_id: str, key: str, fingerprint: str, at: datetime
    ) -> IdempotentResponse | None:
        # Read for update: of two concurrent claims of a new key, the second to commit fails.
        existing = self._t.get_for_update("idempotency", (vendor_id, key))
        if existing is MISSING or expired(existing, at):
            claim = IdempotentResponse(fingerprint, None, None, at)
            self._t.put("idempotency", (vendor_id, key), claim)
            return None
        found: IdempotentResponse = existing
        return found

    def store(self, vendor_id: str, key: str, status: int, body: Any) -> None:
        claimed = self._t.get("idempotency", (vendor_id, key))
        self._t.put("idempotency", (vendor_id, key), replace(claimed, status=status, body=body))

    def purge(self, before: datetime) -> int:
        old = [
            key
            for key, record in self._t.scan("idempotency")
            if record.claimed_at is not None and record.claimed_at < before
        ]
        for key in old:
            self._t.delete("idempotency", key)
        return len(old)

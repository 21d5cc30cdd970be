"""API keys and Idempotency-Keys in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from tenure.adapters.sql import tables as t
from tenure.adapters.sql.session import Session
from tenure.services.access import ApiKeyRecord, Scope
from tenure.services.repositories.api_keys import ApiKeyRepository
from tenure.services.repositories.idempotency import (
    IdempotencyKeys,
    IdempotentResponse,
    expired,
)


class SqlApiKeys(ApiKeyRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, record: ApiKeyRecord) -> None:
        self._s.execute(
            insert(t.api_keys).values(
                id=record.id,
                vendor_id=record.vendor_id,
                secret_hash=record.secret_hash,
                scope=record.scope.value,
                name=record.name,
                created_at=record.created_at,
            )
        )

    def get(self, key_id: str) -> ApiKeyRecord | None:
        r = self._s.execute(select(t.api_keys).where(t.api_keys.c.id == key_id)).first()
        return None if r is None else _record(r)

    def of_vendor(self, vendor_id: str) -> list[ApiKeyRecord]:
        keys = t.api_keys
        rows = self._s.execute(
            select(keys).where(keys.c.vendor_id == vendor_id).order_by(keys.c.created_at, keys.c.id)
        )
        return [_record(r) for r in rows]

    def revoke(self, key_id: str, at: datetime) -> None:
        self._s.execute(
            update(t.api_keys)
            .where(t.api_keys.c.id == key_id, t.api_keys.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )


def _record(r: Any) -> ApiKeyRecord:
    return ApiKeyRecord(
        r.id, r.vendor_id, r.secret_hash, Scope(r.scope), r.name, r.created_at, r.revoked_at
    )


class SqlIdempotencyKeys(IdempotencyKeys):
    def __init__(self, session: Session) -> None:
        self._s = session

    def claim(
        self, vendor_id: str, key: str, fingerprint: str, at: datetime
    ) -> IdempotentResponse | None:
        # Insert-or-read: the primary key makes exactly one request the owner of a key; a
        # concurrent insert of the same key waits for the owner's transaction to end.
        keys = t.idempotency_keys
        inserted = self._s.execute(
            self._s.insert(keys)
            .values(vendor_id=vendor_id, key=key, fingerprint=fingerprint, created_at=at)
            .on_conflict_do_nothing(index_elements=["vendor_id", "key"])
            .returning(keys.c.key)
        ).first()
        if inserted is not None:
            return None
        r = self._s.execute(
            select(keys).where(keys.c.vendor_id == vendor_id, keys.c.key == key)
        ).one()
        found = IdempotentResponse(r.fingerprint, r.status, r.body, r.created_at)
        if expired(found, at):
            # Past its TTL, or committed by the claim-then-run protocol of an earlier version
            # whose request died: the key is new again (a younger claim may still be running:
            # 409 until it ends).
            self._s.execute(
                update(keys)
                .where(keys.c.vendor_id == vendor_id, keys.c.key == key)
                .values(fingerprint=fingerprint, created_at=at, status=None, body=None)
            )
            return None
        return found

    def purge(self, before: datetime) -> int:
        keys = t.idempotency_keys
        return int(self._s.execute(delete(keys).where(keys.c.created_at < before)).rowcount)

    def store(self, vendor_id: str, key: str, status: int, body: Any) -> None:
        keys = t.idempotency_keys
        self._s.execute(
            update(keys)
            .where(keys.c.vendor_id == vendor_id, keys.c.key == key)
            .values(status=status, body=body)
        )

"""API keys of the vendor API: shown once, stored hashed, prefixed so that a leaked key is
recognisable (``tenure_sk_…`` full access, ``tenure_rk_…`` read-only), revocable."""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from tenure.domain.errors import DomainError

PREFIXES = {"full": "tenure_sk", "read_only": "tenure_rk"}


class Scope(enum.Enum):
    FULL = "full"
    READ_ONLY = "read_only"


class InvalidApiKey(DomainError):
    code = "invalid_api_key"
    status = 401


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    id: str
    vendor_id: str
    secret_hash: str
    scope: Scope
    name: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """The key as shown once at creation; only its hash is kept."""

    record: ApiKeyRecord
    secret: str


def new_api_key(vendor_id: str, scope: Scope, name: str, now: datetime) -> NewApiKey:
    key_id = secrets.token_hex(8)
    secret = f"{PREFIXES[scope.value]}_{key_id}_{secrets.token_urlsafe(32)}"
    record = ApiKeyRecord(key_id, vendor_id, _hash(secret), scope, name, now)
    return NewApiKey(record, secret)


def key_id_of(secret: str) -> str:
    """The id inside a presented key; raises InvalidApiKey for anything not shaped like one."""
    parts = secret.split("_")
    if len(parts) < 4 or f"{parts[0]}_{parts[1]}" not in PREFIXES.values():
        raise InvalidApiKey("not a tenure API key")
    return parts[2]


def verify(record: ApiKeyRecord | None, secret: str) -> ApiKeyRecord:
    if record is None or record.revoked_at is not None:
        raise InvalidApiKey("unknown or revoked API key")
    if not hmac.compare_digest(record.secret_hash, _hash(secret)):
        raise InvalidApiKey("unknown or revoked API key")
    return record


def _hash(secret: str) -> str:
    # Keys carry 256 random bits, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(secret.encode()).hexdigest()

"""Signing per Standard Webhooks: ``whsec_`` secrets and the ``webhook-signature`` header, with
one signature per secret (space-separated) while a rotated secret is in its overlap."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: ``v1,<base64 HMAC-SHA256>`` of
    ``{id}.{timestamp}.{body}`` with the base64-decoded part of the ``whsec_`` secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signatures(secrets_: Iterable[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header: a signature with each secret, space-separated (a
    receiver accepts the message if any one verifies)."""
    return " ".join(sign(secret, message_id, timestamp, body) for secret in secrets_)

"""Keyset pagination: a page is ``WHERE key > :after ORDER BY key LIMIT n + 1``, so reading page
ten thousand costs what reading the first does. The cursor carries the last key of the previous
page, encoded as opaque URL-safe text."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from tenure.services.unit_of_work import InvalidCursor, Page

T = TypeVar("T")


def encode(key: Sequence[str | int | bool | datetime]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    text = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def decode(token: str | None, *kinds: type) -> list[Any] | None:
    """The key in ``token`` (None: the first page), each part checked against ``kinds``."""
    if token is None:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(raw, list) or len(raw) != len(kinds):
            raise ValueError("wrong shape")
        key: list[Any] = []
        for value, kind in zip(raw, kinds, strict=True):
            if kind is datetime:
                parsed = datetime.fromisoformat(value)
                if parsed.tzinfo is None:
                    raise ValueError("naive instant")
                key.append(parsed)
            elif type(value) is not kind:
                raise ValueError("wrong type")
            elif isinstance(value, str) and ("\x00" in value or len(value) > 200):
                raise ValueError("not a key")
            elif isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise ValueError("out of range")
            else:
                if isinstance(value, str):
                    value.encode()  # a lone surrogate cannot reach the database
                key.append(value)
        return key
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise InvalidCursor("this cursor does not belong to this list") from None


def page(rows: Sequence[T], limit: int, key: Callable[[T], Sequence[Any]]) -> Page[T]:
    """A page from ``limit + 1`` rows read in key order: the extra row only says there is more."""
    if len(rows) > limit:
        return Page(list(rows[:limit]), encode(key(rows[limit - 1])))
    return Page(list(rows))

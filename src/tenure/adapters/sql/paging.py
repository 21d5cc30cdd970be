"""Keyset pagination: a page is ``WHERE key > :after ORDER BY key LIMIT n + 1``, so reading page
ten thousand costs what reading the first does. The cursor carries the last key of the previous
page, encoded as opaque URL-safe text."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, tuple_

from tenure.adapters.sql.session import Session
from tenure.services.errors import InvalidCursor
from tenure.services.paging import Page


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


def keyset(
    session: Session,
    query: Select[Any],
    key: Sequence[ColumnElement[Any]],
    after: str | None,
    limit: int,
) -> Page[Row[Any]]:
    """The rows of ``query`` that follow the cursor ``after`` in the order of ``key`` (columns or
    expressions that together are unique), at most ``limit``. The key is selected with the rows,
    so the next cursor is read off the last row; each part is checked on decoding against its
    column's Python type."""
    last = decode(after, *(part.type.python_type for part in key))
    if last is not None:
        query = query.where(tuple_(*key) > tuple_(*last))
    labels = [f"_key{i}" for i in range(len(key))]
    query = query.add_columns(*(part.label(name) for part, name in zip(key, labels, strict=True)))
    rows = session.execute(query.order_by(*key).limit(limit + 1)).all()
    # The extra row only says there is more.
    if len(rows) > limit:
        return Page(list(rows[:limit]), encode([rows[limit - 1]._mapping[n] for n in labels]))
    return Page(list(rows))

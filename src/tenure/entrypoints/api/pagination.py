"""Cursor pagination shared by every list operation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Query

Limit = Annotated[int, Query(ge=1, le=100, description="Page size.")]
Cursor = Annotated[
    str | None,
    Query(pattern=r"^[0-9]{1,9}$", description="`next_cursor` of the previous page (opaque)."),
]


def page(items: Sequence[dict[str, Any]], limit: int, cursor: str | None) -> dict[str, Any]:
    """Cursor pagination over a stable order; the cursor is opaque to clients."""
    start = int(cursor) if cursor else 0
    chunk = list(items[start : start + limit])
    more = start + limit < len(items)
    return {
        "object": "list",
        "data": chunk,
        "has_more": more,
        "next_cursor": str(start + limit) if more else None,
    }

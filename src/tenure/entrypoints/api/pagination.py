"""Cursor pagination shared by every list operation: ``?limit=…&cursor=…`` in, ``{data,
has_more, next_cursor}`` out. Cursors are opaque; the storage pages by key (see
``adapters/sql/paging.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query

from tenure.services.paging import Page, offset_page

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=100, description="Page size.")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=512,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="`next_cursor` of the previous page (opaque).",
    ),
]

Livemode = Annotated[
    bool,
    Query(
        description="`true` (the default): live objects only; `false`: sandbox objects only "
        "(customers on a test clock and what belongs to them)."
    ),
]


def listing(found: Page[T], present: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [present(item) for item in found.items],
        "has_more": found.next is not None,
        "next_cursor": found.next,
    }


def page(items: Sequence[dict[str, Any]], limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of a short list held in memory (webhook endpoints, test clocks)."""
    return listing(offset_page(items, cursor, limit), lambda item: item)

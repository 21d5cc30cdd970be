"""Pages of lists: a stable order and an opaque cursor to the next page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tenure.services.errors import InvalidCursor

T = TypeVar("T")

#: The largest page a list returns.
MAX_PAGE = 100


def page_size(limit: int) -> int:
    """``limit`` within 1 .. :data:`MAX_PAGE`."""
    return max(1, min(limit, MAX_PAGE))


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list in its stable order; ``next`` is the opaque cursor of the following
    page (pass it as ``after``), None on the last page."""

    items: list[T]
    next: str | None = None


def offset_page(items: Sequence[T], after: str | None, limit: int) -> Page[T]:
    """A page of a list held in memory; its cursors are offsets (``o40``). Stores with an index
    page by key instead (see the SQL unit of work)."""
    start = 0
    if after is not None:
        if not (after.startswith("o") and after[1:].isdigit() and len(after) < 12):
            raise InvalidCursor("this cursor does not belong to this list")
        start = int(after[1:])
    end = start + limit
    return Page(list(items[start:end]), f"o{end}" if end < len(items) else None)

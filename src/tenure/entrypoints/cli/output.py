"""Tables for people that never cut a value: ids, amounts and dates are printed in full at any
terminal width, so the id the next command needs can always be copied.

A column is at least as wide as the longest unbroken word in it (Rich then wraps text only
between words, never inside one, and never ends a cell with "…"). A table that does not fit
the terminal that way is printed as records instead, one ``field: value`` line per field (like
``psql``'s expanded mode), each line whole (the terminal wraps it, not tenure).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tenure.services.encoding import plain


def cell(value: Any) -> str:
    """A value as table text: a list as ``a, b``, a mapping as ``key: value, ...``."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(cell(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {cell(item)}" for key, item in value.items())
    return str(value)


def longest_word(texts: Sequence[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=0)


def print_rows(
    console: Console,
    rows: Sequence[dict[str, Any]],
    title: str,
    columns: Sequence[str] | None = None,
) -> None:
    """Rows as a table with a column per key (of ``columns``, else of the first row)."""
    if not rows:
        console.print(Text(f"{title}: none", style="italic"), soft_wrap=True)
        return
    names = list(columns or rows[0].keys())
    cells = [[cell(row.get(name)) for name in names] for row in rows]
    headers = [name.replace("_", " ") for name in names]  # "gross total" may wrap, ids never
    texts = [[header, *(line[index] for line in cells)] for index, header in enumerate(headers)]
    widths = column_widths(console.width, texts)
    if widths is None:
        print_records(console, title, [dict(zip(names, line, strict=True)) for line in cells])
        return
    table = Table(title=title)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(header, width=width, overflow="fold")
    for line in cells:
        table.add_row(*line)
    console.print(table)


def print_record(console: Console, record: dict[str, Any], title: str) -> None:
    """One record as a two-column table of fields and values."""
    values = {key: cell(value) for key, value in record.items()}
    widths = column_widths(console.width, [list(values), list(values.values())])
    if widths is None:
        print_records(console, title, [values])
        return
    table = Table(title=title, show_header=False)
    table.add_column("field", style="bold", width=widths[0])
    table.add_column("value", width=widths[1], overflow="fold")
    for key, value in values.items():
        table.add_row(key, value)
    console.print(table)


def column_widths(available: int, columns: Sequence[Sequence[str]]) -> list[int] | None:
    """The content width of each column (given as its texts) such that no word is cut and the
    table fits ``available`` terminal columns; None if it cannot.

    Each column gets at least its longest word; the rest is shared in proportion to how much
    more each column needs to show its longest line unwrapped. (Rich's own layout may shrink a
    column below its longest word when a table is too wide, and then cuts the word.)
    """
    least = [max(longest_word(texts), 1) for texts in columns]
    most = [
        max([low, *(len(line) for text in texts for line in text.splitlines())])
        for low, texts in zip(least, columns, strict=True)
    ]
    room = available - (3 * len(columns) + 1)  # a border and a space either side of each cell
    if sum(most) <= room:
        return most
    if sum(least) > room:
        return None
    spare = room - sum(least)
    wanted = [high - low for low, high in zip(least, most, strict=True)]
    return [low + spare * want // sum(wanted) for low, want in zip(least, wanted, strict=True)]


def print_records(console: Console, title: str, records: Sequence[dict[str, str]]) -> None:
    console.print(Text(title, style="italic"), soft_wrap=True)
    for number, record in enumerate(records, 1):
        if len(records) > 1:
            console.print(Text(f"-[ {number} ]-", style="dim"), soft_wrap=True)
        width = max((len(key) for key in record), default=0)
        for key, value in record.items():
            line = Text(f"{key.ljust(width)}  ", style="bold")
            line.append(value)
            console.print(line, soft_wrap=True)

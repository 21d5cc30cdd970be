"""Tables for people never cut a word (issue 15, point 14): at any width, every id, amount and
word of every cell appears whole in the output, in a table or, when none fits, as records."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from tenure.entrypoints.cli.output import print_record, print_rows

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.", min_size=1, max_size=30)
value = st.lists(word, min_size=1, max_size=4).map(" ".join)
names = st.lists(
    st.from_regex(r"[a-z]{1,8}(_[a-z]{1,8})?", fullmatch=True), min_size=1, max_size=8, unique=True
)


def words_of(output: str) -> set[str]:
    for frame in "│┃":
        output = output.replace(frame, " ")
    return set(output.split())


@given(
    names.flatmap(
        lambda n: st.lists(st.fixed_dictionaries(dict.fromkeys(n, value)), min_size=1, max_size=4)
    ),
    st.integers(20, 160),
)
def test_no_cell_word_is_ever_cut(rows: list[dict[str, str]], width: int) -> None:
    buffer = io.StringIO()
    print_rows(Console(file=buffer, width=width), rows, "t")
    shown = words_of(buffer.getvalue())
    assert "…" not in buffer.getvalue()
    for row in rows:
        for text in row.values():
            assert set(text.split()) <= shown


@given(
    st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), value, min_size=1, max_size=10),
    st.integers(20, 160),
)
def test_no_field_value_is_ever_cut(record: dict[str, str], width: int) -> None:
    buffer = io.StringIO()
    print_record(Console(file=buffer, width=width), record, "t")
    shown = words_of(buffer.getvalue())
    for text in record.values():
        assert set(text.split()) <= shown


def test_a_table_that_fits_stays_a_table_and_one_that_cannot_becomes_records() -> None:
    rows = [{"id": "cus_193f49aa0b1c2d3e", "name": "Muster GmbH", "gross_total": "58.31"}]
    wide, narrow = io.StringIO(), io.StringIO()
    print_rows(Console(file=wide, width=80), rows, "customers")
    print_rows(Console(file=narrow, width=24), rows, "customers")
    assert "┃ id" in wide.getvalue()
    assert "id           cus_193f49aa0b1c2d3e" in narrow.getvalue()

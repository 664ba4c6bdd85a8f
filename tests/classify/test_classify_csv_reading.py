"""classify reads CSV records exactly as `csv.reader(strict=True)` does, errors included.

Stretches of plain lines are split directly (faster than `csv.reader`); these
tests hold that shortcut to the csv module on text full of what it must not
take lightly: quotes, quoted line breaks, stray carriage returns, blank lines,
NUL characters, undecodable bytes, Unicode line separators, cells over the
field size limit, and unbalanced quotes at the end.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadspec.classify import _CsvRecords

PIECES = ["a", "bc", ",", ";", "\t", '"', '""', "\r", "\n", "\r\n", " ", "\x00", "\udce9", "\x1f", "\u2028", "\x0b", "é"]


def _lines(text: str | list[str]) -> Iterable[str]:
    """Text as a CSV file opened with newline="" hands it over, or lines as given."""
    return io.StringIO(text, newline="") if isinstance(text, str) else iter(text)


def _reference(text: str | list[str], delimiter: str) -> list[Any]:
    """What a loop over `csv.reader` sees: each record, and ("error", message) for each csv.Error."""
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    events: list[Any] = []
    for _ in range(10_000):
        try:
            events.append(next(reader))
        except StopIteration:
            return events
        except csv.Error as error:
            events.append(("error", str(error)))
    raise AssertionError("csv.reader did not finish")  # pragma: no cover


def _ours(text: str | list[str], delimiter: str, sizes: list[int]) -> list[Any]:
    records = _CsvRecords(_lines(text), delimiter)
    events: list[Any] = []
    for turn in range(10_000):
        found, error = records.read(sizes[turn % len(sizes)])
        events.extend(found)
        if error is not None:
            events.append(("error", str(error)))
        elif not found:
            return events
    raise AssertionError("the reader did not finish")  # pragma: no cover


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(PIECES), max_size=80),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    sizes=st.lists(st.integers(1, 9), min_size=1, max_size=4),
)
def test_records_and_errors_are_those_of_csv_reader(pieces: list[str], delimiter: str, sizes: list[int]) -> None:
    text = "".join(pieces)
    assert _ours(text, delimiter, sizes) == _reference(text, delimiter)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(st.sampled_from(["", "x", "yy", " z ", "\x00"]), min_size=1, max_size=4), max_size=30),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    last=st.booleans(),
)
def test_plain_exports_split_directly_give_the_same_records(rows: list[list[str]], ending: str, last: bool) -> None:
    """Exports without quotes, with each kind of line ending, blank lines, and no ending on the last line."""
    text = ending.join(",".join(row) for row in rows) + (ending if last else "")
    assert _ours(text, ",", [7]) == _reference(text, ",")


@pytest.mark.parametrize("limit", [3, 5, 40])
def test_a_cell_over_the_field_size_limit_is_the_same_error(limit: int) -> None:
    old = csv.field_size_limit(limit)
    try:
        text = "a,b\nabcdefgh,c\nd,e\n" + "x" * 50 + "\nlast,one\n"
        assert _ours(text, ",", [2]) == _reference(text, ",")
        assert any(isinstance(event, tuple) for event in _reference(text, ","))
    finally:
        csv.field_size_limit(old)


def test_a_quoted_cell_spanning_lines_across_a_chunk_boundary() -> None:
    text = 'a,b\n1,"two\nlines\nand more"\n3,4\n"x""y",z\n5,"unfinished\n'
    for size in range(1, 8):
        assert _ours(text, ",", [size]) == _reference(text, ",")


def test_lines_from_a_stream_that_does_not_split_at_every_line_break() -> None:
    """A text stream opened without newline="" can hand over a line with a bare \\r inside: csv.reader refuses it."""
    lines = ["a,b\n", "c\rd,e\n", "f,g\n", "h,\ri\r\n"]
    ours = _ours(lines, ",", [4])
    assert ours == _reference(lines, ",")
    assert any(isinstance(event, tuple) for event in ours)

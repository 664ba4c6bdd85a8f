"""Escaping: whatever a label holds comes back unchanged from the XML, JSON and CSV files."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadspec.exports.formats import UnsafeText, csv_bytes, csv_cell, json_bytes, xml_element, xml_text

# Text a label may hold once LS505 has refused control characters.
LABELS = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
    max_size=60,
)


@given(LABELS)
def test_xml_text_round_trips(label: str) -> None:
    document = "<root>" + xml_element("label", label, 0) + "</root>"
    assert ET.fromstring(document).findtext("label") == label


@given(LABELS)
def test_json_round_trips(label: str) -> None:
    assert json.loads(json_bytes({"label": label}).decode("utf-8")) == {"label": label}


@given(st.lists(LABELS, min_size=1, max_size=4))
def test_csv_round_trips_with_formulas_defused(row: list[str]) -> None:
    data = csv_bytes(["a"] * len(row), [row]).decode("utf-8")
    read = list(csv.reader(io.StringIO(data)))[1]
    assert read == [csv_cell(cell) for cell in row]
    for original, cell in zip(row, read, strict=True):
        assert not cell.startswith(("=", "+", "-", "@"))
        assert cell.removeprefix("'") == original or cell == original


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_get_a_quote(text: str) -> None:
    assert csv_cell(text) == "'" + text


def test_xml_refuses_what_xml_cannot_carry() -> None:
    with pytest.raises(UnsafeText):
        xml_text("bell\x07")
    assert xml_text('a & b < c > d "e"') == 'a &amp; b &lt; c &gt; d "e"'


def test_json_is_sorted_utf8_with_a_final_line_break() -> None:
    data = json_bytes({"b": "später", "a": 1})
    assert data == '{\n  "a": 1,\n  "b": "später"\n}\n'.encode()

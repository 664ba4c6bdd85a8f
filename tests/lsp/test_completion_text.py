"""Where completion offers a lead's field names, read from text YAML cannot parse yet."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadspec.lsp.completion import Wanted, _in_lead, _wanted_on_line

EXAMPLE = """\
stages:
  - id: mql
    description: Leads {scored above the bar
    examples:
      - name: a hot lead
        lead:
          lead_score: 60
          CURSOR
    exits:
      - to: sal
        when: sdr_status == "accepted"
        sla: {within: 1 business day, OTHER}
terms:
  lead:
    TERM
"""


def wanted(text: str) -> Wanted | None:
    index = text.index("|")
    text = text.replace("|", "")
    return _in_lead(text, text.rfind("\n", 0, index) + 1, index)


@pytest.mark.parametrize(
    ("cursor", "other", "term", "expected"),
    [
        # An unclosed brace in a description above does not hide the block-style lead.
        ("sdr|", "owner: sdr", "term: Lead", Wanted(written=frozenset({"lead_score"}))),
        ("sdr_status: acc|", "owner: sdr", "term: Lead", Wanted(value_of="sdr_status")),
        # Another flow mapping (an SLA) and a term named `lead` hold no field names.
        ("", "ow|", "term: Lead", None),
        ("", "owner: sdr", "te|", None),
    ],
)
def test_field_names_are_wanted_only_in_a_leads_mapping(
    cursor: str, other: str, term: str, expected: Wanted | None
) -> None:
    text = EXAMPLE.replace("CURSOR", cursor).replace("OTHER", other).replace("TERM", term)
    assert wanted(text) == expected


_PIECES = [
    "lead:",
    "set:",
    "examples:",
    "exits:",
    "- ",
    "  ",
    "\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    ": ",
    "#",
    "a",
    "x_1",
    "'",
    '"',
]


@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=30).map("".join), st.data())
@settings(max_examples=500, deadline=None)
def test_reading_where_the_cursor_is_never_fails(text: str, data: st.DataObject) -> None:
    """Whatever half-typed text the editor holds, the completion's reading of it answers."""
    index = data.draw(st.integers(min_value=0, max_value=len(text)))
    found = _wanted_on_line(text, index)
    assert found is None or isinstance(found, Wanted)

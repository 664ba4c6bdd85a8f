"""Spans: every value and key knows where it was written, so findings point at the right place."""

from __future__ import annotations

from leadspec.diagnostics import Span
from leadspec.model import Criterion
from leadspec.source import Document, load_text

TEXT = """\
leadspec: 1
teams:
  marketing:
    label: Marketing
    description: Owns the funnel
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: lead_score >= 40
    exits:
      - {to: sal, when: sdr_status == "accepted"}
  - id: sal
    label: Sales Accepted Lead
    definition: |
      Sales agreed to work it.
      Within two days.

    terminal: true
"""


def document(text: str = TEXT) -> Document:
    loaded, found = load_text(text, "defs.yaml")
    assert found == []
    assert loaded is not None
    return loaded


def where(span: Span) -> tuple[int, int, int | None, int | None]:
    return span.line, span.column, span.end_line, span.end_column


def written(text: str, span: Span) -> str:
    """The file text a span covers."""
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: span.line - 1]) + span.column - 1
    assert span.end_line is not None and span.end_column is not None
    end = sum(len(line) for line in lines[: span.end_line - 1]) + span.end_column - 1
    return text[start:end]


def test_scalar_values_and_their_ends() -> None:
    doc = document()
    assert where(doc.span(("leadspec",))) == (1, 11, 1, 12)
    assert where(doc.span(("teams", "marketing", "label"))) == (4, 12, 4, 21)
    assert where(doc.span(("stages", 0, "entry"))) == (9, 12, 9, 28)
    assert where(doc.span(("stages", 1, "terminal"))) == (18, 15, 18, 19)
    assert written(TEXT, doc.span(("stages", 0, "entry"))) == "lead_score >= 40"
    assert written(TEXT, doc.span(("stages", 0, "exits", 0, "when"))) == 'sdr_status == "accepted"'


def test_keys_of_mapping_entries() -> None:
    doc = document()
    assert where(doc.key_span(("teams", "marketing"))) == (3, 3, 3, 12)
    assert where(doc.key_span(("stages", 0, "exits"))) == (10, 5, 10, 10)
    assert where(doc.key_span(("stages", 0, "exits", 0, "when"))) == (11, 19, 11, 23)
    assert written(TEXT, doc.key_span(("stages", 0, "exits", 0, "when"))) == "when"


def test_collections_end_at_their_last_character() -> None:
    doc = document()
    # a block mapping ends where its last value ends, not at the next line
    assert where(doc.span(("teams", "marketing"))) == (4, 5, 5, 33)
    assert where(doc.span(("stages", 0))) == (7, 5, 11, 50)
    # a flow mapping ends after its closing brace
    assert where(doc.span(("stages", 0, "exits", 0))) == (11, 9, 11, 50)
    # a block scalar ends after its last line of text, not after the blank line it swallowed
    assert where(doc.span(("stages", 1, "definition"))) == (14, 17, 16, 23)
    assert written(TEXT, doc.span(("stages", 1, "definition"))).endswith("Within two days.")
    assert written(TEXT, doc.span(("stages", 0))).endswith('"accepted"}')


def test_root_span() -> None:
    assert where(document().span(())) == (1, 1, 18, 19)


def test_missing_path_falls_back_to_the_nearest_ancestor() -> None:
    doc = document()
    assert doc.span(("stages", 0, "owner")) == doc.span(("stages", 0))
    assert doc.span(("stages", 7, "id")) == doc.span(("stages",))
    assert doc.span(("teams", "marketing", "label", "x")) == doc.span(("teams", "marketing", "label"))
    assert doc.span(("nothing",)) == doc.span(())


def test_key_span_falls_back_for_list_items_and_missing_keys() -> None:
    doc = document()
    assert doc.key_span(("stages", 1)) == doc.span(("stages", 1))
    assert doc.key_span(("stages", 0, "owner")) == doc.span(("stages", 0))


def test_unicode_columns_count_characters() -> None:
    text = "leadspec: 1\nteams:\n  équipe: {label: Équipe 😀 marketing, x: 1}\n"
    doc = document(text)
    assert where(doc.span(("teams", "équipe", "label"))) == (3, 19, 3, 37)
    assert where(doc.span(("teams", "équipe", "x"))) == (3, 42, 3, 43)
    assert written(text, doc.span(("teams", "équipe", "label"))) == "Équipe 😀 marketing"


def test_crlf_files() -> None:
    doc = document("leadspec: 1\r\nteams:\r\n  marketing:\r\n    label: Marketing\r\n")
    assert where(doc.span(("teams", "marketing", "label"))) == (4, 12, 4, 21)


def test_aliased_values_point_at_the_alias() -> None:
    doc = document(
        "leadspec: 1\nsla: &sla\n  within: 2 days\n  owner: sdr\nexits:\n  - to: sal\n    sla: *sla\n"
    )
    assert where(doc.span(("exits", 0, "sla"))) == (7, 10, 7, 14)
    assert doc.span(("exits", 0, "sla", "owner")) == doc.span(("exits", 0, "sla"))
    assert doc.data["exits"][0]["sla"] == {"within": "2 days", "owner": "sdr"}


def test_anchored_value_span_starts_at_the_anchor() -> None:
    doc = document("leadspec: 1\nx: &a [1, 2]\n")
    assert where(doc.span(("x",))) == (2, 4, 2, 13)


def test_a_criterion_locates_errors_through_the_offsets() -> None:
    doc = document()
    path = ("stages", 0, "exits", 0, "when")
    criterion = Criterion(
        text=doc.data["stages"][0]["exits"][0]["when"],
        span=doc.span(path),
        where=lambda: doc.scalar_offsets(path),
    )
    # `accepted` starts at offset 15 of `sdr_status == "accepted"`
    located = criterion.locate(15)
    assert (located.line, located.column) == (11, 40)
    assert TEXT.splitlines()[10][located.column - 1 :].startswith('accepted"}')

"""GitHub Actions annotations and the job summary, read back the way GitHub reads them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from reporter_cases import d, fake_registry, report  # noqa: F401 (fixtures)

from leadspec.diagnostics import Report, Severity, Span
from leadspec.reporters import github


def unescape(value: str, mappings: list[tuple[str, str]]) -> str:
    # The Actions runner replaces each escape in this order (ActionCommand.UnescapeValue).
    for token, escaped in mappings:
        value = value.replace(escaped, token)
    return value


DATA = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
PROPERTY = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner parses it: `::command k=v,k=v::data`."""
    assert line.startswith("::")
    end = line.index("::", 2)
    head, data = line[2:end], line[end + 2 :]
    command, _, props = head.partition(" ")
    properties = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value, PROPERTY)
    return command, properties, unescape(data, DATA)


def test_annotations_for_a_small_run(report: Report) -> None:
    lines = github.render(report).splitlines()
    assert [parse(line) for line in lines] == [
        (
            "warning",
            {"file": "definitions/fields.yaml", "line": "2", "col": "1", "title": "LS305 dead-criterion"},
            "this exit can never be taken",
        ),
        (
            "error",
            {
                "file": "definitions/sales.yaml", "line": "3", "col": "3", "endLine": "3", "endColumn": "6",
                "title": "LS301 overlap",
            },
            'stages "mql" and "sal" overlap\nexample lead: lead_score=45, email_verified=true, annual_revenue=0.10',
        ),
        (
            "error",
            {
                "file": "definitions/sales.yaml", "line": "4", "col": "12", "endLine": "4", "endColumn": "21",
                "title": "LS207 unknown-field",
            },
            'unknown field "lead_scor"\nhint: did you mean "lead_score"?',
        ),
        ("notice", {"title": "LS901 unused-waiver"}, 'the waiver for LS302 on "nurture" matches no finding'),
    ]


def test_escaping_of_message_and_properties() -> None:
    report = Report(
        diagnostics=[
            d(
                "LS207",
                "100% sure,: not\r\nok::here %0A",
                Span("defs/we,ird:name%.yaml", 1, 2),
                hint="a, b: c",
            )
        ]
    )
    (line,) = github.render(report).splitlines()
    assert line == (
        "::error file=defs/we%2Cird%3Aname%25.yaml,line=1,col=2,title=LS207 unknown-field::"
        "100%25 sure,: not%0D%0Aok::here %250A%0Ahint: a, b: c"
    )
    command, props, message = parse(line)
    assert props["file"] == "defs/we,ird:name%.yaml"
    assert message == "100% sure,: not\r\nok::here %0A\nhint: a, b: c"


@given(
    message=st.text(min_size=1),
    file=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1),
)
def test_any_message_and_path_come_back_unchanged(message: str, file: str) -> None:
    report = Report(diagnostics=[d("LS207", message, Span(file, 7, 3), severity=Severity.WARNING)])
    out = github.render(report)
    assert out.count("\n") == 1  # a line break inside a value would end the command early
    command, props, data = parse(out.rstrip("\n"))
    assert command == "warning"
    assert props["file"] == file and props["line"] == "7"
    assert data == message


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("| ---")][1:]


def cells(row: str) -> list[str]:
    # A cell boundary is a pipe without a backslash before it.
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_summary_markdown(report: Report) -> None:
    md = github.summary_markdown(report)
    assert md.startswith("## leadspec\n\nChecked 3 files: 2 errors, 1 warning, 1 info.\n")
    rows = table_rows(md)
    assert len(rows) == 4
    assert cells(rows[2]) == [
        "❌ error",
        "LS207 unknown\\-field",
        "definitions/sales.yaml:4:12",
        'unknown field "lead\\_scor"<br>hint: did you mean "lead\\_score"?',
    ]


def test_summary_without_findings_has_no_table() -> None:
    md = github.summary_markdown(Report(files=["a.yaml"]))
    assert md == "## leadspec\n\nChecked 1 file: no problems found.\n"


def test_markdown_in_messages_is_shown_literally() -> None:
    nasty = "a | b\n**bold** <script>x</script> [link](http://x) `code` &amp; $x$ \x00"
    md = github.summary_markdown(Report(diagnostics=[d("LS207", nasty, Span("a.yaml", 1, 1))]))
    (row,) = table_rows(md)
    assert len(cells(row)) == 4
    message = cells(row)[3]
    assert "<script>" not in message and "**" not in message and "\n" not in message
    assert message.startswith("a \\| b<br>\\*\\*bold\\*\\* \\<script\\>")
    assert "\\&amp;" in message and "\\$x\\$" in message and "\x00" not in message


def test_long_runs_are_cut_with_a_note() -> None:
    many = Report(diagnostics=[d("LS207", f"m{i}", Span("a.yaml", i + 1, 1)) for i in range(12)])
    md = github.summary_markdown(many, max_rows=10)
    assert len(table_rows(md)) == 10
    assert "and 2 more" in md

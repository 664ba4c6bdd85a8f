"""One line per finding: what the fixture tests compare and what people grep."""

from __future__ import annotations

from reporter_cases import d, fake_registry, report  # noqa: F401 (fixtures)

from leadspec.diagnostics import Report, Severity, Span
from leadspec.reporters import concise


def test_one_sorted_line_per_finding_and_nothing_else(report: Report) -> None:
    assert concise.render(report) == (
        "definitions/fields.yaml:2:1: warning LS305 this exit can never be taken\n"
        'definitions/sales.yaml:3:3: error LS301 stages "mql" and "sal" overlap\n'
        'definitions/sales.yaml:4:12: error LS207 unknown field "lead_scor"\n'
        'info LS901 the waiver for LS302 on "nurture" matches no finding\n'
    )


def test_sorted_by_file_line_column_then_code() -> None:
    report = Report(
        diagnostics=[
            d("LS301", "m", Span("b.yaml", 1, 1)),
            d("LS207", "m", Span("a.yaml", 10, 1)),
            d("LS301", "m", Span("a.yaml", 2, 5)),
            d("LS207", "m", Span("a.yaml", 2, 5)),
            d("LS207", "m", Span("a.yaml", 2, 1)),
        ]
    )
    assert [line.split(": ")[0] + " " + line.split()[2] for line in concise.render(report).splitlines()] == [
        "a.yaml:2:1 LS207",
        "a.yaml:2:5 LS207",
        "a.yaml:2:5 LS301",
        "a.yaml:10:1 LS207",
        "b.yaml:1:1 LS301",
    ]


def test_a_message_with_line_breaks_stays_on_one_line() -> None:
    report = Report(diagnostics=[d("LS207", "unknown key\n\"a\r\nb\"", Span("a.yaml", 1, 1), hint="not shown")])
    assert concise.render(report) == 'a.yaml:1:1: error LS207 unknown key\\n"a\\r\\nb"\n'


def test_severity_as_configured_not_as_registered() -> None:
    report = Report(diagnostics=[d("LS207", "m", Span("a.yaml", 1, 1), severity=Severity.WARNING)])
    assert concise.render(report) == "a.yaml:1:1: warning LS207 m\n"


def test_clean_run_prints_nothing() -> None:
    assert concise.render(Report(files=["a.yaml"])) == ""

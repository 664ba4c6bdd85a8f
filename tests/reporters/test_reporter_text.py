"""The human output: what a marketing-ops person reads in their terminal."""

from __future__ import annotations

import re
from decimal import Decimal

from reporter_cases import d, fake_registry, report  # noqa: F401 (fixtures)

from leadspec.diagnostics import Related, Report, Span
from leadspec.reporters import text

GOLDEN = """\
definitions/fields.yaml:2:1: warning LS305 this exit can never be taken
  2 | fields:
    | ^

definitions/sales.yaml:3:3: error LS301 stages "mql" and "sal" overlap
  3 |   mql:
    |   ^^^
  definitions/sales.yaml:6:13: note: stage "sal" is entered here
  example lead: lead_score=45, email_verified=true, annual_revenue=0.10

definitions/sales.yaml:4:12: error LS207 unknown field "lead_scor"
  4 |     entry: lead_scor >= 50 and country in ["US", "CA"]
    |            ^^^^^^^^^
  definitions/fields.yaml:3:3: note: "lead_score" is declared here
  hint: did you mean "lead_score"?

info LS901 the waiver for LS302 on "nurture" matches no finding

Checked 3 files: 2 errors, 1 warning, 1 info.
"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_layout_of_a_small_run(report: Report) -> None:
    assert text.render(report) == GOLDEN


def test_colour_only_when_asked_and_it_changes_nothing_else(report: Report) -> None:
    plain = text.render(report)
    coloured = text.render(report, color=True)
    assert "\x1b" not in plain
    assert "\x1b[1;31merror\x1b[0m" in coloured
    assert "\x1b[1;33mwarning\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == plain


def test_summary_line_wording() -> None:
    assert text.render(Report(files=["a.yaml"] * 4)) == "Checked 4 files: no problems found.\n"
    one = Report(files=["a.yaml"], diagnostics=[d("LS305", "x", Span("a.yaml", 1, 1))])
    assert text.render(one).endswith("\nChecked 1 file: 1 warning.\n")
    many = Report(
        files=["a.yaml", "b.yaml"],
        diagnostics=[d("LS207", "x", Span("a.yaml", 1, 1)), d("LS207", "y", Span("b.yaml", 1, 1))],
    )
    assert text.render(many).endswith("\nChecked 2 files: 2 errors.\n")


def caret_line(output: str) -> str:
    return next(line for line in output.splitlines() if "^" in line)


def test_underline_stays_under_the_span_after_tabs_and_wide_characters() -> None:
    # "\tname: 市场 lead_scor": the field starts at column 11 (tab and CJK count as one column each).
    source = "\tname: 市场 lead_scor >= 5\n"
    report = Report(
        files=["a.yaml"],
        sources={"a.yaml": source},
        diagnostics=[d("LS207", 'unknown field "lead_scor"', Span("a.yaml", 1, 11, 1, 20))],
    )
    lines = text.render(report).splitlines()
    assert lines[1] == "  1 |     name: 市场 lead_scor >= 5"
    # tab shown as 4 spaces, "name: " 6, each CJK character two terminal cells, then a space
    assert lines[2] == "    | " + " " * (4 + 6 + 4 + 1) + "^" * 9


def test_span_without_end_and_span_past_the_line_end() -> None:
    source = "leadspec: 1\nstages:\n"
    report = Report(
        files=["a.yaml"],
        sources={"a.yaml": source},
        diagnostics=[d("LS207", "x", Span("a.yaml", 2, 8))],
    )
    assert caret_line(text.render(report)) == "    |        ^"


def test_span_over_several_lines_underlines_the_rest_of_the_first() -> None:
    source = "a: [1,\n   2]\n"
    report = Report(files=["a.yaml"], sources={"a.yaml": source}, diagnostics=[d("LS207", "x", Span("a.yaml", 1, 4, 2, 6))])
    assert caret_line(text.render(report)) == "    |    ^^^"


def test_no_quote_when_the_source_is_unknown_or_no_line() -> None:
    report = Report(
        files=["a.yaml"],
        diagnostics=[
            d("LS207", "unknown source", Span("gone.yaml", 3, 1)),
            d("LS004", "whole file", Span("a.yaml", 0, 0)),
        ],
    )
    out = text.render(report)
    assert "a.yaml: error LS004 whole file\n" in out
    assert "gone.yaml:3:1: error LS207 unknown source\n\n" in out
    assert "|" not in out


def test_control_characters_from_a_file_cannot_reach_the_terminal() -> None:
    report = Report(
        files=["a.yaml"],
        sources={"a.yaml": "key\x1b[2J: 1\n"},
        diagnostics=[
            d(
                "LS207",
                'unknown field "a\nb\x1b[31m"',
                Span("a.yaml", 1, 1, 1, 9),
                hint="line\rbreak",
                related=(Related(Span("a.yaml", 1, 1), "bell\x07"),),
                witness={"country": "New\nYork"},
            )
        ],
    )
    out = text.render(report)
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert 'unknown field "a\\nb\\x1b[31m"' in out
    assert "note: bell\\x07" in out
    assert "hint: line\\rbreak" in out
    assert 'country="New\\nYork"' in out
    # Every finding header stays one line: blocks are header + indented lines only.
    assert all(line.startswith(("a.yaml", "  ", "Checked")) for line in out.splitlines() if line)


def test_witness_values_read_as_written() -> None:
    report = Report(
        files=["a.yaml"],
        diagnostics=[
            d(
                "LS302",
                "gap",
                Span("a.yaml", 1, 1),
                witness={
                    "employees": 1,
                    "annual_revenue": Decimal("1E+3"),
                    "verified": False,
                    "industry": None,
                    "stage name": "Sales Accepted",
                },
            )
        ],
    )
    assert (
        "  example lead: employees=1, annual_revenue=1000, verified=false, industry=(missing), "
        'stage name="Sales Accepted"'
    ) in text.render(report)

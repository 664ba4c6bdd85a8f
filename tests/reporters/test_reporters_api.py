"""`render(name, report)`: the one entry point the CLI uses."""

from __future__ import annotations

import pytest
from reporter_cases import d, fake_registry, report  # noqa: F401 (fixtures)

from leadspec.diagnostics import Diagnostic, Report, Severity, Span
from leadspec.reporters import FORMATS, render


def test_every_format_is_listed() -> None:
    assert set(FORMATS) == {"text", "concise", "json", "sarif", "github", "junit"}


def test_unknown_format_is_a_plain_message() -> None:
    with pytest.raises(ValueError, match='unknown output format "xml"; choose one of: text, concise'):
        render("xml", Report())


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_takes_the_cli_options_and_handles_odd_reports(name: str, report: Report) -> None:
    odd = Report(
        files=["a.yaml"],
        sources={"a.yaml": "x: 1\n"},
        diagnostics=[
            *report.diagnostics,
            Diagnostic(code="LS999", severity=Severity.WARNING, message="a code nobody registered"),
            d("LS207", "line past the end of the file", Span("a.yaml", 99, 1, 99, 4)),
            d("LS207", "end before start", Span("a.yaml", 1, 4, 1, 2)),
            d("LS207", "bad \ud800 \x1b[31m text", Span("a.yaml", 1, 1)),
        ],
    )
    out = render(name, odd, color=True)
    assert isinstance(out, str) and out.endswith("\n")
    out.encode("utf-8")
    assert render(name, Report(), color=False).endswith("\n") or name in {"concise", "github"}


def test_text_is_the_same_as_calling_the_module(report: Report) -> None:
    from leadspec.reporters import text

    assert render("text", report) == text.render(report)

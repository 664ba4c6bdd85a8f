"""Output formats: each turns a finished `Report` into text, and nothing more.

Reporters never decide what is wrong; they only print what the rules found.
`render("sarif", report)` picks a format by the name the CLI's `--format` takes.
Options a format does not use are ignored, so the CLI can pass `color=` to all.
"""

from __future__ import annotations

import importlib
from typing import Any

from leadspec.diagnostics import Report

# Format name -> the module in this package that renders it. A run imports only the one it
# prints with: the other five cost a check's start-up most of a millisecond.
FORMATS: dict[str, str] = {
    "text": "text",
    "concise": "concise",
    "json": "json",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
}

DEFAULT_FORMAT = "text"


def render(name: str, report: Report, **options: Any) -> str:
    """The report in format `name` (one of `FORMATS`)."""
    try:
        module = FORMATS[name]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise ValueError(f'unknown output format "{name}"; choose one of: {choices}') from None
    renderer = importlib.import_module(f"{__name__}.{module}").render
    return renderer(report, **options)


__all__ = ["DEFAULT_FORMAT", "FORMATS", "render"]

"""Output formats: each turns a finished `Report` into text, and nothing more.

Reporters never decide what is wrong; they only print what the rules found.
`render("sarif", report)` picks a format by the name the CLI's `--format` takes.
Options a format does not use are ignored, so the CLI can pass `color=` to all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadspec.diagnostics import Report
from leadspec.reporters import concise, github, junit, sarif, text
from leadspec.reporters import json as json_format

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}

DEFAULT_FORMAT = "text"


def render(name: str, report: Report, **options: Any) -> str:
    """The report in format `name` (one of `FORMATS`)."""
    try:
        renderer = FORMATS[name]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise ValueError(f'unknown output format "{name}"; choose one of: {choices}') from None
    return renderer(report, **options)


__all__ = ["DEFAULT_FORMAT", "FORMATS", "render"]

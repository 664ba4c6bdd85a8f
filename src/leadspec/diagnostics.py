"""Diagnostics as plain values.

Every phase of the pipeline returns `Diagnostic` values instead of printing, so
one run can be rendered as text, JSON, SARIF, GitHub annotations or JUnit by a
reporter that knows nothing about how the finding was made. No I/O here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from leadspec.structs import field, replace, struct


class Severity(enum.Enum):
    """How much a finding matters; `error` is what fails a commit or CI run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@struct(order=True)
class Span:
    """A place in a definitions file; lines and columns are 1-based, as editors show them."""

    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@struct
class Related:
    """A second place a finding involves ("also defined here")."""

    span: Span
    message: str


@struct
class Edit:
    """Replace `old`, the text from `span`'s start to its end (exclusive), with `new`.

    `old` is what the check read there: an edit whose place no longer holds it (the
    file changed since) is never applied.
    """

    span: Span
    old: str
    new: str


@struct
class Fix:
    """Edits that certainly resolve a finding: `check --fix` applies them, an editor offers them."""

    title: str
    edits: tuple[Edit, ...]


@struct
class Diagnostic:
    """One finding. `witness` is an example lead that shows the problem, where one exists."""

    code: str
    severity: Severity
    message: str
    span: Span | None = None
    hint: str | None = None
    related: tuple[Related, ...] = ()
    witness: Mapping[str, Any] | None = None
    # What the finding is about ("handoff:mql->sal"), and what it may follow from: one
    # change often breaks several things, and a finding whose `follows` names the
    # `about` of another finding in the run is shown after that cause, as its consequence.
    about: str | None = None
    follows: tuple[str, ...] = ()
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """File order, then place; findings about the run as a whole come last."""
        if self.span is None:
            return (1, "", 0, 0, self.code, self.message)
        return (0, self.span.file, self.span.line, self.span.column, self.code, self.message)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)


def diagnostic(
    code: str,
    message: str,
    span: Span | None = None,
    *,
    hint: str | None = None,
    related: Iterable[Related] = (),
    witness: Mapping[str, Any] | None = None,
    severity: Severity | None = None,
    about: str | None = None,
    follows: Iterable[str] = (),
    fix: Fix | None = None,
) -> Diagnostic:
    """Make a diagnostic with the code's default severity from the rule registry.

    Phases call this instead of choosing a severity themselves, so the registry is
    the one place that says how serious each code is (config may still override it).
    """
    if severity is None:
        from leadspec.rules import registry

        severity = registry.get(code).severity
    return Diagnostic(
        code=code,
        severity=severity,
        message=message,
        span=span,
        hint=hint,
        related=tuple(related),
        witness=dict(witness) if witness is not None else None,
        about=about,
        follows=tuple(follows),
        fix=fix,
    )


@struct
class ReadAlong:
    """The other definition files a named file was checked with.

    A stage file names fields and teams defined in a shared file, so it is only
    meaningful with the rest of its definitions; their findings are not reported,
    but the summary says they were read and how many errors were found elsewhere.
    """

    files: tuple[str, ...]
    paths: tuple[str, ...]  # the configured `paths` they come from, as shown to the user
    errors: int = 0  # errors outside the named files (the other definitions, CODEOWNERS)


@struct(frozen=False)
class Report:
    """The result of one `leadspec check` run: what was read and what was found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    read_along: ReadAlong | None = None
    # file -> (the text split, its lines): a report quotes a line per finding, and
    # splitting the whole file for each was quadratic in large files
    _lines: dict[str, tuple[str, list[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def sorted(self) -> list[Diagnostic]:
        """File order, except that a finding that follows from another comes right after its cause."""
        return [found for found, _ in self.grouped()]

    def grouped(self) -> list[tuple[Diagnostic, Diagnostic | None]]:
        """Each finding with the finding it follows from (None for a cause or a lone finding).

        Causes keep file order; each one's consequences come right after it, in file
        order too, so the first finding of a group is the thing to fix.
        """
        plain = sorted(self.diagnostics, key=lambda d: d.sort_key)
        topics: dict[str, Diagnostic] = {}
        for found in plain:
            if found.about is not None:
                topics.setdefault(found.about, found)
        cause: dict[int, Diagnostic] = {}
        for found in plain:
            for topic in found.follows:
                candidate = topics.get(topic)
                if candidate is not None and not _leads_back(candidate, found, cause):
                    cause[id(found)] = candidate
                    break
        after: dict[int, list[Diagnostic]] = {}
        for found in plain:
            if id(found) in cause:
                after.setdefault(id(cause[id(found)]), []).append(found)
        out: list[tuple[Diagnostic, Diagnostic | None]] = []
        todo = [(found, None) for found in reversed(plain) if id(found) not in cause]
        while todo:
            found, parent = todo.pop()
            out.append((found, parent))
            todo.extend((child, found) for child in reversed(after.get(id(found), [])))
        return out

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def exit_code(self) -> int:
        """0 when clean, 1 when any finding is at error level."""
        return 1 if self.count(Severity.ERROR) else 0

    def source_line(self, span: Span | None) -> str | None:
        """The text of the line a span starts on, for reporters that quote it."""
        if span is None or span.file not in self.sources:
            return None
        text = self.sources[span.file]
        split = self._lines.get(span.file)
        if split is None or split[0] is not text:
            split = self._lines[span.file] = (text, text.splitlines())
        lines = split[1]
        if 1 <= span.line <= len(lines):
            return lines[span.line - 1]
        return None


def _leads_back(candidate: Diagnostic, found: Diagnostic, cause: dict[int, Diagnostic]) -> bool:
    """Whether `candidate` already follows, step by step, from `found` (no cause may be its own)."""
    step: Diagnostic | None = candidate
    while step is not None:
        if step is found:
            return True
        step = cause.get(id(step))
    return False

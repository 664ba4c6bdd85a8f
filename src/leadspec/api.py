"""`check(paths, config) -> Report`: the one place that runs the whole pipeline.

source -> schema -> build -> expressions -> rules -> config and waivers.
Every phase returns diagnostics; a file that fails one phase is left out of
the next ones for that file only, so one broken file never hides the findings
in the others.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

# `rules.registry` is looked up at each use, not bound here: a caller (or a test) that installs
# another registry for a while is seen while it lasts, and not kept after.
from leadspec import rules, schema, source
from leadspec.build import Source, build, iter_criteria
from leadspec.collector import rare_collections
from leadspec.config import Config
from leadspec.context import Context
from leadspec.diagnostics import (
    Diagnostic,
    Edit,
    Fix,
    ReadAlong,
    Related,
    Report,
    Severity,
    Span,
    diagnostic,
)
from leadspec.expr.ast import Expr, Ref
from leadspec.expr.conditions import names_used, order, resolve
from leadspec.expr.parser import ExprSyntaxError, parse
from leadspec.expr.typecheck import explain_words, typecheck
from leadspec.membership import fields_of
from leadspec.model import Criterion, Model
from leadspec.structs import struct

if TYPE_CHECKING:
    from leadspec.source import Document


class UsageError(Exception):
    """The command was asked for something that cannot be done (exit code 2)."""


@struct(frozen=False)
class Loaded:
    """The model and what was found on the way to it; `site`, `export` and `diff` reuse this."""

    model: Model
    context: Context
    report: Report


def collect_files(paths: Sequence[str | Path], root: Path | None = None) -> list[Path]:
    """Every *.yaml / *.yml named, or found under the named folders, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            if not path.is_absolute() and root is not None and not path.exists():
                path = root / path
            is_dir = path.is_dir()
            is_file = not is_dir and path.is_file()
        except OSError as error:
            if error.errno == errno.ENAMETOOLONG:  # longer than any name on disk: nothing has it
                raise UsageError(f"{raw}: no such file or folder") from None
            is_dir, is_file = False, True  # reading it says why (LS001), as for a file one may not read
        if is_dir:
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and _may_be_file(p))
            )
        elif is_file:
            found.append(path)
        else:
            raise UsageError(f"{raw}: no such file or folder")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


def _may_be_file(path: Path) -> bool:
    """A file, or a path that cannot be looked at (in a folder without search permission).

    Reading it then says why, at the file (LS001), instead of the walk ending in a traceback.
    """
    try:
        return path.is_file()
    except OSError:
        return True


def _text_for_quoting(path: Path, limit: int) -> str | None:
    """A rejected file's text, best effort, so its findings can still quote the line."""
    try:
        if path.stat().st_size > limit:
            return None
        return path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return None


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class Reader(Protocol):
    """How a definitions file is read: `source.load`, or an editor's reader of unsaved buffers."""

    def __call__(
        self, path: Path, display: str | None = None, *, max_bytes: int = ...
    ) -> tuple[Document | None, list[Diagnostic]]: ...


def load(paths: Sequence[str | Path], config: Config, *, read: Reader | None = None) -> Loaded:
    """Read, validate and build; run expression checks and every model rule.

    `read` reads each file (default `source.load`): the language server passes one
    that reads an open editor buffer instead of the file on disk.
    """
    with rare_collections():
        return _load(paths, config, read or source.load)


def _load(paths: Sequence[str | Path], config: Config, read: Reader) -> Loaded:
    files = collect_files(paths, config.root)
    report = Report(files=[_display(path) for path in files])
    found: list[Diagnostic] = []
    sources: list[Source] = []
    complete = True
    for path, display in zip(files, report.files, strict=True):
        document, problems = read(path, display, max_bytes=config.max_file_size)
        found.extend(problems)
        if document is None:
            complete = False
            text = _text_for_quoting(path, config.max_file_size)
            if text is not None:
                report.sources[display] = text
            continue
        report.sources[display] = document.text
        schema_problems, failed = schema.validate(document)
        # A value the loader already flagged (e.g. an ambiguous `yes`) is not
        # reported a second time by the schema.
        flagged = {(d.span.line, d.span.column) for d in problems if d.span is not None}
        found.extend(
            d for d in schema_problems if d.span is None or (d.span.line, d.span.column) not in flagged
        )
        sources.append(Source(document, frozenset(failed)))

    model, problems = build(sources, complete=complete)
    found.extend(problems)
    context = Context(model=model, config=config, files=tuple(report.files))
    found.extend(_check_expressions(context))
    exact = _is_exact(model, sources, context, found)
    skipped_exact: list[str] = []
    # A rule whose code is switched off is not even imported: its findings would be dropped
    # anyway, and `--select LS0,LS1,LS2` then never runs the lifecycle analysis.
    for module in rules.registry.checks(lambda code: config.enabled(code, None)):
        if module.rule.needs_complete_model and not model.complete:
            continue
        if module.rule.needs_exact_model and not exact:
            skipped_exact.append(module.rule.code)
            continue
        found.extend(module.check(context))
    enabled_skips = [code for code in skipped_exact if config.enabled(code, None)]
    if enabled_skips and files:
        found.append(
            diagnostic(
                "LS300",
                "the lifecycle analysis (gaps, overlaps, hand-offs, examples) did not run: "
                "it needs definitions without errors",
                None,
                hint="fix the errors, then run `leadspec check` again",
            )
        )
    report.diagnostics = _apply_config_and_waivers(found, model, config)
    return Loaded(model=model, context=context, report=report)


def _is_exact(model: Model, sources: Sequence[Source], context: Context, found: list[Diagnostic]) -> bool:
    """Whether the model is exactly what the files say: every file read, nothing
    pruned by the schema, no id defined twice, every criterion understood."""
    if not model.complete or model.unchecked or any(source.failed for source in sources):
        return False
    if any(item.code == "LS201" for item in found):
        return False
    return all(criterion in context.exprs for _, criterion in iter_criteria(model))


def check(paths: Sequence[str | Path], config: Config) -> Report:
    """What `leadspec check` reports: the findings, less those the project's baseline records."""
    return baselined(load(paths, config), config)


def baselined(loaded: Loaded, config: Config) -> Report:
    """The report without the findings the configured baseline records, with LS903 for its stale entries."""
    report = loaded.report
    if config.baseline is None:
        return report
    from leadspec import baseline

    path = config.root / config.baseline
    try:
        entries = baseline.read(path)
    except baseline.BaselineError as error:
        raise UsageError(f"{error} (`baseline` in {config.source or 'the configuration'})") from None
    found = baseline.apply(
        report.diagnostics,
        report,
        entries,
        _display(path),
        config.root,
        stale_reported=loaded.model.complete and config.enabled("LS903", _display(path)),
        enabled=lambda code: config.enabled(code, None),
    )
    report.diagnostics = sorted(
        (d.with_severity(config.severity_of(d.code, d.severity)) if d.code == "LS903" else d for d in found),
        key=lambda d: d.sort_key,
    )
    return report


def check_named(paths: Sequence[str | Path], config: Config) -> Report:
    """Check the files named on the command line, each as part of the definitions it belongs to.

    Fields, teams and calendars usually live in a shared file, so a stage file read
    alone is all unknown references. A named file inside the configured `paths` is
    read with the rest of them and only its own findings are kept; a file outside
    them is read alone, as it always was.
    """
    named = collect_files(paths, config.root)
    try:
        configured = collect_files(config.paths, config.root)
    except UsageError:
        configured = []  # no configured definitions here: every named file stands alone
    known = {path.resolve() for path in configured}
    inside = [path for path in named if path.resolve() in known]
    outside = [path for path in named if path.resolve() not in known]
    if len(inside) in (0, len(configured)):
        return check(named, config)
    whole = check(configured, config)
    shown = {_display(path) for path in inside}
    others = tuple(name for name in whole.files if name not in shown)
    errors = sum(
        1
        for item in whole.diagnostics
        if item.span is not None and item.span.file not in shown and item.severity is Severity.ERROR
    )
    report = Report(
        diagnostics=[item for item in whole.diagnostics if item.span is None or item.span.file in shown],
        files=[name for name in whole.files if name in shown],
        sources={name: text for name, text in whole.sources.items() if name in shown},
        read_along=ReadAlong(
            others, tuple(_folder_display(config.root / raw) for raw in config.paths), errors
        ),
    )
    if outside:
        alone = check(outside, config)
        report.files.extend(alone.files)
        report.sources.update(alone.sources)
        report.diagnostics = sorted(report.diagnostics + alone.diagnostics, key=lambda d: d.sort_key)
    return report


def _folder_display(path: Path) -> str:
    """`definitions/` for a folder, so the summary reads as a place."""
    shown = _display(path)
    if shown == ".":
        return "this folder"
    return f"{shown}/" if path.is_dir() else shown


def _check_expressions(context: Context) -> Iterable[Diagnostic]:
    """Parse and type-check every criterion; keep the clean ones for the rules.

    Named conditions are used by name, so each criterion is first checked on its own,
    then the names are resolved (`expr.conditions`): a criterion is kept when every
    condition it uses is kept, and a condition that uses itself is reported (LS215).
    """
    model = context.model
    # Fields declared with a broken definition: references to them are no finding of
    # their own, and a criterion naming one is left out of the checks, like a broken one.
    broken = {ident for kind, ident in model.unchecked if kind == "field"}
    names = set(model.conditions) | {ident for kind, ident in model.unchecked if kind == "condition"}
    checked: dict[Criterion, Expr] = {}
    for where, criterion in iter_criteria(model):
        try:
            tree = parse(criterion.text)
        except ExprSyntaxError as raw:
            error = explain_words(raw, model.fields, broken)
            span = criterion.extent(error.start, error.end)
            yield diagnostic(
                "LS206",
                f"{error.message} (in {where}, at character {error.start + 1} of the condition)",
                span,
                hint=error.hint,
                fix=_replacing(criterion, error.start, error.end, span, error.replacement),
            )
            continue
        context.parsed[criterion] = tree
        issues = typecheck(tree, model.fields, broken, names)
        for issue in issues:
            span = criterion.extent(issue.start, issue.end)
            fix = _replacing(criterion, issue.start, issue.end, span, issue.replacement)
            yield diagnostic(issue.code, issue.message, span, hint=issue.hint, fix=fix)
        if not issues and broken.isdisjoint(fields_of(tree)):
            checked[criterion] = tree
    uses = {
        ident: names_used(checked[c.when], names) if c.when in checked else ()
        for ident, c in model.conditions.items()
    }
    ready, cycles = order(uses)
    for cycle in cycles:
        yield _cycle(model, cycle)
    refs: dict[str, Ref] = {}
    for ident in ready:
        condition = model.conditions[ident]
        tree = checked.get(condition.when)
        if tree is not None and all(name in refs for name in uses[ident]):
            resolved = resolve(tree, refs)
            refs[ident] = Ref(ident, condition.label, resolved, 0, 0)
    for criterion, tree in checked.items():
        if all(name in refs for name in names_used(tree, names)):
            context.exprs[criterion] = resolve(tree, refs)


def _cycle(model: Model, cycle: Sequence[str]) -> Diagnostic:
    """LS215 at the `when` of a cycle's first condition, with the other conditions on it related."""
    first = model.conditions[cycle[0]]
    path = " uses ".join(f"`{name}`" for name in cycle)
    others = [
        Related(
            model.conditions[name].spans.get("when", model.conditions[name].span), f"`{name}` is defined here"
        )
        for name in dict.fromkeys(cycle[1:-1])
    ]
    return diagnostic(
        "LS215",
        f"the condition `{first.id}` uses itself: {path}",
        first.spans.get("when", first.span),
        hint="a condition cannot depend on itself: write one of them without the other",
        related=others,
    )


def _replacing(criterion: Criterion, start: int, end: int, span: Span, new: str | None) -> Fix | None:
    """The fix that writes `new` over characters start..end of a criterion, where it is safe.

    Only when those characters stand on one line of the file as they are in the criterion
    (a YAML escape or a folded line break in between would make the file's text differ).
    """
    old = criterion.text[start:end]
    if new is None or span.end_line != span.line or span.end_column is None:
        return None
    if span.end_column - span.column != len(old):
        return None
    return Fix(f"write {new}", (Edit(span, old, new),))


def _apply_config_and_waivers(found: list[Diagnostic], model: Model, config: Config) -> list[Diagnostic]:
    """Drop what config turns off or a waiver accepts; report waivers that match nothing."""
    kept: list[Diagnostic] = []
    used: set[int] = set()
    for item in found:
        rule = rules.registry.get(item.code)
        if rule.needs_complete_model and not model.complete:
            continue
        file = item.span.file if item.span else None
        if not config.enabled(item.code, file):
            continue
        waiver_index = next(
            (
                index
                for index, waiver in enumerate(model.waivers)
                if waiver.code == item.code and waiver.covers(item.span)
            ),
            None,
        )
        if waiver_index is not None:
            used.add(waiver_index)
            continue
        kept.append(item.with_severity(config.severity_of(item.code, item.severity)))
    for index, waiver in enumerate(model.waivers):
        if index in used or not config.enabled("LS901", waiver.span.file):
            continue
        if not rules.registry.known(waiver.code):
            extra = diagnostic(
                "LS902",
                f"this waiver names {waiver.code}, which is no leadspec code",
                waiver.span,
                hint="check the code against `leadspec rule --all`, or remove the waiver",
            )
        elif not config.enabled(waiver.code, waiver.scope.file):
            continue  # the code is switched off in config: the waiver has nothing to do
        elif not model.complete:
            continue  # its finding may depend on a file that could not be read
        else:
            extra = diagnostic(
                "LS901",
                f"this waiver for {waiver.code} no longer matches any finding",
                waiver.span,
                hint="the problem it accepted is gone: remove the waiver",
            )
        kept.append(extra.with_severity(config.severity_of(extra.code, extra.severity)))
    return sorted(kept, key=lambda d: d.sort_key)

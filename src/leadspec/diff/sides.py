"""Each side of a diff loaded like `leadspec check` loads it, with what that found.

A side that does not load cleanly is still diffed as far as it goes: its
errors are shown as "the base has problems", its findings name files the way
people know them (`main:definitions/x.yaml`, not a temporary folder), and the
flags say which comparisons stay trustworthy:

- `exact`: every criterion of the lifecycle read and type-checked, nothing
  pruned by the schema, no id twice. Lead movement needs both sides exact.
- `complete`: every file read. Only then can "it is gone" be claimed about a
  stage or value (it might live in the file that could not be read).
"""

from __future__ import annotations

from leadspec.api import Loaded, UsageError, load
from leadspec.diagnostics import Diagnostic, Related, Report, Severity, Span
from leadspec.diff.revisions import RevisionError, Tree
from leadspec.membership import lifecycle_criteria
from leadspec.model import Model
from leadspec.structs import replace, struct


@struct(frozen=False)
class Side:
    tree: Tree
    loaded: Loaded
    report: Report  # the side's own findings, with files named for people

    @property
    def model(self) -> Model:
        return self.loaded.model

    @property
    def name(self) -> str:
        return self.tree.name

    @property
    def empty(self) -> bool:
        """No definitions at all on this side (they were added later, or removed)."""
        return not self.report.files

    @property
    def problems(self) -> list[Diagnostic]:
        if self.empty:
            return []  # "every lead is in no stage" says nothing about a side without definitions
        return [d for d in self.report.sorted() if d.severity is Severity.ERROR]

    @property
    def complete(self) -> bool:
        return self.model.complete and not self.model.unchecked

    @property
    def exact(self) -> bool:
        if not self.complete:
            return False
        # Reading, schema and model errors (LS0xx-LS2xx) mean the model is not what the files say.
        if any(d.code < "LS3" for d in self.problems):
            return False
        ids = self.model.stage_ids
        if len(set(ids)) != len(ids):
            return False
        return all(criterion in self.loaded.context.exprs for _, criterion in lifecycle_criteria(self.model))

    def span(self, span: Span | None) -> Span | None:
        """A span of this side's model, naming its file for people."""
        return None if span is None else replace(span, file=self.tree.display(span.file))


def _relabel(report: Report, tree: Tree) -> Report:
    def span(value: Span | None) -> Span | None:
        return None if value is None else replace(value, file=tree.display(value.file))

    diagnostics = [
        replace(
            item,
            span=span(item.span),
            related=tuple(Related(span(r.span) or r.span, r.message) for r in item.related),
        )
        for item in report.diagnostics
    ]
    return Report(
        diagnostics=diagnostics,
        files=[tree.display(name) for name in report.files],
        sources={tree.display(name): text for name, text in report.sources.items()},
    )


def load_side(tree: Tree) -> Side:
    try:
        loaded = load(tree.paths, tree.config)
    except UsageError as error:
        raise RevisionError(f"{tree.name}: {error}") from None
    return Side(tree, loaded, _relabel(loaded.report, tree))


__all__ = ["Side", "load_side"]

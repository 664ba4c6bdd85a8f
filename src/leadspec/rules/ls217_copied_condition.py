"""The same condition written out in several criteria, instead of named once.

## What it means

A condition both teams agreed on, such as the MQL bar, is often needed in several
places: entering MQL, staying an MQL, coming back from nurture. Written out in each,
the copies drift apart the first time someone changes one of them, and the
lifecycle quietly stops meaning what was agreed. A named condition (under
`conditions:`) is written once and used by its id everywhere it is meant.

leadspec reports a condition of three or more comparisons (joined by `and` or by
`or`, in any order) that is a whole criterion or a whole part in brackets in one
place and is written out again in another criterion, where it stands first; the
other places are listed with it. Criteria that merely share a few comparisons (two
rules of a decision table with the same band of one column) are no copy, and named
conditions do not count: a phrase of names (`sdr_status == "accepted" and prospect and
sql_bar` in an exit and in the entry it leads to) already says each idea once.

## Example

```yaml
leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  fit_score: {label: Fit score, type: integer, min: 0, max: 100}
  email_verified: {label: Email verified, type: boolean}
  sdr_status: {label: SDR status, type: enum, values: [new, working]}
stages:
  - id: lead
    label: Lead
    start: true
    entry: sdr_status == "new"
    exits:
      - to: mql
        when: email_verified and fit_score >= 40 and lead_score >= 50
  - id: mql
    label: Marketing Qualified Lead
    entry: sdr_status == "working" or (lead_score >= 50 and email_verified and fit_score >= 40)
    terminal: true
```

The MQL bar is written out twice.

## How to fix

Name it once and use its id in both places:

```text
conditions:
  mql_bar:
    label: MQL bar
    when: email_verified and fit_score >= 40 and lead_score >= 50
```

then `when: mql_bar` and `entry: sdr_status == "working" or mql_bar`. `leadspec
diff` confirms that no lead changes stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from leadspec.build import iter_criteria
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, Span, diagnostic
from leadspec.expr.ast import And, Const, Expr, Not, Or, Ref, nodes
from leadspec.expr.render import to_code
from leadspec.model import Criterion
from leadspec.rules import Rule
from leadspec.structs import struct

RULE = Rule(
    code="LS217",
    name="copied-condition",
    severity=Severity.WARNING,
    summary="the same condition written out in several criteria",
)

MIN_ATOMS = 3  # two comparisons repeated are common and harmless ("rejected less than 30 days ago")


@struct
class _Copy:
    where: str
    criterion: Criterion
    start: int
    end: int
    node: Expr  # the copied operands, as one `and`/`or`

    @property
    def span(self) -> Span:
        return self.criterion.extent(self.start, self.end)


Key = tuple[str, tuple[str, ...]]  # "and"/"or", and the operands' code, sorted: the order is no matter


@struct
class _Group:
    """An `and`/`or` of a criterion, with each operand's code and comparisons."""

    where: str
    criterion: Criterion
    node: And | Or
    codes: tuple[str, ...]
    sizes: tuple[int, ...]

    @property
    def kind(self) -> str:
        return "and" if isinstance(self.node, And) else "or"


def check(ctx: Context) -> Iterable[Diagnostic]:
    groups = list(_groups(ctx))
    # The conditions written whole somewhere (a criterion, or a part in brackets); a copy of one
    # is a run of as many operands of another group, so only those lengths are looked at.
    whole: dict[Key, int] = {}
    lengths: dict[str, set[int]] = {"and": set(), "or": set()}
    for group in groups:
        count = sum(group.sizes)
        if count >= MIN_ATOMS:
            whole[(group.kind, tuple(sorted(group.codes)))] = count
            lengths[group.kind].add(len(group.codes))
    found: dict[Key, list[_Copy]] = {}
    seen: set[tuple[Key, int]] = set()
    for group in groups:
        operands = group.node.operands
        for length in sorted(lengths[group.kind]):
            for i in range(len(operands) - length + 1):
                key = (group.kind, tuple(sorted(group.codes[i : i + length])))
                if key not in whole or (key, id(group.criterion)) in seen:
                    continue
                seen.add((key, id(group.criterion)))
                run = type(group.node)(
                    operands[i : i + length], operands[i].start, operands[i + length - 1].end
                )
                found.setdefault(key, []).append(_Copy(group.where, group.criterion, run.start, run.end, run))
    reported: list[_Copy] = []
    for key in sorted(found, key=lambda k: (-whole[k], k)):
        copies = found[key]
        fresh = [copy for copy in copies if not _inside(copy, reported)]
        if len(copies) < 2 or not fresh:
            continue  # one place only, or every place is part of a larger copy already reported
        reported.extend(copies)
        first = fresh[0]
        others = [copy for copy in copies if copy is not first]
        places = ", ".join(copy.where for copy in others)
        yield diagnostic(
            "LS217",
            f"`{_short(to_code(first.node))}` is written out here and in {places}",
            first.span,
            hint="name it once under `conditions:` (an id, a label and `when:`) and use its id in each place",
            related=[Related(copy.span, f"written out again in {copy.where}") for copy in others],
        )


def _groups(ctx: Context) -> Iterator[_Group]:
    """Every `and`/`or` of every criterion understood, in file order; named conditions not gone into."""
    for where, criterion in iter_criteria(ctx.model):
        tree = ctx.expr(criterion)
        if tree is None:
            continue
        for node in nodes(tree, through_refs=False):
            if isinstance(node, (And, Or)):
                codes = tuple(to_code(operand) for operand in node.operands)
                sizes = tuple(_atoms(operand) for operand in node.operands)
                yield _Group(where, criterion, node, codes, sizes)


def _atoms(node: Expr) -> int:
    """Comparisons written out in `node`: a named condition (written once) and `true`/`false` are none."""
    if isinstance(node, Not):
        return _atoms(node.operand)
    if isinstance(node, (And, Or)):
        return sum(_atoms(operand) for operand in node.operands)
    return 0 if isinstance(node, (Const, Ref)) else 1


def _inside(copy: _Copy, reported: list[_Copy]) -> bool:
    """Whether this place already lies within a reported copy of a larger condition."""
    return any(
        other.criterion is copy.criterion and other.start <= copy.start and copy.end <= other.end
        for other in reported
    )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

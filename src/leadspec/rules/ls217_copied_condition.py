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
from dataclasses import dataclass

from leadspec.build import iter_criteria
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, Span, diagnostic
from leadspec.expr.ast import And, Const, Expr, Not, Or, Ref
from leadspec.expr.render import to_code
from leadspec.model import Criterion
from leadspec.rules import Rule

RULE = Rule(
    code="LS217",
    name="copied-condition",
    severity=Severity.WARNING,
    summary="the same condition written out in several criteria",
)

MIN_ATOMS = 3  # two comparisons repeated are common and harmless ("rejected less than 30 days ago")


@dataclass(frozen=True)
class _Copy:
    where: str
    criterion: Criterion
    start: int
    end: int
    node: Expr  # the copied operands, as one `and`/`or`

    @property
    def span(self) -> Span:
        return self.criterion.extent(self.start, self.end)


def check(ctx: Context) -> Iterable[Diagnostic]:
    found: dict[tuple[str, tuple[str, ...]], list[_Copy]] = {}
    atoms: dict[tuple[str, tuple[str, ...]], int] = {}
    whole: set[tuple[str, tuple[str, ...]]] = set()  # written as a whole condition somewhere
    for where, criterion in iter_criteria(ctx.model):
        tree = ctx.expr(criterion)
        if tree is None:
            continue
        for key, count, node, complete in _parts(tree):
            if complete:
                whole.add(key)
            copies = found.setdefault(key, [])
            if not any(copy.criterion is criterion for copy in copies):
                copies.append(_Copy(where, criterion, node.start, node.end, node))
                atoms[key] = count
    reported: list[_Copy] = []
    for key in sorted(whole, key=lambda k: (-atoms[k], k)):
        copies = found[key]
        fresh = [copy for copy in copies if not _inside(copy, reported)]
        if len(copies) < 2 or not fresh:
            continue  # every place is part of a larger copy already reported
        reported.extend(copies)
        first = fresh[0]
        others = [copy for copy in copies if copy is not first]
        text = to_code(first.node)
        places = ", ".join(copy.where for copy in others)
        yield diagnostic(
            "LS217",
            f"`{_short(text)}` is written out here and in {places}",
            first.span,
            hint="name it once under `conditions:` (an id, a label and `when:`) and use its id in each place",
            related=[Related(copy.span, f"written out again in {copy.where}") for copy in others],
        )


def _parts(tree: Expr) -> Iterator[tuple[tuple[str, tuple[str, ...]], int, Expr, bool]]:
    """(key, atoms, run, whole) of each run of two or more operands of an `and`/`or` with enough
    atoms, the run as a node of its own (offsets: its first operand's start, its last one's end);
    `whole` when the run is all the node's operands.

    The key is the operator and the operands' code, sorted: `a and b and c` is `c and a and b`.
    A named condition is not looked into (its text is elsewhere) and counts for nothing.
    """
    stack: list[Expr] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, (And, Or)):
            operands = node.operands
            codes = [to_code(operand) for operand in operands]
            sizes = [_atoms(operand) for operand in operands]
            kind = "and" if isinstance(node, And) else "or"
            for i in range(len(operands)):
                for j in range(i + 2, len(operands) + 1):
                    count = sum(sizes[i:j])
                    if count >= MIN_ATOMS:
                        key = (kind, tuple(sorted(codes[i:j])))
                        run = type(node)(operands[i:j], operands[i].start, operands[j - 1].end)
                        yield key, count, run, j - i == len(operands)
            stack.extend(operands)


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

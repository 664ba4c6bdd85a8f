"""Which stages one concrete lead is in, and why: the membership rule in one place.

format.md fixes the meaning: a lead is in stage S when it is inside the
lifecycle's `scope` (if any), meets S's `entry` and none of S's exits' `when`;
under the `first_match` policy only the first such stage in the list counts.
`place()` is that rule, written once over "does the lead meet this criterion?",
so every tool that places leads agrees: `explain` and the examples decide a
criterion with the reference evaluator on a lead, `classify` with its compiled
per-column tables, and both end up here.

The explanations (`parts`, `needs`) are what a person reads: the smallest set
of comparisons that settles a criterion for this lead, with `not` pushed down to
the comparisons (exact, because a comparison with a blank value is false).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from leadspec.expr.ast import And, BoolField, Compare, Expr, Member, Not, Or, Ref, nodes
from leadspec.expr.evaluate import evaluate
from leadspec.model import Criterion, Exit, Model, Stage
from leadspec.structs import struct

Lead = Mapping[str, Any]


class UnreadableCriteria(Exception):
    """Some criterion of the lifecycle has no checked expression tree (its error is `check`'s to report)."""

    def __init__(self, criteria: list[tuple[str, Criterion]]) -> None:
        self.criteria = criteria
        where = "; ".join(f"{name} ({c.span.file}:{c.span.line})" for name, c in criteria)
        super().__init__(f"these conditions could not be read: {where}")


@struct
class Placement:
    """Where a lead is: `stages` under the policy (empty: none; two or more: an overlap)."""

    stages: tuple[Stage, ...]
    in_scope: bool


def lifecycle_criteria(model: Model) -> Iterable[tuple[str, Criterion]]:
    """Every criterion the membership rule reads, with a few words on where it stands."""
    if model.lifecycle.scope is not None:
        yield "the lifecycle's scope", model.lifecycle.scope
    for stage in model.stages:
        if stage.entry is not None:
            yield f"the entry of `{stage.id}`", stage.entry
        for exit_ in stage.exits:
            yield f"the exit from `{stage.id}` to `{exit_.to}`", exit_.when


def own_condition(model: Model, stage: Stage) -> tuple[tuple[Criterion, ...], tuple[Criterion, ...]]:
    """(all of these, none of these): the criteria a lead must meet, and must not, to be in `stage`.

    Before the policy: under `first_match` an earlier stage may still take the
    lead. `place` is a function of these conditions (and the scope) only, which
    `classify` relies on to share work between records.
    """
    scope = model.lifecycle.scope
    entry = () if stage.entry is None else (stage.entry,)
    must = ((scope,) if scope is not None else ()) + entry
    return must, tuple(exit_.when for exit_ in stage.exits)


def place(model: Model, meets: Callable[[Criterion], bool]) -> Placement:
    """The membership rule, given a way to decide each criterion for one lead."""
    scope = model.lifecycle.scope
    if scope is not None and not meets(scope):
        return Placement((), False)
    found: list[Stage] = []
    first_only = model.lifecycle.policy == "first_match"
    for stage in model.stages:
        if _meets_own(model, stage, meets):
            found.append(stage)
            if first_only:
                break
    return Placement(tuple(found), True)


def is_placed_in(model: Model, stage: Stage, meets: Callable[[Criterion], bool]) -> bool:
    """Whether `place` puts the lead in `stage`, deciding only the criteria that takes.

    Its own condition (scope included), and under `first_match` those of the stages
    before it: an example checked against its own stage need not decide all the others.
    """
    if model.lifecycle.policy == "first_match":
        for earlier in model.stages:
            if earlier is stage:
                break
            if _meets_own(model, earlier, meets):
                return False
    return _meets_own(model, stage, meets)


def _meets_own(model: Model, stage: Stage, meets: Callable[[Criterion], bool]) -> bool:
    """Whether the lead meets `stage`'s own condition (`own_condition`), before the policy."""
    if stage.entry is None:
        return False  # the schema requires an entry; a stage without one holds no lead
    must, must_not = own_condition(model, stage)
    return all(meets(criterion) for criterion in must) and not any(meets(c) for c in must_not)


# -- explanations ---------------------------------------------------------------


@struct
class Part:
    """One piece of a criterion and whether the lead meets it.

    `expr` is a comparison, a `not` around one, a constant, or (in `needs`) a
    larger condition the lead must meet as a whole; `fields` are the fields it reads.
    """

    expr: Expr
    met: bool
    fields: tuple[str, ...]


@struct
class ExitVerdict:
    exit: Exit
    met: bool
    parts: tuple[Part, ...]  # what decided it (see `parts`)


@struct
class StageVerdict:
    """How one stage's criteria went for the lead.

    `why` says what keeps the lead out: `scope`, `entry`, `exit` (it meets one
    of the exits, `leaving` lists them), `earlier` (first_match: an earlier stage
    took it), or None when the lead is in this stage. `exits` is empty when the
    entry is not met (the exits then do not matter).
    """

    stage: Stage
    entry_met: bool
    entry_parts: tuple[Part, ...]
    exits: tuple[ExitVerdict, ...]
    why: Literal["scope", "entry", "exit", "earlier"] | None

    @property
    def inside(self) -> bool:
        return self.why is None

    @property
    def leaving(self) -> tuple[ExitVerdict, ...]:
        return tuple(verdict for verdict in self.exits if verdict.met)


def fields_of(expr: Expr) -> tuple[str, ...]:
    """The fields an expression reads, in order of first use."""
    atoms = (
        node for node in nodes(expr, through_refs=True) if isinstance(node, (Compare, Member, BoolField))
    )
    return tuple(dict.fromkeys(atom.field for atom in atoms))


def _negate(expr: Expr, negated: bool) -> Expr:
    return Not(expr, expr.start, expr.end) if negated else expr


def parts(expr: Expr, lead: Lead) -> tuple[Part, ...]:
    """The comparisons that settle `expr` for this lead.

    A met `and` needs all its parts, an unmet one is settled by its first unmet
    part; a met `or` by its first met part, an unmet one needs all its parts
    unmet. `not` swaps the two, so the result reads without "not" around groups.
    """
    return tuple(_parts(expr, lead, False))


def _parts(expr: Expr, lead: Lead, negated: bool) -> list[Part]:
    if isinstance(expr, Not):
        return _parts(expr.operand, lead, not negated)
    if isinstance(expr, (And, Or)):
        conjunction = isinstance(expr, And) != negated
        value = evaluate(expr, lead) != negated
        if conjunction == value:  # a met `and` or an unmet `or`: every part counts
            return [part for operand in expr.operands for part in _parts(operand, lead, negated)]
        decisive = next(o for o in expr.operands if (evaluate(o, lead) != negated) == value)
        return _parts(decisive, lead, negated)
    shown = _negate(expr, negated)
    return [Part(shown, evaluate(shown, lead), fields_of(expr))]


def decisive(expr: Expr, lead: Lead) -> Expr:
    """The smallest part of `expr` that settles its value for this lead, as one piece of its text.

    A false `and` is settled by its first false part, a true `or` by its first
    true part; anything else (including `not`, whose inner part means the
    opposite) is settled by itself. Unlike `parts`, the result is a single
    node, so it can be quoted from the criterion as written.
    """
    node = expr
    while True:
        if isinstance(node, And) and not evaluate(node, lead):
            node = next(part for part in node.operands if not evaluate(part, lead))
        elif isinstance(node, Or) and evaluate(node, lead):
            node = next(part for part in node.operands if evaluate(part, lead))
        else:
            return node


def needs(expr: Expr, lead: Lead) -> tuple[Part, ...]:
    """What the lead still lacks to meet `expr`: each unmet part of an `and`, else the whole.

    Empty when the lead meets it already.
    """
    if evaluate(expr, lead):
        return ()
    return tuple(_needs(expr, lead, False))


def _needs(expr: Expr, lead: Lead, negated: bool) -> list[Part]:
    if isinstance(expr, Not):
        return _needs(expr.operand, lead, not negated)
    if isinstance(expr, (And, Or)) and isinstance(expr, And) != negated:
        found: list[Part] = []
        for operand in expr.operands:
            if evaluate(operand, lead) == negated:  # this part is unmet
                found.extend(_needs(operand, lead, negated))
        return found
    shown = _negate(expr, negated)
    return [Part(shown, False, fields_of(expr))]


def alternatives(expr: Expr) -> tuple[Expr, ...] | None:
    """The ways to meet `expr` when it is an `or` (or a `not` around an `and`), else None.

    A named condition counts as what it says: the ways to meet the MQL bar are its own.
    """
    negated = False
    while isinstance(expr, (Not, Ref)):
        expr, negated = (expr.operand, not negated) if isinstance(expr, Not) else (expr.expr, negated)
    if isinstance(expr, Or) and not negated:
        return expr.operands
    if isinstance(expr, And) and negated:
        return tuple(Not(operand, operand.start, operand.end) for operand in expr.operands)
    return None


class Membership:
    """The membership rule for concrete leads of one model, decided with the reference evaluator.

    `exprs` is `Context.exprs`; every criterion of the lifecycle must be there
    (else `UnreadableCriteria`). Values are used as given: a value outside its
    field's domain is compared as the evaluator compares it (never an error).
    """

    def __init__(self, model: Model, exprs: Mapping[Criterion, Expr]) -> None:
        self.model = model
        missing = [(name, c) for name, c in lifecycle_criteria(model) if c not in exprs]
        if missing:
            raise UnreadableCriteria(missing)
        self.exprs = exprs

    def tree(self, criterion: Criterion) -> Expr:
        return self.exprs[criterion]

    def meets(self, criterion: Criterion, lead: Lead) -> bool:
        return evaluate(self.exprs[criterion], lead)

    def placement(self, lead: Lead) -> Placement:
        return place(self.model, lambda criterion: self.meets(criterion, lead))

    def is_in(self, stage: Stage, lead: Lead) -> bool:
        """Whether `lead` is in `stage` under the policy (`stage in stages_of(lead)`), deciding less."""
        return is_placed_in(self.model, stage, lambda criterion: self.meets(criterion, lead))

    def stages_of(self, lead: Lead) -> tuple[Stage, ...]:
        """The stages `lead` is in under the policy (empty: none; several: an overlap)."""
        return self.placement(lead).stages

    def in_scope(self, lead: Lead) -> bool:
        scope = self.model.lifecycle.scope
        return scope is None or self.meets(scope, lead)

    def scope_parts(self, lead: Lead) -> tuple[Part, ...]:
        scope = self.model.lifecycle.scope
        return () if scope is None else parts(self.exprs[scope], lead)

    def verdicts(self, lead: Lead) -> tuple[StageVerdict, ...]:
        """Every stage's criteria for this lead, in the lifecycle's order.

        Where the lead is comes from `place`; the verdicts only say why it is
        not in the other stages, so they agree with `stages_of` by construction.
        """
        placed = self.placement(lead)
        found: list[StageVerdict] = []
        for stage in self.model.stages:
            assert stage.entry is not None
            entry = self.exprs[stage.entry]
            entry_met = evaluate(entry, lead)
            exits: tuple[ExitVerdict, ...] = ()
            if entry_met:
                exits = tuple(
                    ExitVerdict(
                        exit_, evaluate(self.exprs[exit_.when], lead), parts(self.exprs[exit_.when], lead)
                    )
                    for exit_ in stage.exits
                )
            why: Literal["scope", "entry", "exit", "earlier"] | None
            if not placed.in_scope:
                why = "scope"
            elif not entry_met:
                why = "entry"
            elif any(verdict.met for verdict in exits):
                why = "exit"
            elif not any(taken is stage for taken in placed.stages):
                why = "earlier"  # it meets the stage's own criteria: only first_match keeps it out
            else:
                why = None
            found.append(StageVerdict(stage, entry_met, parts(entry, lead), exits, why))
        return tuple(found)

    def open_exits(self, stage: Stage, lead: Lead) -> tuple[tuple[Exit, tuple[Part, ...]], ...]:
        """The stage's ways out the lead has not taken yet, each with what it still lacks."""
        found = []
        for exit_ in stage.exits:
            lacking = needs(self.exprs[exit_.when], lead)
            if lacking:
                found.append((exit_, lacking))
        return tuple(found)


__all__ = [
    "ExitVerdict",
    "alternatives",
    "decisive",
    "Membership",
    "Part",
    "Placement",
    "StageVerdict",
    "UnreadableCriteria",
    "lifecycle_criteria",
    "needs",
    "own_condition",
    "parts",
    "is_placed_in",
    "place",
]

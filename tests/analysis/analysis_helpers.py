"""Build small models by hand, and check analysis results against the evaluator.

Everything here decides findings *independently* of `leadspec.analysis`: with
`leadspec.expr.evaluate.evaluate` on concrete leads. `verify_witnesses` checks
that every example lead does exactly what its finding says; `brute_force`
enumerates a grid that holds one lead per cell of every field (every literal,
a value between each pair of neighbouring literals, one beyond each end, and
"missing"), which on small models decides every finding exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from leadspec.analysis.lifecycle import LifecycleAnalysis, analyze
from leadspec.diagnostics import Span
from leadspec.expr.ast import And, Compare, Expr, Member, Not, Or
from leadspec.expr.evaluate import evaluate
from leadspec.expr.parser import parse
from leadspec.expr.typecheck import typecheck
from leadspec.model import (
    Criterion,
    Example,
    Exit,
    Field,
    Lifecycle,
    Model,
    Picklist,
    PicklistValue,
    Stage,
    Team,
)
from leadspec.values import value_problem

FILE = "definitions/lifecycle.yaml"


class _Lines:
    """Hands out distinct spans, so every criterion and entity has its own place."""

    def __init__(self) -> None:
        self.line = 0

    def span(self) -> Span:
        self.line += 1
        return Span(FILE, self.line, 1, self.line, 80)


def fld(ident: str, type_: str, label: str | None = None, **kw: Any) -> Field:
    """A field; `min`/`max` (or the exclusive `above`/`below`) may be given as numbers."""
    if "min" in kw:
        kw["minimum"] = Decimal(str(kw.pop("min")))
    if "max" in kw:
        kw["maximum"] = Decimal(str(kw.pop("max")))
    if "above" in kw:
        kw["minimum"], kw["minimum_open"] = Decimal(str(kw.pop("above"))), True
    if "below" in kw:
        kw["maximum"], kw["maximum_open"] = Decimal(str(kw.pop("below"))), True
    if "values" in kw:
        kw["values"] = tuple(kw["values"])
    return Field(
        id=ident, label=label or ident.replace("_", " ").capitalize(), type=type_, span=Span(FILE, 1, 1), **kw
    )  # type: ignore[arg-type]


@dataclass
class Built:
    model: Model
    exprs: dict[Criterion, Expr]
    texts: dict[str, Criterion] = field(default_factory=dict)

    def analyze(self) -> LifecycleAnalysis:
        return analyze(self.model, self.exprs)


def make(
    fields: Sequence[Field],
    stages: Sequence[Mapping[str, Any]],
    *,
    policy: str = "exclusive",
    scope: str | None = None,
    teams: Iterable[str] = (),
    picklists: Mapping[str, Mapping[str, str | None]] | None = None,
    check_types: bool = True,
) -> Built:
    """A model from plain data; criteria are parsed (and type-checked) as `leadspec check` would."""
    lines = _Lines()
    field_map = {f.id: f for f in fields}
    exprs: dict[Criterion, Expr] = {}

    def criterion(text: str) -> Criterion:
        crit = Criterion(text, lines.span())
        tree = parse(text)
        if check_types:
            issues = typecheck(tree, field_map)
            assert not issues, (text, issues)
        exprs[crit] = tree
        return crit

    def examples(raw: Iterable[Any]) -> tuple[Example, ...]:
        found = []
        for index, item in enumerate(raw):
            name, lead = item if isinstance(item, tuple) else (f"example {index + 1}", item)
            found.append(Example(name=name, lead=dict(lead), span=lines.span()))
        return tuple(found)

    built_stages = []
    for raw in stages:
        stage_span = lines.span()
        entry = criterion(raw["entry"])
        exits = tuple(
            Exit(
                to=item["to"],
                when=criterion(item["when"]),
                span=lines.span(),
                set=dict(item.get("set", {})),
                reason=item.get("reason"),
                examples=examples(item.get("examples", ())),
            )
            for item in raw.get("exits", ())
        )
        built_stages.append(
            Stage(
                id=raw["id"],
                label=raw.get("label", raw["id"].upper()),
                span=stage_span,
                owner=raw.get("owner"),
                entry=entry,
                exits=exits,
                terminal=raw.get("terminal", not exits),
                start=raw.get("start", False),
                examples=examples(raw.get("examples", ())),
                deprecated=raw.get("deprecated", False),
            )
        )
    lists = {}
    for ident, values in (picklists or {}).items():
        lists[ident] = Picklist(
            id=ident,
            label=ident,
            values=tuple(
                PicklistValue(id=value, label=value, span=lines.span(), then=then)
                for value, then in values.items()
            ),
            span=lines.span(),
        )
    model = Model(
        teams={team: Team(id=team, label=team.capitalize(), span=lines.span()) for team in teams},
        calendars={},
        fields=field_map,
        stages=tuple(built_stages),
        picklists=lists,
        terms={},
        lifecycle=Lifecycle(policy=policy, scope=criterion(scope) if scope else None),  # type: ignore[arg-type]
        targets=None,
    )
    return Built(model, exprs)


# -- the reference meaning, with the evaluator ------------------------------------


def meets(built: Built, criterion: Criterion | None, lead: Mapping[str, Any]) -> bool:
    if criterion is None:
        return True
    return evaluate(built.exprs[criterion], lead)


def own(built: Built, stage: Stage, lead: Mapping[str, Any]) -> bool:
    """Meets the scope, the stage's entry, and none of its exits."""
    return (
        meets(built, built.model.lifecycle.scope, lead)
        and meets(built, stage.entry, lead)
        and not any(meets(built, exit_.when, lead) for exit_ in stage.exits)
    )


def stages_of(built: Built, lead: Mapping[str, Any]) -> list[str]:
    found = [stage.id for stage in built.model.stages if own(built, stage, lead)]
    return found[:1] if built.model.lifecycle.policy == "first_match" else found


def apply_set(lead: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    after = dict(lead)
    for name, value in values.items():
        if value is None:
            after.pop(name, None)
        else:
            after[name] = value
    return after


def valid_lead(model: Model, lead: Mapping[str, Any]) -> bool:
    """Every value inside its field's domain, every required field given, nothing else."""
    if any(name not in model.fields for name in lead):
        return False
    return all(value_problem(f, lead.get(f.id)) is None for f in model.fields.values())


def verify_witnesses(built: Built, analysis: LifecycleAnalysis) -> int:
    """Assert that each example lead does what its finding says; returns how many were checked."""
    model = built.model
    space = analysis.space
    checked = 0
    scope = model.lifecycle.scope

    def in_region(region: Any, lead: Mapping[str, Any], box: int | None = None) -> None:
        point = space.point(lead)  # type: ignore[union-attr]
        assert point is not None, lead
        if region is not None:
            assert region.contains(point), lead
        if box is not None:
            assert point & box == point, lead

    for overlap in analysis.overlaps:
        w = overlap.witness
        assert valid_lead(model, w), w
        exact = [stage.id for stage in model.stages if own(built, stage, w)]
        claimed = [stage.id for stage in overlap.stages]
        if overlap.exact:
            assert exact == claimed, (exact, w)
        else:
            assert set(claimed) <= set(exact) and len(claimed) == 2, (exact, w)
        in_region(overlap.region, w, overlap.box)
        checked += 1
    for gap in analysis.gaps:
        w = gap.witness
        assert valid_lead(model, w) and meets(built, scope, w), w
        assert not any(own(built, stage, w) for stage in model.stages), w
        assert [s.id for s in gap.entered] == [s.id for s in model.stages if meets(built, s.entry, w)]
        in_region(gap.region, w, gap.box)
        checked += 1
    for gap in analysis.handoff_gaps:
        w = gap.witness
        assert valid_lead(model, w), w
        assert (
            meets(built, scope, w) and meets(built, gap.stage.entry, w) and meets(built, gap.exit.when, w)
        ), w
        after = apply_set(w, gap.exit.set)
        assert gap.after == after
        assert not (meets(built, scope, after) and meets(built, gap.target.entry, after)), after
        if gap.missed == "scope":
            assert not meets(built, scope, after) and meets(built, gap.target.entry, after)
        in_region(gap.region, w, gap.box)
        checked += 1
    for amb in analysis.ambiguous_exits:
        w = amb.witness
        assert valid_lead(model, w), w
        assert meets(built, scope, w) and meets(built, amb.stage.entry, w), w
        met = [id(e) for e in amb.stage.exits if meets(built, e.when, w)]
        if amb.exact:
            assert met == [id(e) for e in amb.exits], w
        else:
            assert {id(e) for e in amb.exits} <= set(met), w
        in_region(amb.region, w, amb.box)
        checked += 1
    for left in analysis.always_left:
        w = left.witness
        assert valid_lead(model, w), w
        assert meets(built, scope, w) and meets(built, left.stage.entry, w), w
        if left.exit is not None:
            assert meets(built, left.exit.when, w), w
        else:
            assert any(meets(built, e.when, w) for e in left.stage.exits), w
        checked += 1
    for masked in analysis.masked:
        w = masked.witness
        assert valid_lead(model, w), w
        assert own(built, masked.stage, w), w
        assert stages_of(built, w) == [masked.taken_by.id], w
        order = [s.id for s in model.stages]
        assert order.index(masked.taken_by.id) < order.index(masked.stage.id)
        checked += 1
    for failing in analysis.failing_examples:
        lead = failing.example.lead
        if failing.exit is None:
            landed = stages_of(built, lead)
            assert failing.stage.id not in landed
            assert [s.id for s in failing.actual] == landed
        else:
            assert not (
                meets(built, scope, lead)
                and meets(built, failing.stage.entry, lead)
                and meets(built, failing.exit.when, lead)
            )
        checked += 1
    return checked


# -- brute force ----------------------------------------------------------------


def _literals(expr: Expr) -> Iterator[tuple[str, object]]:
    if isinstance(expr, (And, Or)):
        for operand in expr.operands:
            yield from _literals(operand)
    elif isinstance(expr, Not):
        yield from _literals(expr.operand)
    elif isinstance(expr, Compare):
        yield expr.field, expr.value.value
    elif isinstance(expr, Member):
        for item in expr.values:
            yield expr.field, item.value


def grid_values(built: Built, extra: Mapping[str, Iterable[object]] | None = None) -> dict[str, list[Any]]:
    """Per field, values that meet every cell of the field: enough to decide any finding."""
    cuts: dict[str, set[Decimal]] = {}
    for tree in built.exprs.values():
        for name, value in _literals(tree):
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                cuts.setdefault(name, set()).add(Decimal(value))
    for name, values in (extra or {}).items():
        for value in values:
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                cuts.setdefault(name, set()).add(Decimal(value))
    grid: dict[str, list[Any]] = {}
    for f in built.model.fields.values():
        if f.type == "boolean":
            values: list[Any] = [False, True]
        elif f.type == "enum":
            values = list(f.values)
        else:
            points = set(cuts.get(f.id, set()))
            if f.minimum is not None:
                points.add(f.minimum)
            if f.maximum is not None:
                points.add(f.maximum)
            ordered = sorted(points) or [Decimal(0)]
            candidates = set(ordered)
            candidates.add(ordered[0] - 1)
            candidates.add(ordered[-1] + 1)
            for low, high in zip(ordered, ordered[1:], strict=False):
                candidates.add((low + high) / 2)
                candidates.add(low + 1)
                candidates.add(high - 1)
            values = []
            for value in sorted(candidates):
                if not f.admits(value):
                    continue
                if f.type == "integer":
                    if value != value.to_integral_value():
                        continue
                    values.append(int(value))
                else:
                    values.append(value)
        if f.optional:
            values.append(None)
        grid[f.id] = values
    return grid


def all_leads(built: Built, extra: Mapping[str, Iterable[object]] | None = None) -> Iterator[dict[str, Any]]:
    grid = grid_values(built, extra)
    names = list(grid)
    for combo in itertools.product(*(grid[name] for name in names)):
        yield {name: value for name, value in zip(names, combo, strict=True) if value is not None}


def brute_force(built: Built) -> dict[str, set[Any]]:
    """Every finding, decided by evaluating every lead of the grid."""
    model = built.model
    stages = model.stages
    scope = model.lifecycle.scope
    set_values: dict[str, list[object]] = {}
    for stage in stages:
        for exit_ in stage.exits:
            for name, value in exit_.set.items():
                set_values.setdefault(name, []).append(value)
    leads = list(all_leads(built, set_values))
    position = {stage.id: index for index, stage in enumerate(stages)}
    found: dict[str, set[Any]] = {key: set() for key in FINDING_KINDS}
    any_entry: dict[int, bool] = {}
    scoped_entry: dict[int, bool] = {}
    exit_any: dict[tuple[int, int], bool] = {}
    exit_live: dict[tuple[int, int], bool] = {}
    exit_not: dict[tuple[int, int], bool] = {}
    stage_stays: dict[int, bool] = {}
    own_any: dict[int, bool] = {}
    unmasked: dict[int, bool] = {}
    gap = False
    for lead in leads:
        in_scope = meets(built, scope, lead)
        owns = []
        for i, stage in enumerate(stages):
            entry = meets(built, stage.entry, lead)
            any_entry[i] = any_entry.get(i, False) or entry
            whens = [meets(built, e.when, lead) for e in stage.exits]
            for j, when in enumerate(whens):
                exit_any[(i, j)] = exit_any.get((i, j), False) or when
            if not (in_scope and entry):
                continue
            scoped_entry[i] = True
            for j, when in enumerate(whens):
                if when:
                    exit_live[(i, j)] = True
                else:
                    exit_not[(i, j)] = True
            if not any(whens):
                stage_stays[i] = True
            met = tuple(j for j, when in enumerate(whens) if when)
            if len(met) >= 2:
                found["ambiguous"].add((stage.id, met))
            for j, exit_ in enumerate(stage.exits):
                if not whens[j] or exit_.to not in position:
                    continue
                target = stages[position[exit_.to]]
                after = apply_set(lead, exit_.set)
                if not (meets(built, scope, after) and meets(built, target.entry, after)):
                    found["handoff"].add((stage.id, j))
            if not any(whens):
                owns.append(i)
        for i in owns:
            own_any[i] = True
        if owns:
            unmasked[owns[0]] = True
        if in_scope and not owns:
            gap = True
        if len(owns) >= 2:
            found["overlap"].add(tuple(stages[i].id for i in owns))
    if gap:
        found["gap"].add(True)
    # A hand-off to a stage whose entry no lead in scope meets is LS305's finding, not LS303's.
    found["handoff"] = {
        (stage_id, j)
        for stage_id, j in found["handoff"]
        if scoped_entry.get(position[stages[position[stage_id]].exits[j].to])
    }
    for i, stage in enumerate(stages):
        if not any_entry.get(i):
            found["dead"].add((stage.id, None, "never"))
            continue
        if not scoped_entry.get(i):
            found["dead"].add((stage.id, None, "outside_scope"))
            continue
        single = False
        for j, _ in enumerate(stage.exits):
            if not exit_any.get((i, j)):
                found["dead"].add((stage.id, j, "never"))
            elif not exit_live.get((i, j)):
                found["dead"].add((stage.id, j, "not_with_entry"))
            elif not exit_not.get((i, j)):
                single = True
                found["always_left"].add((stage.id, j))
        if not stage_stays.get(i) and not single:
            found["always_left"].add((stage.id, None))
    if model.lifecycle.policy == "first_match":
        found["overlap"] = set()
        for i, stage in enumerate(stages):
            if own_any.get(i) and not unmasked.get(i):
                found["masked"].add(stage.id)
    found["no_way_out"] = {
        (stage.id, "no_exits") for stage in stages if not stage.terminal and not stage.exits
    } | {
        (stage.id, "dead_exits")
        for i, stage in enumerate(stages)
        if not stage.terminal
        and stage.exits
        and scoped_entry.get(i)
        and not any(exit_live.get((i, j)) for j in range(len(stage.exits)))
    }
    for stage in stages:
        for example in stage.examples:
            if stage.id not in stages_of(built, example.lead):
                found["failing_examples"].add((stage.id, None, example.name))
        for j, exit_ in enumerate(stage.exits):
            for example in exit_.examples:
                lead = example.lead
                if not (
                    meets(built, scope, lead)
                    and meets(built, stage.entry, lead)
                    and meets(built, exit_.when, lead)
                ):
                    found["failing_examples"].add((stage.id, j, example.name))
    starts = [i for i, stage in enumerate(stages) if stage.start]
    if starts:
        edges: dict[int, set[int]] = {i: set() for i in range(len(stages))}
        for i, stage in enumerate(stages):
            for j, exit_ in enumerate(stage.exits):
                live = exit_live.get((i, j), False)
                if not live:
                    continue
                targets = [exit_.to]
                picklist = model.picklists.get(exit_.reason) if exit_.reason else None
                if picklist is not None:
                    targets += [value.then for value in picklist.values if value.then]
                edges[i].update(position[t] for t in targets if t in position)
        seen, todo = set(starts), list(starts)
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        found["unreachable"] = {
            stage.id for i, stage in enumerate(stages) if i not in seen and not stage.deprecated
        }
    return found


FINDING_KINDS = (
    "overlap",
    "gap",
    "handoff",
    "ambiguous",
    "dead",
    "always_left",
    "masked",
    "no_way_out",
    "unreachable",
    "failing_examples",
)


def summarize(analysis: LifecycleAnalysis) -> dict[str, set[Any]]:
    """The analysis's findings in the same shape as `brute_force`."""

    def exit_index(stage: Stage, exit_: Exit) -> int:
        return next(j for j, e in enumerate(stage.exits) if e is exit_)

    return {
        "overlap": {tuple(s.id for s in o.stages) for o in analysis.overlaps},
        "gap": {True} if analysis.gaps else set(),
        "handoff": {(g.stage.id, exit_index(g.stage, g.exit)) for g in analysis.handoff_gaps},
        "ambiguous": {
            (a.stage.id, tuple(exit_index(a.stage, e) for e in a.exits)) for a in analysis.ambiguous_exits
        },
        "dead": {
            (d.stage.id, None if d.exit is None else exit_index(d.stage, d.exit), d.why)
            for d in analysis.dead
        },
        "always_left": {
            (a.stage.id, None if a.exit is None else exit_index(a.stage, a.exit))
            for a in analysis.always_left
        },
        "masked": {m.stage.id for m in analysis.masked},
        "no_way_out": {(n.stage.id, n.why) for n in analysis.no_way_out},
        "unreachable": {u.stage.id for u in analysis.unreachable},
        "failing_examples": {
            (f.stage.id, None if f.exit is None else exit_index(f.stage, f.exit), f.example.name)
            for f in analysis.failing_examples
        },
    }

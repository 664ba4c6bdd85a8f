"""An independent reference for the lifecycle analysis: every finding as SMT queries (z3).

Test-only (z3-solver is no run-time dependency). Each field is a z3 variable
(Bool, Int, Real, or an Int index for an enum) plus, for an optional field, a
Bool saying it is missing; every atom is false on a missing value. Findings are
decided by satisfiability, with the same definitions as `leadspec.analysis`:
overlaps and ambiguous exits by enumerating every satisfiable "exactly these
stages/exits" signature (all-SAT with blocking clauses), the rest one query each.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import z3
from analysis_helpers import Built

from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Member, Not, Or
from leadspec.model import Criterion, Field, Stage

_MISSING = object()


class Smt:
    """One model's lead space in z3."""

    def __init__(self, built: Built, incremental: bool = True) -> None:
        self.built = built
        self.incremental = incremental
        self.model = built.model
        self.values: dict[str, Any] = {}
        self.missing: dict[str, Any] = {}
        domain = []
        for f in self.model.fields.values():
            if f.type == "boolean":
                var = z3.Bool(f.id)
            elif f.type == "integer":
                var = z3.Int(f.id)
            elif f.type == "number":
                var = z3.Real(f.id)
            else:
                var = z3.Int(f.id)
                domain += [var >= 0, var < len(f.values)]
            if f.type in ("integer", "number"):
                if f.minimum is not None:
                    low = self._num(f.minimum)
                    domain.append(var > low if f.minimum_open else var >= low)
                if f.maximum is not None:
                    high = self._num(f.maximum)
                    domain.append(var < high if f.maximum_open else var <= high)
            self.values[f.id] = var
            if f.optional:
                self.missing[f.id] = z3.Bool(f"{f.id}__missing")
        self.domain = z3.And(*domain) if domain else z3.BoolVal(True)
        self._cache: dict[tuple[int, tuple[tuple[str, Any], ...]], Any] = {}
        self._solver: Any = None

    @staticmethod
    def _num(value: Any) -> Any:
        return z3.RealVal(str(Decimal(value)))

    # -- criteria -------------------------------------------------------------------

    def crit(self, criterion: Criterion | None, override: Mapping[str, Any] | None = None) -> Any:
        """The criterion as a z3 formula; `override` fixes some fields (an exit's `set`; None = missing)."""
        if criterion is None:
            return z3.BoolVal(True)
        key = (id(criterion), tuple(sorted((override or {}).items(), key=lambda kv: kv[0])))
        if key not in self._cache:
            self._cache[key] = self._expr(self.built.exprs[criterion], override or {})
        return self._cache[key]

    def _present(self, name: str, override: Mapping[str, Any]) -> Any:
        if name in override:
            return z3.BoolVal(override[name] is not None)
        return z3.Not(self.missing[name]) if name in self.missing else z3.BoolVal(True)

    def _var(self, f: Field, override: Mapping[str, Any]) -> Any:
        if f.id not in override:
            return self.values[f.id]
        value = override[f.id]
        if value is None:
            return self.values[f.id]  # unused: the atom is false anyway
        if f.type == "boolean":
            return z3.BoolVal(bool(value))
        if f.type == "enum":
            return z3.IntVal(f.values.index(value))
        return self._num(value)

    def _compare(self, f: Field, var: Any, op: str, literal: Any) -> Any:
        if f.type == "boolean":
            if not isinstance(literal, bool):
                return z3.BoolVal(op == "!=")
            if op == "==":
                return var == z3.BoolVal(literal)
            if op == "!=":
                return var != z3.BoolVal(literal)
            return z3.BoolVal(False)
        if f.type == "enum":
            if not isinstance(literal, str):
                return z3.BoolVal(op == "!=")
            ok = [i for i, v in enumerate(f.values) if _py_compare(v, op, literal)]
            return z3.Or(*[var == i for i in ok]) if ok else z3.BoolVal(False)
        if isinstance(literal, bool) or not isinstance(literal, (int, Decimal)):
            return z3.BoolVal(op == "!=")
        lit = self._num(literal)
        return {
            "==": lambda: var == lit,
            "!=": lambda: var != lit,
            "<": lambda: var < lit,
            "<=": lambda: var <= lit,
            ">": lambda: var > lit,
            ">=": lambda: var >= lit,
        }[op]()

    def _expr(self, node: Expr, override: Mapping[str, Any]) -> Any:
        if isinstance(node, Const):
            return z3.BoolVal(node.value)
        if isinstance(node, Not):
            return z3.Not(self._expr(node.operand, override))
        if isinstance(node, And):
            return z3.And(*[self._expr(o, override) for o in node.operands])
        if isinstance(node, Or):
            return z3.Or(*[self._expr(o, override) for o in node.operands])
        f = self.model.fields[node.field]
        present = self._present(f.id, override)
        var = self._var(f, override)
        if isinstance(node, BoolField):
            return z3.And(present, self._compare(f, var, "==", True))
        if isinstance(node, Compare):
            return z3.And(present, self._compare(f, var, node.op, node.value.value))
        assert isinstance(node, Member)
        found = z3.Or(*[self._compare(f, var, "==", item.value) for item in node.values])
        return z3.And(present, z3.Not(found) if node.negated else found)

    # -- queries ----------------------------------------------------------------------

    def sat(self, *formulas: Any) -> bool:
        """One query on a shared incremental solver that already knows the domains."""
        if not self.incremental:
            solver = z3.Solver()
            solver.add(self.domain, *formulas)
            return solver.check() == z3.sat
        if self._solver is None:
            self._solver = z3.Solver()
            self._solver.add(self.domain)
        self._solver.push()
        try:
            self._solver.add(*formulas)
            return self._solver.check() == z3.sat
        finally:
            self._solver.pop()

    def scope(self, override: Mapping[str, Any] | None = None) -> Any:
        return self.crit(self.model.lifecycle.scope, override)

    def own(self, stage: Stage) -> Any:
        return z3.And(self.scope(), self.crit(stage.entry), *[z3.Not(self.crit(e.when)) for e in stage.exits])

    def signatures(self, base: Any, parts: list[Any]) -> set[tuple[int, ...]]:
        """Every set K (|K| >= 2) such that some lead meets `base` and exactly the parts in K."""
        solver = z3.Solver()
        flags = [z3.Bool(f"__part{i}") for i in range(len(parts))]
        solver.add(self.domain, base)
        for flag, part in zip(flags, parts, strict=True):
            solver.add(flag == part)
        solver.add(z3.Sum([z3.If(flag, 1, 0) for flag in flags]) >= 2)
        found: set[tuple[int, ...]] = set()
        while solver.check() == z3.sat:
            model = solver.model()
            chosen = tuple(
                i for i, flag in enumerate(flags) if z3.is_true(model.eval(flag, model_completion=True))
            )
            found.add(chosen)
            solver.add(z3.Or(*[flag != model.eval(flag, model_completion=True) for flag in flags]))
        return found


def _py_compare(value: Any, op: str, literal: Any) -> bool:
    return {
        "==": value == literal,
        "!=": value != literal,
        "<": value < literal,
        "<=": value <= literal,
        ">": value > literal,
        ">=": value >= literal,
    }[op]


def findings(built: Built, incremental: bool = True) -> dict[str, set[Any]]:
    """The findings `summarize` lists, decided with z3 (examples and graph findings excepted)."""
    smt = Smt(built, incremental)
    model = built.model
    stages = model.stages
    position = {stage.id: i for i, stage in enumerate(stages)}
    scope = smt.scope()
    out: dict[str, set[Any]] = {
        key: set()
        for key in ("overlap", "gap", "handoff", "ambiguous", "dead", "always_left", "masked", "no_way_out")
    }
    owns = [smt.own(stage) for stage in stages]
    scoped_entry: dict[int, bool] = {}
    live: dict[tuple[int, int], bool] = {}
    for i, stage in enumerate(stages):
        entry = smt.crit(stage.entry)
        if not smt.sat(entry):
            out["dead"].add((stage.id, None, "never"))
            scoped_entry[i] = False
            continue
        inside = z3.And(scope, entry)
        scoped_entry[i] = smt.sat(inside)
        if not scoped_entry[i]:
            out["dead"].add((stage.id, None, "outside_scope"))
            continue
        single = False
        for j, exit_ in enumerate(stage.exits):
            when = smt.crit(exit_.when)
            live[(i, j)] = smt.sat(inside, when)
            if not smt.sat(when):
                out["dead"].add((stage.id, j, "never"))
            elif not live[(i, j)]:
                out["dead"].add((stage.id, j, "not_with_entry"))
            elif not smt.sat(inside, z3.Not(when)):
                single = True
                out["always_left"].add((stage.id, j))
        if not smt.sat(owns[i]) and not single:
            out["always_left"].add((stage.id, None))
        if len(stage.exits) >= 2:
            for chosen in smt.signatures(inside, [smt.crit(e.when) for e in stage.exits]):
                out["ambiguous"].add((stage.id, chosen))
    for i, stage in enumerate(stages):
        if not stage.terminal and not stage.exits:
            out["no_way_out"].add((stage.id, "no_exits"))
        elif (
            not stage.terminal
            and scoped_entry.get(i)
            and not any(live.get((i, j)) for j in range(len(stage.exits)))
        ):
            out["no_way_out"].add((stage.id, "dead_exits"))
        if not smt.sat(smt.crit(stage.entry)):
            continue
        for j, exit_ in enumerate(stage.exits):
            target = position.get(exit_.to)
            if target is None or not scoped_entry.get(target):
                continue
            override = dict(exit_.set)
            lands = z3.And(smt.scope(override), smt.crit(stages[target].entry, override))
            if smt.sat(scope, smt.crit(stage.entry), smt.crit(exit_.when), z3.Not(lands)):
                out["handoff"].add((stage.id, j))
    if smt.sat(scope, *[z3.Not(own) for own in owns]):
        out["gap"].add(True)
    if model.lifecycle.policy == "first_match":
        for i, stage in enumerate(stages):
            if smt.sat(owns[i]) and not smt.sat(owns[i], *[z3.Not(owns[k]) for k in range(i)]):
                out["masked"].add(stage.id)
    else:
        for chosen in smt.signatures(z3.BoolVal(True), owns):
            out["overlap"].add(tuple(stages[i].id for i in chosen))
    return out


def holds(built: Built, formula: Any, lead: Mapping[str, Any]) -> bool:
    """Whether a concrete lead satisfies a z3 formula over this model's variables (witness check)."""
    smt = Smt(built)
    solver = z3.Solver()
    solver.add(formula)
    for f in built.model.fields.values():
        value = lead.get(f.id)
        if f.optional:
            solver.add(smt.missing[f.id] == (value is None))
        if value is None:
            continue
        var = smt.values[f.id]
        if f.type == "boolean":
            solver.add(var == z3.BoolVal(value))
        elif f.type == "enum":
            solver.add(var == f.values.index(value))
        else:
            solver.add(var == smt._num(value))
    return solver.check() == z3.sat

"""The analysis against an SMT encoding (z3), on generated models; skipped without z3-solver.

Same findings (every kind the reference decides), and every example lead checked
twice: with the evaluator, and against the z3 formula of what its finding claims.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

z3 = pytest.importorskip("z3")

import smt_reference  # noqa: E402
from analysis_helpers import Built, summarize, verify_witnesses  # noqa: E402
from model_gen import realistic_model, small_model  # noqa: E402


def claims(built: Built) -> list[tuple[Any, dict[str, Any]]]:
    """(z3 formula, lead) for each example lead: what its finding says about it."""
    smt = smt_reference.Smt(built)
    analysis = built.analyze()
    stages = list(built.model.stages)
    owns = {id(stage): smt.own(stage) for stage in stages}
    out = []
    for overlap in analysis.overlaps:
        members = {id(s) for s in overlap.stages}
        parts = [owns[id(s)] for s in overlap.stages]
        if overlap.exact:
            parts += [z3.Not(owns[id(s)]) for s in stages if id(s) not in members]
        out.append((z3.And(*parts), overlap.witness))
    for gap in analysis.gaps:
        out.append((z3.And(smt.scope(), *[z3.Not(owns[id(s)]) for s in stages]), gap.witness))
    for hand in analysis.handoff_gaps:
        override = dict(hand.exit.set)
        lands = z3.And(smt.scope(override), smt.crit(hand.target.entry, override))
        leaves = z3.And(smt.scope(), smt.crit(hand.stage.entry), smt.crit(hand.exit.when))
        out.append((z3.And(leaves, z3.Not(lands)), hand.witness))
    for amb in analysis.ambiguous_exits:
        chosen = {id(e) for e in amb.exits}
        parts = [smt.scope(), smt.crit(amb.stage.entry)]
        parts += [smt.crit(e.when) if id(e) in chosen else z3.Not(smt.crit(e.when)) for e in amb.stage.exits]
        out.append((z3.And(*parts), amb.witness))
    for masked in analysis.masked:
        first = stages.index(masked.taken_by)
        assert first < stages.index(masked.stage)
        earlier = [z3.Not(owns[id(s)]) for s in stages[:first]]
        out.append((z3.And(owns[id(masked.stage)], owns[id(masked.taken_by)], *earlier), masked.witness))
    return out


def cross_check(built: Built) -> None:
    analysis = built.analyze()
    reference = smt_reference.findings(built)
    mine = summarize(analysis)
    for kind, values in reference.items():
        assert mine[kind] == values, (kind, mine[kind] ^ values)
    verify_witnesses(built, analysis)
    for formula, lead in claims(built):
        assert smt_reference.holds(built, formula, lead), lead


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_small_models_agree_with_z3(seed: int) -> None:
    cross_check(small_model(seed))


@pytest.mark.parametrize("stages", [5, 12, 25])
@pytest.mark.parametrize("seed", [0, 1])
def test_realistic_models_agree_with_z3(stages: int, seed: int) -> None:
    """Stages as score bands narrowed by conditions on 40 fields, criteria of up to 20 atoms."""
    cross_check(realistic_model(seed, stages, 40, 20))


def test_the_reference_itself_sees_findings() -> None:
    """A reference that never finds anything would agree with a broken analysis on clean models."""
    seen: set[str] = set()
    for seed in range(40):
        seen.update(kind for kind, values in smt_reference.findings(small_model(seed)).items() if values)
    assert {"overlap", "gap", "handoff", "ambiguous", "dead", "always_left"} <= seen

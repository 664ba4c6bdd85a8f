"""The analysis against brute force on generated small models.

Each model (`model_gen.small_model`) has one to three fields of every kind
(optional ones included, decimals with strict and non-strict bounds), criteria
with chains, `in` / `not in`, `not`, `true`/`false`, exits with `set`, a scope
sometimes, both policies, and examples. The brute force evaluates every lead of
a grid holding one lead per cell of every field, so it decides each finding
exactly; the analysis must find the same, and every example lead it gives must
do what its finding says when run through the evaluator.
"""

from __future__ import annotations

import pytest
from analysis_helpers import brute_force, summarize, verify_witnesses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_gen import small_model


def check_against_brute_force(seed: int) -> int:
    built = small_model(seed)
    analysis = built.analyze()
    assert analysis.skipped is None and analysis.complete
    expected = brute_force(built)
    found = summarize(analysis)
    for kind, values in expected.items():
        assert found[kind] == values, (seed, kind, found[kind], values)
    return verify_witnesses(built, analysis)


def test_fixed_sweep_of_small_models() -> None:
    """400 fixed models, so a regression shows up the same way every run."""
    witnesses = sum(check_against_brute_force(seed) for seed in range(400))
    assert witnesses > 400  # the sweep really exercises findings with example leads


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=400, max_value=2**32))
def test_generated_models_match_brute_force(seed: int) -> None:
    check_against_brute_force(seed)


def test_the_generator_covers_every_finding() -> None:
    """The sweep above would prove little if some finding never came up."""
    seen: set[str] = set()
    policies = set()
    for seed in range(400):
        built = small_model(seed)
        policies.add(built.model.lifecycle.policy)
        seen.update(kind for kind, values in summarize(built.analyze()).items() if values)
    assert seen >= {
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
    }
    assert policies == {"exclusive", "first_match"}


def test_pairs_when_grouping_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its budget, the grouping walk gives way to pairs: every pair of stages (or exits)
    that shares a lead is reported once, with a lead in both."""
    from itertools import combinations

    import leadspec.analysis.lifecycle as lifecycle

    monkeypatch.setattr(lifecycle, "_SIGNATURE_BUDGET", 0)
    monkeypatch.setattr(lifecycle, "_SMALL_GROUP", 0)
    checked = inexact = 0
    for seed in range(300):
        built = small_model(seed)
        analysis = built.analyze()
        expected = brute_force(built)
        pairs = {pair for group in expected["overlap"] for pair in combinations(group, 2)}
        assert {tuple(s.id for s in o.stages) for o in analysis.overlaps} == pairs
        exit_pairs = {
            (stage, pair) for stage, group in expected["ambiguous"] for pair in combinations(group, 2)
        }
        found = {
            (a.stage.id, tuple(next(j for j, e in enumerate(a.stage.exits) if e is x) for x in a.exits))
            for a in analysis.ambiguous_exits
        }
        assert found == exit_pairs
        # two stages sharing leads with no third are still an exact pair
        inexact += sum(not o.exact for o in analysis.overlaps)
        checked += verify_witnesses(built, analysis)
    assert checked > 300 and inexact > 20

"""Issue 15's decision tables (benchmarks/decision_table.py) against the z3 reference, at small sizes.

A tiling of the columns' space with 10% of its rules perturbed, as the benchmark
makes it, read as terminal stages: every set of rules some lead is in exactly
(LS301) and whether some lead is in no rule (LS302) must be what z3 decides, and
every example lead must do what its finding says. Past 16 stages the overlaps are
grown as cliques of meeting pairs and the gap is found by splitting boxes, so
the sizes below run both those and the walks they replace.
"""

from __future__ import annotations

import sys

import pytest

z3 = pytest.importorskip("z3")

from analysis_helpers import Built, fld, make  # noqa: E402
from test_analysis_smt import cross_check  # noqa: E402

from conftest import REPO  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))

from decision_table import Table, decision_table, entry, partition  # noqa: E402


def built(table: Table) -> Built:
    """The table as the benchmark writes it: number columns from 0 to 100, one terminal stage per rule."""
    fields = [fld(f"c{column + 1}", "number", min=0, max=100) for column in range(table.columns)]
    stages = [
        {"id": f"r{index}", "entry": entry(rule), "terminal": True} for index, rule in enumerate(table.rules)
    ]
    return make(fields, stages)


@pytest.mark.parametrize("columns", [2, 3, 5])
@pytest.mark.parametrize("rules", [10, 30, 60])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_decision_tables_agree_with_z3(rules: int, columns: int, seed: int) -> None:
    cross_check(built(decision_table(rules, columns, seed)))


@pytest.mark.parametrize("seed", range(6))
def test_overlaps_grown_as_cliques_agree_with_z3(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every group of overlapping rules grown as cliques of meeting pairs, not only those of more than six."""
    import leadspec.analysis.lifecycle as lifecycle

    monkeypatch.setattr(lifecycle, "_SMALL_GROUP", 1)
    cross_check(built(decision_table(60, 3 + seed % 3, seed)))


@pytest.mark.parametrize("columns", [2, 5])
def test_a_tiling_has_no_overlap_and_no_gap(columns: int) -> None:
    """Unperturbed, the table is a tiling: nothing to report, which takes covering every lead to prove."""
    analysis = built(partition(200, columns, 7)).analyze()
    assert analysis.overlaps == [] and analysis.gaps == []


def test_the_perturbed_tables_have_overlaps_of_three_and_gaps() -> None:
    """The cross-checks above say something only if the tables have findings, groups of three included."""
    analyses = [
        built(decision_table(60, columns, seed)).analyze() for seed in range(6) for columns in (2, 3, 5)
    ]
    sizes = [len(overlap.stages) for analysis in analyses for overlap in analysis.overlaps]
    assert len(sizes) > 60 and sizes.count(3) >= 3
    assert all(len(analysis.gaps) == 1 for analysis in analyses)

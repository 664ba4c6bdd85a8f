"""Lead movement between two revisions of a decision table (benchmarks/decision_table.py), exactly.

Past 16 stages the leads in no stage are built from the boxes the rules leave
uncovered, and a move's box is widened by walks inside it; both must still give
every movement and nothing else: each witness is placed by the evaluator on both
sides, and every lead of a grid holding one lead per cell of every field whose
place changes is in a reported movement.
"""

from __future__ import annotations

import sys

from diff_support import Built, fld, make, place, valid_on
from test_diff_movement import joint_grid

from conftest import REPO
from leadspec.diff.movement import lead_movement

sys.path.insert(0, str(REPO / "benchmarks"))

from decision_table import Table, decision_table, entry, partition, perturb, warp  # noqa: E402


def built(table: Table, dropped: int = 0) -> Built:
    """The table as terminal stages, less its last `dropped` rules (which leaves gaps)."""
    fields = [fld(f"c{column + 1}", "number", min=0, max=100) for column in range(table.columns)]
    rules = table.rules[: len(table.rules) - dropped]
    stages = [{"id": f"r{index}", "entry": entry(rule), "terminal": True} for index, rule in enumerate(rules)]
    return make(fields, stages)


def check_movement(before: Built, after: Built) -> set[tuple[object, object]]:
    movement = lead_movement(before.model, before.exprs, after.model, after.exprs)
    assert movement.skipped is None, movement.skipped
    reported = {(move.source.key, move.target.key) for move in movement.moves}
    for move in movement.moves:
        assert valid_on(before.model, move.witness) and valid_on(after.model, move.witness), move
        assert place(before, move.witness) == move.source.key, move
        assert place(after, move.witness) == move.target.key, move
    seen = set()
    for lead in joint_grid(before, after):
        was, now = place(before, lead), place(after, lead)
        if was != now:
            assert (was, now) in reported, (lead, was, now)
            seen.add((was, now))
    assert seen == reported, reported - seen
    return reported


def test_a_warped_tiling_moves_leads_between_neighbouring_rules() -> None:
    tiling = partition(30, 2, 3)
    moves = check_movement(built(tiling), built(warp(tiling, 4)))
    assert len(moves) > 10 and all(source[0] == target[0] == "stage" for source, target in moves)


def test_leads_move_out_of_and_into_the_gaps_of_a_table() -> None:
    """Three rules dropped: their leads are in no stage, and the warp moves leads across those holes' edges."""
    tiling = partition(30, 2, 5)
    moves = check_movement(built(tiling, dropped=3), built(warp(tiling, 6), dropped=3))
    assert any(source == ("none", None) for source, _ in moves)
    assert any(target == ("none", None) for _, target in moves)


def test_a_perturbed_table_overlaps_so_movement_is_not_worked_out() -> None:
    table = decision_table(40, 2, 1)
    before, after = built(table), built(perturb(table, 9))
    movement = lead_movement(before.model, before.exprs, after.model, after.exprs)
    assert movement.skipped is not None and "(an overlap)" in movement.skipped

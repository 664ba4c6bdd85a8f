"""Per-field cells: exact value sets, with "missing" and strict/non-strict bounds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from analysis_helpers import fld

from leadspec.analysis.domains import MISSING, FieldDomain
from leadspec.expr.evaluate import evaluate
from leadspec.expr.parser import parse


def cells_holding(domain: FieldDomain, mask: int) -> list[object]:
    return [domain.representative(i) for i in range(domain.width) if mask >> i & 1]


def test_number_cells_split_at_every_literal_with_open_and_closed_ends() -> None:
    revenue = FieldDomain(fld("revenue", "number", min=0, max=10), [Decimal("0.5"), 2])
    # {0}, (0, 0.5), {0.5}, (0.5, 2), {2}, (2, 10), {10}
    assert revenue.width == 7
    below = revenue.compare_mask("<", Decimal("0.5"))
    assert cells_holding(revenue, below) == [Decimal(0), Decimal("0.25")]
    at_most = revenue.compare_mask("<=", Decimal("0.5"))
    assert cells_holding(revenue, at_most) == [Decimal(0), Decimal("0.25"), Decimal("0.5")]
    above = revenue.compare_mask(">", Decimal("0.5"))
    assert Decimal("0.5") not in cells_holding(revenue, above)
    assert cells_holding(revenue, above)[0] == 1  # a whole number inside (0.5, 2) reads best


def test_integer_cells_keep_only_whole_numbers() -> None:
    score = FieldDomain(fld("score", "integer", min=0, max=100), [Decimal("49.5"), 50])
    values = [score.representative(i) for i in range(score.width)]
    # {0}, 1..49, ({49.5} and "over 49.5, under 50" hold no whole number), {50}, 51..99, {100}
    assert values == [0, 1, 50, 51, 100]
    assert all(type(value) is int for value in values)
    # "over 49.5 and under 50" holds no whole number, so it is no cell
    assert score.cell_of(49) is not None and score.cell_of(50) is not None
    assert score.cell_of(Decimal("49.5")) is None


def test_missing_is_its_own_last_cell_and_no_comparison_holds_on_it() -> None:
    industry = FieldDomain(fld("industry", "enum", values=["software", "finance"], optional=True))
    assert industry.cells[-1].missing
    assert industry.cell_of(None) == industry.width - 1
    for op in ("==", "!="):
        assert not industry.compare_mask(op, "software") & industry.missing_bit
    assert not industry.member_mask(["software"], negated=True) & industry.missing_bit
    assert industry.representative(industry.width - 1) is MISSING


def test_required_field_has_no_missing_cell() -> None:
    flag = FieldDomain(fld("verified", "boolean"))
    assert flag.width == 2 and flag.cell_of(None) is None


def test_unbounded_numbers_have_open_ended_cells() -> None:
    score = FieldDomain(fld("delta", "integer"), [-3, 5])
    assert score.cell_of(-1000) == 0
    assert score.cell_of(1000) == score.width - 1
    assert score.representative(0) == -4
    assert score.representative(score.width - 1) == 6


def test_values_outside_the_domain_have_no_cell() -> None:
    score = FieldDomain(fld("score", "integer", min=0, max=100), [50])
    assert score.cell_of(101) is None
    assert score.cell_of(-1) is None
    assert score.cell_of("50") is None
    assert score.cell_of(True) is None


def test_min_above_max_is_flagged_empty() -> None:
    assert FieldDomain(fld("odd", "integer", min=5, max=3)).empty


@pytest.mark.parametrize(
    "text",
    ["x < 0.5", "x <= 0.5", "x > 0.5", "x >= 2", "x == 2", "x != 0.5", "x in [0.5, 2]", "x not in [2]"],
)
def test_every_cell_agrees_with_the_evaluator(text: str) -> None:
    """A mask is right exactly when the evaluator agrees on each cell's representative (and on
    the points either side of every literal)."""
    tree = parse(text)
    domain = FieldDomain(fld("x", "number", min=0, max=3, optional=True), [Decimal("0.5"), 2])
    from leadspec.analysis.criteria import atom_mask
    from leadspec.analysis.space import Space

    space = Space({"x": domain.field}, {"x": [Decimal("0.5"), 2]})
    _, mask = atom_mask(space, tree)  # type: ignore[arg-type, misc]
    sample = [Decimal(v) / 8 for v in range(0, 25)] + [None]
    for value in sample:
        cell = space.domains[0].cell_of(value)
        assert cell is not None
        lead = {} if value is None else {"x": value}
        assert bool(mask >> cell & 1) == evaluate(tree, lead), (text, value)

"""Decision diagrams and boxes against plain sets of leads, on small enumerable spaces."""

from __future__ import annotations

import itertools

from analysis_helpers import fld
from hypothesis import given, settings
from hypothesis import strategies as st

from leadspec.analysis.boxes import Layout, simplify
from leadspec.analysis.diagrams import FALSE, TRUE, Region
from leadspec.analysis.space import Space

FIELDS = {
    "a": fld("a", "integer", min=0, max=3),
    "b": fld("b", "enum", values=["x", "y", "z"], optional=True),
    "c": fld("c", "boolean"),
}
SPACE = Space(FIELDS, {"a": [1, 2]})
WIDTHS = [domain.width for domain in SPACE.domains]  # a: {0},(0,1)...; b: x,y,z,missing; c: f,t
POINTS = [
    sum(1 << (position * SPACE.layout.lane + cell) for position, cell in enumerate(cells))
    for cells in itertools.product(*(range(width) for width in WIDTHS))
]

masks = st.tuples(*(st.integers(1, (1 << width) - 1) for width in WIDTHS))


def box_of(lanes: tuple[int, ...]) -> int:
    box = 0
    for position, mask in enumerate(lanes):
        box |= mask << (position * SPACE.layout.lane)
    return box


def region_of(boxes: list[tuple[int, ...]]) -> Region:
    region = SPACE.nothing()
    for lanes in boxes:
        region = region | SPACE.box_region(box_of(lanes))
    return region


def as_set(region: Region) -> frozenset[int]:
    return frozenset(point for point in POINTS if region.contains(point))


def box_set(boxes: list[tuple[int, ...]]) -> frozenset[int]:
    found = set()
    for lanes in boxes:
        box = box_of(lanes)
        found.update(point for point in POINTS if point & box == point)
    return frozenset(found)


regions = st.lists(masks, max_size=4)


@settings(max_examples=200, deadline=None)
@given(regions, regions)
def test_set_operations_are_exact(first: list[tuple[int, ...]], second: list[tuple[int, ...]]) -> None:
    a, b = region_of(first), region_of(second)
    sa, sb = box_set(first), box_set(second)
    assert as_set(a) == sa
    assert as_set(a & b) == sa & sb
    assert as_set(a | b) == sa | sb
    assert as_set(a - b) == sa - sb
    assert as_set(a.complement()) == frozenset(POINTS) - sa
    assert a.intersects(b) == bool(sa & sb)
    assert a.issubset(b) == (sa <= sb)
    assert bool(a) == bool(sa)
    # canonical: the same set is the same node
    assert (a | b).node == (b | a).node
    assert (a - b).node == (a & b.complement()).node


@settings(max_examples=200, deadline=None)
@given(regions)
def test_witness_box_and_paths_lie_inside(first: list[tuple[int, ...]]) -> None:
    region = region_of(first)
    expected = box_set(first)
    if not region:
        assert region.node == FALSE
        return
    box = region.first_box()
    inside = {point for point in POINTS if point & box == point}
    assert inside and inside <= expected
    lead = SPACE.witness(box)
    point = SPACE.point(lead)
    assert point is not None and region.contains(point)
    paths = list(SPACE.forest.paths(region.node))
    covered = set()
    for path in paths:
        cells = {point for point in POINTS if point & path == point}
        assert not cells & covered, "paths are disjoint"
        covered |= cells
    assert covered == expected
    boxes = region.boxes(limit=1000)
    assert boxes is not None and box_set_from_ints(boxes) == expected


def box_set_from_ints(boxes: list[int]) -> frozenset[int]:
    return frozenset(point for point in POINTS for box in boxes if point & box == point)


@settings(max_examples=150, deadline=None)
@given(st.lists(regions, min_size=2, max_size=4))
def test_signatures_are_every_exact_combination(parts: list[list[tuple[int, ...]]]) -> None:
    built = [region_of(part) for part in parts]
    found = SPACE.forest.signatures([region.node for region in built])
    assert found is not None
    expected: set[int] = set()
    for point in POINTS:
        signature = sum(1 << i for i, region in enumerate(built) if region.contains(point))
        if signature.bit_count() >= 2:
            expected.add(signature)
    assert set(found) == expected
    for signature, box in found.items():
        cells = [point for point in POINTS if point & box == point]
        assert cells
        for point in cells:
            assert sum(1 << i for i, region in enumerate(built) if region.contains(point)) == signature


@settings(max_examples=100, deadline=None)
@given(regions, st.integers(0, 3), st.sampled_from(["x", "y", "z", None]))
def test_preimage_of_a_set(first: list[tuple[int, ...]], a_value: int, b_value: str | None) -> None:
    region = region_of(first)
    values = {"a": a_value, "b": b_value}
    before = SPACE.preimage(region, values)
    assert before is not None
    for point in POINTS:
        lead = {name: value for name, value in zip(FIELDS, cells_of(point), strict=True) if value is not None}
        after = SPACE.apply_set(lead, values)
        after_point = SPACE.point(after)
        assert after_point is not None
        assert before.contains(SPACE.point(lead)) == region.contains(after_point)  # type: ignore[arg-type]


def cells_of(point: int) -> list[object]:
    values = []
    for position, domain in enumerate(SPACE.domains):
        mask = SPACE.layout.get(point, position)
        value = domain.representative(mask.bit_length() - 1)
        values.append(None if value is not None and repr(value) == "MISSING" else value)
    return values


def test_terminal_nodes() -> None:
    assert SPACE.everything().node == TRUE and SPACE.nothing().node == FALSE
    assert not SPACE.nothing() and SPACE.everything()


def test_layout_emptiness_and_simplify() -> None:
    layout = Layout([3, 2])
    full = layout.full
    assert layout.nonempty(full)
    assert not layout.nonempty(layout.put(full, 0, 0))
    one = layout.put(full, 0, 0b001)
    two = layout.put(full, 0, 0b110)
    assert simplify(layout, [one, two]) == [full]
    inner = layout.put(one, 1, 0b01)
    assert simplify(layout, [one, inner]) == [one]
    pieces = layout.subtract(full, inner)
    covered = set()
    for piece in pieces:
        for a in range(3):
            for b in range(2):
                point = (1 << a) | (1 << (layout.lane + b))
                if point & piece == point:
                    assert point not in covered
                    covered.add(point)
    assert len(covered) == 6 - 1

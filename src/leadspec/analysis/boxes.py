"""Boxes: a per-field value set for every field at once.

"Lead score 45 to 49 and Email verified yes, anything for the other fields" is
a box. With each field's domain cut into cells (`domains.py`), a field's value
set is a bit mask, and a whole box is one Python integer holding every field's
mask in its own lane of `W` bits (the top bit of each lane is a guard that
stays 0). Then

- the intersection of two boxes is one `&`,
- a box is empty exactly when some lane is zero, which one addition decides for
  all lanes at once (add `2^(W-1) - 1` to every lane: a lane that is not zero
  carries into its guard bit, a zero lane does not, and no lane overflows into
  the next),
- the difference of two boxes splits along the fields where they differ into at
  most one disjoint box per field.

Boxes are the readable form of a region: a path through a decision diagram
(`diagrams.py`, which the analysis computes with) is a box, an example lead is
read out of a box, and words describe a region box by box. `simplify` merges
boxes that differ in one field only and drops boxes inside others, which keeps
the set exactly the same and the words short.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

# Past this many boxes, pairwise subsumption checks cost more than they save.
_SUBSUME_LIMIT = 400


class Layout:
    """Where each field's cells live inside a box integer."""

    def __init__(self, widths: Sequence[int]) -> None:
        self.count = len(widths)
        self.widths = tuple(widths)
        self.lane = max([1, *widths]) + 1  # one guard bit on top of each lane
        full = 0
        lanes: list[int] = []
        add = 0
        guards = 0
        for index, width in enumerate(widths):
            shift = index * self.lane
            lane_full = ((1 << width) - 1) << shift
            lanes.append(lane_full)
            full |= lane_full
            add |= ((1 << (self.lane - 1)) - 1) << shift
            guards |= 1 << (shift + self.lane - 1)
        self.full = full
        self.lanes = tuple(lanes)
        self._add = add
        self._guards = guards

    def nonempty(self, box: int) -> bool:
        """True when every field's lane holds at least one cell."""
        return ((box + self._add) & self._guards) == self._guards

    def field_of_bit(self, bit: int) -> int:
        return (bit.bit_length() - 1) // self.lane

    def get(self, box: int, field: int) -> int:
        """Field `field`'s cell mask, shifted down to bit 0."""
        return (box & self.lanes[field]) >> (field * self.lane)

    def put(self, box: int, field: int, mask: int) -> int:
        """`box` with field `field`'s cells replaced by `mask`."""
        return (box & ~self.lanes[field]) | ((mask << (field * self.lane)) & self.lanes[field])

    def atom(self, field: int, mask: int) -> int:
        """The box "field in mask, anything else"."""
        return self.put(self.full, field, mask)

    def constrained(self, box: int) -> Iterator[int]:
        """The fields on which `box` is narrower than the whole domain."""
        rest = self.full & ~box
        while rest:
            field = self.field_of_bit(rest & -rest)
            yield field
            rest &= ~self.lanes[field]

    def subtract(self, a: int, b: int) -> list[int]:
        """`a` minus `b` as disjoint non-empty boxes (at most one per field where they differ)."""
        both = a & b
        if not self.nonempty(both):
            return [a]
        outside = a & ~b
        if not outside:
            return []
        pieces: list[int] = []
        current = a
        while outside:
            lane = self.lanes[self.field_of_bit(outside & -outside)]
            pieces.append((current & ~lane) | (outside & lane))
            current = (current & ~lane) | (both & lane)
            outside &= ~lane
        return pieces


def simplify(layout: Layout, boxes: Iterable[int]) -> list[int]:
    """The same set with fewer boxes: duplicates, boxes inside others, and one-field merges."""
    unique = list(dict.fromkeys(boxes))
    if len(unique) <= 1:
        return unique
    # Only fields on which some boxes differ can merge anything.
    first = unique[0]
    differ = 0
    for box in unique:
        differ |= box ^ first
    lanes = [lane for lane in layout.lanes if differ & lane]
    changed = True
    rounds = 0
    while changed and len(unique) > 1 and rounds < 4:
        changed = False
        rounds += 1
        for lane in lanes:
            groups: dict[int, int] = {}
            for box in unique:
                key = box & ~lane
                groups[key] = groups.get(key, key) | box
            if len(groups) < len(unique):
                unique = list(groups.values())
                changed = True
                if len(unique) == 1:
                    break
    if 1 < len(unique) <= _SUBSUME_LIMIT:
        # Largest first, so that a box is compared with the boxes that may hold it.
        unique.sort(key=lambda box: -box.bit_count())
        kept: list[int] = []
        for box in unique:
            if not any((box | other) == other for other in kept):
                kept.append(box)
        unique = kept
    return unique


def uncovered(layout: Layout, region: int, boxes: Sequence[int]) -> int | None:
    """A box inside `region` that none of `boxes` meets; None when they cover all of it."""
    return next(uncovered_boxes(layout, region, boxes), None)


def uncovered_boxes(layout: Layout, region: int, boxes: Sequence[int]) -> Iterator[int]:
    """Disjoint boxes, lowest cells first, whose union is the part of `region` that no box in `boxes` meets.

    A k-d split, depth first: a region no box meets is a piece of the answer,
    one some box holds whole is done, and any other is cut in two on the field
    and cell that the fewest boxes cross (the most even cut among those). A
    table of rules tiled by such cuts is taken apart along its own cuts, so
    proving it has no gap costs about the rules times the depth of the tiling,
    where comparing regions cell by cell multiplies the cuts of every field.
    """
    spans = _spans(layout, boxes)
    add, guards = (
        layout._add,
        layout._guards,
    )  # `Layout.nonempty`, inlined: it runs for every box at every step
    stack: list[tuple[int, list[int]]] = [(region, list(boxes))]
    while stack:
        region, around = stack.pop()
        inside = [box for box in around if ((box & region) + add) & guards == guards]
        if not inside:
            yield region
            continue
        if any(region | box == box for box in inside):
            continue
        field, cut = _cut(layout, region, inside, spans)
        mask = layout.get(region, field)
        below = mask & ((1 << cut) - 1)
        stack.append((layout.put(region, field, mask & ~below), inside))
        stack.append((layout.put(region, field, below), inside))


def _spans(layout: Layout, boxes: Sequence[int]) -> list[tuple[dict[int, int], dict[int, int]]]:
    """Per field, each box's lowest cell and its highest cell."""
    spans: list[tuple[dict[int, int], dict[int, int]]] = []
    for field in range(layout.count):
        lowest: dict[int, int] = {}
        highest: dict[int, int] = {}
        for box in boxes:
            mask = layout.get(box, field)
            lowest[box] = (mask & -mask).bit_length() - 1
            highest[box] = mask.bit_length() - 1
        spans.append((lowest, highest))
    return spans


def _cut(
    layout: Layout, region: int, boxes: list[int], spans: list[tuple[dict[int, int], dict[int, int]]]
) -> tuple[int, int]:
    """The field and cell to cut `region` at (cells below it go one way): fewest boxes crossing, then most even.

    A cut is only ever tried inside the region at a box's lowest cell or just
    above its highest, the places where the boxes' own bounds lie. (Bounds
    outside the region count the same for every such cut, so need no clamping.)
    """
    best: tuple[tuple[int, int], int, int] | None = None
    count = len(boxes)
    for field in range(layout.count):
        mask = layout.get(region, field)
        first, last = (mask & -mask).bit_length() - 1, mask.bit_length() - 1
        if first == last:
            continue
        lowest, highest = spans[field]
        lows = sorted(map(lowest.__getitem__, boxes))
        highs = sorted(map(highest.__getitem__, boxes))
        # cuts at c: the boxes reaching below c (lows < c) and those reaching c or above (highs >= c)
        cuts = sorted({low for low in lows if low > first} | {high + 1 for high in highs if high < last})
        below = ended = 0
        for cut in cuts:
            while below < count and lows[below] < cut:
                below += 1
            while ended < count and highs[ended] < cut:
                ended += 1
            score = (below - ended, max(below, count - ended))
            if best is None or score < best[0]:
                best = (score, field, cut)
    if best is not None:
        return best[1], best[2]
    # Every box spans the region on every field, with holes: cut at the first hole of one.
    for box in boxes:
        for field in range(layout.count):
            mask = layout.get(region, field)
            hole = mask & ~layout.get(box, field)
            if hole:
                first = mask & -mask
                at = hole & -hole
                if at == first:
                    held = mask & layout.get(box, field)
                    at = held & -held
                return field, at.bit_length() - 1
    raise AssertionError("a region no box holds whole has a field some box narrows")  # pragma: no cover

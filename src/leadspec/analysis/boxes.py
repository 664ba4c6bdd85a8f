"""Regions of leads: unions of boxes, with exact set operations.

A *box* is a per-field value set for every field at once: "Lead score 45 to 49
and Email verified yes, anything for the other fields". With each field's
domain cut into cells (`domains.py`), a field's value set is a bit mask, and a
whole box is one Python integer holding every field's mask in its own lane of
`W` bits (the top bit of each lane is a guard that stays 0). Then

- the intersection of two boxes is one `&`,
- a box is empty exactly when some lane is zero, which one addition decides for
  all lanes at once (add `2^(W-1) - 1` to every lane: a lane that is not zero
  carries into its guard bit, a zero lane does not, and no lane overflows into
  the next),
- the difference of two boxes splits along the fields where they differ into at
  most one disjoint box per field.

A *region* is a union of non-empty boxes (they may overlap), so a region is
empty exactly when it holds no box. Regions are kept small by merging boxes that
differ in one field only and dropping boxes inside others; both keep the set
exactly the same. No solver: every answer is decided over the cells, which is
exact because every atom is constant on each cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

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
    changed = True
    rounds = 0
    while changed and len(unique) > 1 and rounds < 4:
        changed = False
        rounds += 1
        for lane in layout.lanes:
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


@dataclass(frozen=True, eq=False)
class Region:
    """A set of leads: the union of `boxes`, each non-empty."""

    layout: Layout
    boxes: tuple[int, ...]

    @classmethod
    def of(cls, layout: Layout, boxes: Iterable[int], *, tidy: bool = True) -> Region:
        found = [box for box in boxes if layout.nonempty(box)]
        return cls(layout, tuple(simplify(layout, found) if tidy else found))

    @classmethod
    def everything(cls, layout: Layout) -> Region:
        return cls(layout, (layout.full,)) if layout.nonempty(layout.full) else cls(layout, ())

    @classmethod
    def nothing(cls, layout: Layout) -> Region:
        return cls(layout, ())

    def __bool__(self) -> bool:
        return bool(self.boxes)

    @property
    def empty(self) -> bool:
        return not self.boxes

    def __len__(self) -> int:
        return len(self.boxes)

    def __and__(self, other: Region) -> Region:
        if not self.boxes or not other.boxes:
            return Region(self.layout, ())
        nonempty = self.layout.nonempty
        found = []
        for a in self.boxes:
            for b in other.boxes:
                both = a & b
                if nonempty(both):
                    found.append(both)
        return Region(self.layout, tuple(simplify(self.layout, found)))

    def intersects(self, other: Region) -> bool:
        nonempty = self.layout.nonempty
        return any(nonempty(a & b) for a in self.boxes for b in other.boxes)

    def __or__(self, other: Region) -> Region:
        if not other.boxes:
            return self
        if not self.boxes:
            return other
        return Region(self.layout, tuple(simplify(self.layout, self.boxes + other.boxes)))

    def __sub__(self, other: Region) -> Region:
        layout = self.layout
        current = list(self.boxes)
        for b in other.boxes:
            if not current:
                break
            nxt: list[int] = []
            for a in current:
                nxt.extend(layout.subtract(a, b))
            current = simplify(layout, nxt) if len(nxt) > 8 else nxt
        return Region(layout, tuple(simplify(layout, current)))

    def complement(self) -> Region:
        return Region.everything(self.layout) - self

    def issubset(self, other: Region) -> bool:
        """Whether every lead of this region is in `other` (stops at the first one that is not)."""
        layout = self.layout
        for a in self.boxes:
            current = [a]
            for b in other.boxes:
                nxt: list[int] = []
                for piece in current:
                    nxt.extend(layout.subtract(piece, b))
                current = nxt
                if not current:
                    break
            if current:
                return False
        return True

    def contains(self, point: int) -> bool:
        """Whether the one-cell-per-field box `point` lies in the region."""
        return any((point & box) == point for box in self.boxes)

    def where(self, box: int) -> Region:
        """This region cut down to one box."""
        return self & Region(self.layout, (box,))


def union_all(layout: Layout, regions: Iterable[Region]) -> Region:
    boxes: list[int] = []
    for region in regions:
        boxes.extend(region.boxes)
    return Region(layout, tuple(simplify(layout, boxes)))

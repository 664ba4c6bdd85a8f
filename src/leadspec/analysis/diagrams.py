"""Regions of leads as decision diagrams over the fields' cells.

A region could be kept as a union of boxes (`boxes.py`), and for reading it
out that is the right form. But differences of unions of boxes fragment:
subtracting a 30-box region from a 7-box one in 40 dimensions can leave
hundreds of boxes, and a lifecycle needs many such differences (a stage is its
entry *minus* its exits, a gap is the scope minus every stage). So the analysis
computes with a reduced, shared multi-valued decision diagram instead:

- one level per field, in a fixed order; a node tests its field and has one
  edge per group of cells, each edge labelled with a cell mask; the masks of a
  node partition the field's whole domain ("missing" included);
- nodes are unique (hash-consed) and reduced (a node whose edges all lead to
  the same child is that child), so every region has exactly one diagram, the
  empty region is the node FALSE, and equality is identity;
- `and`, `or` and `not` are the classic memoised recursive "apply", whose cost
  is bounded by the product of the diagrams' sizes, not by how many boxes the
  result would need.

A path from a node to TRUE is a box (the masks on its edges, any value for the
fields it skips), and that is how example leads and words are read out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from leadspec.analysis.boxes import Layout, simplify, uncovered, uncovered_boxes
from leadspec.structs import struct

FALSE = 0
TRUE = 1
_BOXES_PER_NODE = 8  # `outside_box` splits boxes while the diagrams average at most this many paths
_FEW = 16  # up to this many nodes, `Forest.partition` intersects edge masks; above, it splits cells
BOXES_FROM = _FEW  # more diagrams than this may be compared as boxes (`Forest._split_boxes`)
_FOLD = 1 << 61  # masks from here on can share a hash with a smaller one (see Forest.node)
_SALT = 1_000_000_007  # a prime: 2**k differ modulo it for every k below 500 million


def _cells(mask: int) -> list[int]:
    """The positions of the bits set in `mask`, lowest first."""
    text = bin(mask)[:1:-1]
    found = []
    cell = text.find("1")
    while cell >= 0:
        found.append(cell)
        cell = text.find("1", cell + 1)
    return found


class TooBig(Exception):
    """An operation run under `Forest.limited` needed more new nodes than allowed."""


class Forest:
    """All diagrams of one lead space: the unique table and the operation caches."""

    def __init__(self, layout: Layout, order: Sequence[int]) -> None:
        self.layout = layout
        # level -> field position in the layout, and back
        self.order = tuple(order)
        self.level_of = {position: level for level, position in enumerate(self.order)}
        self.full = tuple((1 << layout.widths[position]) - 1 for position in self.order)
        bottom = len(self.order)
        self._level: list[int] = [bottom, bottom]
        self._edges: list[tuple[tuple[int, int], ...]] = [(), ()]
        self._unique: dict[tuple[object, ...], int] = {}
        # Python hashes an int modulo 2**61 - 1, so masks of wider fields fold onto 61
        # hashes (1 << k and 1 << k + 61 collide): their keys carry a second residue.
        self._folds = tuple(full >= _FOLD for full in self.full)
        self._and: dict[tuple[int, int], int] = {}
        self._or: dict[tuple[int, int], int] = {}
        self._not: dict[int, int] = {}
        self._restrict: dict[tuple[int, int, int], int] = {}
        self._meets: dict[tuple[int, int], bool] = {}
        self._reach: dict[int, dict[int, int]] = {}
        self._limit: int | None = None

    # -- building ------------------------------------------------------------------

    def node(self, level: int, children: dict[int, int]) -> int:
        """The unique reduced node testing `level` with edges child -> cell mask."""
        if len(children) == 1:
            return next(iter(children))
        edges = tuple(sorted(children.items()))
        key: tuple[object, ...] = (level, edges)
        if self._folds[level]:
            key = (level, edges, tuple(mask % _SALT for _, mask in edges))
        found = self._unique.get(key)
        if found is None:
            found = len(self._level)
            if self._limit is not None and found > self._limit:
                raise TooBig
            self._level.append(level)
            self._edges.append(edges)
            self._unique[key] = found
        return found

    def atom(self, position: int, mask: int) -> int:
        """The leads whose value of field `position` lies in `mask`."""
        level = self.level_of[position]
        full = self.full[level]
        mask &= full
        children = {child: bits for child, bits in ((TRUE, mask), (FALSE, full & ~mask)) if bits}
        return self.node(level, children)

    def size(self) -> int:
        return len(self._level)

    @contextmanager
    def limited(self, new_nodes: int) -> Iterator[None]:
        """Raise `TooBig` if the operations inside would add more than `new_nodes` nodes.

        For optional work only (a region spelled out in words): caches stay valid,
        since only completed results are ever stored.
        """
        previous = self._limit
        self._limit = (
            len(self._level) + new_nodes if previous is None else min(previous, len(self._level) + new_nodes)
        )
        try:
            yield
        finally:
            self._limit = previous

    # -- operations -----------------------------------------------------------------

    def conj(self, a: int, b: int) -> int:
        if a == FALSE or b == FALSE:
            return FALSE
        if a == TRUE or a == b:
            return b
        if b == TRUE:
            return a
        if a > b:
            a, b = b, a
        key = (a, b)
        found = self._and.get(key)
        if found is not None:
            return found
        level_a, level_b = self._level[a], self._level[b]
        conj = self.conj
        children: dict[int, int] = {}
        if level_a == level_b:
            edges_b = self._edges[b]
            for child_a, mask_a in self._edges[a]:
                for child_b, mask_b in edges_b:
                    mask = mask_a & mask_b
                    if mask:
                        child = conj(child_a, child_b)
                        children[child] = children.get(child, 0) | mask
            level = level_a
        else:
            if level_a > level_b:
                a, b, level_b = b, a, level_a
            level = self._level[a]
            for child_a, mask_a in self._edges[a]:
                child = conj(child_a, b)
                children[child] = children.get(child, 0) | mask_a
        found = self.node(level, children)
        self._and[key] = found
        return found

    def disj(self, a: int, b: int) -> int:
        if a == TRUE or b == TRUE:
            return TRUE
        if a == FALSE or a == b:
            return b
        if b == FALSE:
            return a
        if a > b:
            a, b = b, a
        key = (a, b)
        found = self._or.get(key)
        if found is not None:
            return found
        level_a, level_b = self._level[a], self._level[b]
        disj = self.disj
        children: dict[int, int] = {}
        if level_a == level_b:
            edges_b = self._edges[b]
            for child_a, mask_a in self._edges[a]:
                for child_b, mask_b in edges_b:
                    mask = mask_a & mask_b
                    if mask:
                        child = disj(child_a, child_b)
                        children[child] = children.get(child, 0) | mask
            level = level_a
        else:
            if level_a > level_b:
                a, b = b, a
            level = self._level[a]
            for child_a, mask_a in self._edges[a]:
                child = disj(child_a, b)
                children[child] = children.get(child, 0) | mask_a
        found = self.node(level, children)
        self._or[key] = found
        return found

    def meets(self, a: int, b: int) -> bool:
        """Whether `a` and `b` share a lead, without building their intersection.

        Every node but FALSE has a path to TRUE (a node whose edges all lead to
        FALSE is reduced to FALSE), so the search stops at the first pair of
        children that are both not FALSE and one of which is TRUE.
        """
        if a == FALSE or b == FALSE:
            return False
        if a == TRUE or b == TRUE or a == b:
            return True
        if a > b:
            a, b = b, a
        key = (a, b)
        found = self._meets.get(key)
        if found is not None:
            return found
        known = self._and.get(key)
        if known is not None:
            found = known != FALSE
        else:
            found = False
            level_a, level_b = self._level[a], self._level[b]
            meets = self.meets
            if level_a == level_b:
                edges_b = self._edges[b]
                for child_a, mask_a in self._edges[a]:
                    if child_a == FALSE:
                        continue
                    for child_b, mask_b in edges_b:
                        if mask_a & mask_b and meets(child_a, child_b):
                            found = True
                            break
                    if found:
                        break
            else:
                if level_a > level_b:
                    a, b = b, a
                found = any(meets(child, b) for child, _ in self._edges[a] if child != FALSE)
        self._meets[key] = found
        return found

    def reach(self, a: int) -> dict[int, int]:
        """The cells of each level that `a`'s paths to TRUE can take, for the levels they narrow.

        A level missing from the result is not narrowed: some path takes it whole
        (or skips it). Two diagrams that share a lead share a cell on every level,
        which is what `meeting_pairs` filters pairs with before testing them.
        """
        found = self._reach.get(a)
        if found is not None:
            return found
        if a <= TRUE:
            return {}
        level = self._level[a]
        own = 0
        merged: dict[int, int] | None = None
        for child, mask in self._edges[a]:
            if child == FALSE:
                continue
            own |= mask
            below = self.reach(child)
            if merged is None:
                merged = dict(below)
            elif merged:
                merged = {at: cells | below[at] for at, cells in merged.items() if at in below}
        found = {at: cells for at, cells in (merged or {}).items() if cells != self.full[at]}
        if own != self.full[level]:
            found[level] = own
        self._reach[a] = found
        return found

    def meets_within(self, box: int, a: int, b: int) -> bool:
        """Whether `a` and `b` share a lead inside `box` (a non-empty box), building nothing.

        `meets` with each level's cells narrowed to the box's: asking whether a
        box's leads of one region all lie in another this way costs one walk,
        where building the box's diagram and the intersection made nodes for
        every box tried.
        """
        layout, order, levels, edges, full = self.layout, self.order, self._level, self._edges, self.full
        bottom = len(order)
        seen: dict[tuple[int, int], bool] = {}

        def walk(a: int, b: int) -> bool:
            if a == FALSE or b == FALSE:
                return False
            if a == TRUE and b == TRUE:
                return True
            if a > b:
                a, b = b, a
            found = seen.get((a, b))
            if found is not None:
                return found
            level_a = levels[a] if a > TRUE else bottom
            level_b = levels[b] if b > TRUE else bottom
            level = min(level_a, level_b)
            cells = layout.get(box, order[level])
            edges_a = edges[a] if level_a == level else ((a, full[level]),)
            edges_b = edges[b] if level_b == level else ((b, full[level]),)
            found = False
            for child_a, mask_a in edges_a:
                mask_a &= cells
                if child_a == FALSE or not mask_a:
                    continue
                for child_b, mask_b in edges_b:
                    if child_b != FALSE and mask_a & mask_b and walk(child_a, child_b):
                        found = True
                        break
                if found:
                    break
            seen[(a, b)] = found
            return found

        return walk(a, b)

    def meeting_pairs(self, nodes: Sequence[int]) -> list[tuple[int, int]]:
        """Every pair (i, j), i < j, of positions in `nodes` whose diagrams share a lead, in order.

        Two diagrams that share a lead share a cell on every level, so each is
        first reduced to the span of cells (lowest to highest) it can reach on
        each level it narrows (`reach`), and a sweep over those bounds, level by
        level, keeps for each diagram the set (a bit set) of the others whose
        spans cross its own on every level: a box's candidates are exactly the
        boxes it overlaps, a thousand stages of one value each are a thousand
        entries, and the cost follows the pairs found, not the square of the
        diagrams. The candidates that also share a cell on every level are then
        tested exactly (`meets`).
        """
        live = [index for index, node in enumerate(nodes) if node != FALSE]
        reaches = [self.reach(nodes[index]) for index in live]
        everyone = (1 << len(live)) - 1
        candidates = [everyone] * len(live)
        levels = sorted({level for reach in reaches for level in reach})
        for level in levels:
            low: dict[int, list[int]] = {}  # lowest cell -> the diagrams whose span starts there
            high: dict[int, list[int]] = {}
            free = 0  # the diagrams that do not narrow this level meet every span on it
            for at, reach in enumerate(reaches):
                cells = reach.get(level)
                if cells is None:
                    free |= 1 << at
                else:
                    low.setdefault((cells & -cells).bit_length() - 1, []).append(at)
                    high.setdefault(cells.bit_length() - 1, []).append(at)
            # Upwards: a span crosses every span starting at or below its highest cell...
            started = free
            for cell in sorted(low.keys() | high.keys()):
                for at in low.get(cell, ()):
                    started |= 1 << at
                for at in high.get(cell, ()):
                    candidates[at] &= started
            # ...and, downwards, every span ending at or above its lowest cell.
            ended = free
            for cell in sorted(low.keys() | high.keys(), reverse=True):
                for at in high.get(cell, ()):
                    ended |= 1 << at
                for at in low.get(cell, ()):
                    candidates[at] &= ended
        found = []
        for at, others in enumerate(candidates):
            reach = reaches[at]
            node = nodes[live[at]]
            others >>= at + 1
            for step in _cells(others) if others else ():
                other = at + 1 + step
                near = reaches[other]
                if all(near.get(level, cells) & cells for level, cells in reach.items()) and self.meets(
                    node, nodes[live[other]]
                ):
                    found.append((live[at], live[other]))
        return found

    def neg(self, a: int) -> int:
        if a <= TRUE:
            return TRUE - a
        found = self._not.get(a)
        if found is None:
            children: dict[int, int] = {}
            for child, mask in self._edges[a]:
                negated = self.neg(child)
                children[negated] = children.get(negated, 0) | mask
            found = self.node(self._level[a], children)
            self._not[a] = found
            self._not[found] = a
        return found

    def diff(self, a: int, b: int) -> int:
        return self.conj(a, self.neg(b))

    def restrict(self, a: int, position: int, cell: int) -> int:
        """`a` with field `position` fixed to `cell`; the field no longer matters in the result."""
        level = self.level_of[position]
        return self._restrict_at(a, level, 1 << cell)

    def _restrict_at(self, a: int, level: int, bit: int) -> int:
        if self._level[a] > level:
            return a
        key = (a, level, bit)
        found = self._restrict.get(key)
        if found is not None:
            return found
        if self._level[a] == level:
            found = next(child for child, mask in self._edges[a] if mask & bit)
        else:
            children: dict[int, int] = {}
            for child, mask in self._edges[a]:
                restricted = self._restrict_at(child, level, bit)
                children[restricted] = children.get(restricted, 0) | mask
            found = self.node(self._level[a], children)
        self._restrict[key] = found
        return found

    def exact_sets(self, nodes: Sequence[int], at_least: int = 2) -> dict[int, int]:
        """Like `signatures`, by trying each set of the diagrams in turn; for a handful of them.

        A set K is kept when the leads of every diagram in K meet the leads of none
        of the others (`meets`, nothing built for the test itself); subsets whose
        intersection is already empty are not extended. With few diagrams this
        beats the joint walk, since every intersection and union is memoised.
        """
        count = len(nodes)
        unions: dict[int, int] = {}

        def union_of(bits: int) -> int:
            found = unions.get(bits)
            if found is None:
                found = FALSE
                for index in range(count):
                    if bits >> index & 1:
                        found = self.disj(found, nodes[index])
                unions[bits] = found
            return found

        everything = (1 << count) - 1
        found: dict[int, int] = {}
        stack: list[tuple[int, int, int]] = [(0, TRUE, 0)]  # (chosen bits, their intersection, next index)
        while stack:
            bits, both, start = stack.pop()
            if bits.bit_count() >= at_least:
                outside = self.neg(union_of(everything & ~bits))
                box = self.witness_box(both, outside)
                if box is not None:
                    found[bits] = box
            for index in range(start, count):
                nxt = self.conj(both, nodes[index])
                if nxt != FALSE:
                    stack.append((bits | 1 << index, nxt, index + 1))
        return found

    def linked_sets(
        self,
        nodes: Sequence[int],
        pairs: Sequence[tuple[int, int]],
        at_least: int = 2,
        budget: int | None = None,
    ) -> dict[int, int] | None:
        """Like `exact_sets`, for many diagrams of which few share leads: `pairs` are those that do.

        Every set of diagrams some lead is in exactly is a clique of `pairs`, so
        the sets are grown from each diagram by the diagrams that meet every one
        chosen (their bit sets ANDed), stopping where the intersection is empty;
        a set is kept when its intersection holds a lead outside the diagrams
        that meet every member of it (only those can hold one of its leads).
        Where stages overlap only their neighbours, as the rules of a decision
        table do, this costs about one step per set found, whatever the number
        of diagrams. None when more than `budget` sets are tried.
        """
        count = len(nodes)
        near = [0] * count
        for a, b in pairs:
            near[a] |= 1 << b
            near[b] |= 1 << a
        found: dict[int, int] = {}
        tried = 0
        # (chosen bits, their intersection, the diagrams meeting all of them, the last chosen)
        stack: list[tuple[int, int, int, int]] = [
            (1 << index, nodes[index], near[index], index) for index in reversed(range(count)) if near[index]
        ]
        while stack:
            bits, both, common, last = stack.pop()
            tried += 1
            if budget is not None and tried > budget:
                return None
            if bits.bit_count() >= at_least:
                others = common & ~bits
                outside = TRUE
                if others:
                    union = FALSE
                    for index in _cells(others):
                        union = self.disj(union, nodes[index])
                    outside = self.neg(union)
                box = self.witness_box(both, outside)
                if box is not None:
                    found[bits] = box
            later = common >> (last + 1)
            for step in reversed(_cells(later)) if later else ():
                index = last + 1 + step
                nxt = self.conj(both, nodes[index])
                if nxt != FALSE:
                    stack.append((bits | 1 << index, nxt, common & near[index], index))
        return found

    def partition(self, level: int, nodes: Sequence[int]) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
        """The cells of `level` grouped by where each of `nodes` goes: (cells, children) pairs.

        `children` names only the nodes that do not go to FALSE there, as
        (index in `nodes`, child) pairs in index order; a node that does not test
        `level` goes to itself. The parts come in the order of their children read
        in full, FALSE included (child ids compared, node by node), so the walks
        built on them take their branches in the same order whatever way the parts
        were found: by intersecting the nodes' edge masks for a few nodes (a field
        with hundreds of cells costs no more than one with three), or, for many,
        by splitting off the cells of each node's edges other than FALSE, so that
        a thousand stages each testing one value cost a thousand splits, not a
        thousand passes over a thousand parts.
        """
        levels, edges = self._level, self._edges
        if len(nodes) <= _FEW:
            parts: list[tuple[int, tuple[tuple[int, int], ...]]] = [(self.full[level], ())]
            for index, node in enumerate(nodes):
                if levels[node] != level:
                    if node != FALSE:
                        parts = [(mask, (*children, (index, node))) for mask, children in parts]
                    continue
                nxt = []
                for mask, children in parts:
                    for child, bits in edges[node]:
                        both = mask & bits
                        if both:
                            nxt.append((both, children if child == FALSE else (*children, (index, child))))
                parts = nxt
            return parts
        masks = [self.full[level]]
        kids: list[list[tuple[int, int]]] = [[]]
        owner = [0] * masks[0].bit_length()  # cell -> the part holding it
        for index, node in enumerate(nodes):
            if levels[node] != level:
                if node != FALSE:
                    for children in kids:
                        children.append((index, node))
                continue
            node_edges = edges[node]
            default = next((child for child, _ in node_edges if child == FALSE), None)
            if default is None:
                default = max(node_edges, key=lambda edge: edge[1].bit_count())[0]
            placed: set[int] = set()
            for child, bits in node_edges:
                if child == default:
                    continue
                by_part: dict[int, int] = {}
                for cell in _cells(bits):
                    part = owner[cell]
                    by_part[part] = by_part.get(part, 0) | 1 << cell
                for part, cells in by_part.items():
                    if cells == masks[part]:
                        kids[part].append((index, child))
                        placed.add(part)
                        continue
                    masks[part] &= ~cells
                    split = len(masks)
                    masks.append(cells)
                    kids.append([*kids[part], (index, child)])  # never a part placed already
                    placed.add(split)
                    for cell in _cells(cells):
                        owner[cell] = split
            if default != FALSE:
                for part, children in enumerate(kids):
                    if part not in placed:
                        children.append((index, default))
        order = sorted(range(len(masks)), key=lambda part: [(-index, child) for index, child in kids[part]])
        return [(masks[part], tuple(kids[part])) for part in order]

    def signatures(
        self, nodes: Sequence[int], at_least: int = 2, budget: int | None = None
    ) -> dict[int, int] | None:
        """Every set of the diagrams some single lead is in, of `at_least` members, with a box.

        Keys are bit sets over the positions in `nodes`; each value is a box all of
        whose leads are in exactly those diagrams and no other. One memoised walk
        over all diagrams at once: at each level the field's cells are grouped by
        where every diagram still undecided goes, and a branch stops as soon as
        fewer than `at_least` diagrams can still hold its leads. Only the sets of
        signatures are carried up; each box is found afterwards by walking down
        the remembered branches. None when the walk visits more than `budget` states.
        """
        levels = self._level
        Key = tuple[tuple[tuple[int, int], ...], int]
        memo: dict[Key, frozenset[int]] = {}
        branches: dict[Key, list[tuple[int, int, Key]]] = {}
        empty: frozenset[int] = frozenset()
        visits = 0

        shortcuts: dict[Key, int] = {}

        def visit(key: Key) -> frozenset[int]:
            nonlocal visits
            pending, done = key
            alive = len(pending) + done.bit_count()
            if alive < at_least:
                return empty
            if not pending:
                return frozenset((done,))
            found = memo.get(key)
            if found is not None:
                return found
            if alive == at_least:
                # Only "all of them" is left: one conjunction decides it.
                both = TRUE
                for _, node in pending:
                    both = self.conj(both, node)
                    if both == FALSE:
                        break
                found = empty
                if both != FALSE:
                    found = frozenset((done | sum(1 << index for index, _ in pending),))
                    shortcuts[key] = both
                memo[key] = found
                return found
            visits += 1
            if budget is not None and visits > budget:
                raise TooBig
            level = min(levels[node] for _, node in pending)
            testing = [(index, node) for index, node in pending if levels[node] == level]
            waiting = [(index, node) for index, node in pending if levels[node] != level]
            collected: set[int] = set()
            remembered = []
            for mask, children in self.partition(level, [node for _, node in testing]):
                nxt = list(waiting)
                now = done
                for at, child in children:
                    index = testing[at][0]
                    if child == TRUE:
                        now |= 1 << index
                    else:
                        nxt.append((index, child))
                nxt.sort()
                child_key = (tuple(nxt), now)
                below = visit(child_key)
                if below:
                    collected |= below
                    remembered.append((level, mask, child_key))
            found = frozenset(collected)
            memo[key] = found
            branches[key] = remembered
            return found

        start: Key = (
            tuple((index, node) for index, node in enumerate(nodes) if node > TRUE),
            sum(1 << index for index, node in enumerate(nodes) if node == TRUE),
        )
        try:
            everything = visit(start)
        except TooBig:
            return None
        boxes: dict[int, int] = {}
        for signature in everything:
            box = self.layout.full
            key = start
            while key[0]:
                if key in shortcuts:
                    box &= self.first_box(shortcuts[key])
                    break
                for level, mask, child_key in branches[key]:
                    below = memo.get(child_key)
                    if below is None:  # a leaf: no diagram left undecided
                        below = frozenset((child_key[1],)) if not child_key[0] else empty
                    if signature in below:
                        box = self.layout.put(box, self.order[level], mask)
                        key = child_key
                        break
                else:  # pragma: no cover - the signature came from one of the branches
                    raise AssertionError("signature without a branch")
            boxes[signature] = box
        return boxes

    # -- reading out --------------------------------------------------------------------

    def contains(self, a: int, point: int) -> bool:
        """Whether the lead `point` (one cell per field, as a layout box) is in `a`."""
        layout = self.layout
        while a > TRUE:
            position = self.order[self._level[a]]
            cells = layout.get(point, position)
            a = next(child for child, mask in self._edges[a] if mask & cells)
        return a == TRUE

    def witness_box(self, a: int, b: int = TRUE) -> int | None:
        """A box inside `a` and `b` without building their intersection; None when they share no lead.

        Walks down both diagrams, each step taking the lowest cell whose children
        still meet (a memoised test), so the cost is one path, not a product.
        """
        if not self.meets(a, b):
            return None
        layout = self.layout
        box = layout.full
        levels, edges = self._level, self._edges
        while a > TRUE or b > TRUE:
            level = min(levels[a], levels[b])
            full = self.full[level]
            edges_a = edges[a] if levels[a] == level else ((a, full),)
            edges_b = edges[b] if levels[b] == level else ((b, full),)
            best: tuple[int, int, int, int] | None = None
            for child_a, mask_a in edges_a:
                if child_a == FALSE:
                    continue
                for child_b, mask_b in edges_b:
                    mask = mask_a & mask_b
                    if mask and self.meets(child_a, child_b):
                        lowest = mask & -mask
                        if best is None or lowest < best[0]:
                            best = (lowest, mask, child_a, child_b)
            assert best is not None
            box = layout.put(box, self.order[level], best[1])
            a, b = best[2], best[3]
        return box

    def outside_box(self, base: int, nodes: Sequence[int]) -> int | None:
        """A box of leads in `base` and in none of `nodes`, without building their union.

        A depth-first walk down all diagrams at once, cells grouped by where each
        diagram goes; a branch fails as soon as one of `nodes` is TRUE there (its
        leads are covered), and failed states are remembered.
        """
        levels = self._level
        failed: set[tuple[int, tuple[int, ...]]] = set()
        layout = self.layout

        def search(base: int, pending: tuple[int, ...]) -> int | None:
            if base == FALSE:
                return None
            if not pending:
                return self.first_box(base)
            key = (base, pending)
            if key in failed:
                return None
            level = min(levels[base], *(levels[node] for node in pending))
            parts = self.partition(level, (base, *pending))
            parts.sort(key=lambda part: part[0] & -part[0])
            for mask, children in parts:
                if not children or children[0][0] != 0:
                    continue  # the base goes to FALSE
                if any(child == TRUE for _, child in children[1:]):
                    continue
                below = search(children[0][1], tuple(sorted({child for _, child in children[1:]})))
                if below is not None:
                    return layout.put(below, self.order[level], mask)
            failed.add(key)
            return None

        if any(node == TRUE for node in nodes):
            return None
        pending = tuple(sorted({node for node in nodes if node != FALSE}))
        found = self._outside_by_boxes(base, pending)
        if found is not False:
            return found
        return search(base, pending)

    def _as_boxes(self, nodes: Sequence[int], limit: int) -> list[int] | None:
        """Every path of `nodes` as a box; None when there are more than `limit`."""
        boxes: list[int] = []
        for node in nodes:
            for box in self.paths(node):
                boxes.append(box)
                if len(boxes) > limit:
                    return None
        return boxes

    def _split_boxes(self, base: int, nodes: Sequence[int]) -> tuple[list[int], list[int]] | None:
        """`base` and `nodes` as boxes, for many diagrams of a few paths each; else None.

        Such diagrams, the rules of a decision table for one, are quicker to
        compare as boxes (`boxes.uncovered_boxes`): a walk over the diagrams
        together meets each combination of their cells on every field, and a
        union of them passes through diagrams far larger than the table or its
        gaps.
        """
        if len(nodes) <= BOXES_FROM:
            return None
        limit = _BOXES_PER_NODE * (len(nodes) + 1)
        boxes = self._as_boxes(nodes, limit)
        regions = self._as_boxes([base], limit)
        if boxes is None or regions is None:
            return None
        return regions, boxes

    def _outside_by_boxes(self, base: int, nodes: Sequence[int]) -> int | None | bool:
        """`outside_box` by splitting boxes; False when the diagrams are not many of few boxes."""
        split = self._split_boxes(base, nodes)
        if split is None:
            return False
        regions, boxes = split
        for region in regions:
            found = uncovered(self.layout, region, boxes)
            if found is not None:
                return found
        return None

    def outside_by_boxes(self, base: int, nodes: Sequence[int]) -> int | None:
        """The leads of `base` in none of `nodes`, built from the boxes left uncovered (`_split_boxes`).

        None when the diagrams are not many of a few paths each: the caller then
        builds the union itself, as it always has.
        """
        split = self._split_boxes(base, [node for node in nodes if node != FALSE])
        if split is None:
            return None
        regions, boxes = split
        pieces = [piece for region in regions for piece in uncovered_boxes(self.layout, region, boxes)]
        # Fewer boxes (merged where they differ in one field), then joined by halves.
        parts = [self.box(piece) for piece in simplify(self.layout, pieces)]
        while len(parts) > 1:
            parts = [
                self.disj(parts[i], parts[i + 1]) if i + 1 < len(parts) else parts[i]
                for i in range(0, len(parts), 2)
            ]
        return parts[0] if parts else FALSE

    def box(self, box: int) -> int:
        """The diagram of exactly one box."""
        layout = self.layout
        node = TRUE
        for level in reversed(range(len(self.order))):
            position = self.order[level]
            mask = layout.get(box, position)
            if mask != self.full[level]:
                node = self.node(level, {node: mask, FALSE: self.full[level] & ~mask})
        return node

    def first_box(self, a: int) -> int:
        """A box inside non-empty `a`: the path that takes the lowest usable cell at each test."""
        assert a != FALSE
        layout = self.layout
        box = layout.full
        while a > TRUE:
            position = self.order[self._level[a]]
            best = min(
                (edge for edge in self._edges[a] if edge[0] != FALSE),
                key=lambda edge: edge[1] & -edge[1],
            )
            box = layout.put(box, position, best[1])
            a = best[0]
        return box

    def paths(self, a: int) -> Iterator[int]:
        """Every path to TRUE as a box; the boxes are disjoint and their union is `a`."""
        layout = self.layout
        stack: list[tuple[int, int]] = [(a, layout.full)]
        while stack:
            node, box = stack.pop()
            if node == TRUE:
                yield box
                continue
            if node == FALSE:
                continue
            position = self.order[self._level[node]]
            for child, mask in reversed(self._edges[node]):
                if child != FALSE:
                    stack.append((child, layout.put(box, position, mask)))


@struct(eq=False)
class Region:
    """A set of leads: one node of a forest. Empty exactly when the node is FALSE."""

    forest: Forest
    node: int

    def __bool__(self) -> bool:
        return self.node != FALSE

    @property
    def empty(self) -> bool:
        return self.node == FALSE

    def __and__(self, other: Region) -> Region:
        return Region(self.forest, self.forest.conj(self.node, other.node))

    def __or__(self, other: Region) -> Region:
        return Region(self.forest, self.forest.disj(self.node, other.node))

    def __sub__(self, other: Region) -> Region:
        return Region(self.forest, self.forest.diff(self.node, other.node))

    def complement(self) -> Region:
        return Region(self.forest, self.forest.neg(self.node))

    def intersects(self, other: Region) -> bool:
        return self.forest.meets(self.node, other.node)

    def issubset(self, other: Region) -> bool:
        return not self.forest.meets(self.node, self.forest.neg(other.node))

    def same(self, other: Region) -> bool:
        return self.node == other.node

    def contains(self, point: int) -> bool:
        return self.forest.contains(self.node, point)

    def first_box(self) -> int:
        return self.forest.first_box(self.node)

    def boxes(self, limit: int = 32) -> list[int] | None:
        """The region as few boxes as merging finds, or None if it needs more than `limit` paths."""
        found: list[int] = []
        for box in self.forest.paths(self.node):
            found.append(box)
            if len(found) > limit:
                return None
        return simplify(self.forest.layout, found)

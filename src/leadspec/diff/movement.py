"""Lead movement, exact: which leads sit in stage A before the change and in stage B after it.

Both lifecycles are compiled in one joint space (`diff.space`). Each side's
*places* are its stages under its own policy and scope (a stage's leads are
`membership.own_condition`, the rule every tool shares; under `first_match`
minus the leads an earlier stage takes), plus "in no stage" (in scope, a gap)
and "outside the lifecycle's scope". For every pair of places A != B the region
before(A) and after(B), over leads both sides allow, is one movement when it is
not empty. Places partition the leads on each side (when no stages overlap), so
every lead whose place changes lies in exactly one movement: nothing is missed
and nothing is counted twice.

The words say the movement *among the leads of A*: each box of the region is
widened field by field as long as the leads of A inside it still all land in
B, so "leads with Lead score 45 to 49" is exact for "the MQLs that move to
Valid Response" without repeating every condition of MQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from leadspec.analysis.boxes import simplify
from leadspec.analysis.criteria import UnknownField, compile_expr
from leadspec.analysis.diagrams import BOXES_FROM, Region
from leadspec.analysis.space import Space
from leadspec.analysis.words import REGION_LIMIT, box_words, join, stage_name
from leadspec.diff.space import joint_space, type_changes
from leadspec.expr.ast import Expr
from leadspec.flow import lifecycle_flow
from leadspec.membership import own_condition
from leadspec.model import Criterion, Model
from leadspec.structs import field, replace, struct

Lead = dict[str, Any]
Kind = Literal["stage", "none", "outside"]


@struct
class Place:
    """Where a lead is on one side: a stage, no stage, or outside the lifecycle's scope."""

    kind: Kind
    stage: str | None = None  # the stage id for kind "stage"
    label: str = ""

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.kind, self.stage)

    @property
    def name(self) -> str:
        return {"none": "no stage", "outside": "outside the lifecycle"}.get(self.kind, self.label)


@struct
class Move:
    """Leads in `source` before and in `target` after; `witness` is one of them."""

    source: Place
    target: Place
    words: str  # "leads with Lead score 45 to 49", among the leads of `source`
    witness: Lead
    shown: tuple[str, ...]  # the witness's fields that matter, in order
    everyone: bool = False  # every lead of `source` moves (e.g. the stage was removed)

    @property
    def sentence(self) -> str:
        if self.everyone:
            return f"every lead in {self.source.name} moves to {self.target.name}"
        return f"{self.words} move from {self.source.name} to {self.target.name}"


@struct(frozen=False)
class Movement:
    moves: list[Move] = field(default_factory=list)
    skipped: str | None = None  # why no movement was computed, in plain words


class _Unreadable(Exception):
    pass


@struct(frozen=False)
class _Side:
    """One side's stage places, and what its "no stage" and "outside" places are made from."""

    found: dict[tuple[str, str | None], tuple[Place, Region]]
    inside: Region  # the lifecycle's scope
    scoped: bool  # whether the lifecycle has a scope (else `inside` is every lead)
    taken: Region  # the stages' leads joined so far
    owns: list[Region]  # the stages' leads not joined yet (`deferred`)
    deferred: bool  # many stages: "no stage" is built from the boxes they leave uncovered, once asked

    def finish(self, space: Space) -> dict[tuple[str, str | None], tuple[Place, Region]]:
        """Every place, "no stage" and "outside" included."""
        if ("none", None) in self.found:
            return self.found
        none = space.forest.outside_by_boxes(self.inside.node, [own.node for own in self.owns])
        if none is None:
            taken = self.taken
            for own in self.owns:
                taken = taken | own
            none = (self.inside - taken).node
        self.found[("none", None)] = (Place("none"), Region(space.forest, none))
        if self.scoped:
            self.found[("outside", None)] = (Place("outside"), self.inside.complement())
        return self.found


def _stage_places(model: Model, exprs: Mapping[Criterion, Expr], space: Space) -> _Side:
    """One side's stages with their leads; the rest of its places once `_Side.finish` is called.

    For many stages of a few boxes each (a decision table's rules) the leads in
    no stage are built from the boxes the stages leave uncovered (their union,
    built a stage at a time, passed through millions of nodes), and only when
    asked: where stages overlap, movement stops before it. Fewer stages are
    joined as they come, as they always were.
    """

    def region(criterion: Criterion) -> Region:
        tree = exprs.get(criterion)
        if tree is None:
            raise _Unreadable(criterion.text)
        try:
            return compile_expr(space, tree)
        except UnknownField as error:
            raise _Unreadable(criterion.text) from error

    scope = model.lifecycle.scope
    inside = space.everything() if scope is None else region(scope)
    found: dict[tuple[str, str | None], tuple[Place, Region]] = {}
    taken = space.nothing()
    owns: list[Region] = []
    deferred = model.lifecycle.policy != "first_match" and len(model.stages) > BOXES_FROM
    for stage in model.stages:
        if stage.entry is None:
            continue  # holds no lead (membership.place says the same)
        must, must_not = own_condition(model, stage)
        own = space.everything()
        for criterion in must:
            own = own & region(criterion)
        for criterion in must_not:
            if not own:
                break
            own = own - region(criterion)
        if model.lifecycle.policy == "first_match":
            own = own - taken
        if deferred:
            owns.append(own)
        else:
            taken = taken | own
        place = Place("stage", stage.id, stage_name(stage))
        found[place.key] = (place, own)
    side = _Side(found, inside, scope is not None, taken, owns, deferred)
    if not deferred:
        side.finish(space)
    return side


def places(
    model: Model, exprs: Mapping[Criterion, Expr], space: Space
) -> dict[tuple[str, str | None], tuple[Place, Region]]:
    """Every place of one side with its leads (before any domain is applied)."""
    return _stage_places(model, exprs, space).finish(space)


def _overlap(
    found: Mapping[tuple[str, str | None], tuple[Place, Region]], valid: Region
) -> tuple[Place, Place] | None:
    stages = [(place, region & valid) for place, region in found.values() if place.kind == "stage"]
    if not stages:
        return None
    # Only the pairs that can share a lead are tested (`Forest.meeting_pairs`), not every pair:
    # two revisions of 1,500 plain stages made 2,250,000 tests here and in `lead_movement`.
    pairs = valid.forest.meeting_pairs([region.node for _, region in stages])
    if not pairs:
        return None
    first, second = pairs[0]  # the first pair in the stages' order, as a walk over all pairs finds it
    return stages[first][0], stages[second][0]


def _describe(space: Space, moved: Region, source: Region, target: Region) -> tuple[list[int], bool]:
    """Boxes whose leads *among the source's* are exactly `moved`; False when cut short."""
    layout = space.layout
    raw = moved.boxes()
    complete = raw is not None
    boxes = raw if raw is not None else [moved.first_box()]
    forest = space.forest
    leaving = forest.neg(target.node)  # the source's leads in a wider box must all stay out of this
    # The cells the source's leads take on each level they narrow: where those all lie in the box
    # already, widening the box there adds none of them, and no walk is needed to know it.
    taken = forest.reach(source.node)
    widened: list[int] = []
    for box in boxes:
        for position in list(layout.constrained(box)):
            wider = layout.put(box, position, space.domains[position].full)
            cells = taken.get(forest.level_of[position])
            if cells is not None and not cells & ~layout.get(box, position):
                box = wider
            elif not forest.meets_within(wider, source.node, leaving):
                box = wider
        widened.append(box)
    return simplify(layout, dict.fromkeys(widened)), complete


def _words(space: Space, boxes: list[int], complete: bool, said: dict[tuple[int, int], str]) -> str:
    phrases = [box_words(space, box, said) for box in boxes]
    if not all(phrases):
        return "all leads"
    shown = phrases[:REGION_LIMIT]
    text = "leads with " + ", or with ".join(shown)
    if len(phrases) > REGION_LIMIT or not complete:
        text = "leads such as those with " + join(shown, "or those with")
    return text


def _told_apart(move: Move) -> Move:
    """Two stages of the same name (a renamed id) are told apart by their ids."""
    if move.source.name != move.target.name:
        return move
    source = replace(move.source, label=f"{move.source.label} (`{move.source.stage}`)")
    target = replace(move.target, label=f"{move.target.label} (`{move.target.stage}`)")
    return replace(move, source=source, target=target)


def _order(before: Model, after: Model) -> dict[tuple[str, str | None], int]:
    ranks: dict[tuple[str, str | None], int] = {}
    for model in (after, before):
        for stage_id in lifecycle_flow(model).order:
            ranks.setdefault(("stage", stage_id), len(ranks))
    ranks[("none", None)] = len(ranks)
    ranks[("outside", None)] = len(ranks)
    return ranks


def lead_movement(
    before: Model, before_exprs: Mapping[Criterion, Expr], after: Model, after_exprs: Mapping[Criterion, Expr]
) -> Movement:
    """Every movement between two exact lifecycles; `skipped` says why there are none to show."""
    changed = type_changes(before, after)
    if changed:
        names = ", ".join(f"`{change.field}`" for change in changed)
        return Movement(skipped=f"the type of {names} changed, so the leads of both sides cannot be compared")
    joint = joint_space(before, before_exprs, after, after_exprs)
    space = joint.space
    if space.degenerate:
        return Movement(skipped="a field has a minimum above its maximum, so no lead can exist")
    try:
        staged = [
            _stage_places(model, exprs, space)
            for model, exprs in ((before, before_exprs), (after, after_exprs))
        ]
    except _Unreadable as error:
        return Movement(skipped=f"the condition `{error}` could not be read")
    valid = joint.both
    for side, name in zip(staged, ("base", "head"), strict=True):
        pair = _overlap(side.found, valid)
        if pair is not None:
            return Movement(
                skipped=f"in the {name}, some leads are in both {pair[0].name} and {pair[1].name} "
                "(an overlap), so where they move is not defined",
            )
    sides = [side.finish(space) for side in staged]
    rank = _order(before, after)
    moves: list[Move] = []
    olds = [(key, source, was & valid) for key, (source, was) in sides[0].items()]
    news = [(key, target, now) for key, (target, now) in sides[1].items()]
    # The places of the base and the head that share leads: each meeting pair of one of each.
    meeting = space.forest.meeting_pairs([region.node for *_, region in olds + news])
    said: dict[tuple[int, int], str] = {}  # each field's words by its cells, shared by the moves' boxes
    for index, later in meeting:
        if index >= len(olds) or later < len(olds):
            continue  # two places of one side
        key, source, was = olds[index]
        other, target, now = news[later - len(olds)]
        if other == key:
            continue
        moved = was & now
        boxes, complete = _describe(space, moved, was, now)
        first = boxes[0]
        witness_box = (space.box_region(first) & moved).first_box()
        shown = tuple(space.constrained(first)) or tuple(space.constrained(witness_box))
        witness = space.witness(witness_box, first=shown)
        everyone = was.issubset(now)
        moves.append(Move(source, target, _words(space, boxes, complete, said), witness, shown, everyone))
    moves = [_told_apart(move) for move in moves]
    moves.sort(key=lambda move: (rank.get(move.source.key, len(rank)), rank.get(move.target.key, len(rank))))
    return Movement(moves=moves)


__all__ = ["Move", "Movement", "Place", "lead_movement", "places"]

"""The exact lifecycle analysis: which leads are in which stage, and what goes wrong.

A lead **is in** stage S when it is inside the lifecycle's `scope` (if any),
meets S's `entry`, and meets none of S's exits' `when`. With the
`first_match` policy, a lead is in the first such stage in the list only.
Everything below is decided exactly over the declared field domains (see
`domains.py` and `diagrams.py`); every finding carries an example lead taken from
the very region the finding is about, so it provably does what the message
says.

`analyze()` runs once per check (`Context.analysis`) and computes every
finding; the LS3xx rules only turn findings into messages. A criterion that did
not parse or type-check is *unknown*: findings that depend on it are left out
(its own error is reported already), and findings about the whole lifecycle
(overlaps, gaps, masked stages) need every criterion to be known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from leadspec.analysis.criteria import UnknownField, compile_expr, field_order, literals
from leadspec.analysis.diagrams import Region, TooBig
from leadspec.analysis.domains import collect_cuts
from leadspec.analysis.space import Space
from leadspec.expr.ast import Expr
from leadspec.expr.evaluate import evaluate
from leadspec.membership import Membership, UnreadableCriteria, decisive, fields_of, lifecycle_criteria
from leadspec.model import Criterion, Example, Exit, Model, Stage
from leadspec.structs import field, struct

Lead = dict[str, Any]

# New diagram nodes allowed for spelling out one overlap's region in words.
_WORDS_BUDGET = 3_000
# States the walk for exact overlap groups may visit before falling back to pairs.
_SIGNATURE_BUDGET = 20_000
# Up to this many regions sharing leads, each combination is tried in turn instead of walking.
_SMALL_GROUP = 6


# -- findings ------------------------------------------------------------------


class Lazy:
    """A region built on first use, for findings whose region is only needed for words.

    Built under a node budget: None when spelling it out would cost too much
    (the words then fall back to the example lead's box, which is always exact).
    """

    def __init__(self, space: Space, build: Callable[[], Region]) -> None:
        self._space = space
        self._build: Callable[[], Region] | None = build
        self._region: Region | None = None

    def region(self) -> Region | None:
        if self._build is not None:
            build, self._build = self._build, None
            try:
                with self._space.forest.limited(_WORDS_BUDGET):
                    self._region = build()
            except TooBig:
                self._region = None
        return self._region


class Piece:
    """The leads in exactly some of a list of regions, built on first use.

    Deciding *that* such leads exist (and finding one) is cheap; building the
    whole region can cost more, and it is only needed to put the region into
    words. So it is built when asked, under a node budget, and None when too big.
    """

    def __init__(
        self,
        space: Space,
        regions: list[Region],
        keys: tuple[int, ...],
        exact: bool,
        near: tuple[int, ...] | None = None,
    ) -> None:
        self._space = space
        self._regions = regions
        self._keys = keys
        self._exact = exact
        # The regions that may share leads with the piece (those meeting every key), in
        # order; None: every region. The others share none, so need no subtracting.
        self._near = near
        self._built = False
        self._region: Region | None = None

    def region(self) -> Region | None:
        if not self._built:
            self._built = True
            forest = self._space.forest
            try:
                with forest.limited(_WORDS_BUDGET):
                    piece = self._space.everything()
                    for i in self._keys:
                        piece = piece & self._regions[i]
                    if self._exact:
                        near = range(len(self._regions)) if self._near is None else self._near
                        for i in near:
                            other = self._regions[i]
                            if i not in self._keys and piece.intersects(other):
                                piece = piece - other
                    self._region = piece
            except TooBig:
                self._region = None
        return self._region


@struct
class Overlap:
    """LS301: leads in exactly these stages at once (two or more); `witness` is in all of them and no other."""

    stages: tuple[Stage, ...]
    piece: Piece  # the leads in exactly these stages, built when words ask for it
    witness: Lead
    box: int  # the witness's box: every lead in it is in these stages
    # True: the witness (and its box) is in exactly these stages and no other. False only
    # for models whose stages overlap so much that grouping was given up: then each
    # finding is a pair, and the witness is in both (and possibly more).
    exact: bool = True

    @property
    def region(self) -> Region | None:
        """The whole region, or None when spelling it out would cost too much (`box` still holds)."""
        return self.piece.region()


@struct
class Gap:
    """LS302: leads inside the scope in no stage.

    `entered` are the stages whose entry the witness meets (it then meets one of
    their exits), the place a reader most likely looks for the hole.
    """

    lazy: Lazy
    witness: Lead
    entered: tuple[Stage, ...]
    box: int

    @property
    def region(self) -> Region | None:
        """Every lead in scope in no stage (built when asked; None if too big to say)."""
        return self.lazy.region()


@struct
class HandoffGap:
    """LS303: leads that take `exit` out of `stage` but, once the exit's `set` is applied, miss `target`.

    `witness` is the lead before the hand-off, `after` the same lead after it.
    `missed` says what the lead after the hand-off fails: the target's entry, or
    the lifecycle's scope.
    """

    stage: Stage
    exit: Exit
    target: Stage
    lazy: Lazy
    witness: Lead
    after: Lead
    missed: Literal["entry", "scope"]
    box: int

    @property
    def region(self) -> Region | None:
        """Every lead that takes the exit and misses the target (built when asked; None if too big)."""
        return self.lazy.region()


@struct
class AmbiguousExit:
    """LS304: leads meeting the stage's entry and exactly these exits (two or more) at once."""

    stage: Stage
    exits: tuple[Exit, ...]
    piece: Piece
    witness: Lead
    box: int
    exact: bool = True  # as for Overlap

    @property
    def region(self) -> Region | None:
        return self.piece.region()


@struct
class DeadCriterion:
    """LS305: a criterion no lead can meet.

    `exit` is None for the stage's entry. `why`: `never` (no lead in the whole
    domain), `outside_scope` (only leads outside the lifecycle's scope), or
    `not_with_entry` (an exit no lead meeting the stage's entry meets).
    """

    stage: Stage
    exit: Exit | None
    why: Literal["never", "outside_scope", "not_with_entry"]


@struct
class AlwaysLeft:
    """LS306: every lead meeting the stage's entry also meets `exit` (or, when None, one of its exits).

    No lead is ever in the stage. `witness` meets the entry (and so the exit).
    """

    stage: Stage
    exit: Exit | None
    witness: Lead
    box: int


@struct
class Unreachable:
    """LS307: no chain of exits leads here from a stage marked `start: true`."""

    stage: Stage


@struct
class NoWayOut:
    """LS308: a stage that is not terminal, with no exits (`no_exits`) or only exits no lead in it meets."""

    stage: Stage
    why: Literal["no_exits", "dead_exits"]


@struct
class MissingRejection:
    """LS309: a hand-off from one team to another whose receiving stage has no way to send a lead back.

    `teams` are the teams that had the lead before `target` (owners of `stage`
    and of every stage from which `stage` can be reached), other than the
    receiving team: an exit of `target` to a stage owned by one of them (for
    example marketing's nurture stage) would be a rejection path.
    """

    stage: Stage
    exit: Exit
    target: Stage
    teams: tuple[str, ...]


@struct
class Masked:
    """LS310 (first_match): every lead the stage's criteria describe is taken by an earlier stage.

    `witness` meets the stage's entry and none of its exits; `taken_by` is the
    stage it lands in instead; `by` are all earlier stages sharing leads with it.
    """

    stage: Stage
    by: tuple[Stage, ...]
    witness: Lead
    taken_by: Stage
    box: int


@struct
class Decision:
    """The part of a criterion that decided an example: `text` is the piece of `criterion`."""

    criterion: Criterion
    text: str
    met: bool
    values: tuple[tuple[str, Any], ...]


@struct
class FailingExample:
    """LS311: an example lead that does not land where it sits.

    For a stage example (`exit` None): `actual` are the stages the lead is in
    (under the policy), and `why` the criterion that kept it out of the stage:
    `scope` (outside the lifecycle's scope), `entry` (does not meet the entry),
    `exit` (meets `by_exit`), `earlier` (first_match: `actual[0]` comes first).
    For an exit example: `why` is `scope`, `entry` or `when` (does not meet the
    exit's condition).
    """

    stage: Stage
    exit: Exit | None
    example: Example
    why: Literal["scope", "entry", "exit", "earlier", "when"]
    decision: Decision | None
    actual: tuple[Stage, ...] = ()
    by_exit: Exit | None = None


@struct(frozen=False, eq=False)
class LifecycleAnalysis:
    """Everything `analyze` found, plus the regions behind it for tools that ask about one lead.

    `skipped` says in plain words why nothing could be decided (for example a
    field whose minimum is above its maximum), else None. `complete` is True
    when every criterion of the lifecycle could be read, which the findings about
    the lifecycle as a whole need.
    """

    model: Model
    space: Space | None
    policy: str
    skipped: str | None = None
    complete: bool = True
    scope: Region | None = None
    entries: dict[int, Region] = field(default_factory=dict)  # stage position -> entry region
    exits: dict[tuple[int, int], Region] = field(default_factory=dict)  # (stage, exit) -> when region
    own: dict[int, Region] = field(default_factory=dict)  # stage position -> leads meeting its criteria
    overlaps: list[Overlap] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    handoff_gaps: list[HandoffGap] = field(default_factory=list)
    ambiguous_exits: list[AmbiguousExit] = field(default_factory=list)
    dead: list[DeadCriterion] = field(default_factory=list)
    always_left: list[AlwaysLeft] = field(default_factory=list)
    unreachable: list[Unreachable] = field(default_factory=list)
    no_way_out: list[NoWayOut] = field(default_factory=list)
    missing_rejections: list[MissingRejection] = field(default_factory=list)
    masked: list[Masked] = field(default_factory=list)
    failing_examples: list[FailingExample] = field(default_factory=list)
    membership: Membership | None = None  # the membership rule, when every criterion could be read

    def stages_of(self, lead: Mapping[str, Any]) -> tuple[Stage, ...] | None:
        """The stages `lead` is in under the policy (`membership.place`); None when that cannot be decided.

        Undecidable: a value outside its field's domain, or some criterion unknown.
        """
        if self.space is None or self.membership is None or self.space.point(lead) is None:
            return None
        return self.membership.stages_of(lead)


# -- the analysis ----------------------------------------------------------------


class _Analyzer:
    def __init__(self, model: Model, exprs: Mapping[Criterion, Expr], result: LifecycleAnalysis) -> None:
        self.model = model
        self.exprs = exprs
        self.result = result
        self.stages = model.stages
        atoms = []
        trees = []
        for _, criterion in lifecycle_criteria(model):
            tree = exprs.get(criterion)
            if tree is not None:
                atoms.extend(literals(tree))
                trees.append(tree)
        self.space = Space(model.fields, collect_cuts(atoms), field_order(trees))
        result.space = self.space
        self.positions: dict[str, int] = {}
        self._inside: dict[int, Region] = {}
        self._leaving: dict[tuple[int, int], Region] = {}
        for position, stage in enumerate(self.stages):
            self.positions.setdefault(stage.id, position)

    # -- small helpers -------------------------------------------------------------

    def region(self, criterion: Criterion | None) -> Region | None:
        if criterion is None:
            return None
        tree = self.exprs.get(criterion)
        if tree is None:
            return None
        try:
            return compile_expr(self.space, tree)
        except UnknownField:
            return None

    def witness(self, region: Region, box: int | None = None) -> Lead:
        return self.space.witness(region.first_box() if box is None else box)

    def pieces(self, regions: list[Region]) -> list[tuple[tuple[int, ...], Piece, int, Lead, bool]]:
        """Every set of two or more of `regions` some lead is in exactly: (indices, piece, box, lead, exact).

        When the regions overlap in so many combinations that finding each exact
        set would take too long, every overlapping pair is given instead, with a
        lead in both (`exact` False).
        """
        forest = self.space.forest
        out: list[tuple[tuple[int, ...], Piece, int, Lead, bool]] = []
        # Only regions that share leads pairwise can share them in threes, so the
        # walk runs on each group of regions linked by shared leads, not on all.
        live = [i for i, region in enumerate(regions) if region]
        links: dict[int, list[int]] = {i: [] for i in live}
        meeting = forest.meeting_pairs([region.node for region in regions])
        for first, second in meeting:
            links[first].append(second)
            links[second].append(first)
        seen: set[int] = set()
        for root in live:
            if root in seen or not links[root]:
                continue
            group = []
            todo = [root]
            seen.add(root)
            while todo:
                current = todo.pop()
                group.append(current)
                for other in links[current]:
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
            group.sort()
            nodes = [regions[i].node for i in group]
            if len(group) <= _SMALL_GROUP:
                found = forest.exact_sets(nodes)
            else:
                at = {index: position for position, index in enumerate(group)}
                pairs = [(at[a], at[b]) for a in group for b in links[a] if a < b]
                found = forest.linked_sets(nodes, pairs, budget=_SIGNATURE_BUDGET)
                if found is None:
                    found = forest.signatures(nodes, budget=_SIGNATURE_BUDGET)
            if found is None:
                for a_index, first in enumerate(group):
                    for second in group[a_index + 1 :]:
                        both = regions[first] & regions[second]
                        if both:
                            box = both.first_box()
                            piece = Piece(self.space, regions, (first, second), False)
                            out.append(((first, second), piece, box, self.space.witness(box), False))
                continue
            for signature, box in found.items():
                keys = tuple(group[i] for i in range(len(group)) if signature >> i & 1)
                near = set(links[keys[0]]).intersection(*(links[key] for key in keys[1:]))
                piece = Piece(self.space, regions, keys, True, tuple(sorted(near)))
                out.append((keys, piece, box, self.space.witness(box), True))
        out.sort(key=lambda item: item[0])
        return out

    def target(self, exit_: Exit) -> int | None:
        return self.positions.get(exit_.to)

    def inside(self, position: int) -> Region | None:
        """The leads in scope that meet the stage's entry (None when unknown)."""
        found = self._inside.get(position)
        if found is None:
            entry = self.result.entries.get(position)
            scope = self.result.scope
            if entry is None or scope is None:
                return None
            found = self._inside[position] = scope & entry
        return found

    def leaving(self, position: int, index: int) -> Region | None:
        """The leads in the stage (scope and entry met) that meet exit `index`: those that take it."""
        key = (position, index)
        found = self._leaving.get(key)
        if found is None:
            inside = self.inside(position)
            when = self.result.exits.get(key)
            if inside is None or when is None:
                return None
            found = self._leaving[key] = inside & when
        return found

    def live(self, position: int, index: int) -> bool:
        """Whether some lead meeting the stage's entry (in scope) can take exit `index`; unknown = live."""
        inside = self.inside(position)
        when = self.result.exits.get((position, index))
        if inside is None or when is None:
            return True
        return inside.intersects(when)

    def destinations(self, exit_: Exit) -> list[int]:
        """Where an exit sends a lead: its `to`, and the `then:` stages of its reason's values."""
        found = []
        target = self.target(exit_)
        if target is not None:
            found.append(target)
        picklist = self.model.picklists.get(exit_.reason) if exit_.reason else None
        if picklist is not None:
            for value in picklist.values:
                if value.then is not None and value.then in self.positions:
                    found.append(self.positions[value.then])
        return found

    # -- steps ---------------------------------------------------------------------

    def run(self) -> None:
        result = self.result
        space = self.space
        if space.degenerate:
            result.skipped = "a field has a minimum above its maximum, so no lead can exist"
            result.complete = False
            return
        scope_criterion = self.model.lifecycle.scope
        scope = space.everything() if scope_criterion is None else self.region(scope_criterion)
        if scope is None:
            result.skipped = "the lifecycle's scope could not be read"
            result.complete = False
            return
        result.scope = scope
        for position, stage in enumerate(self.stages):
            entry = self.region(stage.entry)
            if entry is not None:
                result.entries[position] = entry
            whens = []
            for index, exit_ in enumerate(stage.exits):
                when = self.region(exit_.when)
                if when is not None:
                    result.exits[(position, index)] = when
                    whens.append(when)
            if entry is not None and len(whens) == len(stage.exits):
                own = self.inside(position)
                assert own is not None
                for when in whens:
                    if not own:
                        break
                    own = own - when
                result.own[position] = own
        result.complete = len(result.own) == len(self.stages)

        self.dead_and_always_left()
        self.ambiguous_exits()
        self.handoff_gaps()
        self.unreachable()
        self.no_way_out()
        self.missing_rejections()
        if result.complete:
            if self.model.lifecycle.policy == "first_match":
                self.masked()
            else:
                self.overlaps()
            self.gaps()
        try:
            result.membership = Membership(self.model, self.exprs)
        except UnreadableCriteria:
            return  # where an example lands is not known while some criterion cannot be read
        self.examples(result.membership)

    def dead_and_always_left(self) -> None:
        result = self.result
        scope = result.scope
        assert scope is not None
        for position, stage in enumerate(self.stages):
            entry = result.entries.get(position)
            if entry is None:
                continue
            if not entry:
                result.dead.append(DeadCriterion(stage, None, "never"))
                continue
            inside = self.inside(position)
            assert inside is not None
            if not inside:
                result.dead.append(DeadCriterion(stage, None, "outside_scope"))
                continue
            single_cover = False
            for index, exit_ in enumerate(stage.exits):
                when = result.exits.get((position, index))
                if when is None:
                    continue
                if not when:
                    result.dead.append(DeadCriterion(stage, exit_, "never"))
                elif not inside.intersects(when):
                    result.dead.append(DeadCriterion(stage, exit_, "not_with_entry"))
                elif inside.issubset(when):
                    single_cover = True
                    box = inside.first_box()
                    result.always_left.append(AlwaysLeft(stage, exit_, self.witness(inside, box), box))
            own = result.own.get(position)
            if own is not None and not own and not single_cover:
                box = inside.first_box()
                result.always_left.append(AlwaysLeft(stage, None, self.witness(inside, box), box))

    def ambiguous_exits(self) -> None:
        result = self.result
        scope = result.scope
        assert scope is not None
        for position, stage in enumerate(self.stages):
            entry = result.entries.get(position)
            if entry is None or len(stage.exits) < 2:
                continue
            inside = self.inside(position)
            if not inside:
                continue
            whens = {
                index: when
                for index in range(len(stage.exits))
                if (when := result.exits.get((position, index))) is not None and when
            }
            # Only exits whose conditions meet some other exit's condition can be taken together.
            forest = self.space.forest
            indices = [
                index
                for index, when in whens.items()
                if any(other != index and forest.meets(when.node, whens[other].node) for other in whens)
            ]
            regions = [self.leaving(position, index) for index in indices]  # type: ignore[misc]
            for keys, piece, box, lead, exact in self.pieces(regions):
                exits = tuple(stage.exits[indices[k]] for k in keys)
                result.ambiguous_exits.append(AmbiguousExit(stage, exits, piece, lead, box, exact))

    def handoff_gaps(self) -> None:
        result = self.result
        scope = result.scope
        assert scope is not None
        space = self.space
        for position, stage in enumerate(self.stages):
            entry = result.entries.get(position)
            if entry is None:
                continue
            for index, exit_ in enumerate(stage.exits):
                when = result.exits.get((position, index))
                target = self.target(exit_)
                if when is None or target is None:
                    continue
                target_entry = result.entries.get(target)
                if target_entry is None:
                    continue
                landing = scope & target_entry
                if not landing:
                    continue  # the target's entry is dead: LS305 says so
                leaving = self.leaving(position, index)
                assert leaving is not None
                if not leaving:
                    continue
                accepted = space.preimage(landing, exit_.set)
                if accepted is None:
                    continue  # the set writes something impossible: LS214 says so
                box = space.forest.outside_box(leaving.node, [accepted.node])
                if box is None:
                    continue
                before = self.witness(leaving, box)
                after = space.apply_set(before, exit_.set)
                point = space.with_values(space.witness_point(box), exit_.set)
                why: Literal["entry", "scope"] = (
                    "scope"
                    if point is not None and not scope.contains(point) and target_entry.contains(point)
                    else "entry"
                )
                lazy = Lazy(space, lambda leaving=leaving, accepted=accepted: leaving - accepted)
                result.handoff_gaps.append(
                    HandoffGap(stage, exit_, self.stages[target], lazy, before, after, why, box)
                )

    def _edges(self) -> dict[int, set[int]]:
        edges: dict[int, set[int]] = {}
        for position, stage in enumerate(self.stages):
            targets: set[int] = set()
            for index, exit_ in enumerate(stage.exits):
                if self.live(position, index):
                    targets.update(self.destinations(exit_))
            edges[position] = targets
        return edges

    def unreachable(self) -> None:
        starts = [position for position, stage in enumerate(self.stages) if stage.start]
        if not starts:
            return
        edges = self._edges()
        seen = set(starts)
        todo = list(starts)
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        for position, stage in enumerate(self.stages):
            if position not in seen and not stage.deprecated and self.positions.get(stage.id) == position:
                self.result.unreachable.append(Unreachable(stage))

    def no_way_out(self) -> None:
        result = self.result
        scope = result.scope
        assert scope is not None
        for position, stage in enumerate(self.stages):
            if stage.terminal:
                continue
            if not stage.exits:
                result.no_way_out.append(NoWayOut(stage, "no_exits"))
                continue
            inside = self.inside(position)
            if inside is None or not inside:
                continue
            if all((position, index) in result.exits for index in range(len(stage.exits))) and not any(
                self.live(position, index) for index in range(len(stage.exits))
            ):
                result.no_way_out.append(NoWayOut(stage, "dead_exits"))

    def _rejection_destinations(self) -> set[int]:
        """Stages rejected leads are sent to: the `then:` of a reason, or the target of an
        exit that asks for a reason. Handing a lead *to* one of them is the rejection path."""
        found: set[int] = set()
        for picklist in self.model.picklists.values():
            for value in picklist.values:
                if value.then is not None and value.then in self.positions:
                    found.add(self.positions[value.then])
        for stage in self.stages:
            for exit_ in stage.exits:
                if exit_.reason is not None:
                    target = self.target(exit_)
                    if target is not None:
                        found.add(target)
        return found

    def missing_rejections(self) -> None:
        recycling = self._rejection_destinations()
        edges = self._edges()
        back: dict[int, set[int]] = {position: set() for position in edges}
        for source, targets in edges.items():
            for target in targets:
                back[target].add(source)
        for position, stage in enumerate(self.stages):
            if stage.owner is None:
                continue
            for index, exit_ in enumerate(stage.exits):
                target = self.target(exit_)
                if target is None or not self.live(position, index):
                    continue
                receiver = self.stages[target]
                if receiver.owner is None or receiver.owner == stage.owner or receiver.terminal:
                    continue
                if target in recycling:
                    continue
                # Teams that had the lead before the receiving stage: owners of `stage` and of its ancestors.
                seen = {position}
                todo = [position]
                while todo:
                    for previous in back[todo.pop()]:
                        if previous not in seen:
                            seen.add(previous)
                            todo.append(previous)
                teams = {self.stages[p].owner for p in seen} - {None, receiver.owner}
                if self._has_return_path(target, teams):  # type: ignore[arg-type]
                    continue
                self.result.missing_rejections.append(
                    MissingRejection(stage, exit_, receiver, tuple(sorted(teams)))  # type: ignore[arg-type]
                )

    def _has_return_path(self, target: int, teams: set[str]) -> bool:
        for index, exit_ in enumerate(self.stages[target].exits):
            if not self.live(target, index):
                continue
            for destination in self.destinations(exit_):
                if self.stages[destination].owner in teams:
                    return True
        return False

    def overlaps(self) -> None:
        result = self.result
        regions = [result.own[position] for position in range(len(self.stages))]
        for keys, piece, box, lead, exact in self.pieces(regions):
            stages = tuple(self.stages[position] for position in keys)
            result.overlaps.append(Overlap(stages, piece, lead, box, exact))

    def gaps(self) -> None:
        result = self.result
        scope = result.scope
        assert scope is not None
        owns = [own for own in result.own.values() if own]
        box = self.space.forest.outside_box(scope.node, [own.node for own in owns])
        if box is None:
            return
        lead = self.witness(scope, box)
        point = self.space.witness_point(box)
        entered = tuple(
            stage for position, stage in enumerate(self.stages) if result.entries[position].contains(point)
        )

        def build(scope: Region = scope, owns: list[Region] = owns) -> Region:
            forest = self.space.forest
            found = forest.outside_by_boxes(scope.node, [own.node for own in owns])
            if found is not None:
                return Region(forest, found)
            # A balanced union: joining halves keeps every intermediate diagram small.
            parts = owns
            while len(parts) > 1:
                parts = [
                    parts[i] | parts[i + 1] if i + 1 < len(parts) else parts[i]
                    for i in range(0, len(parts), 2)
                ]
            return scope - parts[0] if parts else scope

        result.gaps.append(Gap(Lazy(self.space, build), lead, entered, box))

    def masked(self) -> None:
        result = self.result
        earlier = self.space.nothing()
        for position, stage in enumerate(self.stages):
            own = result.own[position]
            if own and own.issubset(earlier):
                box = own.first_box()
                lead = self.witness(own, box)
                point = self.space.point(lead)
                assert point is not None
                by = tuple(self.stages[p] for p in range(position) if result.own[p].intersects(own))
                taken = next(self.stages[p] for p in range(position) if result.own[p].contains(point))
                result.masked.append(Masked(stage, by, lead, taken, box))
            earlier = earlier | own

    # -- examples ------------------------------------------------------------------

    def examples(self, membership: Membership) -> None:
        for position, stage in enumerate(self.stages):
            for example in stage.examples:
                failure = self.stage_example(membership, position, example)
                if failure is not None:
                    self.result.failing_examples.append(failure)
            for index, exit_ in enumerate(stage.exits):
                for example in exit_.examples:
                    failure = self.exit_example(membership, position, index, example)
                    if failure is not None:
                        self.result.failing_examples.append(failure)

    def _usable(self, example: Example) -> bool:
        """An example LS212 finds fault with proves nothing here, so it is not run."""
        if any(name not in self.model.fields for name in example.lead):
            return False
        return self.space.point(example.lead) is not None

    def _decision(self, criterion: Criterion, lead: Mapping[str, Any]) -> Decision:
        """The piece of `criterion` that settles it for this lead, and the values that piece reads."""
        node = decisive(self.exprs[criterion], lead)
        text = criterion.text[node.start : node.end] if node.end <= len(criterion.text) else criterion.text
        values = tuple((name, lead.get(name)) for name in fields_of(node))
        return Decision(criterion, text.strip() or criterion.text, evaluate(node, lead), values)

    def stage_example(self, membership: Membership, position: int, example: Example) -> FailingExample | None:
        """LS311 for an example under a stage: the membership rule's verdicts, and what decided this stage's."""
        if not self._usable(example):
            return None
        lead = example.lead
        # Most examples pass: placing the lead says so, and the verdicts (every stage's criteria
        # taken apart to say why) are worked out only for one that fails. They agree by construction.
        if membership.is_in(self.stages[position], lead):
            return None
        verdicts = membership.verdicts(lead)
        mine = verdicts[position]
        if mine.inside:
            return None
        stage = mine.stage
        actual = tuple(verdict.stage for verdict in verdicts if verdict.inside)
        why = mine.why
        assert why is not None
        scope = self.model.lifecycle.scope
        if why == "scope":
            assert scope is not None
            return FailingExample(stage, None, example, why, self._decision(scope, lead), actual)
        if why == "entry":
            assert stage.entry is not None
            return FailingExample(stage, None, example, why, self._decision(stage.entry, lead), actual)
        if why == "exit":
            taken = mine.leaving[0].exit  # the first exit it meets, in the order they are written
            return FailingExample(stage, None, example, why, self._decision(taken.when, lead), actual, taken)
        return FailingExample(stage, None, example, why, None, actual)

    def exit_example(
        self, membership: Membership, position: int, index: int, example: Example
    ) -> FailingExample | None:
        """LS311 for an example under an exit: it must be in scope, meet the stage's entry and the exit's `when`."""
        if not self._usable(example):
            return None
        stage = self.stages[position]
        exit_ = stage.exits[index]
        lead = example.lead
        scope = self.model.lifecycle.scope
        if scope is not None and not membership.meets(scope, lead):
            return FailingExample(stage, exit_, example, "scope", self._decision(scope, lead))
        assert stage.entry is not None
        if not membership.meets(stage.entry, lead):
            return FailingExample(stage, exit_, example, "entry", self._decision(stage.entry, lead))
        if not membership.meets(exit_.when, lead):
            return FailingExample(stage, exit_, example, "when", self._decision(exit_.when, lead))
        return None


def analyze(model: Model, exprs: Mapping[Criterion, Expr]) -> LifecycleAnalysis:
    """Decide every lifecycle finding of `model`, given each readable criterion's tree."""
    result = LifecycleAnalysis(model=model, space=None, policy=model.lifecycle.policy)
    _Analyzer(model, exprs, result).run()
    return result


__all__ = [
    "AlwaysLeft",
    "AmbiguousExit",
    "DeadCriterion",
    "Decision",
    "FailingExample",
    "Gap",
    "HandoffGap",
    "LifecycleAnalysis",
    "Masked",
    "MissingRejection",
    "NoWayOut",
    "Overlap",
    "Unreachable",
    "analyze",
]

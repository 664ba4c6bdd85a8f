"""The lifecycle as a graph: stages in lifecycle order, the main path, and what each exit is.

Definition files list stages per team, and files are read in name order, so the
model's order is not the order a lead lives through. The site's navigation, the
lifecycle diagram and the reverse waterfall all need that order, and they must
agree on it, so it is worked out once here, from the exits alone:

- the *main path* is the longest chain of exits from a starting stage to an end
  stage, ignoring exits that loop back and, where it can, the stages that send
  leads back (Nurture); ties go to the exit written first:
  Response -> ... -> MQL -> SAL -> SQL -> Customer;
- the lifecycle order is the main path, then the other stages in the order the
  exits reach them, then stages no exit reaches, as written;
- an exit is `forward` (along the main path), `end` (into an end stage off the
  main path, such as Disqualified) or `recycle` (any other way: back along the
  main path, or into or out of a side stage such as Nurture).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from leadspec.model import Exit, Model, Stage
from leadspec.structs import struct

ExitKind = Literal["forward", "recycle", "end"]


@struct
class Edge:
    """One exit, seen as an arrow between two stages."""

    source: str
    target: str
    exit: Exit
    kind: ExitKind


@struct
class Flow:
    order: tuple[str, ...]  # every stage id, in lifecycle order
    main_path: tuple[str, ...]  # the stage ids of the main path, in order
    edges: tuple[Edge, ...]  # every exit to a defined stage, sources in lifecycle order

    def position(self, stage_id: str) -> int:
        return self.order.index(stage_id)

    def incoming(self, stage_id: str) -> tuple[Edge, ...]:
        return tuple(edge for edge in self.edges if edge.target == stage_id)

    def outgoing(self, stage_id: str) -> tuple[Edge, ...]:
        return tuple(edge for edge in self.edges if edge.source == stage_id)


def lifecycle_flow(model: Model) -> Flow:
    stages = {stage.id: stage for stage in model.stages}
    successors = {
        stage.id: [exit.to for exit in stage.exits if exit.to in stages and exit.to != stage.id]
        for stage in model.stages
    }
    starts = [stage.id for stage in model.stages if stage.start]
    if not starts:
        entered = _entered(model.stages)
        starts = [stage.id for stage in model.stages if stage.id not in entered][:1]
    preorder, postorder, back = _depth_first(starts, successors)
    main = _main_path(starts, successors, stages, postorder, back)
    on_main = set(main)
    order = list(main)
    order.extend(stage_id for stage_id in preorder if stage_id not in on_main)
    placed = set(order)
    order.extend(stage.id for stage in model.stages if stage.id not in placed)

    rank = {stage_id: index for index, stage_id in enumerate(main)}
    edges: list[Edge] = []
    for stage_id in order:
        for exit in stages[stage_id].exits:
            if exit.to not in stages:
                continue
            edges.append(Edge(stage_id, exit.to, exit, _kind(stage_id, exit.to, rank, stages)))
    return Flow(order=tuple(order), main_path=tuple(main), edges=tuple(edges))


def ordered_stages(model: Model) -> tuple[Stage, ...]:
    """The stages in lifecycle order, for every list a person reads (explain, the exports).

    The model keeps file order, which the membership rule needs (`first_match`); people
    expect SAL before Disqualified, as the site shows them.
    """
    rank = {stage_id: index for index, stage_id in enumerate(lifecycle_flow(model).order)}
    # sorted() is stable: a repeated id (LS201) keeps every stage, in file order.
    return tuple(sorted(model.stages, key=lambda stage: rank[stage.id]))


def _entered(stages: Sequence[Stage]) -> set[str]:
    """The ids of the stages some other stage has an exit to (one pass, not one per stage)."""
    return {exit.to for stage in stages for exit in stage.exits if exit.to != stage.id}


def _kind(source: str, target: str, rank: dict[str, int], stages: dict[str, Stage]) -> ExitKind:
    if source in rank and target in rank and rank[target] > rank[source]:
        return "forward"
    if target not in rank and stages[target].terminal:
        return "end"
    return "recycle"


def _depth_first(
    starts: Sequence[str], successors: dict[str, list[str]]
) -> tuple[list[str], list[str], set[tuple[str, str]]]:
    """Pre-order, post-order and the exits that loop back, without recursion (any size of model)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    preorder: list[str] = []
    postorder: list[str] = []
    back: set[tuple[str, str]] = set()
    for start in starts:
        if start in state:
            continue
        state[start] = 1
        preorder.append(start)
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, index = stack[-1]
            following = successors.get(node, [])
            if index < len(following):
                stack[-1] = (node, index + 1)
                target = following[index]
                seen = state.get(target)
                if seen == 1:
                    back.add((node, target))
                elif seen is None:
                    state[target] = 1
                    preorder.append(target)
                    stack.append((target, 0))
                continue
            state[node] = 2
            postorder.append(node)
            stack.pop()
    return preorder, postorder, back


def _main_path(
    starts: Sequence[str],
    successors: dict[str, list[str]],
    stages: dict[str, Stage],
    postorder: list[str],
    back: set[tuple[str, str]],
) -> list[str]:
    """Longest chain to an end stage over the exits that do not loop back (a DAG).

    Stages that send leads back (Nurture, with its exit to MQL) are side roads: the
    main path avoids them when it can, however long the road through them is.
    """
    recycling = {source for source, _ in back}
    path = _longest(starts, successors, stages, postorder, back, avoid=recycling)
    return (
        path
        if len(path) > 1 or not recycling
        else _longest(starts, successors, stages, postorder, back, set())
    )


def _longest(
    starts: Sequence[str],
    successors: dict[str, list[str]],
    stages: dict[str, Stage],
    postorder: list[str],
    back: set[tuple[str, str]],
    avoid: set[str],
) -> list[str]:
    to_end: dict[str, int | None] = {}  # longest number of exits from here to an end stage
    choice: dict[str, str] = {}
    for node in postorder:  # every successor is finished before its predecessor
        if node in avoid:
            to_end[node] = None
            continue
        best: int | None = 0 if stages[node].terminal or not successors[node] else None
        for target in successors[node]:
            if (node, target) in back:
                continue
            length = to_end.get(target)
            if length is not None and (best is None or length + 1 > best):
                best = length + 1
                choice[node] = target
        to_end[node] = best
    candidates = [start for start in starts if to_end.get(start) is not None]
    if not candidates:
        return [starts[0]] if starts else []
    start = max(candidates, key=lambda s: (to_end[s], -starts.index(s)))
    path = [start]
    while path[-1] in choice:
        path.append(choice[path[-1]])
    return path

"""What findings are about, so that a finding can say which one it follows from.

Deleting one exit can make a stage unreachable, the stages after it too, break the
targets and leave a team's capacity on a stage it no longer acts on. Each rule says
what its finding is about (`Diagnostic.about`) and what it may follow from
(`Diagnostic.follows`) with these names, and the report puts each consequence after
its cause, so the first thing a person reads is the thing to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from leadspec.model import Model


def missing_handoff(source: str, target: str) -> str:
    """A hand-off the definitions count on that no exit makes (LS411)."""
    return f"handoff:{source}->{target}"


def unreachable(stage: str) -> str:
    """A stage no lead gets to (LS307)."""
    return f"unreachable:{stage}"


def _counted_handoffs(model: Model) -> list[tuple[str, str]]:
    """The hand-offs a finding can say are missing, in stage order: those the targets count on.

    Only LS411 is about a missing hand-off, and only about a conversion rate
    between two stages, so naming every other pair of stages (a thousand stages
    are a million pairs) would name topics no finding has.
    """
    spans = model.targets.conversion_spans if model.targets is not None else {}
    if not spans:
        return []
    order = {stage: position for position, stage in reversed(list(enumerate(model.stage_ids)))}
    pairs = [pair for pair in spans if pair[0] in order and pair[1] in order]
    return sorted(pairs, key=lambda pair: (order[pair[0]], order[pair[1]]))


def missing_out_of(model: Model, stages: Iterable[str]) -> Iterator[str]:
    """Every hand-off out of these stages that may be missing: a finding about a stage's
    leads may follow from an exit taken away from it."""
    pairs = _counted_handoffs(model)
    for source in stages:
        for first, target in pairs:
            if first == source:
                yield missing_handoff(source, target)


def missing_into(model: Model, target: str) -> Iterator[str]:
    """Every hand-off into this stage that may be missing."""
    for source, second in _counted_handoffs(model):
        if second == target:
            yield missing_handoff(source, target)

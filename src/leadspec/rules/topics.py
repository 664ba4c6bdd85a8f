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


def missing_out_of(model: Model, stages: Iterable[str]) -> Iterator[str]:
    """Every hand-off out of these stages that may be missing: a finding about a stage's
    leads may follow from an exit taken away from it."""
    for source in stages:
        for target in model.stage_ids:
            yield missing_handoff(source, target)


def missing_into(model: Model, target: str) -> Iterator[str]:
    """Every hand-off into this stage that may be missing."""
    for source in model.stage_ids:
        yield missing_handoff(source, target)

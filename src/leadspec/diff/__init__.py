"""`leadspec diff`: what a change to the definitions does, before it is merged.

- `revisions` finds the two sides (git refs read into a temporary folder, two
  folders, or the working tree) without touching the user's checkout;
- `sides` loads each like `leadspec check` does and says how far it can be trusted;
- `changes` finds breaking changes (LS431-LS437) and lists plain ones;
- `space` and `movement` compute, exactly, which leads move between stages;
- `render` writes text, JSON or a pull-request comment in Markdown.

`compare_sides(base, head)` is the whole comparison of two loaded sides.
"""

from __future__ import annotations

from leadspec.collector import rare_collections
from leadspec.config import Config
from leadspec.diagnostics import Diagnostic
from leadspec.diff.changes import Change, compare, enabled
from leadspec.diff.movement import Move, lead_movement
from leadspec.diff.sides import Side
from leadspec.structs import field, struct


@struct(frozen=False)
class Diff:
    """Everything `leadspec diff` found: its exit code is 1 when there are breaking changes."""

    base: Side
    head: Side
    breaking: list[Diagnostic]
    moves: list[Move]
    changes: list[Change]
    movement_skipped: str | None = None
    notes: list[str] = field(default_factory=list)
    base_words: str | None = None  # how the base was chosen, when the user did not name it

    @property
    def exit_code(self) -> int:
        return 1 if any(item.severity.value == "error" for item in self.breaking) else 0


def compare_sides(base: Side, head: Side, config: Config) -> Diff:
    """Breaking changes, lead movement and plain changes from `base` to `head`."""
    found = compare(base, head)
    notes = [f"{side.name}: {note}" for side in (base, head) for note in side.tree.notes]
    notes += found.notes
    skipped: str | None = None
    moves: list[Move] = []
    not_exact = [side for side in (base, head) if not side.exact]
    empty = [side for side in (base, head) if side.empty]
    if empty:
        which = " and ".join("the base" if side is base else "the head" for side in empty)
        skipped = f"{which} {'has' if len(empty) == 1 else 'have'} no definitions to compare leads with"
    elif not_exact:
        which = " and ".join("the base" if side is base else "the head" for side in not_exact)
        skipped = f"{which} {'has' if len(not_exact) == 1 else 'have'} errors, so lead movement could not be worked out exactly"
    else:
        with rare_collections():  # millions of diagram nodes and boxes, hardly a cycle among them
            movement = lead_movement(
                base.model, base.loaded.context.exprs, head.model, head.loaded.context.exprs
            )
        moves, skipped = movement.moves, movement.skipped
    return Diff(
        base=base,
        head=head,
        breaking=enabled(found.breaking, config),
        moves=moves,
        changes=found.changes,
        movement_skipped=skipped,
        notes=notes,
    )


__all__ = ["Diff", "compare_sides"]

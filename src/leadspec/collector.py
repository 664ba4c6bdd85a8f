"""How leadspec runs Python's cycle collector: rarely, and not at all on the way out.

A check builds objects by the million and frees nearly all of them by reference
counting; the cycle collector, run at its default pace, walks everything alive
again and again for the few cycles there are. Its own module, so that `api` and
the command line share it without the command line importing the pipeline.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Collections of the youngest generation every 100,000 new objects (instead of 700), and of the
# older ones accordingly rarer: a 10,000-stage file paid for ten full collections at the defaults.
_RARE = (100_000, 50, 100)


def collect_rarely() -> None:
    """From now on, run the cycle collector rarely (never more often than it was)."""
    before = gc.get_threshold()
    gc.set_threshold(*(max(old, new) for old, new in zip(before, _RARE, strict=True)))


@contextmanager
def rare_collections() -> Iterator[None]:
    """Run the cycle collector rarely inside the block, as it was after it.

    With the default thresholds a 10,000-stage file paid for ten full collections,
    each walking everything read so far (about a quarter of the run, and more the
    larger the file); reference counting still frees nearly all of it at once.
    """
    before = gc.get_threshold()
    collect_rarely()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def leave_to_the_os() -> None:
    """The process ends next: set every object alive aside (gc.freeze) so the collections while the
    interpreter shuts down do not walk them all once more. The OS takes the memory back anyway."""
    gc.freeze()

""""Did you mean ...?": one way of finding the name a person probably meant.

Every unknown key, field, stage, value or setting gets its suggestion from here,
so the same typo gets the same help wherever it is made.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option `word` most likely misspells, or None when nothing is close.

    Case differences first (`Accepted` for `accepted`), then similar spelling,
    then a known name the word starts with (`entry_criteria` for `entry`).
    """
    choices = list(dict.fromkeys(options))
    if not choices or not word:
        return None
    lowered = {choice.lower(): choice for choice in choices}
    key = word.lower()
    if key in lowered:
        return lowered[key]
    close = difflib.get_close_matches(key, list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    prefixed = [c for c in lowered if len(c) >= 3 and (key.startswith(c) or c.startswith(key) and len(key) >= 3)]
    if prefixed:
        return lowered[max(prefixed, key=len)]
    return None

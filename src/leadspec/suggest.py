""" "Did you mean ...?": one way of finding the name a person probably meant.

Every unknown key, field, stage, value or setting gets its suggestion from here,
so the same typo gets the same help wherever it is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


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
    import difflib  # here, not at the top: only a misspelling needs it, and start-up counts

    close = difflib.get_close_matches(key, list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    prefixed = [
        c for c in lowered if len(c) >= 3 and (key.startswith(c) or c.startswith(key) and len(key) >= 3)
    ]
    if prefixed:
        return lowered[max(prefixed, key=len)]
    return None


def certain(word: str, options: Iterable[str]) -> str | None:
    """The option `word` misspells when there can be no doubt: one differing only in case, or
    the only one spelled alike. Only such a suggestion is applied without asking (`check --fix`)."""
    choices = list(dict.fromkeys(options))
    if not choices or not word or word in choices:
        return None
    same_case = [choice for choice in choices if choice.lower() == word.lower()]
    if same_case:
        return same_case[0] if len(same_case) == 1 else None
    import difflib  # as in `closest`: only a misspelling needs it

    close = difflib.get_close_matches(word.lower(), [choice.lower() for choice in choices], n=2, cutoff=0.6)
    if len(close) != 1:
        return None
    return next(choice for choice in choices if choice.lower() == close[0])


def closest_id(word: str, names: Mapping[str, Iterable[str | None]]) -> str | None:
    """The id `word` most likely means, among ids of one kind, matching their names too.

    `names` gives each id its other names (label, abbreviation). People write a
    reference the way they say it: `sales_development` for the team labelled "Sales
    development" (id `sdr`). A name written as an id is read as that id, so it is never
    mistaken for a shorter id it merely starts with (`sales`).
    """
    options = {_as_id(name): ident for ident, others in names.items() for name in others if name}
    options.update({ident: ident for ident in names})
    found = closest(word, options)
    return options[found] if found is not None else None


def _as_id(name: str) -> str:
    """A label written as an id: "Sales development" -> `sales_development`."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")

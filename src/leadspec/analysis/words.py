"""Regions and example leads in plain words, for marketing-ops readers.

"leads with Lead score 45 to 49 and Email verified yes": field labels, ranges
as a person writes them (whole numbers as "45 to 49", decimals with "over" and
"under" where an end is excluded), enum values by name, and "not filled in" for
a missing optional value. Every phrase is exact: it describes the same set of
leads as the box it comes from, never a rounder one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from leadspec.analysis.diagrams import Region
from leadspec.analysis.domains import FieldDomain
from leadspec.analysis.space import Space
from leadspec.expr.render import number_text

# A region of more boxes than this is shown by one of its parts, "among others".
REGION_LIMIT = 3


def join(items: Sequence[str], word: str = "or") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def value_text(value: Any) -> str:
    """A value as an example lead writes it: `true`, `45`, `0.5`, `open`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value.is_finite() and -30 <= value.adjusted() <= 30:
            text = format(value, "f")
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return text
        return str(value)
    return str(value)


def lead_text(lead: Mapping[str, Any], names: Iterable[str] | None = None, *, more: bool = True) -> str:
    """`lead_score=45, email_verified=true, ...` for the named fields (all when None)."""
    chosen = list(lead) if names is None else list(dict.fromkeys(names))
    parts = [
        f"{name}={value_text(lead[name])}" if lead.get(name) is not None else f"{name} missing"
        for name in chosen
    ]
    if more and len([name for name in chosen if name in lead]) < len(lead):
        parts.append("...")
    return ", ".join(parts) if parts else "any values"


def _int_bounds(domain: FieldDomain, first: int, last: int) -> tuple[int | None, int | None]:
    low_cell, high_cell = domain.cells[first], domain.cells[last]
    low: int | None = None
    high: int | None = None
    if low_cell.low is not None:
        edge = low_cell.low
        low = (
            int(edge.to_integral_value(ROUND_CEILING))
            if low_cell.low_closed
            else int(edge.to_integral_value(ROUND_FLOOR)) + 1
        )
    if high_cell.high is not None:
        edge = high_cell.high
        high = (
            int(edge.to_integral_value(ROUND_FLOOR))
            if high_cell.high_closed
            else int(edge.to_integral_value(ROUND_CEILING)) - 1
        )
    return low, high


def _runs(mask: int, count: int) -> list[tuple[int, int]]:
    """The runs of consecutive cells in `mask` below `count`, (first, last) each, lowest first.

    Read off the binary text, not bit by bit: a field cut at a thousand literals
    has two thousand cells, and shifting the mask once per cell was quadratic.
    """
    text = bin(mask & ((1 << count) - 1))[:1:-1]  # lowest cell first
    runs: list[tuple[int, int]] = []
    start = text.find("1")
    while start >= 0:
        end = text.find("0", start)
        if end < 0:
            end = len(text)
        runs.append((start, end - 1))
        start = text.find("1", end)
    return runs


def _numeric_run(domain: FieldDomain, first: int, last: int) -> str:
    at_start = first == 0
    at_end = last == domain.values_count - 1
    if domain.field.type == "integer":
        low, high = _int_bounds(domain, first, last)
        if low is not None and low == high:
            return number_text(low)
        if at_start and at_end:
            return "any value"
        if at_start:
            return f"at most {number_text(high)}" if high is not None else "any value"
        if at_end:
            return f"at least {number_text(low)}" if low is not None else "any value"
        return f"{number_text(low)} to {number_text(high)}"  # type: ignore[arg-type]
    low_cell, high_cell = domain.cells[first], domain.cells[last]
    if low_cell.is_point and first == last:
        return number_text(low_cell.low)  # type: ignore[arg-type]
    if at_start and at_end:
        return "any value"
    lower = None if at_start or low_cell.low is None else low_cell.low
    upper = None if at_end or high_cell.high is None else high_cell.high
    if lower is not None and upper is not None and low_cell.low_closed and high_cell.high_closed:
        return f"{number_text(lower)} to {number_text(upper)}"
    parts = []
    if lower is not None:
        parts.append(f"{'at least' if low_cell.low_closed else 'over'} {number_text(lower)}")
    if upper is not None:
        parts.append(f"{'at most' if high_cell.high_closed else 'under'} {number_text(upper)}")
    return " and ".join(parts) if parts else "any value"


def _value_name(domain: FieldDomain, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def mask_words(domain: FieldDomain, mask: int) -> str:
    """One field's value set as words, without the field's label: "45 to 49", "US or CA"."""
    count = domain.values_count
    values_mask = mask & ((1 << count) - 1)
    missing = bool(domain.optional and mask & domain.missing_bit)
    if not values_mask:
        return "not filled in" if missing else "impossible"
    if values_mask == (1 << count) - 1:
        return "any value" if missing else "filled in"
    if domain.field.type in ("integer", "number"):
        text = join([_numeric_run(domain, a, b) for a, b in _runs(values_mask, count)])
    else:
        chosen = [index for index in range(count) if values_mask >> index & 1]
        names = [_value_name(domain, domain.cells[index].value) for index in chosen]
        others = [
            _value_name(domain, domain.cells[index].value) for index in range(count) if index not in chosen
        ]
        if len(others) < len(names) and len(names) > 3:
            text = f"other than {join(others, 'and')}"
            if domain.optional and not missing:
                text += " (and filled in)"
        else:
            text = join(names)
    return f"{text} or not filled in" if missing else text


def box_words(space: Space, box: int, said: dict[tuple[int, int], str] | None = None) -> str:
    """ "Lead score 45 to 49 and Email verified yes"; "" when the box allows any lead.

    `said` keeps each field's words by its cells across calls, for a caller
    wording thousands of boxes of one space (a diff's movements) that share them.
    """
    parts = []
    for position in sorted(space.layout.constrained(box)):
        domain = space.domains[position]
        mask = space.layout.get(box, position)
        words = None if said is None else said.get((position, mask))
        if words is None:
            words = f"{domain.field.label} {mask_words(domain, mask)}"
            if said is not None:
                said[(position, mask)] = words
        parts.append(words)
    return " and ".join(parts)


# What `region_words` says of a region that takes in every lead: the one singular answer.
ANY_LEAD = "any lead"


def region_words(
    space: Space, region: Region | None, box: int | None = None, limit: int = REGION_LIMIT
) -> str:
    """The leads of a region: "leads with A and B, or with C".

    A region that takes more than `limit` boxes to say (or that was too costly
    to build, None) is named by the box its example lead comes from, "leads such
    as those with ...", so the words stay true and short.
    """
    boxes = region.boxes() if region is not None else None
    if boxes is not None and not boxes:
        return "no leads"
    if boxes is None or len(boxes) > limit:
        if box is None:
            assert region is not None
            box = region.first_box()
        words = box_words(space, box)
        return f"leads such as those with {words}" if words else ANY_LEAD
    phrases = [box_words(space, one) for one in boxes]
    if any(not phrase for phrase in phrases):
        return ANY_LEAD
    return "leads with " + ", or with ".join(phrases)


def agreeing(who: str, plural: str, singular: str) -> str:
    """The word that agrees with `who` from `region_words`: "Any lead is", but "Leads with ... are"."""
    return singular if who.lower() == ANY_LEAD else plural


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def stage_name(stage: Any) -> str:
    """A stage as people call it: its label (its id when it has no label)."""
    return str(getattr(stage, "label", None) or stage.id)


def stage_name_of(model: Any, stage_id: str) -> str:
    """The stage an exit names, as people call it (the id itself when it is not defined)."""
    stage = model.stage(stage_id)
    return stage_name(stage) if stage is not None else stage_id


def exit_name(ctx_stage: Any, exit_: Any, target: str) -> str:
    """ "Nurture", or "Nurture (exit 2)" when the stage has several exits to the same stage."""
    exits = list(ctx_stage.exits)
    same = [other for other in exits if other.to == exit_.to]
    if len(same) < 2:
        return target
    position = next(index for index, other in enumerate(exits) if other is exit_)
    return f"{target} (exit {position + 1})"


def example_text(space: Space, box: int, lead: Mapping[str, Any]) -> str:
    """The fields of an example lead that the finding is about (those its box narrows), then `...`."""
    point = space.point(lead)
    if point is None or (point & box) != point:
        return lead_text(lead)
    return lead_text(lead, space.constrained(box))

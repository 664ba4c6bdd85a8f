"""SLA time: the durations teams promise each other.

People write "4h", "2 business days" or ISO 8601 "PT4H"; all of them become a
`Duration` here, so every later check and page compares like with like.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from leadspec.model import Duration

_UNITS = {
    "m": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "business hour": "business_hours",
    "business hours": "business_hours",
    "business day": "business_days",
    "business days": "business_days",
}

_PLAIN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]+(?: [a-z]+)?)\s*$")
_ISO = re.compile(r"^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$")

EXAMPLES = '"4h", "30 minutes", "1 business day", "2 business days", "PT4H"'


class DurationError(ValueError):
    """A duration a person wrote that does not say how long."""


def parse_duration(text: str) -> Duration:
    """Read a duration; raise DurationError with a message saying what is wrong."""
    cleaned = text.strip()
    if cleaned.upper().startswith("P"):
        return _parse_iso(cleaned, text)
    match = _PLAIN.match(cleaned.lower())
    if not match:
        raise DurationError(f'"{text}" is not a duration')
    amount_text, unit_text = match.groups()
    unit = _UNITS.get(unit_text)
    if unit is None:
        raise DurationError(f'"{unit_text}" is not a unit of time')
    amount = Decimal(amount_text)
    if amount <= 0:
        raise DurationError(f'"{text}" is no time at all')
    return Duration(text=text, amount=amount, unit=unit)  # type: ignore[arg-type]


def _parse_iso(cleaned: str, text: str) -> Duration:
    match = _ISO.match(cleaned.upper())
    if not match or cleaned.upper() in ("P", "PT") or cleaned.upper().endswith("T"):
        raise DurationError(f'"{text}" is not an ISO 8601 duration such as PT4H or P2D')
    weeks, days, hours, minutes = (Decimal(part) if part else Decimal(0) for part in match.groups())
    try:
        total_minutes = ((weeks * 7 + days) * 24 + hours) * 60 + minutes
    except InvalidOperation as error:  # pragma: no cover - regex admits only plain decimals
        raise DurationError(f'"{text}" is not a duration') from error
    if total_minutes <= 0:
        raise DurationError(f'"{text}" is no time at all')
    # Keep the largest unit that states it exactly, so pages can show "2 days" not "2880 minutes".
    for unit, size in (("weeks", 7 * 24 * 60), ("days", 24 * 60), ("hours", 60)):
        if total_minutes % size == 0:
            return Duration(text=text, amount=total_minutes / size, unit=unit)  # type: ignore[arg-type]
    return Duration(text=text, amount=total_minutes, unit="minutes")

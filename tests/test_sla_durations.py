"""SLA durations as people write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leadspec.sla import DurationError, parse_duration


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("4h", "4", "hours"),
        ("30m", "30", "minutes"),
        ("90 minutes", "90", "minutes"),
        ("1 business day", "1", "business_days"),
        ("2 business days", "2", "business_days"),
        ("8 business hours", "8", "business_hours"),
        ("1 day", "1", "days"),
        ("2 weeks", "2", "weeks"),
        ("PT4H", "4", "hours"),
        ("P2D", "2", "days"),
        ("PT90M", "90", "minutes"),
        ("P1DT12H", "36", "hours"),  # mixed: elapsed time, its day counted as 24 hours
        ("PT48H", "48", "hours"),  # a time part alone stays elapsed hours, not 2 calendar days
        ("P1.5D", "1.5", "days"),  # a date part alone stays calendar days
        ("P14D", "2", "weeks"),
        ("pt4h", "4", "hours"),
    ],
)
def test_readable_durations(text: str, amount: str, unit: str) -> None:
    duration = parse_duration(text)
    assert duration.amount == Decimal(amount)
    assert duration.unit == unit
    assert duration.business == unit.startswith("business")


@pytest.mark.parametrize("text", ["soon", "4 fortnights", "0h", "P", "PT", "P1Y", "-2 days", "4 hours ago"])
def test_unreadable_durations(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)

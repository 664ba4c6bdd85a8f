"""The period a funnel report covers, and the months or quarters it is broken into.

`2026-Q3`, `2026-11` or `2026` name a quarter, a month or a year; `--from`/`--to`
name days (both included). Boundaries are midnights in the report's zone (the
--timezone given, else UTC): a quarter is the same quarter the teams plan with.
Each window is half-open `[start, end)` and keeps its kind ("quarter", "month",
"year", or None for a stretch of days), which says which target it is measured
against (targets.Waterfall.needed_per).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from leadspec.calendars import to_instant
from leadspec.structs import struct

KINDS = ("month", "quarter", "year")


@struct
class Window:
    """A stretch of time measured on its own: `[start, end)`, e.g. "2026-Q3" or "2026-11"."""

    label: str
    start: datetime
    end: datetime


class PeriodError(ValueError):
    """A period that names no stretch of time; the message says how to write one."""


@struct
class Period:
    """The windows of a report: the whole period first, then its months or quarters."""

    label: str
    kind: str | None
    windows: tuple[Window, ...]
    kinds: tuple[str | None, ...]  # the kind of each window

    @property
    def whole(self) -> Window:
        return self.windows[0]


def _month_start(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def _bounds(text: str) -> tuple[date, date, str]:
    """First day, day after, kind of `2026-Q3`, `2026-11`, `2026`."""
    cleaned = text.strip()
    if match := re.fullmatch(r"([0-9]{4})-?[Qq]([1-4])", cleaned):
        first = date(int(match[1]), 3 * int(match[2]) - 2, 1)
        return first, _month_start(first, 3), "quarter"
    if match := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", cleaned):
        if 1 <= int(match[2]) <= 12:
            first = date(int(match[1]), int(match[2]), 1)
            return first, _month_start(first, 1), "month"
    if re.fullmatch(r"[0-9]{4}", cleaned):
        first = date(int(cleaned), 1, 1)
        return first, date(first.year + 1, 1, 1), "year"
    raise PeriodError(
        f'--period "{text}" is no period: write a quarter (2026-Q3), a month (2026-11) or a year (2026)'
    )


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f'{option} "{text}" is not a day: write it as 2026-07-01') from None


def _label(first: date, kind: str) -> str:
    if kind == "quarter":
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    if kind == "month":
        return f"{first.year}-{first.month:02d}"
    return str(first.year)


def period_of(moment: datetime, kind: str, zone: tzinfo) -> str:
    """The name of the month, quarter or year that holds `moment` in `zone`."""
    day = moment.astimezone(zone).date()
    if kind == "quarter":
        return _label(date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), kind)
    if kind == "month":
        return _label(date(day.year, day.month, 1), kind)
    return str(day.year)


def make_period(
    zone: tzinfo,
    *,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
    by: str | None = None,
) -> Period:
    """The windows for --period or --from/--to, broken down --by month or quarter (default: one step down)."""
    if period is not None:
        first, after, kind = _bounds(period)
        label: str = _label(first, kind)
    else:
        if start is None or end is None:
            raise PeriodError("give --period (2026-Q3), or both --from and --to (days, both included)")
        first, last = _day(start, "--from"), _day(end, "--to")
        if last < first:
            raise PeriodError(f"--to {end} is before --from {start}")
        after, kind = last + timedelta(days=1), None
        label = f"{first.isoformat()} to {last.isoformat()}"
    step = by or {"year": "quarter", "quarter": "month"}.get(kind or "", None)
    if step is not None and step not in ("month", "quarter"):
        raise PeriodError(f"--by {step}: the report breaks a period into months or quarters")

    def instant(day: date) -> datetime:
        return to_instant(datetime(day.year, day.month, day.day), zone)

    windows = [Window(label, instant(first), instant(after))]
    kinds: list[str | None] = [kind]
    if step is not None and step != kind:
        months = 3 if step == "quarter" else 1
        cursor = _month_start(first, 0) if first.day == 1 else first
        while cursor < after:
            aligned = date(cursor.year, cursor.month, 1)
            if step == "quarter":
                aligned = date(cursor.year, 3 * ((cursor.month - 1) // 3) + 1, 1)
            following = _month_start(aligned, months)
            part_start, part_end = max(cursor, first), min(following, after)
            whole = part_start == aligned and part_end == following
            windows.append(
                Window(
                    _label(aligned, step)
                    if whole
                    else f"{part_start.isoformat()} to {(part_end - timedelta(days=1)).isoformat()}",
                    instant(part_start),
                    instant(part_end),
                )
            )
            kinds.append(step if whole else None)
            cursor = following
        if len(windows) == 2:  # one part: the period itself
            windows, kinds = windows[:1], kinds[:1]
    return Period(label, kind, tuple(windows), tuple(kinds))


WINDOWS_SQL = (
    "CREATE OR REPLACE TEMP TABLE leadspec_windows "
    "(position INTEGER, label VARCHAR, starts_at TIMESTAMPTZ, ends_at TIMESTAMPTZ)"
)


def load_windows(con: Any, windows: Sequence[Window]) -> None:
    """The windows as the table `leadspec_windows`, position 0 first: every measure joins it."""
    con.execute(WINDOWS_SQL)
    con.executemany(
        "INSERT INTO leadspec_windows VALUES (?, ?, ?, ?)",
        [[position, w.label, w.start, w.end] for position, w in enumerate(windows)],
    )

"""Helpers for the business-time-in-SQL tests: calendars, a connection with their tables, Python references."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb

from leadspec.calendars import WorkingTime
from leadspec.funnel.worktime import Clock, covering, deadline_us, from_instant_us, instant_us, load_calendars
from leadspec.model import Duration


def sql_deadline(work: WorkingTime, start: datetime, duration: Duration) -> datetime | None:
    """The deadline computed by DEADLINES_SQL in DuckDB, on a table made for this one clock."""
    clock = Clock.of(duration, work)
    first, last = covering(start, start, [clock], {work.calendar.id: work})
    con = duckdb.connect()
    try:
        load_calendars(con, {work.calendar.id: work}, first, last)
        due = deadline_us(con, clock, instant_us(start))
    finally:
        con.close()
    return None if due is None else from_instant_us(due).astimezone(work.zone)


def python_worked(work: WorkingTime, start: datetime, end: datetime) -> timedelta:
    """Working time from `start` to `end` counted day by day on the wall clock (the module doc of calendars.py)."""

    def position(moment: datetime) -> tuple[date, timedelta]:
        wall = moment.astimezone(work.zone).replace(tzinfo=None)
        day = wall.date()
        if not work.is_working_day(day):
            return day, timedelta(0)
        opening = datetime.combine(day, work.opening)
        return day, min(max(wall - opening, timedelta(0)), work.day_length)

    (first, before), (last, after) = position(start), position(end)
    total = after - before
    day = first
    while day < last:
        if work.is_working_day(day):
            total += work.day_length
        day += timedelta(days=1)
    return total


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)

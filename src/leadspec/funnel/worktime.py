"""Business time as a table, so SQL counts it exactly as `leadspec.calendars` does.

`calendars.py` is the reference; this module writes what it knows about each
calendar into DuckDB for the days a dataset covers, so that a deadline or the
business time between two instants is a few equality joins and some integer
arithmetic, in any SQL engine (no time zone functions, which differ per
warehouse). Times are BIGINT microseconds: instants since 1970-01-01 UTC
(`epoch_us`), and *wall* times, the office's wall clock read as if it were UTC,
since 1970-01-01 on that clock. `D` below is 86 400 000 000, the microseconds of
a day.

Tables (temporary, in one connection):

- `leadspec_calendars(calendar, timezone, day_length_us, first_day, last_day)`:
  each calendar once; `day_length_us` is `end - start` on the wall clock, the
  working time of every working day (calendars.py's module doc).
- `leadspec_calendar_days(calendar, day_number, local_date, working, work_day,
  opens_at, closes_at, open_wall_us, length_us, worked_before_us, offset_us,
  offset_change_us, offset_after_us, wall_offset_us, wall_change_us,
  wall_offset_after_us)`: one row per calendar and day number `n` (days since
  1970-01-01), used three ways:
  - as the local date `n` of the calendar: whether it is a working day; if so its
    opening (`opens_at` as an instant, `open_wall_us` on the wall clock), its
    length (0 on other days) and `work_day`, its number among working days from
    0; `worked_before_us` is the working time before that day (`work_day x
    day_length_us` on working days; on other days that of the next working day);
  - as the UTC day `n`: an instant `t` in it reads `t + offset_us` on the wall
    clock, or `t + offset_after_us` from `offset_change_us` on (the clocks change
    that UTC day);
  - as the wall day `n`: a wall time `w` in it is the instant `w -
    wall_offset_us`, or `w - wall_offset_after_us` from `wall_change_us` on. A
    wall time the clocks skip is moved forward by the change and one they repeat
    is the first of the two (`calendars.to_instant`).
- `leadspec_calendar_intervals`: a view of the working days only (one row per
  calendar and working interval: `calendar, work_day, local_date, opens_at,
  closes_at, worked_before`), for people and the dbt seed.

SQL (DuckDB text with one placeholder for the input relation; `format` it):

- `DEADLINES_SQL.format(clocks=...)` (or `deadlines_sql(clocks, prefix)`): for
  rows with `start_us` and the clock's `calendar` (NULL: none), `kind`
  ('business', 'elapsed' or 'days'), `amount_us`, `whole_days` (see `Clock`; with
  `prefix` before each of these four names), adds `due_us` (`prefix` + `due_us`)
  and helper columns named `leadspec_...`: when the clock runs out, exactly as
  `calendars.deadline`. Business time: the start's working time so far `W` (the
  clock starts at the next opening), then the working day `k = (W + amount - 1)
  // day_length` in which `W + amount` is reached: a deadline exactly at closing
  is that closing. Days: the same wall time `whole_days` later, as an instant,
  then the fraction of a day as elapsed time. NULL when the calendar table does
  not cover the start or the deadline.
- `WORKED_SQL.format(spans=...)`: for rows with `calendar`, `from_us`, `to_us`,
  adds `worked_us`, the working time between the two instants on the wall clock
  (for velocity); NULL outside the table.

Python:

- `Clock.of(duration, work)`: how one SLA duration is counted (`calendars.deadline`'s cases).
- `load_calendars(con, calendars, first, last)`: create the tables for the
  local dates `first` to `last` (and a week either side).
- `covering(first, last, clocks, calendars)`: the dates to load for instants
  from `first` to `last` and clocks started then (a week of margin either side).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from leadspec.calendars import WorkingTime, amount_delta, to_instant, working_amount
from leadspec.model import Duration
from leadspec.structs import struct

DAY_US = 86_400_000_000
_EPOCH = datetime(1970, 1, 1)
_EPOCH_DAY = date(1970, 1, 1)
_MARGIN = timedelta(days=7)

ClockKind = Literal["business", "elapsed", "days"]


@struct
class Clock:
    """How one duration is counted in SQL: the `calendars.deadline` case it falls in, in microseconds.

    `business`: `amount_us` of working time on `calendar`. `elapsed`: `amount_us` of real
    time (minutes, hours; and days without a calendar, where a day is 24 hours: the history
    keeps instants, not the zone they were written in). `days`: `whole_days` calendar days in
    the calendar's zone, then `amount_us` (the fraction of a day) of real time.
    """

    kind: ClockKind
    calendar: str | None
    amount_us: int
    whole_days: int = 0

    @classmethod
    def of(cls, duration: Duration, work: WorkingTime | None) -> Clock:
        """The clock of `duration` on `work` (ValueError: business time without a calendar)."""
        if duration.business:
            if work is None:
                raise ValueError(f"{duration.text} is business time, which needs a calendar")
            return cls("business", work.calendar.id, _us(working_amount(duration, work)))
        if duration.unit in ("minutes", "hours"):
            seconds = 60 if duration.unit == "minutes" else 3600
            return cls("elapsed", None, _us(amount_delta(duration.amount, seconds)))
        days = duration.amount * (7 if duration.unit == "weeks" else 1)
        if work is None:
            return cls("elapsed", None, _us(amount_delta(days, 86400)))
        whole = int(days)
        return cls("days", work.calendar.id, _us(amount_delta(days - whole, 86400)), whole)

    @property
    def rough_days(self) -> int:
        """At most how many calendar days this clock can span, for sizing the table (weeks for business time)."""
        if self.kind == "business":
            return 0  # depends on the calendar: see `covering`
        return self.whole_days + math.ceil(self.amount_us / DAY_US) + 1


def _us(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def instant_us(moment: datetime) -> int:
    """An aware datetime as microseconds since 1970 UTC (DuckDB's `epoch_us`)."""
    return _us(moment.astimezone(UTC).replace(tzinfo=None) - _EPOCH)


def from_instant_us(value: int) -> datetime:
    """Microseconds since 1970 UTC as an aware datetime in UTC."""
    return (_EPOCH + timedelta(microseconds=value)).replace(tzinfo=UTC)


def _wall_us(local: datetime) -> int:
    return _us(local - _EPOCH)


def _instant_of_wall(wall: int, work: WorkingTime) -> int:
    """`calendars.to_instant` in microseconds: the instant a wall time names (skipped: forward; repeated: first)."""
    return instant_us(to_instant(_EPOCH + timedelta(microseconds=wall), work.zone))


def _wall_of_instant(instant: int, work: WorkingTime) -> int:
    return _wall_us(from_instant_us(instant).astimezone(work.zone).replace(tzinfo=None))


def _switch(lo: int, hi: int, value_of: Callable[[int], int], first: int) -> int:
    """The smallest x in (lo, hi] whose value is no longer `first` (the value changes once there)."""
    while hi - lo > 1:
        middle = (lo + hi) // 2
        if value_of(middle) == first:
            lo = middle
        else:
            hi = middle
    return hi


def _offsets(day_number: int, work: WorkingTime) -> tuple[int, int | None, int, int, int | None, int]:
    """The UTC day's and the wall day's offsets (see the module doc), one change at most per day."""
    start, end = day_number * DAY_US, (day_number + 1) * DAY_US - 1

    def offset_at(instant: int) -> int:
        return _wall_of_instant(instant, work) - instant

    def wall_offset(wall: int) -> int:
        return wall - _instant_of_wall(wall, work)

    first, last = offset_at(start), offset_at(end)
    change = _switch(start, end, offset_at, first) if first != last else None
    wall_first, wall_last = wall_offset(start), wall_offset(end)
    wall_change = _switch(start, end, wall_offset, wall_first) if wall_first != wall_last else None
    for hour in range(1, 24) if change or wall_change else ():  # one change a day at most, as in every zone
        instant = start + hour * 3_600_000_000
        expected = first if change is None or instant < change else last
        wall_expected = wall_first if wall_change is None or instant < wall_change else wall_last
        if offset_at(instant) != expected or wall_offset(instant) != wall_expected:
            raise ValueError(f"the clocks change twice on {_EPOCH_DAY + timedelta(days=day_number)}")
    return first, change, last, wall_first, wall_change, wall_last


@struct
class DayRow:
    """One row of `leadspec_calendar_days` (see the module doc)."""

    calendar: str
    day_number: int
    local_date: date
    working: bool
    work_day: int | None
    opens_at: datetime | None
    closes_at: datetime | None
    open_wall_us: int
    length_us: int
    worked_before_us: int
    offset_us: int
    offset_change_us: int | None
    offset_after_us: int
    wall_offset_us: int
    wall_change_us: int | None
    wall_offset_after_us: int


def calendar_days(work: WorkingTime, first: date, last: date) -> list[DayRow]:
    """The rows of one calendar for the local dates `first` to `last`; working time counted from `first`."""
    length = _us(work.day_length)
    rows: list[DayRow] = []
    work_day = 0
    day = first
    while day <= last:
        number = (day - _EPOCH_DAY).days
        offsets = _offsets(number, work)
        working = work.is_working_day(day)
        open_wall = _wall_us(datetime.combine(day, work.opening))
        row = DayRow(
            calendar=work.calendar.id,
            day_number=number,
            local_date=day,
            working=working,
            work_day=work_day if working else None,
            opens_at=to_instant(datetime.combine(day, work.opening), work.zone) if working else None,
            closes_at=to_instant(datetime.combine(day, work.closing), work.zone) if working else None,
            open_wall_us=open_wall,
            length_us=length if working else 0,
            worked_before_us=work_day * length,
            offset_us=offsets[0],
            offset_change_us=None if offsets[1] is None else offsets[1],
            offset_after_us=offsets[2],
            wall_offset_us=offsets[3],
            wall_change_us=offsets[4],
            wall_offset_after_us=offsets[5],
        )
        rows.append(row)
        if working:
            work_day += 1
        day += timedelta(days=1)
    return rows


def covering(
    first: datetime, last: datetime, clocks: Iterable[Clock], calendars: Mapping[str, WorkingTime]
) -> tuple[date, date]:
    """The local dates a table must hold for clocks started from `first` to `last` (and instants up to `last`).

    A business clock spans at most its working days spread over the calendar's
    working weeks, plus the holidays among them; a week of margin either side.
    """
    longest = 0
    for clock in clocks:
        if clock.kind == "business" and clock.calendar in calendars:
            work = calendars[clock.calendar]
            days = clock.amount_us / max(_us(work.day_length), 1)
            weeks = math.ceil(days / len(work.days)) + 1
            holidays = len(work.holidays)
            longest = max(longest, weeks * 7 + holidays)
        else:
            longest = max(longest, clock.rough_days)
    start = first.astimezone(UTC).date() - _MARGIN
    end = last.astimezone(UTC).date() + timedelta(days=longest) + _MARGIN
    return start, end


_COLUMNS = (
    "calendar VARCHAR, day_number INTEGER, local_date DATE, working BOOLEAN, work_day INTEGER, "
    "opens_at TIMESTAMPTZ, closes_at TIMESTAMPTZ, open_wall_us BIGINT, length_us BIGINT, "
    "worked_before_us BIGINT, offset_us BIGINT, offset_change_us BIGINT, offset_after_us BIGINT, "
    "wall_offset_us BIGINT, wall_change_us BIGINT, wall_offset_after_us BIGINT"
)


def load_calendars(con: object, calendars: Mapping[str, WorkingTime], first: date, last: date) -> None:
    """Create (or replace) the calendar tables in `con` (a DuckDB connection) for the local dates `first` to `last`."""
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    con.execute(f"CREATE OR REPLACE TEMP TABLE leadspec_calendar_days ({_COLUMNS})")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE leadspec_calendars "
        "(calendar VARCHAR, timezone VARCHAR, day_length_us BIGINT, first_day DATE, last_day DATE)"
    )
    for ident, work in calendars.items():
        rows = [tuple(row.__dict__.values()) for row in calendar_days(work, first, last)]
        # One statement over column lists: a row at a time would take a second a year of days.
        columns = [list(column) for column in zip(*rows, strict=True)]
        unnest = ", ".join(f"unnest(${index + 1})" for index in range(len(columns)))
        con.execute(f"INSERT INTO leadspec_calendar_days SELECT {unnest}", columns)
        con.execute(
            "INSERT INTO leadspec_calendars VALUES (?, ?, ?, ?, ?)",
            [ident, work.calendar.timezone, _us(work.day_length), first, last],
        )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW leadspec_calendar_intervals AS SELECT calendar, work_day, local_date, "
        "opens_at, closes_at, worked_before_us, to_microseconds(worked_before_us) AS worked_before "
        "FROM leadspec_calendar_days WHERE working"
    )


# --- the SQL ----------------------------------------------------------------------------------

# The wall time of an instant `t` on a calendar day row `z` of the UTC day of `t`.
_WALL = "{t} + CASE WHEN {t} >= {z}.offset_change_us THEN {z}.offset_after_us ELSE {z}.offset_us END"
# The working time up to wall time `w`, on the calendar day row `d` of the wall day of `w`.
_WORKED = "{d}.worked_before_us + least(greatest({w} - {d}.open_wall_us, 0), {d}.length_us)"

_DEADLINES = f"""
WITH leadspec_{{p}}clock_walls AS (
    SELECT c.*, cal.day_length_us AS leadspec_{{p}}day_us,
        {_WALL.format(t="c.start_us", z="u")} AS leadspec_{{p}}start_wall
    FROM {{clocks}} AS c
    LEFT JOIN leadspec_calendars AS cal ON cal.calendar = c.{{p}}calendar
    LEFT JOIN leadspec_calendar_days AS u
        ON u.calendar = c.{{p}}calendar AND u.day_number = c.start_us // 86400000000
), leadspec_{{p}}clock_worked AS (
    SELECT c.*,
        {_WORKED.format(d="d", w="c.leadspec_{p}start_wall")} + c.{{p}}amount_us AS leadspec_{{p}}reach
    FROM leadspec_{{p}}clock_walls AS c
    LEFT JOIN leadspec_calendar_days AS d
        ON d.calendar = c.{{p}}calendar AND d.day_number = c.leadspec_{{p}}start_wall // 86400000000
), leadspec_{{p}}clock_due_walls AS (
    SELECT c.*, CASE c.{{p}}kind
            WHEN 'business' THEN k.open_wall_us + (c.leadspec_{{p}}reach - k.worked_before_us)
            WHEN 'days' THEN c.leadspec_{{p}}start_wall + c.{{p}}whole_days * 86400000000
        END AS leadspec_{{p}}due_wall
    FROM leadspec_{{p}}clock_worked AS c
    LEFT JOIN leadspec_calendar_days AS k
        ON c.{{p}}kind = 'business' AND k.calendar = c.{{p}}calendar
        AND k.work_day = (c.leadspec_{{p}}reach - 1) // c.leadspec_{{p}}day_us
)
SELECT c.*,
    CASE c.{{p}}kind
        WHEN 'elapsed' THEN c.start_us + c.{{p}}amount_us
        ELSE c.leadspec_{{p}}due_wall
            - CASE WHEN c.leadspec_{{p}}due_wall >= w.wall_change_us THEN w.wall_offset_after_us
                ELSE w.wall_offset_us END
            + CASE c.{{p}}kind WHEN 'days' THEN c.{{p}}amount_us ELSE 0 END
    END AS {{p}}due_us
FROM leadspec_{{p}}clock_due_walls AS c
LEFT JOIN leadspec_calendar_days AS w
    ON w.calendar = c.{{p}}calendar AND w.day_number = c.leadspec_{{p}}due_wall // 86400000000
"""


def deadlines_sql(clocks: str, prefix: str = "") -> str:
    """`DEADLINES_SQL` over the relation `clocks` whose clock columns carry `prefix` (two clocks on one row)."""
    return _DEADLINES.format(clocks=clocks, p=prefix)


DEADLINES_SQL = deadlines_sql("{clocks}")

WORKED_SQL = f"""
WITH leadspec_span_walls AS (
    SELECT s.*,
        {_WALL.format(t="s.from_us", z="uf")} AS leadspec_from_wall,
        {_WALL.format(t="s.to_us", z="ut")} AS leadspec_to_wall
    FROM {{spans}} AS s
    LEFT JOIN leadspec_calendar_days AS uf
        ON uf.calendar = s.calendar AND uf.day_number = s.from_us // 86400000000
    LEFT JOIN leadspec_calendar_days AS ut
        ON ut.calendar = s.calendar AND ut.day_number = s.to_us // 86400000000
)
SELECT s.*,
    ({_WORKED.format(d="dt", w="s.leadspec_to_wall")})
        - ({_WORKED.format(d="df", w="s.leadspec_from_wall")}) AS worked_us
FROM leadspec_span_walls AS s
LEFT JOIN leadspec_calendar_days AS df
    ON df.calendar = s.calendar AND df.day_number = s.leadspec_from_wall // 86400000000
LEFT JOIN leadspec_calendar_days AS dt
    ON dt.calendar = s.calendar AND dt.day_number = s.leadspec_to_wall // 86400000000
"""


def deadline_us(con: object, clock: Clock, start: int) -> int | None:
    """One deadline computed by `DEADLINES_SQL` (for tests and `explain`-style single look-ups)."""
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    clocks = (
        "(SELECT ?::VARCHAR AS calendar, ?::VARCHAR AS kind, ?::BIGINT AS start_us, "
        "?::BIGINT AS amount_us, ?::BIGINT AS whole_days)"
    )
    row = con.execute(
        f"SELECT due_us FROM ({DEADLINES_SQL.format(clocks=clocks)})",
        [clock.calendar, clock.kind, start, clock.amount_us, clock.whole_days],
    ).fetchone()
    return None if row is None else row[0]

"""SLA time: the durations teams promise each other, and where SLAs stand.

People write "4h", "2 business days" or ISO 8601 "PT4H"; all of them become a
`Duration` here, so every later check and page compares like with like. This
module also says which exits are hand-offs between two teams and how an
escalation falls against its deadline; what a duration means on a calendar is
`leadspec.calendars`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

from leadspec.calendars import (
    CalendarError,
    TooLate,
    WorkingTime,
    deadline,
    format_moment,
    openings_and_closings,
    to_instant,
    working_amount,
    working_time,
)
from leadspec.model import Calendar, Duration, Exit, Model, Sla, Stage
from leadspec.structs import struct

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
# Compiled on first use (re caches it): most durations are written plainly, and start-up counts.
_ISO = r"^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$"

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
    match = re.match(_ISO, cleaned.upper())
    if not match or cleaned.upper() in ("P", "PT") or cleaned.upper().endswith("T"):
        raise DurationError(f'"{text}" is not an ISO 8601 duration such as PT4H or P2D')
    weeks, days, hours, minutes = (Decimal(part) if part else Decimal(0) for part in match.groups())
    try:
        total_minutes = ((weeks * 7 + days) * 24 + hours) * 60 + minutes
    except InvalidOperation as error:  # pragma: no cover - regex admits only plain decimals
        raise DurationError(f'"{text}" is not a duration') from error
    if total_minutes <= 0:
        raise DurationError(f'"{text}" is no time at all')
    # Days and weeks are calendar days (the same time of day, whatever the clocks do);
    # hours and minutes are elapsed time (see leadspec.calendars). A date part alone
    # (P2D, P1W) stays calendar days; anything with a time part is elapsed time, and a
    # mixed one (P1DT12H) counts its days as 24 hours. The largest exact unit is kept
    # so pages can show "48 hours" rather than "2880 minutes".
    if not (hours or minutes):
        if total_minutes % (7 * 24 * 60) == 0:
            return Duration(text=text, amount=total_minutes / (7 * 24 * 60), unit="weeks")
        return Duration(text=text, amount=total_minutes / (24 * 60), unit="days")
    if total_minutes % 60 == 0:
        return Duration(text=text, amount=total_minutes / 60, unit="hours")
    return Duration(text=text, amount=total_minutes, unit="minutes")


# --- where SLAs stand, and how an escalation falls against its deadline -------------------

Kind = Literal["business", "elapsed", "calendar_days"]


def kind_of(duration: Duration) -> Kind:
    """Business time, elapsed clock time (minutes, hours), or calendar days (days, weeks)."""
    if duration.business:
        return "business"
    return "elapsed" if duration.unit in ("minutes", "hours") else "calendar_days"


@struct
class Placed:
    """One SLA and where it stands: on a stage (`exit` None) or on one of its exits."""

    stage: Stage
    exit: Exit | None
    sla: Sla

    @property
    def where(self) -> str:
        if self.exit is None:
            return f"the stage `{self.stage.id}`"
        return f"the exit from `{self.stage.id}` to `{self.exit.to}`"


def placed_slas(model: Model) -> Iterator[Placed]:
    """Every SLA in the model, stage by stage as written, the stage's own before its exits'."""
    for stage in model.stages:
        if stage.sla is not None:
            yield Placed(stage, None, stage.sla)
        for exit_ in stage.exits:
            if exit_.sla is not None:
                yield Placed(stage, exit_, exit_.sla)


def handoffs(model: Model) -> Iterator[tuple[Stage, Exit, Stage]]:
    """Exits that move a lead between two teams: both stages have an owner, and they differ."""
    for stage in model.stages:
        for exit_ in stage.exits:
            target = model.stage(exit_.to)
            if target is None or stage.owner is None or target.owner is None:
                continue
            if stage.owner != target.owner:
                yield stage, exit_, target


def handoff_covered(exit_: Exit, target: Stage) -> bool:
    """Whether a hand-off has a clock: an SLA on the exit, or on the stage it goes to.

    Both start when the lead arrives and bind a team to act on it, which is what the
    seeds ask of an SLA ("Sales will act on those leads in an agreed-upon timeframe").
    """
    return exit_.sla is not None or target.sla is not None


@struct
class Timing:
    """How an escalation falls against its SLA's deadline, over every possible start.

    `verdict` is "in_time" (never sooner than the deadline: escalating the moment it is
    missed is fine), "sooner" (sooner than it for every start) or "sometimes" (sooner
    for some starts only). `witness` is a start at which the escalation comes sooner
    than the deadline (None for "in_time"); `exact` says the two were compared by
    amount, without trying starts.
    """

    verdict: Literal["in_time", "sooner", "sometimes"]
    exact: bool
    witness: datetime | None = None
    due: datetime | None = None  # the deadline, and the escalation, for a clock started at `witness`
    escalated: datetime | None = None

    def example(self) -> str:
        """ "for a clock starting Fri 02 Jan 2026 12:00 CST: escalated ..., due ..." (empty without a witness)."""
        if self.witness is None or self.due is None or self.escalated is None:
            return ""
        return (
            f"for a clock starting {format_moment(self.witness)}: escalated "
            f"{format_moment(self.escalated)}, due {format_moment(self.due)}"
        )


# The year whose starts are tried when a calendar lists no holidays (it has both clock changes).
REFERENCE_YEAR = 2026


def escalation_timing(within: Duration, after: Duration, work: WorkingTime | None) -> Timing | None:
    """Compare an escalation's `after` with the SLA's `within`, both counted from the same start.

    Durations of one kind compare exactly by amount (business time on the SLA's own
    calendar, elapsed time, calendar days). Mixed kinds are not comparable by amount:
    then every opening, closing and noon of each year the calendar has holidays in
    is tried as a start (business time grows fastest from an opening and slowest from
    a closing, so for business against elapsed time those starts decide exactly).
    None when business time has no usable calendar, or (mixed kinds) when a duration is
    longer than about a year.
    """
    kinds = (kind_of(within), kind_of(after))
    if "business" in kinds and work is None:
        return None
    if kinds[0] == kinds[1] or (work is None and "business" not in kinds):
        if kinds[0] == "business":
            assert work is not None
            size_within, size_after = working_amount(within, work), working_amount(after, work)
        else:
            size_within, size_after = _clock_size(within), _clock_size(after)
        if size_after >= size_within:
            return Timing("in_time", exact=True)
        return Timing("sooner", exact=True)
    assert work is not None
    if max(_rough_days(within, work), _rough_days(after, work)) > _LONGEST_COMPARED:
        return None  # trying every start of every day of a longer clock would take too long
    starts = sorted({start for year in _scan_years(work) for start in _starts_in(work, year)})
    witness: tuple[datetime, datetime, datetime] | None = None
    count = 0
    tried = 0
    for start in starts:
        try:
            due, escalated = deadline(start, within, work), deadline(start, after, work)
        except TooLate:
            continue  # a start at the very end of the year 9999 has no deadline to compare
        tried += 1
        if escalated.astimezone(UTC) < due.astimezone(UTC):  # same zone would compare wall clocks
            count += 1
            witness = witness or (start, due, escalated)
    if witness is None:
        return Timing("in_time", exact=False)
    verdict: Literal["sooner", "sometimes"] = "sooner" if count == tried else "sometimes"
    return Timing(verdict, exact=False, witness=witness[0], due=witness[1], escalated=witness[2])


def escalation_timings(model: Model) -> Iterator[tuple[Placed, Timing]]:
    """Every escalation against its SLA's deadline (those that cannot be compared left out)."""
    for placed in placed_slas(model):
        escalate = placed.sla.escalate
        if escalate is None:
            continue
        calendar = model.calendars.get(placed.sla.calendar or "")
        timing = _timing_on(placed.sla.within, escalate.after, calendar)
        if timing is not None:
            yield placed, timing


@functools.lru_cache(maxsize=256)
def _timing_on(within: Duration, after: Duration, calendar: Calendar | None) -> Timing | None:
    """`escalation_timing` on a calendar as written (None: unusable, LS408), worked out once.

    Comparing mixed kinds tries a thousand starts a year; LS403 and LS404 both ask, and
    the same SLA often recurs on several hand-offs, so each comparison is kept.
    """
    try:
        work = working_time(calendar) if calendar is not None else None
    except CalendarError:
        work = None
    return escalation_timing(within, after, work)


# Mixed kinds are compared only when both last at most about a year.
_LONGEST_COMPARED = 400


def _rough_days(duration: Duration, work: WorkingTime) -> Decimal:
    """About how many calendar days a duration spans (a business day as 7/working-days-a-week days)."""
    if duration.business:
        working_days = working_amount(duration, work) / work.day_length
        return Decimal(working_days) * 7 / len(work.days)
    return _clock_size(duration) / (24 * 60)


def _clock_size(duration: Duration) -> Decimal:
    """Clock time in minutes, a day as 24 hours (exact within one kind, and without a time zone)."""
    per_unit = {"minutes": 1, "hours": 60, "days": 24 * 60, "weeks": 7 * 24 * 60}[duration.unit]
    return duration.amount * per_unit


def _scan_years(work: WorkingTime) -> list[int]:
    """The years whose starts are tried: each year with a holiday, else the reference year.

    Only those years, not all between them: a mistyped far-off year (2206 for 2026) adds one
    year rather than two centuries. The first and last years a date can have are left out:
    their clocks would run off the calendar.
    """
    years = {day.year for day in work.holidays if date.min.year < day.year < date.max.year}
    return sorted(years) or [REFERENCE_YEAR]


def _starts_in(work: WorkingTime, year: int) -> Iterator[datetime]:
    """Every opening, closing and noon of `year`: the starts that decide a mixed comparison."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    yield from openings_and_closings(work, first, last)
    day = first
    while day <= last:
        yield to_instant(datetime.combine(day, time(12)), work.zone)
        day += timedelta(days=1)

"""Business time: when an SLA falls due on a business calendar.

One place decides what "8 business hours" or "1 business day" means, so the
`sla due` command, the SLA lint and the site agree. The rules, in the words the
README uses:

- **Working time** is the calendar's hours (`start` to `end`, local time in the
  calendar's time zone) on its working days, except its holidays. It is counted
  on the office's wall clock, so every working day is exactly `end - start`
  long. Clocks change at night, outside office hours, so for an ordinary
  calendar this is also the real time worked; a calendar whose hours include
  the hour the clocks change still counts that day as `end - start`.
- **Business hours and minutes** count working time only. A clock that starts
  outside working time (before opening, after closing, on a weekend or a
  holiday) starts at the next opening. A deadline that falls exactly at a
  closing time is that closing time, not the next opening.
- **Business days** are whole working days of working time: `N business days`
  is `N x (end - start)` of working time, so "1 business day" from Friday 16:30
  is Monday 16:30, and from Friday 18:00 (after closing) it is Monday 17:30 (the
  clock starts Monday 08:30 and runs one full working day). Fractions count the
  same way: half a business day on a 9-hour day is 4 h 30 min of working time.
- **Clock units** run through nights, weekends and holidays. Minutes and hours
  (and ISO 8601 `PT...` durations) are elapsed time: `4h` is four real hours,
  even across a clock change. Days and weeks are calendar days: `2 days` is the
  same time of day two days later in the calendar's time zone (49 real hours
  over the night the clocks go back), like ISO 8601 and iCalendar count days.
  Without a calendar, days are counted in the time zone of the start (UTC when
  it has none), where a day is 24 hours.
- A local time that does not exist (skipped when the clocks go forward) is
  moved forward by the change; a local time that happens twice (when the clocks
  go back) is the first of the two.
"""

from __future__ import annotations

import bisect
import functools
import os
import zoneinfo
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_CEILING, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from leadspec.model import Calendar, Duration
from leadspec.structs import struct
from leadspec.suggest import closest

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MICRO = Decimal(1_000_000)
_UNIT_SECONDS = {"minutes": 60, "hours": 3600, "business_hours": 3600}


class CalendarError(ValueError):
    """A calendar that time cannot be counted on; the message says why in plain words."""

    def __init__(self, message: str, key: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.key = key  # the calendar key at fault, for pointing into the file
        self.hint = hint


@functools.cache
def known_zones() -> frozenset[str]:
    """The IANA time zone names this computer knows (empty without a time zone database)."""
    return frozenset(available_timezones())


def zone_known(name: str) -> bool:
    """`name in known_zones()`, found without listing every zone.

    Listing them opens every file of the time zone database, about 25 ms or a tenth
    of a clean `leadspec check`. This follows `available_timezones`' rules for the
    one name: the tzdata package's list, else a file in a TZPATH folder that
    `os.walk` reaches (not under the top `right/` or `posix/`, not through a linked
    folder) and that starts as a TZif file; never `posixrules`.
    """
    if name == "posixrules":
        return False
    if name in _tzdata_zones():
        return True
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts) or (os.sep != "/" and os.sep in name):
        return False  # no key `os.walk` makes looks like this
    for root in zoneinfo.TZPATH:
        if not os.path.exists(root) or (len(parts) > 1 and parts[0] in ("right", "posix")):
            continue
        try:
            if _walk_reaches(root, parts):
                return True
        except OSError:
            continue  # a folder os.walk could not list either
    return False


def _walk_reaches(root: str, parts: list[str]) -> bool:
    folder = root
    for part in parts[:-1]:
        path = os.path.join(folder, part)
        if part not in os.listdir(folder) or not os.path.isdir(path) or os.path.islink(path):
            return False
        folder = path
    path = os.path.join(folder, parts[-1])
    if parts[-1] not in os.listdir(folder) or os.path.isdir(path):
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"TZif"
    except Exception:  # noqa: BLE001 - as available_timezones: a file that cannot be read is no zone
        return False


@functools.cache
def _tzdata_zones() -> frozenset[str]:
    """The zone list the tzdata package ships (empty without the package), read as `available_timezones` does."""
    try:
        import tzdata
    except ImportError:
        return frozenset()
    try:
        if tzdata.__file__ is not None:
            with open(os.path.join(os.path.dirname(tzdata.__file__), "zones")) as handle:
                lines = handle.read().splitlines()
        else:  # pragma: no cover - a package without files of its own
            from importlib import resources

            lines = resources.files("tzdata").joinpath("zones").read_text().splitlines()
    except FileNotFoundError:
        return frozenset()
    return frozenset(zone for line in lines if (zone := line.strip()))


def load_zone(name: str) -> ZoneInfo:
    """The time zone called `name`, or CalendarError with a did-you-mean."""
    if name == "UTC" or zone_known(name):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # pragma: no cover - listed but unreadable
            pass
    if not known_zones():
        raise CalendarError(
            f'cannot look up the time zone "{name}": this computer has no time zone database',
            "timezone",
            "install one: `pip install tzdata` (or the tzdata package of your system)",
        )
    close = closest(name, known_zones())
    raise CalendarError(
        f'"{name}" is not a time zone leadspec knows',
        "timezone",
        f"did you mean `{close}`?" if close else 'write an IANA time zone name such as "America/Chicago"',
    )


@struct
class WorkingTime:
    """A calendar made ready for arithmetic: its zone loaded, hours and holidays parsed."""

    calendar: Calendar
    zone: ZoneInfo
    days: frozenset[int]  # 0 = Monday
    opening: time
    closing: time
    holidays: dict[date, str]

    @property
    def day_length(self) -> timedelta:
        return _at(date(2000, 1, 3), self.closing) - _at(date(2000, 1, 3), self.opening)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def whole_weeks(self, day: date, remaining: timedelta) -> int:
        """How many whole weeks from `day` on can be skipped: no holiday in them, and `remaining` outlasts them.

        Any seven days in a row hold each weekday once, so a week without holidays is
        `day_length x working days` of working time; long SLAs then take few steps.
        """
        week = self.day_length * len(self.days)
        if remaining <= week:
            return 0
        index = bisect.bisect_left(self.holiday_dates, day)
        free = (
            (self.holiday_dates[index] - day).days // 7
            if index < len(self.holiday_dates)
            else remaining // week
        )
        return min(free, (remaining - timedelta(microseconds=1)) // week)

    @functools.cached_property
    def holiday_dates(self) -> list[date]:
        return sorted(self.holidays)

    @property
    def last_holiday_year(self) -> int | None:
        """The last year the calendar lists holidays for; None when it lists none (then none are meant)."""
        return self.holiday_dates[-1].year if self.holiday_dates else None

    def beyond_holidays(self, moment: datetime, what: str = "this deadline is in") -> str | None:
        """Why business time counted to `moment` may be wrong: it runs into a year with no holidays listed.

        `what` says what reaches that year ("this deadline is in", "the history runs into").

        Past the last listed year every holiday counts as a working day, so a deadline there
        can fall on a day the office is closed (Christmas 2028 on a calendar that ends in 2027).
        """
        last = self.last_holiday_year
        year = moment.astimezone(self.zone).year
        if last is None or year <= last:
            return None
        return (
            f"the calendar `{self.calendar.id}` lists holidays up to {last} only, and {what} "
            f"{year}: a holiday then is counted as a working day; add the holidays of "
            + (f"{last + 1} to {year}" if year > last + 1 else f"{year}")
        )

    def describe(self) -> str:
        """ "Mon-Fri 08:30-17:30 America/Chicago, 21 holidays"."""
        days = [WEEKDAYS[index].capitalize() for index in sorted(self.days)]
        consecutive = len(days) > 2 and sorted(self.days) == list(range(min(self.days), max(self.days) + 1))
        names = f"{days[0]}-{days[-1]}" if consecutive else ", ".join(days)
        text = f"{names} {self.opening:%H:%M}-{self.closing:%H:%M} {self.calendar.timezone}"
        if self.holidays:
            text += f", {len(self.holidays)} holiday{'s' if len(self.holidays) != 1 else ''}"
        return text


def today() -> date:
    """Today's date, for the warnings that depend on it (LS410); one place, so tests can fix it."""
    return date.today()


def calendar_problems(calendar: Calendar) -> list[CalendarError]:
    """Everything that stops time being counted on `calendar` (what the schema cannot see)."""
    problems: list[CalendarError] = []
    try:
        load_zone(calendar.timezone)
    except CalendarError as error:
        problems.append(error)
    try:
        opening, closing = time.fromisoformat(calendar.start), time.fromisoformat(calendar.end)
    except ValueError:
        problems.append(
            CalendarError(
                f'the working hours "{calendar.start}" to "{calendar.end}" are not times of day',
                "hours",
                'write 24-hour times in quotes: {start: "08:30", end: "17:30"}',
            )
        )
    else:
        if closing <= opening:
            problems.append(
                CalendarError(
                    f"the working day ends at {calendar.end}, which is not after it starts ({calendar.start})",
                    "hours",
                    "the end must be later on the same day (a shift across midnight cannot be written)",
                )
            )
    if not any(day in WEEKDAYS for day in calendar.days):
        problems.append(
            CalendarError(
                "the calendar has no working days", "working_days", "list them: [mon, tue, wed, thu, fri]"
            )
        )
    return problems


def working_time(calendar: Calendar) -> WorkingTime:
    """Read a calendar for arithmetic; CalendarError when it cannot be counted on."""
    problems = calendar_problems(calendar)
    if problems:
        raise problems[0]
    holidays: dict[date, str] = {}
    for holiday in calendar.holidays:
        try:
            holidays.setdefault(date.fromisoformat(holiday.date), holiday.name or "a holiday")
        except ValueError:
            continue  # reported by the format check (LS104)
    return WorkingTime(
        calendar=calendar,
        zone=load_zone(calendar.timezone),
        days=frozenset(WEEKDAYS.index(day) for day in calendar.days if day in WEEKDAYS),
        opening=time.fromisoformat(calendar.start),
        closing=time.fromisoformat(calendar.end),
        holidays=holidays,
    )


def usable_calendars(calendars: Mapping[str, Calendar]) -> dict[str, WorkingTime]:
    """The calendars time can be counted on, by id (the others are reported by LS408)."""
    usable: dict[str, WorkingTime] = {}
    for ident, calendar in calendars.items():
        try:
            usable[ident] = working_time(calendar)
        except CalendarError:
            continue
    return usable


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment)


def to_instant(local: datetime, zone: tzinfo) -> datetime:
    """A wall-clock time in `zone` as a real instant (skipped times move forward, repeated ones are the first)."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def _wall(instant: datetime, zone: tzinfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def amount_delta(amount: Decimal, seconds_per_unit: Decimal | int) -> timedelta:
    """`amount` units as a timedelta, rounded up to the microsecond (a deadline is never early)."""
    micro = (amount * Decimal(seconds_per_unit) * _MICRO).to_integral_value(rounding=ROUND_CEILING)
    return timedelta(microseconds=int(micro))


def working_amount(duration: Duration, work: WorkingTime) -> timedelta:
    """How much working time a business duration asks for."""
    if duration.unit == "business_days":
        seconds = Decimal(work.day_length // timedelta(microseconds=1)) / _MICRO
        return amount_delta(duration.amount, seconds)
    if duration.unit == "business_hours":
        return amount_delta(duration.amount, 3600)
    raise ValueError(f"{duration.text} is not business time")


def clock_starts(start: datetime, work: WorkingTime) -> datetime:
    """When a business clock started at `start` begins to run: `start` itself in working time, else the next opening."""
    return to_instant(_add_working(_wall(start, work.zone), timedelta(0), work), work.zone)


def _add_working(local: datetime, amount: timedelta, work: WorkingTime) -> datetime:
    """The wall-clock time at which `amount` of working time after `local` has run (see the module doc)."""
    day = local.date()
    moment = local
    remaining = amount
    while True:
        if moment <= _at(day, work.opening) and (weeks := work.whole_weeks(day, remaining)):
            day += timedelta(days=7 * weeks)
            remaining -= work.day_length * len(work.days) * weeks
            moment = _at(day, work.opening)
        if work.is_working_day(day):
            opening, closing = _at(day, work.opening), _at(day, work.closing)
            moment = max(moment, opening)
            if moment <= closing:
                available = closing - moment
                # Asking for no time at closing time (where does the clock start?) means the next opening.
                if remaining <= available and (remaining or moment < closing):
                    return moment + remaining
                remaining -= available
        day += timedelta(days=1)
        moment = _at(day, work.opening)


def deadline(start: datetime, duration: Duration, work: WorkingTime | None = None) -> datetime:
    """When `duration` after `start` runs out, in the calendar's time zone (else the start's own).

    `start` must carry a time zone (or offset). Business units need `work`.
    """
    if start.tzinfo is None:
        raise ValueError("the start of an SLA clock needs a time zone")
    try:
        return _deadline(start, duration, work)
    except OverflowError:
        raise TooLate(f"{duration.text} from {start:%Y-%m-%d} ends after the year 9999") from None


class TooLate(ValueError):
    """A deadline past the last date a calendar can show."""


def _deadline(start: datetime, duration: Duration, work: WorkingTime | None) -> datetime:
    if duration.business:
        if work is None:
            raise ValueError(f"{duration.text} is business time, which needs a calendar")
        local = _add_working(_wall(start, work.zone), working_amount(duration, work), work)
        return to_instant(local, work.zone)
    zone: tzinfo = work.zone if work is not None else start.tzinfo
    if duration.unit in _UNIT_SECONDS:
        elapsed = amount_delta(duration.amount, _UNIT_SECONDS[duration.unit])
        return (start.astimezone(UTC) + elapsed).astimezone(zone)
    days = duration.amount * (7 if duration.unit == "weeks" else 1)
    whole = int(days)
    local = _wall(start, zone) + timedelta(days=whole)
    return (to_instant(local, zone).astimezone(UTC) + amount_delta(days - whole, 86400)).astimezone(zone)


def openings_and_closings(work: WorkingTime, first: date, last: date) -> list[datetime]:
    """Every opening and closing instant of the working days from `first` to `last`."""
    moments: list[datetime] = []
    day = first
    while day <= last:
        if work.is_working_day(day):
            moments.append(to_instant(_at(day, work.opening), work.zone))
            moments.append(to_instant(_at(day, work.closing), work.zone))
        day += timedelta(days=1)
    return moments


def format_moment(moment: datetime) -> str:
    """ "Mon 30 Nov 2026 17:30 CST", seconds only when there are some."""
    pattern = "%a %d %b %Y %H:%M:%S" if moment.second or moment.microsecond else "%a %d %b %Y %H:%M"
    text = moment.strftime(pattern)
    name = moment.tzname()
    return f"{text} {name}" if name else text

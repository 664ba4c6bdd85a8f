"""The typed lead lifecycle model that every check, page and export reads.

Plain frozen structs (`leadspec.structs`: dataclasses without their start-up cost), built by `leadspec.build` from schema-valid YAML. Each
entity carries the `Span` it was defined at so that any later phase can point
back into the user's file. No logic beyond small derived properties.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from leadspec.diagnostics import Span
from leadspec.structs import field, struct

FieldType = Literal["boolean", "integer", "number", "enum"]
Policy = Literal["exclusive", "first_match"]

# An entity holding a dict (a lead, per-CRM names, `set` values, `spans` aside)
# cannot be hashed, and says so with `__hash__ = None`, which `@struct` keeps: the hash it
# would add could only fail on the dict.


def _spans() -> Any:
    """Where each attribute was written (key -> Span), for findings about one attribute.

    Left out of equality and hashing: two entities are the same whatever their layout.
    """
    return field(default_factory=dict, compare=False, repr=False)


@struct
class Waiver:
    """A finding the teams knowingly accepted, attached where it arises."""

    code: str
    reason: str
    span: Span
    # The owning entity's whole extent: the waiver covers findings whose span lies inside it.
    scope: Span

    def covers(self, span: Span | None) -> bool:
        if span is None or span.file != self.scope.file:
            return False
        start = (self.scope.line, self.scope.column)
        end = (self.scope.end_line or self.scope.line, self.scope.end_column or 10**9)
        return start <= (span.line, span.column) <= end


@struct
class Criterion:
    """Expression text from a definitions file and where it stands.

    `locate(offset)` turns a 0-based offset inside `text` into the exact file
    position, so an error in the middle of an expression points at the right
    column even inside quoted or multi-line YAML scalars.
    """

    text: str
    span: Span
    # Works out, per character of `text`, its (line, column) in the file: called on first use of
    # `offsets`, since most criteria are never located (a 1,500-stage file spent a sixth of its
    # check on all of them). Layout, so neither compared nor hashed.
    where: Callable[[], tuple[tuple[int, int], ...]] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def offsets(self) -> tuple[tuple[int, int], ...]:
        """Per character of `text`: (line, column) in the file; empty when not known."""
        return () if self.where is None else self.where()

    def locate(self, offset: int) -> Span:
        if self.offsets:
            if offset >= len(self.offsets):
                line, column = self.offsets[-1]
                return Span(self.span.file, line, column + 1 + (offset - len(self.offsets)))
            line, column = self.offsets[max(offset, 0)]
            return Span(self.span.file, line, column)
        return Span(self.span.file, self.span.line, self.span.column + offset)

    def extent(self, start: int, end: int) -> Span:
        """The file span of characters start..end (end exclusive) of the text."""
        first, last = self.locate(start), self.locate(max(end - 1, start))
        return Span(first.file, first.line, first.column, last.line, last.column + 1)


@struct
class Condition:
    """A criterion written once under `conditions:` and used by its id in other criteria.

    The MQL bar is the typical one: entering MQL, staying MQL and coming back from
    nurture all need it, and copies drift apart where one name cannot.
    """

    id: str
    label: str
    when: Criterion
    span: Span
    description: str | None = None
    spans: dict[str, Span] = _spans()


@struct
class Team:
    """A team that owns stages and receives hand-offs."""

    id: str
    label: str
    span: Span
    description: str | None = None
    # Code owner handles (@user, @org/team or email) that `leadspec owners` writes for the team.
    codeowners: tuple[str, ...] = ()
    spans: dict[str, Span] = _spans()


@struct
class Holiday:
    """A day a calendar does not work, so business-time SLAs skip it."""

    date: str  # ISO 8601 date
    name: str | None = None
    # The holiday's own entry, so a finding about it points there (layout, so not compared).
    span: Span | None = field(default=None, compare=False, repr=False)
    spans: dict[str, Span] = _spans()


@struct
class Calendar:
    """Working days and hours (and holidays) that business-time SLAs count in."""

    id: str
    label: str
    timezone: str
    days: tuple[str, ...]  # mon..sun
    start: str  # "09:00"
    end: str  # "17:30"
    holidays: tuple[Holiday, ...]
    span: Span
    spans: dict[str, Span] = _spans()


@struct
class Field:
    """A lead attribute the criteria speak about; its bounds and values are its whole domain."""

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    id: str
    label: str
    type: FieldType
    span: Span
    description: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    # An open bound is not itself a value (`above: 0`, `below: 1000`): decision tables cut
    # the line into [0, 1000) and [1000, 5000) and need the edge in exactly one of them.
    minimum_open: bool = False
    maximum_open: bool = False
    values: tuple[str, ...] = ()
    optional: bool = False
    crm: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, str] = field(default_factory=dict)  # enum value -> display name
    spans: dict[str, Span] = _spans()

    def admits(self, number: Decimal) -> bool:
        """Whether `number` lies within the bounds (each inclusive, or exclusive when open)."""
        low, high = self.minimum, self.maximum
        if low is not None and (number < low or (number == low and self.minimum_open)):
            return False
        return high is None or not (number > high or (number == high and self.maximum_open))

    @property
    def no_number_fits(self) -> bool:
        """Bounds that leave no value at all (min above max, or equal with one of them open)."""
        low, high = self.minimum, self.maximum
        if low is None or high is None:
            return False
        return low > high or (low == high and (self.minimum_open or self.maximum_open))


@struct
class Duration:
    """An SLA time: `amount` of `unit`, where business units need a calendar."""

    text: str
    amount: Decimal
    unit: Literal["minutes", "hours", "days", "business_hours", "business_days", "weeks"]

    @property
    def business(self) -> bool:
        return self.unit.startswith("business_")


@struct
class Escalation:
    """Whom (`to`) a lead is escalated to when it still waits `after` this long."""

    after: Duration
    to: str
    span: Span
    spans: dict[str, Span] = _spans()


@struct
class Sla:
    """How long the `owner` team may take with a lead, counted on `calendar` for business time."""

    within: Duration
    owner: str
    span: Span
    calendar: str | None = None
    escalate: Escalation | None = None
    spans: dict[str, Span] = _spans()


@struct
class Example:
    """A named fixture lead: a unit test for a definition."""

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    name: str
    lead: dict[str, Any]
    span: Span
    spans: dict[str, Span] = _spans()


@struct
class Exit:
    """A way out of a stage: leads meeting `when` move `to` another stage."""

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    to: str
    when: Criterion
    span: Span
    sla: Sla | None = None
    reason: str | None = None  # picklist id that must be filled on this exit
    set: dict[str, Any] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    to_span: Span | None = None
    description: str | None = None
    spans: dict[str, Span] = _spans()


@struct
class Stage:
    """One step of the lifecycle: the leads meeting `entry` and none of the exits."""

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    id: str
    label: str
    span: Span
    owner: str | None = None
    abbr: str | None = None
    definition: str | None = None
    entry: Criterion | None = None
    exits: tuple[Exit, ...] = ()
    terminal: bool = False
    start: bool = False
    sla: Sla | None = None
    examples: tuple[Example, ...] = ()
    api_name: str | None = None
    aliases: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    deprecated: bool = False
    replaced_by: str | None = None
    # Per-CRM API value where one CRM needs another than `api_name` (crm name -> value).
    crm: dict[str, str] = field(default_factory=dict)
    spans: dict[str, Span] = _spans()


@struct
class PicklistValue:
    """One value of a picklist, with its API name and where a lead goes when it is given."""

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    id: str
    label: str
    span: Span
    api_name: str | None = None
    description: str | None = None
    deprecated: bool = False
    replaced_by: str | None = None
    then: str | None = None  # stage a lead goes to when this reason is given
    # Per-CRM API value where one CRM needs another than `api_name` (crm name -> value).
    crm: dict[str, str] = field(default_factory=dict)
    spans: dict[str, Span] = _spans()


@struct
class Picklist:
    """A list of values a CRM field offers (for example the reasons on an exit)."""

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    id: str
    label: str
    values: tuple[PicklistValue, ...]
    span: Span
    description: str | None = None
    crm: dict[str, dict[str, str]] = field(default_factory=dict)
    spans: dict[str, Span] = _spans()


@struct
class Term:
    """A glossary entry, so the site and LS205 know what an abbreviation stands for."""

    id: str
    term: str
    span: Span
    abbr: str | None = None
    aliases: tuple[str, ...] = ()
    definition: str | None = None
    see_also: tuple[str, ...] = ()
    deprecated: bool = False
    replaced_by: str | None = None
    spans: dict[str, Span] = _spans()


@struct
class Capacity:
    """How many leads of `stage` a team can work per period."""

    team: str
    reps: int
    per_rep: Decimal  # leads of `stage` one rep can work per period
    stage: str
    span: Span


@struct
class Targets:
    """The revenue target and conversion rates the waterfall works back from."""

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    period: str
    revenue: Decimal
    average_deal_size: Decimal
    conversion: dict[tuple[str, str], Decimal]
    capacity: tuple[Capacity, ...]
    span: Span
    conversion_spans: dict[tuple[str, str], Span] = field(default_factory=dict)
    currency: str | None = None
    spans: dict[str, Span] = _spans()


@struct
class Lifecycle:
    """The settings of the lifecycle as a whole: its policy and scope."""

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    policy: Policy = "exclusive"
    scope: Criterion | None = None
    span: Span | None = None
    description: str | None = None
    # Where the stages live in each CRM, like `Picklist.crm` (crm name -> {key: value}).
    crm: dict[str, dict[str, str]] = field(default_factory=dict)
    spans: dict[str, Span] = _spans()


@struct
class Model:
    """Everything under `definitions/`, merged across files.

    `complete` is False when some file could not be read at all: checks whose
    answer depends on seeing every definition (unknown references, gaps) then
    stay quiet rather than report what may live in the unreadable file.
    """

    __hash__ = None  # type: ignore[assignment]  # holds dicts: never hashed (see the top)

    teams: dict[str, Team]
    calendars: dict[str, Calendar]
    fields: dict[str, Field]
    stages: tuple[Stage, ...]
    picklists: dict[str, Picklist]
    terms: dict[str, Term]
    lifecycle: Lifecycle
    targets: Targets | None
    waivers: tuple[Waiver, ...] = ()
    complete: bool = True
    # (kind, id) of entries skipped because of schema errors: known to exist, so
    # references to them are not reported as unknown.
    unchecked: frozenset[tuple[str, str]] = frozenset()
    conditions: dict[str, Condition] = field(default_factory=dict)

    def exists(self, kind: str, ident: str) -> bool:
        """Whether something of this kind with this id is defined (even if broken)."""
        if (kind, ident) in self.unchecked:
            return True
        table: dict[str, Any] = {
            "team": self.teams,
            "calendar": self.calendars,
            "field": self.fields,
            "picklist": self.picklists,
            "term": self.terms,
            "condition": self.conditions,
        }.get(kind, {})
        if kind == "stage":
            return self.stage(ident) is not None
        return ident in table

    def stage(self, stage_id: str) -> Stage | None:
        return self._stage_by_id.get(stage_id)

    @cached_property
    def _stage_by_id(self) -> dict[str, Stage]:
        """Each id's first stage: looking stages up one by one made a 1,500-stage diff quadratic."""
        found: dict[str, Stage] = {}
        for stage in self.stages:
            found.setdefault(stage.id, stage)
        return found

    @property
    def stage_ids(self) -> tuple[str, ...]:
        return tuple(stage.id for stage in self.stages)

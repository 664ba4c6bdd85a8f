"""`leadspec sla due` and `leadspec sla list`: when an SLA falls due, and every SLA in one list.

What a duration means on a calendar is `leadspec.calendars`; this module only
finds the SLA a person names, reads the start time they give, and says the
result in words or JSON.
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    checked_definitions,
    config_from,
    emit,
)
from leadspec.structs import struct

if TYPE_CHECKING:
    from leadspec.calendars import WorkingTime
    from leadspec.model import Model, Sla, Stage

ORDER = 25

_ARROW = re.compile(r"\s*(?:->|→|>|:|,)\s*")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "sla",
        help="say when an SLA falls due, or list every SLA",
        description="Work with the service level agreements in the definitions: when one falls due "
        "on its business calendar, or all of them in lifecycle order.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    due = actions.add_parser(
        "due",
        help="when the SLA of a hand-off or a stage falls due",
        description="Say when the SLA of a hand-off (--exit mql->sal, quoted in a shell) or of a stage "
        "(--stage sal) falls due for a clock started at --at, in the calendar's time zone and in UTC, "
        "who must act, and when and to whom it is escalated. Business hours and days count only "
        "working time on the SLA's calendar. Exit code 0 when computed, 1 when the definitions have "
        "errors, 2 when the SLA or the time cannot be read.",
    )
    due.add_argument("paths", nargs="*", help="definition files or folders (default: from [tool.leadspec])")
    which = due.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--exit", metavar="FROM->TO", help="the hand-off, by stage ids: 'mql->sal' (or mql:sal)"
    )
    which.add_argument("--stage", metavar="ID", help="the stage whose own SLA (time in the stage) to use")
    due.add_argument(
        "--at",
        metavar="DATETIME",
        help="when the lead was handed over or arrived, ISO 8601: 2026-11-27T16:30 (in the calendar's "
        "time zone) or with an offset, 2026-11-27T22:30Z (default: now)",
    )
    due.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    add_config_option(due)
    due.set_defaults(run=run_due)
    listing = actions.add_parser(
        "list",
        help="every SLA, in lifecycle order",
        description="List every SLA in lifecycle order: where it stands, who acts, within how long, on "
        "which calendar, and the escalation. Exit code 0 when listed, 1 when the definitions have errors.",
    )
    listing.add_argument(
        "paths", nargs="*", help="definition files or folders (default: from [tool.leadspec])"
    )
    listing.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    add_config_option(listing)
    listing.set_defaults(run=run_list)
    parser.set_defaults(run=lambda args: _no_action(parser))


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


@struct
class Named:
    """The SLA a person asked for, and where it stands."""

    stage: Stage
    target: Stage | None  # the stage the exit goes to; None for a stage's own SLA
    sla: Sla

    @property
    def title(self) -> str:
        if self.target is None:
            return f"Time in the stage {_stage_name(self.stage)}"
        return f"Hand-off from {_stage_name(self.stage)} to {_stage_name(self.target)}"


def run_due(args: argparse.Namespace) -> int:
    from leadspec.calendars import TooLate, usable_calendars
    from leadspec.reporters._common import dumps

    config = config_from(args)
    loaded = checked_definitions(args.paths, config, "cannot compute the deadline")
    if loaded is None:
        return EXIT_FINDINGS
    model = loaded.model
    named = _find_exit(model, args.exit) if args.exit is not None else _find_stage(model, args.stage)
    work = usable_calendars(model.calendars).get(named.sla.calendar or "")
    try:
        due = _due(named, work, _read_at(args.at, work))
    except TooLate as error:
        raise UserError(str(error)) from None
    except OverflowError:  # the start itself, moved to another time zone, leaves the years 1 to 9999
        raise UserError(
            f'--at "{args.at}" is too close to the first or last year a date can have (1 or 9999) to count from'
        ) from None
    if args.format == "json":
        emit(dumps(_due_document(model, named, work, due)), None)
    else:
        emit(_due_text(model, named, work, due), None)
    return EXIT_OK


def _stage_name(stage: Stage) -> str:
    return f"{stage.label} ({stage.id})"


def _team(model: Model, ident: str) -> dict[str, str]:
    team = model.teams.get(ident)
    return {"id": ident, "label": team.label if team else ident}


def _unknown_stage(model: Model, ident: str) -> UserError:
    from leadspec.suggest import closest

    close = closest(ident, model.stage_ids)
    hint = f"did you mean `{close}`?" if close else "the stages are " + ", ".join(model.stage_ids)
    return UserError(f"there is no stage `{ident}`: {hint}")


def _find_stage(model: Model, ident: str) -> Named:
    stage = model.stage(ident)
    if stage is None:
        raise _unknown_stage(model, ident)
    if stage.sla is None:
        with_sla = [s.id for s in model.stages if s.sla is not None]
        also = f" (stages with one: {', '.join(with_sla)})" if with_sla else ""
        raise UserError(
            f"the stage `{ident}` has no SLA of its own{also}; a hand-off's SLA is --exit FROM->TO"
        )
    return Named(stage, None, stage.sla)


def _find_exit(model: Model, text: str) -> Named:
    from leadspec.suggest import closest

    parts = _ARROW.split(text.strip())
    if len(parts) != 2 or not all(parts):
        shell = " (a shell reads an unquoted > as 'write to a file')" if text.rstrip().endswith("-") else ""
        raise UserError(
            f'"{text}" is not a hand-off{shell}: write FROM->TO with stage ids, quoted in a shell '
            "(--exit 'mql->sal'), or mql:sal"
        )
    source_id, target_id = parts
    source = model.stage(source_id)
    if source is None:
        raise _unknown_stage(model, source_id)
    targets = [exit_.to for exit_ in source.exits]
    exit_ = next((e for e in source.exits if e.to == target_id), None)
    if exit_ is None:
        if not targets:
            raise UserError(f"no lead can leave `{source_id}`: it has no exits")
        close = closest(target_id, targets)
        hint = f"did you mean `{source_id}->{close}`?" if close else "its exits go to " + ", ".join(targets)
        raise UserError(f"`{source_id}` has no exit to `{target_id}`: {hint}")
    target = model.stage(target_id)
    assert target is not None  # definitions without errors name only defined stages
    if exit_.sla is None:
        also = f"; the stage `{target_id}` has its own: --stage {target_id}" if target.sla is not None else ""
        raise UserError(f"the hand-off from `{source_id}` to `{target_id}` has no SLA{also}")
    return Named(source, target, exit_.sla)


def _read_at(text: str | None, work: WorkingTime | None) -> datetime:
    """The start the person gave (local to the calendar when it has no offset), or now."""
    from leadspec.calendars import to_instant

    if text is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f'--at "{text}" is not a date and time: write ISO 8601 such as 2026-11-27T16:30 '
            "or 2026-11-27T16:30-06:00"
        ) from None
    if moment.tzinfo is not None:
        return moment
    zone: tzinfo = work.zone if work is not None else UTC
    instant = to_instant(moment, zone)
    if instant.replace(tzinfo=None) != moment:
        raise UserError(
            f"--at {text} does not exist in {work.calendar.timezone if work else 'UTC'}: the clocks "
            f"jump over it that night (write {instant:%H:%M} or give an offset)"
        )
    return instant


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@struct
class Due:
    """The times of one SLA for one start, all in the calendar's time zone (else the start's)."""

    start: datetime
    clock_starts: datetime
    due: datetime
    escalated: datetime | None


def _due(named: Named, work: WorkingTime | None, start: datetime) -> Due:
    from leadspec.calendars import clock_starts, deadline

    sla = named.sla
    zone: tzinfo = work.zone if work is not None else start.tzinfo or UTC
    start = start.astimezone(zone)
    starts = clock_starts(start, work) if work is not None and sla.within.business else start
    escalated = deadline(start, sla.escalate.after, work) if sla.escalate is not None else None
    return Due(start, starts, deadline(start, sla.within, work), escalated)


def _warnings(named: Named, work: WorkingTime | None, due: Due) -> list[str]:
    """What makes a computed time doubtful: business time counted past the calendar's last holidays."""
    if work is None:
        return []
    sla = named.sla
    moments = [(sla.within, due.due)]
    if sla.escalate is not None and due.escalated is not None:
        moments.append((sla.escalate.after, due.escalated))
    found = [work.beyond_holidays(moment) for duration, moment in moments if duration.business]
    return list(dict.fromkeys(warning for warning in found if warning))


def _due_document(model: Model, named: Named, work: WorkingTime | None, due: Due) -> dict[str, Any]:
    sla = named.sla
    document: dict[str, Any] = {
        "stage": named.stage.id,
        "to": named.target.id if named.target else None,
        "owner": _team(model, sla.owner),
        "within": sla.within.text,
        "calendar": None,
        "start": _iso(due.start),
        "clock_starts": _iso(due.clock_starts),
        "due": _iso(due.due),
        "due_utc": _iso(due.due.astimezone(UTC)),
        "escalation": None,
        "warnings": _warnings(named, work, due),
    }
    if work is not None:
        document["calendar"] = {
            "id": work.calendar.id,
            "label": work.calendar.label,
            "timezone": work.calendar.timezone,
            "hours": work.describe(),
        }
    if sla.escalate is not None and due.escalated is not None:
        document["escalation"] = {
            "after": sla.escalate.after.text,
            "to": _team(model, sla.escalate.to),
            "at": _iso(due.escalated),
            "at_utc": _iso(due.escalated.astimezone(UTC)),
        }
    return document


def _why_later(start: datetime, work: WorkingTime) -> str:
    """Why a business clock starting at `start` waits for the next opening."""
    from leadspec.calendars import DAY_NAMES

    local = start.astimezone(work.zone)
    day = local.date()
    if day in work.holidays:
        return f"{day:%a %d %b %Y} is a holiday ({work.holidays[day]})"
    if day.weekday() not in work.days:
        return f"{DAY_NAMES[day.weekday()]} is not a working day"
    if local.time() < work.opening:
        return f"before opening ({work.opening:%H:%M})"
    return f"after closing ({work.closing:%H:%M})"


def _due_text(model: Model, named: Named, work: WorkingTime | None, due: Due) -> str:
    from leadspec.calendars import format_moment

    def both(moment: datetime) -> str:
        utc = moment.astimezone(UTC)
        if moment.utcoffset() == utc.utcoffset():
            return format_moment(utc)
        return f"{format_moment(moment)} ({utc:%a %d %b %H:%M} UTC)"

    sla = named.sla
    owner = _team(model, sla.owner)
    lines = [named.title, f"  Who acts:     {owner['label']} ({owner['id']}), within {sla.within.text}"]
    if work is not None:
        lines.append(f"  Calendar:     {work.calendar.label} ({work.calendar.id}): {work.describe()}")
    else:
        lines.append("  Calendar:     none (clock time, in the time zone of --at)")
    lines.append(f"  {'Handed over:' if named.target else 'Arrived:    '}  {both(due.start)}")
    if due.clock_starts != due.start and work is not None:
        lines.append(f"  Clock starts: {both(due.clock_starts)}: {_why_later(due.start, work)}")
    lines.append(f"  Due:          {both(due.due)}")
    if sla.escalate is not None and due.escalated is not None:
        to = _team(model, sla.escalate.to)
        lines.append(
            f"  Escalated:    {both(due.escalated)} to {to['label']} ({to['id']}), after {sla.escalate.after.text}"
        )
    else:
        lines.append("  Escalated:    never (no escalation)")
    lines.extend(f"  Warning:      {warning}" for warning in _warnings(named, work, due))
    return "\n".join(lines) + "\n"


def run_list(args: argparse.Namespace) -> int:
    from leadspec.reporters._common import dumps

    config = config_from(args)
    loaded = checked_definitions(args.paths, config, "cannot list the SLAs")
    if loaded is None:
        return EXIT_FINDINGS
    rows = _rows(loaded.model)
    emit(dumps({"slas": rows}) if args.format == "json" else _list_text(rows), None)
    return EXIT_OK


def _rows(model: Model) -> list[dict[str, Any]]:
    """Every SLA in lifecycle order: a stage's own SLA, then those of its exits."""
    from leadspec.flow import lifecycle_flow

    flow = lifecycle_flow(model)
    rows: list[dict[str, Any]] = []
    for stage_id in flow.order:
        stage = model.stage(stage_id)
        assert stage is not None
        placed = [(None, stage.sla)] + [(edge.target, edge.exit.sla) for edge in flow.outgoing(stage_id)]
        for target, sla in placed:
            if sla is None:
                continue
            rows.append(
                {
                    "stage": stage_id,
                    "to": target,
                    "owner": sla.owner,
                    "within": sla.within.text,
                    "calendar": sla.calendar,
                    "escalation": {"after": sla.escalate.after.text, "to": sla.escalate.to}
                    if sla.escalate
                    else None,
                }
            )
    return rows


def _list_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No SLAs are defined.\n"
    table = [("SLA", "Who acts", "Within", "Calendar", "Escalated")]
    for row in rows:
        where = f"{row['stage']}->{row['to']}" if row["to"] else f"{row['stage']} (time in stage)"
        escalation = row["escalation"]
        table.append(
            (
                where,
                row["owner"],
                row["within"],
                row["calendar"] or "clock time",
                f"to {escalation['to']} after {escalation['after']}" if escalation else "-",
            )
        )
    widths = [max(len(line[column]) for line in table) for column in range(4)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line[:4], widths, strict=True))
        + "  "
        + line[4]
        + "\n"
        for line in table
    )

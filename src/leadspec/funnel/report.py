"""One funnel report: every measure for one period, and the three ways of showing it.

`measure` runs the queries (measures.py, and funnel/sla.py for SLA compliance,
velocity and open breaches) over the tables history.py and stays.py built;
`render_text`, `render_json` (stable keys, numbers as numbers, times in ISO 8601
UTC) and `render_markdown` (a quarterly-review document to paste into a meeting)
only format what it found. Percentages and counts are worded by targets.py, as
`leadspec targets` words them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

from leadspec.funnel import measures as m
from leadspec.funnel import sla as funnel_sla
from leadspec.funnel.history import BAD, UNKNOWN, Loaded
from leadspec.funnel.periods import Period
from leadspec.model import Model
from leadspec.structs import field, struct
from leadspec.targets import Waterfall, count, label, percent, team_label, worked_out

BREACHES_SHOWN = 20
BAD_ROWS_SHOWN = 20


@struct(frozen=False)
class FunnelReport:
    """Everything `leadspec funnel` shows."""

    model: Model
    period: Period
    as_of: datetime
    zone: str
    files: list[tuple[str, str]]
    loaded: Loaded
    leads: int = 0
    waterfall: Waterfall | None = None
    waterfall_problem: str | None = None
    volumes: list[m.Volume] = field(default_factory=list)
    capacity: list[m.CapacityUse] = field(default_factory=list)
    conversion: list[m.Conversion] = field(default_factory=list)
    reasons: list[m.Reason] = field(default_factory=list)
    recycled: list[m.Recycled] = field(default_factory=list)
    won: str | None = None
    transitions: list[m.Transition] = field(default_factory=list)
    unknown: list[tuple[str, int, tuple[str, ...], int, str]] = field(default_factory=list)
    bad_rows: list[tuple[str, int, str]] = field(default_factory=list)
    compliance: list[funnel_sla.Compliance] = field(default_factory=list)
    velocity: list[funnel_sla.Velocity] = field(default_factory=list)
    breaches: list[funnel_sla.Breach] = field(default_factory=list)
    breaches_total: int = 0

    @property
    def windows(self) -> list[str]:
        return [w.label for w in self.period.windows]


def measure(
    con: Any,
    model: Model,
    period: Period,
    as_of: datetime,
    *,
    zone: str,
    files: list[tuple[str, str]],
    loaded: Loaded,
    breaches: int = BREACHES_SHOWN,
) -> FunnelReport:
    """Every measure of the report; the connection holds `leadspec_stays` (the history is not read)."""
    report = FunnelReport(model, period, as_of, zone, files, loaded)
    report.leads = int(con.execute("SELECT count(DISTINCT lead_id) FROM leadspec_stays").fetchone()[0])
    found = worked_out(model)
    if isinstance(found, Waterfall):
        report.waterfall = found
    elif found is not None:
        report.waterfall_problem = str(found)
    report.volumes, report.capacity = m.volumes(con, model, period, report.waterfall)
    report.conversion = m.conversion(con, model, period)
    report.reasons = m.reasons(con, model, period)
    report.won = m.won_stage(model, report.waterfall)
    report.recycled = m.recycled(con, model, period, report.won)
    report.transitions = m.stray_transitions(con, model, period)
    report.unknown = [
        (str(v), int(n), tuple(ids), int(first), str(source))
        for v, n, ids, first, source in con.execute(
            f"SELECT value, rows, example_lead_ids, first_row, source FROM {UNKNOWN} ORDER BY rows DESC, value"
        ).fetchall()
    ]
    report.bad_rows = [
        (str(source), int(row), str(why))
        for source, row, why in con.execute(
            f"SELECT source, source_row, why FROM {BAD} ORDER BY source, source_row LIMIT {BAD_ROWS_SHOWN}"
        ).fetchall()
    ]
    funnel_sla.prepare(con, model, as_of)
    windows = list(period.windows)
    report.compliance = funnel_sla.compliance(con, model, windows, as_of)
    report.velocity = funnel_sla.velocity(con, model, windows, as_of)
    # Counted in SQL, only the ones shown fetched: a big CRM has millions of leads past due.
    report.breaches_total = funnel_sla.count_breaches(con, as_of)
    report.breaches = funnel_sla.open_breaches(con, model, as_of, limit=breaches)
    return report


# -- words ---------------------------------------------------------------------------------------


def _stage(model: Model, ident: str | None) -> str:
    if ident is None:
        return "-"
    stage = model.stage(ident)
    return (stage.abbr or stage.label) if stage is not None else ident


def _share(value: Fraction | None) -> str:
    return "-" if value is None else percent(value)


def _span(value: timedelta | None) -> str:
    """A duration as a person reads it: 3d 4h, 5h 20m, 12m."""
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {mins}m" if mins else f"{hours}h"
    return f"{mins}m"


def _business(value: timedelta | None, day: timedelta | None) -> str:
    """Business time in working days (of the calendar's day length) and hours."""
    if value is None:
        return "-"
    if not day:
        return _span(value)
    days = value / day
    return f"{days:.1f} business days"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _reason_label(model: Model, picklist: str, value: str | None) -> str:
    if value is None:
        return "(no reason recorded)"
    found = model.picklists.get(picklist)
    if found is not None:
        for item in found.values:
            if item.id == value:
                return item.label
    return value


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for index, row in enumerate([header, *rows]):
        cells = [
            str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append((indent + "  ".join(cells)).rstrip())
        if index == 0:
            lines.append(indent + "  ".join("-" * w for w in widths))
    return lines


def _by_window(items: list[Any], window: str) -> list[Any]:
    return [item for item in items if item.window == window]


# -- the sections, as rows (text and markdown share them) -------------------------------------------


def _volume_rows(report: FunnelReport, window: str) -> tuple[list[str], list[list[str]]]:
    rows = []
    for item in _by_window(report.volumes, window):
        if not item.entered and not item.target:
            continue
        share = Fraction(item.entered, item.target) if item.target else None
        rows.append(
            [
                _stage(report.model, item.stage),
                count(item.entered),
                count(item.leads),
                "-" if item.target is None else count(item.target),
                _share(share),
            ]
        )
    return ["Stage", "Entered", "Leads", "Target", "Of target"], rows


def _capacity_rows(report: FunnelReport, window: str) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            team_label(report.model, use.team),
            _stage(report.model, use.stage),
            count(use.entered),
            "-" if use.capacity is None else count(use.capacity),
            _share(use.load),
        ]
        for use in _by_window(report.capacity, window)
    ]
    return ["Team", "Works", "Entered", "Capacity", "Used"], rows


def _conversion_rows(report: FunnelReport, window: str) -> tuple[list[str], list[list[str]]]:
    rows = []
    for item in _by_window(report.conversion, window):
        if not item.entered:
            continue
        rows.append(
            [
                f"{_stage(report.model, item.stage)} -> {_stage(report.model, item.to)}"
                + ("" if item.handoff else " (no exit)"),
                count(item.entered),
                count(item.reached),
                _share(item.rate),
                "-" if item.target is None else percent(item.target),
                count(item.still_in),
                _span(item.median),
                _span(item.p90),
            ]
        )
    return ["Hand-off", "Cohort", "Reached", "Rate", "Target", "Still in", "Median", "p90"], rows


def _compliance_rows(report: FunnelReport, window: str) -> tuple[list[str], list[list[str]]]:
    rows = []
    for item in report.compliance:
        if item.window != window:
            continue
        sla = item.sla
        what = (
            f"{_stage(report.model, sla.stage)} -> {_stage(report.model, sla.to)}"
            if sla.to
            else f"in {_stage(report.model, sla.stage)}"
        )
        rows.append(
            [
                what,
                sla.within,
                team_label(report.model, sla.owner),
                count(item.entered),
                count(item.met),
                count(item.missed),
                count(item.overdue),
                count(item.pending),
                _share(item.share),
                count(item.escalations_due),
            ]
        )
    return [
        "SLA",
        "Within",
        "Owed by",
        "Entered",
        "Met",
        "Missed",
        "Overdue",
        "Pending",
        "Kept",
        "Escalations",
    ], rows


def _velocity_rows(report: FunnelReport, window: str) -> tuple[list[str], list[list[str]]]:
    rows = []
    for item in report.velocity:
        if item.window != window or not (item.left or item.still_in):
            continue
        day = item.day_length if item.basis == "business" else None
        rows.append(
            [
                _stage(report.model, item.stage),
                f"business ({item.calendar})" if item.basis == "business" else "elapsed",
                count(item.left),
                count(item.still_in),
                _business(item.median, day),
                _business(item.p90, day),
            ]
        )
    return ["Stage", "Time counted", "Left", "Still in", "Median", "p90"], rows


def _breach_rows(report: FunnelReport) -> tuple[list[str], list[list[str]]]:
    rows = []
    for item in report.breaches:
        sla = item.sla
        rows.append(
            [
                item.lead_id,
                _stage(report.model, item.stage),
                f"-> {_stage(report.model, sla.to)}" if sla.to else "in stage",
                team_label(report.model, sla.owner),
                _iso(item.due_at),
                _span(item.overdue_by),
                "yes" if item.escalated_at else "",
            ]
        )
    return ["Lead", "Stage", "SLA", "Owed by", "Due", "Overdue by", "Escalated"], rows


def _reason_rows(report: FunnelReport, window: str) -> tuple[list[str], list[list[str]]]:
    rows = []
    for item in report.reasons:
        if item.window != window:
            continue
        picklist = report.model.picklists.get(item.picklist)
        rows.append(
            [
                picklist.label if picklist is not None else item.picklist,
                f"{_stage(report.model, item.stage)} -> {_stage(report.model, item.to)}",
                _reason_label(report.model, item.picklist, item.reason),
                count(item.count),
            ]
        )
    return ["Reason kind", "Exit", "Reason", "Leads"], rows


def _recycled_rows(report: FunnelReport, window: str) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            _stage(report.model, item.stage),
            count(item.leads),
            count(item.converted),
            _share(Fraction(item.converted, item.leads) if item.leads else None),
        ]
        for item in _by_window(report.recycled, window)
    ]
    return ["Came back to", "Leads", f"Then {_stage(report.model, report.won)}", "Share"], rows


def _quality_lines(report: FunnelReport) -> list[str]:
    lines = []
    for item in report.transitions:
        lines.append(
            f"{count(item.count)} × {_stage(report.model, item.stage)} -> {_stage(report.model, item.to)}: "
            f"no hand-off of the definitions (e.g. {', '.join(item.example_lead_ids)})"
        )
    for value, rows, ids, first, source in report.unknown:
        lines.append(
            f"{_many(rows, 'row')} with the stage value {value!r}, which the lifecycle does not know "
            f"(first {source} row {first}; e.g. {', '.join(ids)})"
        )
    for source, row, why in report.bad_rows:
        lines.append(f"{source}:{row}: {why}")
    if report.loaded.bad > len(report.bad_rows):
        lines.append(f"... and {_many(report.loaded.bad - len(report.bad_rows), 'more bad row')}")
    return lines


_SECTIONS = (
    ("Volumes against the reverse waterfall", _volume_rows),
    ("Capacity used", _capacity_rows),
    ("Conversion per hand-off (cohort: stays that began in the window)", _conversion_rows),
    ("Velocity: time in each stage", _velocity_rows),
    ("SLA compliance per hand-off", _compliance_rows),
    ("Closed-loop reasons (by the window the lead left in)", _reason_rows),
    ("Recycled leads that came back", _recycled_rows),
)


# The tables by name, for the site's "Funnel health" page: the same words and figures as the report.
TABLES = {
    "volumes": _volume_rows,
    "capacity": _capacity_rows,
    "conversion": _conversion_rows,
    "velocity": _velocity_rows,
    "compliance": _compliance_rows,
    "reasons": _reason_rows,
    "recycled": _recycled_rows,
}


def table(report: FunnelReport, name: str, window: str) -> tuple[list[str], list[list[str]]]:
    """One section of the report for one window (a key of TABLES), as a header and rows of text."""
    return TABLES[name](report, window)


def breach_table(report: FunnelReport) -> tuple[list[str], list[list[str]]]:
    """The open breaches shown, oldest deadline first."""
    return _breach_rows(report)


def quality_lines(report: FunnelReport) -> list[str]:
    """What the definitions do not allow: stray transitions, unknown stage values, bad rows."""
    return _quality_lines(report)


def stage_name(model: Model, ident: str | None) -> str:
    """A stage as the report names it: its abbreviation, else its label."""
    return _stage(model, ident)


def heading(report: FunnelReport) -> str:
    """The period, its boundaries and the instant measured at."""
    return _heading(report)


def sources(report: FunnelReport) -> str:
    """The history files read and what was in them."""
    return _sources(report)


def _heading(report: FunnelReport) -> str:
    whole = report.period.whole
    return (
        f"{report.period.label}: {whole.start.astimezone(UTC):%Y-%m-%d %H:%M} UTC to "
        f"{whole.end.astimezone(UTC):%Y-%m-%d %H:%M} UTC (boundaries at midnight {report.zone}), "
        f"as of {_iso(report.as_of)}"
    )


def _sources(report: FunnelReport) -> str:
    files = ", ".join(f"{name} ({shape})" for name, shape in report.files)
    return (
        f"{files}: {_many(report.loaded.rows, 'stage entry', 'stage entries')} of "
        f"{_many(report.leads, 'lead')}, {_many(report.loaded.bad, 'bad row')}, "
        f"{_many(report.loaded.unknown, 'row')} with unknown stage values"
    )


def _many(number: int, noun: str, nouns: str | None = None) -> str:
    """`1 bad row`, `2 bad rows`, `1,204 stage entries`: the count written as the tables write it."""
    return f"{count(number)} {noun if number == 1 else nouns or noun + 's'}"


def render_text(report: FunnelReport) -> str:
    lines = [f"Funnel health, {_heading(report)}", f"History: {_sources(report)}"]
    if report.waterfall_problem:
        lines.append(f"No targets to compare with: {report.waterfall_problem}")
    for window in report.windows:
        lines += ["", f"== {window} =="]
        for title, rows_of in _SECTIONS:
            header, rows = rows_of(report, window)
            if rows:
                lines += ["", title, *_table(header, rows)]
    lines += ["", f"Open breaches as of {_iso(report.as_of)} (oldest deadline first)"]
    header, rows = _breach_rows(report)
    lines += _table(header, rows) if rows else ["  none"]
    if report.breaches_total > len(report.breaches):
        lines.append(f"  ... and {count(report.breaches_total - len(report.breaches))} more")
    quality = _quality_lines(report)
    lines += ["", "What the definitions do not allow (data quality)"]
    lines += [f"  {line}" for line in quality] if quality else ["  nothing found"]
    return "\n".join(lines) + "\n"


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|")

    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: FunnelReport) -> str:
    """The quarterly review: the period first, then each month, then the list for the meeting."""
    lines = [
        f"# Funnel health review: {report.period.label}",
        "",
        f"{_heading(report)}.",
        "",
        f"History: {_sources(report)}.",
    ]
    if report.waterfall_problem:
        lines += ["", f"No targets to compare with: {report.waterfall_problem}"]
    for index, window in enumerate(report.windows):
        lines += [
            "",
            f"## {'The whole period' if index == 0 else window}" + (f" ({window})" if index == 0 else ""),
        ]
        for title, rows_of in _SECTIONS:
            header, rows = rows_of(report, window)
            if rows:
                lines += ["", f"### {title}", "", *_markdown_table(header, rows)]
    lines += ["", "## Open breaches to act on", ""]
    header, rows = _breach_rows(report)
    lines += _markdown_table(header, rows) if rows else ["None."]
    if report.breaches_total > len(report.breaches):
        lines += ["", f"... and {count(report.breaches_total - len(report.breaches))} more."]
    lines += ["", "## What the definitions do not allow", ""]
    quality = _quality_lines(report)
    lines += [f"- {line}" for line in quality] if quality else ["Nothing found."]
    return "\n".join(lines) + "\n"


def _number(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def document(report: FunnelReport) -> dict[str, Any]:
    """The JSON document: stable keys, stage and team ids, rates as fractions of 1, durations in seconds."""
    return {
        "period": {
            "label": report.period.label,
            "timezone": report.zone,
            "windows": [
                {"label": w.label, "kind": kind, "start": _iso(w.start), "end": _iso(w.end)}
                for w, kind in zip(report.period.windows, report.period.kinds, strict=True)
            ],
        },
        "as_of": _iso(report.as_of),
        "history": {
            "files": [{"file": name, "shape": shape} for name, shape in report.files],
            "stage_entries": report.loaded.rows,
            "leads": report.leads,
            "bad_rows": report.loaded.bad,
            "unknown_value_rows": report.loaded.unknown,
        },
        "targets_problem": report.waterfall_problem,
        "volumes": [
            {"window": v.window, "stage": v.stage, "entered": v.entered, "leads": v.leads, "target": v.target}
            for v in report.volumes
        ],
        "capacity": [
            {
                "window": c.window,
                "team": c.team,
                "stage": c.stage,
                "entered": c.entered,
                "capacity": _number(c.capacity),
                "used": _number(c.load),
            }
            for c in report.capacity
        ],
        "conversion": [
            {
                "window": c.window,
                "from": c.stage,
                "to": c.to,
                "handoff": c.handoff,
                "cohort": c.entered,
                "reached": c.reached,
                "still_in": c.still_in,
                "rate": _number(c.rate),
                "target": _number(c.target),
                "median_seconds": _seconds(c.median),
                "p90_seconds": _seconds(c.p90),
            }
            for c in report.conversion
        ],
        "velocity": [
            {
                "window": v.window,
                "stage": v.stage,
                "basis": v.basis,
                "calendar": v.calendar,
                "left": v.left,
                "still_in": v.still_in,
                "median_seconds": _seconds(v.median),
                "p90_seconds": _seconds(v.p90),
            }
            for v in report.velocity
        ],
        "sla_compliance": [
            {
                "window": c.window,
                "sla": c.sla.key,
                "stage": c.sla.stage,
                "to": c.sla.to,
                "owner": c.sla.owner,
                "within": c.sla.within,
                "calendar": c.sla.calendar,
                "entered": c.entered,
                "met": c.met,
                "missed": c.missed,
                "overdue": c.overdue,
                "pending": c.pending,
                "unknown": c.unknown,
                "kept": _number(c.share),
                "escalations_due": c.escalations_due,
            }
            for c in report.compliance
        ],
        "open_breaches": {
            "total": report.breaches_total,
            "shown": [
                {
                    "lead_id": b.lead_id,
                    "stage": b.stage,
                    "visit": b.visit,
                    "sla": b.sla.key,
                    "owner": b.sla.owner,
                    "entered_at": _iso(b.entered_at),
                    "due_at": _iso(b.due_at),
                    "overdue_seconds": _seconds(b.overdue_by),
                    "lead_owner": b.lead_owner,
                    "escalated_at": _iso(b.escalated_at) if b.escalated_at else None,
                }
                for b in report.breaches
            ],
        },
        "reasons": [
            {
                "window": r.window,
                "picklist": r.picklist,
                "from": r.stage,
                "to": r.to,
                "reason": r.reason,
                "count": r.count,
            }
            for r in report.reasons
        ],
        "recycled": {
            "won_stage": report.won,
            "stages": [
                {"window": r.window, "stage": r.stage, "leads": r.leads, "converted": r.converted}
                for r in report.recycled
            ],
        },
        "data_quality": {
            "transitions_not_allowed": [
                {"from": t.stage, "to": t.to, "count": t.count, "example_lead_ids": list(t.example_lead_ids)}
                for t in report.transitions
            ],
            "unknown_stage_values": [
                {"value": v, "rows": n, "example_lead_ids": list(ids), "first_row": first, "file": source}
                for v, n, ids, first, source in report.unknown
            ],
            "bad_rows": [{"file": s, "row": r, "why": why} for s, r, why in report.bad_rows],
        },
    }


def render_json(report: FunnelReport) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


__all__ = [
    "TABLES",
    "FunnelReport",
    "breach_table",
    "heading",
    "label",
    "measure",
    "quality_lines",
    "render_json",
    "render_markdown",
    "render_text",
    "sources",
    "stage_name",
    "table",
]

"""The "Funnel health" page: `leadspec funnel`'s report as charts and tables on the site.

The figures and their words come from funnel/report.py (the tables `leadspec funnel`
prints), so the page and the command cannot disagree. The three charts are inline
SVG drawn like the targets chart (no chart library, nothing fetched, works from
file://): leads entering each stage against the waterfall's target, conversion per
hand-off against the target rate, and SLA compliance per hand-off. Each chart is an
image with a text alternative, and the table under it holds the same figures.
"""

from __future__ import annotations

import re
from fractions import Fraction

from leadspec.funnel import report as funnel_report
from leadspec.funnel.report import FunnelReport
from leadspec.site.diagram import _n
from leadspec.site.markup import Md, one_line
from leadspec.structs import struct
from leadspec.targets import count, percent

BAR_W = 360
ROW_H = 34
TOP = 34  # room for the legend
CHAR_W = 7.0  # average width of a 12px character
BAR_H = 18


@struct
class Segment:
    kind: str  # CSS class suffix: actual, target, met, missed, overdue, pending, unknown
    x: float
    y: float
    width: float
    height: float


@struct
class Row:
    label: str
    title: str  # the row's figures in words: its tooltip and part of the chart's description
    y: float
    segments: tuple[Segment, ...]
    text: str
    text_x: float
    text_y: float
    marker: float | None  # x of the target mark
    data: tuple[tuple[str, str], ...]  # data-* attributes: the figures, for tests and scripts


@struct
class Chart:
    key: str  # unique on the page: ids and CSS hooks
    title: str
    description: str
    width: float
    height: float
    label_w: float
    rows: tuple[Row, ...]
    legend: tuple[tuple[str, str, float], ...]  # (kind, text, x)
    ticks: tuple[tuple[float, str], ...]  # (x, text) of a percentage scale


LEGEND_TEXT = {
    "target": "target",
    "actual": "entered",
    "rate": "conversion rate",
    "mark": "target rate",
    "met": "met",
    "missed": "missed",
    "overdue": "overdue (still waiting)",
    "pending": "pending",
    "unknown": "no deadline",
}


def _label_width(labels: list[str]) -> float:
    return max([len(label) for label in labels] + [8]) * CHAR_W + 20


def _legend(kinds: list[str], left: float) -> tuple[tuple[str, str, float], ...]:
    items = []
    x = left
    for kind in kinds:
        text = LEGEND_TEXT[kind]
        items.append((kind, text, x))
        x += 18 + len(text) * CHAR_W + 16
    return tuple(items)


def _chart(
    key: str,
    title: str,
    rows: list[Row],
    label_w: float,
    legend: list[str],
    ticks: tuple[tuple[float, str], ...] = (),
) -> Chart:
    widest = max([row.text_x + len(row.text) * CHAR_W for row in rows] + [label_w + BAR_W])
    legend_items = _legend(legend, label_w)
    legend_end = legend_items[-1][2] + 18 + len(legend_items[-1][1]) * CHAR_W if legend_items else 0
    bottom = TOP + len(rows) * ROW_H + (22 if ticks else 8)
    return Chart(
        key=key,
        title=title,
        description="; ".join(row.title for row in rows) or "nothing to show",
        width=round(max(widest, legend_end) + 16),
        height=bottom,
        label_w=label_w,
        rows=tuple(rows),
        legend=legend_items,
        ticks=ticks,
    )


def _percent_ticks(label_w: float) -> tuple[tuple[float, str], ...]:
    return tuple((label_w + BAR_W * share / 100, f"{share}%") for share in (0, 25, 50, 75, 100))


def volume_chart(report: FunnelReport, window: str) -> Chart:
    """Leads that entered each stage (a bar) under the waterfall's target for the window (a grey bar)."""
    model = report.model
    items = [v for v in report.volumes if v.window == window and (v.entered or v.target)]
    labels = [funnel_report.stage_name(model, v.stage) for v in items]
    label_w = _label_width(labels)
    biggest = max([v.entered for v in items] + [v.target or 0 for v in items] + [1])
    scale = BAR_W / biggest
    rows = []
    for index, (item, label) in enumerate(zip(items, labels, strict=True)):
        y = TOP + index * ROW_H
        segments = []
        if item.target is not None:
            segments.append(Segment("target", label_w, y + 3, max(item.target * scale, 1.0), 8))
        segments.append(Segment("actual", label_w, y + 13, max(item.entered * scale, 1.0), 16))
        end = max(s.x + s.width for s in segments)
        target = "no target" if item.target is None else f"target {count(item.target)}"
        share = f", {percent(Fraction(item.entered, item.target))} of target" if item.target else ""
        rows.append(
            Row(
                label=label,
                title=f"{label}: {count(item.entered)} entered, {target}{share}",
                y=y,
                segments=tuple(segments),
                text=f"{count(item.entered)} of {count(item.target)}"
                if item.target is not None
                else f"{count(item.entered)} (no target)",
                text_x=end + 8,
                text_y=y + 25,
                marker=None,
                data=(
                    ("stage", item.stage),
                    ("entered", str(item.entered)),
                    ("target", "" if item.target is None else str(item.target)),
                ),
            )
        )
    kinds = ["target", "actual"] if any(v.target is not None for v in items) else ["actual"]
    return _chart(
        "volumes", f"Leads that entered each stage in {window}, against target", rows, label_w, kinds
    )


def conversion_chart(report: FunnelReport, window: str) -> Chart:
    """The share of each stage's cohort that went on to the next stage, with the target rate marked."""
    model = report.model
    items = [c for c in report.conversion if c.window == window and c.entered]
    labels = [
        f"{funnel_report.stage_name(model, c.stage)} -> {funnel_report.stage_name(model, c.to)}"
        for c in items
    ]
    label_w = _label_width(labels)
    rows = []
    for index, (item, label) in enumerate(zip(items, labels, strict=True)):
        y = TOP + index * ROW_H
        rate = item.rate or Fraction(0)
        width = max(float(rate) * BAR_W, 1.0)
        marker = label_w + float(item.target) * BAR_W if item.target is not None else None
        target = "" if item.target is None else f" (target {percent(item.target)})"
        text = f"{percent(rate)}{target}"
        rows.append(
            Row(
                label=label,
                title=f"{label}: {count(item.reached)} of {count(item.entered)} ({percent(rate)}){target}",
                y=y,
                segments=(Segment("rate", label_w, y + 8, width, BAR_H),),
                text=text,
                text_x=max(label_w + width, marker or 0) + 8,
                text_y=y + 21,
                marker=marker,
                data=(
                    ("from", item.stage),
                    ("to", item.to),
                    ("cohort", str(item.entered)),
                    ("reached", str(item.reached)),
                    ("target", "" if item.target is None else _decimal(item.target)),
                ),
            )
        )
    kinds = ["rate", "mark"] if any(c.target is not None for c in items) else ["rate"]
    return _chart(
        "conversion",
        f"Conversion per hand-off in {window}, against the target rates",
        rows,
        label_w,
        kinds,
        _percent_ticks(label_w),
    )


def compliance_chart(report: FunnelReport, window: str) -> Chart:
    """For each SLA, the leads that entered its stage: met, missed, overdue, pending, as parts of one bar."""
    model = report.model
    items = [c for c in report.compliance if c.window == window]
    labels = [
        f"{funnel_report.stage_name(model, c.sla.stage)} -> {funnel_report.stage_name(model, c.sla.to)}"
        if c.sla.to
        else f"in {funnel_report.stage_name(model, c.sla.stage)}"
        for c in items
    ]
    label_w = _label_width(labels)
    rows = []
    used: list[str] = []
    for index, (item, label) in enumerate(zip(items, labels, strict=True)):
        y = TOP + index * ROW_H
        parts = [
            ("met", item.met),
            ("missed", item.missed),
            ("overdue", item.overdue),
            ("pending", item.pending),
            ("unknown", item.unknown),
        ]
        segments = []
        x = float(label_w)
        for kind, value in parts:
            if not value or not item.entered:
                continue
            width = BAR_W * value / item.entered
            segments.append(Segment(kind, x, y + 8, width, BAR_H))
            x += width
            if kind not in used:
                used.append(kind)
        kept = "no clock decided yet" if item.share is None else f"{percent(item.share)} kept"
        figures = ", ".join(f"{count(value)} {LEGEND_TEXT[kind]}" for kind, value in parts if value)
        rows.append(
            Row(
                label=label,
                title=f"{label} within {item.sla.within}: {count(item.entered)} entered"
                + (f" ({figures})" if figures else "")
                + f", {kept}",
                y=y,
                segments=tuple(segments),
                text=kept if item.entered else "no leads entered",
                text_x=(label_w + BAR_W if item.entered else label_w) + 8,
                text_y=y + 21,
                marker=None,
                data=(
                    ("sla", item.sla.key),
                    ("entered", str(item.entered)),
                    *((kind, str(value)) for kind, value in parts),
                ),
            )
        )
    order = [kind for kind in ("met", "missed", "overdue", "pending", "unknown") if kind in used]
    return _chart(
        "compliance",
        f"SLA compliance per hand-off in {window}",
        rows,
        label_w,
        order,
        _percent_ticks(label_w),
    )


def _decimal(value: Fraction) -> str:
    """A rate as a plain decimal, as the JSON report writes it (0.6, 0.25)."""
    return f"{round(float(value), 4):g}"


def render(chart: Chart) -> Md:
    """The chart as inline SVG (the html template escapes every name)."""
    from leadspec.site.render import html_env

    text = (
        html_env().get_template("funnel.svg.j2").render(chart=chart, bar_w=BAR_W, row_h=ROW_H, top=TOP, n=_n)
    )
    return Md("\n".join(line for line in text.splitlines() if line.strip()))


# A cell holding a figure: a count, a share, a duration, or "-" for none (right-aligned).
_FIGURE = re.compile(r"-|[\d,.]+%?|(\d+[dhm] ?)+|[\d.]+ business days")

# The report's tables scroll sideways on a narrow screen. mkdocs-material wraps a Markdown table in
# a scrolling box that the keyboard cannot reach, so these are HTML tables in a box that can be
# focused (and named for screen readers), styled like material's own.
TABLE_STYLE = Md(
    """<style>
.md-typeset .ls-table-wrap { overflow-x: auto; margin: 1em 0 1.5em; }
.md-typeset .ls-table-wrap:focus-visible { outline: .1rem solid var(--md-accent-fg-color); }
.md-typeset table.ls-table { border-collapse: separate; border-spacing: 0; font-size: .64rem; background-color: var(--md-default-bg-color); border: .05rem solid var(--md-typeset-table-color); border-radius: .1rem; }
.md-typeset table.ls-table th, .md-typeset table.ls-table td { padding: .9375em 1.25em; vertical-align: top; text-align: left; }
.md-typeset table.ls-table th { min-width: 4rem; font-weight: 700; }
.md-typeset table.ls-table td { border-top: .05rem solid var(--md-typeset-table-color); }
.md-typeset table.ls-table .ls-figure, .md-typeset table.ls-table td:first-child { white-space: nowrap; }
.md-typeset table.ls-table .ls-figure { text-align: right; }
.md-typeset table.ls-table tbody tr:hover { background-color: var(--md-typeset-table-color--light); }
</style>"""
)

TITLES = {
    "volumes": "Volumes against the targets",
    "capacity": "Capacity used",
    "conversion": "Conversion per hand-off",
    "velocity": "Time in each stage",
    "compliance": "SLA compliance per hand-off",
    "reasons": "Closed-loop reasons",
    "recycled": "Recycled leads that came back",
}


def table(name: str, header: list[str], rows: list[list[str]]) -> Md:
    """An HTML table of report text, every value escaped (lead ids, reasons, file names are data)."""
    from leadspec.site.render import html_env

    figures = [all(_FIGURE.fullmatch(str(row[i])) for row in rows if str(row[i])) for i in range(len(header))]
    text = (
        html_env()
        .get_template("funnel_table.html.j2")
        .render(
            name=name, header=header, rows=[[one_line(str(v)) for v in row] for row in rows], figures=figures
        )
    )
    return Md("\n".join(line for line in text.splitlines() if line.strip()))


def page_values(report: FunnelReport) -> dict[str, object]:
    """What funnel.md.j2 shows: charts and tables of the whole period, month tables, the meeting's lists."""
    windows = report.windows
    whole = windows[0]

    def section(name: str, window: str) -> Md | None:
        header, rows = funnel_report.table(report, name, window)
        return table(f"{TITLES[name]}, {window}", header, rows) if rows else None

    breach_header, breach_rows = funnel_report.breach_table(report)
    return {
        "report": report,
        "whole": whole,
        "heading": funnel_report.heading(report),
        "sources": funnel_report.sources(report),
        "charts": {
            chart.key: render(chart)
            for chart in (
                volume_chart(report, whole),
                conversion_chart(report, whole),
                compliance_chart(report, whole),
            )
            if chart.rows
        },
        "section": section,
        "months": windows[1:],
        "breaches": table("Open breaches", breach_header, breach_rows) if breach_rows else None,
        "style": TABLE_STYLE,
        "more_breaches": report.breaches_total - len(report.breaches),
        "quality": funnel_report.quality_lines(report),
        "count": count,
    }

"""The lifecycle at a glance: an inline SVG drawn from the definitions, with no script.

A diagram library from a CDN would break the offline promise and run someone
else's code on the page, so the layout is done here, simply and predictably:

- the main path runs top to bottom in the middle column;
- end stages off the main path (Disqualified) sit in a column on the left, other
  side stages (Nurture, Closed Lost) on the right, each level with the main
  stages it is connected to;
- arrows are solid along the main path, dashed amber for recycle and return
  paths, dotted red into end stages; each carries its SLA (how fast, who acts);
- boxes are tinted by owner team, end stages have a double border, deprecated
  stages a dashed one; every box links to its stage page.

Text goes into the SVG only through the autoescaping template, so a label is
never markup. The output is a pure function of the model: same definitions,
same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from leadspec.flow import Edge, Flow
from leadspec.model import Model, Stage
from leadspec.structs import field, struct

MAIN_W = 200
SIDE_W = 150
BOX_H = 64
ROW_GAP = 74
LEFT_GAP = 160
RIGHT_GAP = 170
MARGIN = 16
TOP = 52  # room for the "new leads" marker above the first stage
SIDE_SPACING = BOX_H + 26
CHAR_W = 6.6  # average width of a 12px character, for label backgrounds
BULGE = 46

PALETTE = ("#2f6fde", "#1a9a6c", "#8e44c9", "#c2410c", "#0e8fa8", "#b8327a", "#5b6b2f", "#64748b")
KIND_WORDS = {
    "forward": "hand-off along the main path",
    "recycle": "recycle or return path",
    "end": "into an end stage (disqualified, out)",
}


@struct(frozen=False)
class Box:
    stage: Stage
    column: str  # "main", "left", "right"
    x: float
    y: float
    w: float
    h: float
    href: str
    title: str
    lines: tuple[str, ...]
    owner: str
    colour: str
    terminal: bool
    deprecated: bool

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@struct(frozen=False)
class Label:
    x: float
    y: float
    lines: tuple[str, ...]
    anchor: str = "middle"

    @property
    def width(self) -> float:
        return max(len(line) for line in self.lines) * CHAR_W + 8

    @property
    def box_x(self) -> float:
        if self.anchor == "start":
            return self.x - 4
        return self.x - self.width / 2

    @property
    def box_y(self) -> float:
        return self.y - 11

    @property
    def height(self) -> float:
        return 14 * len(self.lines) + 4


@struct(frozen=False)
class Arrow:
    path: str
    kind: str
    title: str
    label: Label | None


@struct(frozen=False)
class Diagram:
    width: float
    height: float
    boxes: list[Box]
    arrows: list[Arrow]
    starts: list[tuple[float, float]]  # (x, y) of the box top each "new leads" marker points at
    teams: list[tuple[str, str]]  # (label, colour)
    legend_y: float
    title: str
    description: str
    kinds: list[tuple[str, str]] = field(default_factory=list)


def _n(value: float) -> str:
    """Coordinates rounded to one decimal, always written the same way."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def layout(model: Model, flow: Flow, href: dict[str, str]) -> Diagram:
    """Place every stage and exit; `href` maps a stage id to its page's URL from the home page."""
    stages = {stage.id: stage for stage in model.stages}
    main = list(flow.main_path)
    side = [stage_id for stage_id in flow.order if stage_id not in set(main)]
    left = [stage_id for stage_id in side if stages[stage_id].terminal]
    right = [stage_id for stage_id in side if not stages[stage_id].terminal]
    if not main and flow.order:  # no path at all: show the stages in order down the middle
        main, left, right = list(flow.order), [], []

    team_colour: dict[str, str] = {}
    for stage_id in flow.order:
        owner = stages[stage_id].owner
        if owner and owner not in team_colour:
            team_colour[owner] = PALETTE[len(team_colour) % len(PALETTE)]

    left_x = MARGIN + (BULGE if left else 0)
    main_x = left_x + SIDE_W + LEFT_GAP if left else MARGIN + BULGE * 2
    right_x = main_x + MAIN_W + RIGHT_GAP

    row_y = {stage_id: TOP + index * (BOX_H + ROW_GAP) for index, stage_id in enumerate(main)}
    main_centre = {stage_id: y + BOX_H / 2 for stage_id, y in row_y.items()}
    side_y = _place_side(flow, left, main_centre) | _place_side(flow, right, main_centre)

    boxes: dict[str, Box] = {}
    for stage_id in main:
        boxes[stage_id] = _box(
            model, stages[stage_id], "main", main_x, row_y[stage_id], MAIN_W, href, team_colour
        )
    for column, x, ids in (("left", left_x, left), ("right", right_x, right)):
        for stage_id in ids:
            boxes[stage_id] = _box(
                model, stages[stage_id], column, x, side_y[stage_id], SIDE_W, href, team_colour
            )

    bottom = max((box.y + box.h for box in boxes.values()), default=TOP)
    arrows, bus_count = _arrows(model, flow, boxes, main, bottom)
    legend_y = bottom + 36 + bus_count * 14
    width = (right_x + SIDE_W + BULGE + 24 if right else main_x + MAIN_W + 170) + MARGIN
    teams = [
        (model.teams[team].label if team in model.teams else team, colour)
        for team, colour in team_colour.items()
    ]
    legend_rows = 1 + (len(teams) + 2) // 3
    height = legend_y + 22 * legend_rows + 30
    starts = [(boxes[s].cx, boxes[s].y) for s in flow.order if stages[s].start and s in boxes]
    return Diagram(
        width=round(width),
        height=round(height),
        boxes=[boxes[stage_id] for stage_id in flow.order if stage_id in boxes],
        arrows=arrows,
        starts=starts,
        teams=teams,
        legend_y=legend_y,
        title="The lead lifecycle",
        description=_description(model, flow),
        kinds=[(kind, words) for kind, words in KIND_WORDS.items()],
    )


def _place_side(flow: Flow, ids: Sequence[str], main_centre: dict[str, float]) -> dict[str, float]:
    """Each side stage level with the main stages it is connected to, never overlapping."""
    wanted: dict[str, float] = {}
    fallback = max(main_centre.values(), default=TOP) + SIDE_SPACING
    for stage_id in ids:
        linked = [
            main_centre[other]
            for edge in flow.edges
            for other in (
                (edge.target,)
                if edge.source == stage_id
                else (edge.source,)
                if edge.target == stage_id
                else ()
            )
            if other in main_centre
        ]
        wanted[stage_id] = sum(linked) / len(linked) if linked else fallback
        if not linked:
            fallback += SIDE_SPACING
    placed: dict[str, float] = {}
    floor = TOP - BOX_H / 2
    for stage_id in sorted(ids, key=lambda s: (wanted[s], flow.order.index(s))):
        centre = max(wanted[stage_id], floor + BOX_H / 2)
        placed[stage_id] = centre - BOX_H / 2
        floor = centre - BOX_H / 2 + SIDE_SPACING - BOX_H / 2
    return placed


def _box(
    model: Model,
    stage: Stage,
    column: str,
    x: float,
    y: float,
    w: float,
    href: dict[str, str],
    team_colour: dict[str, str],
) -> Box:
    owner_team = model.teams.get(stage.owner) if stage.owner else None
    owner = owner_team.label if owner_team else (stage.owner or "no owner")
    limit = int(w / 7.0)
    heading = stage.abbr or stage.label
    lines = [_clip(heading, int(w / 9.4))]
    if stage.abbr:
        lines.append(_clip(stage.label, limit))
    lines.append(_clip(owner + (" (deprecated)" if stage.deprecated else ""), limit))
    title = stage.label + (f" ({stage.abbr})" if stage.abbr else "") + f": owned by {owner}"
    return Box(
        stage=stage,
        column=column,
        x=x,
        y=y,
        w=w,
        h=BOX_H,
        href=href.get(stage.id, ""),
        title=title,
        lines=tuple(lines),
        owner=owner,
        colour=team_colour.get(stage.owner or "", "#888888"),
        terminal=stage.terminal,
        deprecated=stage.deprecated,
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "\u2026"


def _sla_lines(model: Model, edge: Edge) -> tuple[str, ...]:
    sla = edge.exit.sla
    if sla is None:
        return ()
    team = model.teams.get(sla.owner)
    who = team.label if team else sla.owner
    return (_clip(f"\u2264 {sla.within.text}", 22), _clip(who, 22))


def _edge_title(model: Model, edge: Edge) -> str:
    def name(stage_id: str) -> str:
        stage = model.stage(stage_id)
        return stage.label if stage else stage_id

    text = f"{name(edge.source)} to {name(edge.target)} ({KIND_WORDS[edge.kind]})"
    sla = edge.exit.sla
    if sla is not None:
        team = model.teams.get(sla.owner)
        text += f": {team.label if team else sla.owner} acts within {sla.within.text}"
    return text


def _arrows(
    model: Model, flow: Flow, boxes: dict[str, Box], main: list[str], bottom: float
) -> tuple[list[Arrow], int]:
    """Every exit as an arrow, and how many run along the bottom (the legend goes below them)."""
    rank = {stage_id: index for index, stage_id in enumerate(main)}
    plan: list[tuple[Edge, str]] = []  # (edge, route)
    for edge in flow.edges:
        if edge.source not in boxes or edge.target not in boxes:
            continue
        a, b = boxes[edge.source], boxes[edge.target]
        if a.column == b.column == "main":
            route = "down" if rank[edge.target] == rank[edge.source] + 1 else "main-curve"
        elif a.column == b.column:
            route = f"{a.column}-curve"
        elif "main" in (a.column, b.column):
            route = "across"
        else:
            route = "bus"
        plan.append((edge, route))

    # Attachment points: spread the arrows meeting one side of a box along that side,
    # ordered by where their other end is, so they do not cross at the box.
    sides: dict[tuple[str, str], list[tuple[float, int, str]]] = {}

    def side_of(box: Box, other: Box, route: str) -> str:
        if route in ("main-curve", "left-curve"):
            return "left"
        if route == "right-curve":
            return "right"
        return "right" if other.cx > box.cx else "left"

    for index, (edge, route) in enumerate(plan):
        if route in ("down", "bus"):
            continue
        a, b = boxes[edge.source], boxes[edge.target]
        sides.setdefault((edge.source, side_of(a, b, route)), []).append((b.cy, index, "source"))
        sides.setdefault((edge.target, side_of(b, a, route)), []).append((a.cy, index, "target"))
    attach: dict[tuple[int, str], tuple[float, float]] = {}
    for (stage_id, side), items in sides.items():
        box = boxes[stage_id]
        items.sort()
        x = box.x + box.w if side == "right" else box.x
        for position, (_, index, end) in enumerate(items):
            y = box.y + box.h * (position + 1) / (len(items) + 1)
            attach[(index, end)] = (x, y)

    arrows: list[Arrow] = []
    curves: dict[str, int] = {}
    buses = 0
    for index, (edge, route) in enumerate(plan):
        a, b = boxes[edge.source], boxes[edge.target]
        lines = _sla_lines(model, edge)
        label: Label | None = None
        kind = edge.kind
        if route == "down":
            x = a.cx
            path = f"M{_n(x)} {_n(a.y + a.h)} L{_n(x)} {_n(b.y - 2)}"
            if lines:
                mid = (a.y + a.h + b.y) / 2 - 7 * (len(lines) - 1)
                label = Label(x + 10, mid + 4, lines, anchor="start")
        elif route == "bus":
            y = bottom + 24 + 14 * buses
            buses += 1
            path = f"M{_n(a.cx)} {_n(a.y + a.h)} L{_n(a.cx)} {_n(y)} L{_n(b.cx)} {_n(y)} L{_n(b.cx)} {_n(b.y + b.h + 2)}"
            if lines:
                label = Label((a.cx + b.cx) / 2, y + 4, lines)
        elif route.endswith("curve"):
            (x1, y1), (x2, y2) = attach[(index, "source")], attach[(index, "target")]
            outward = 1 if route == "right-curve" else -1
            depth = curves.get(route, 0)
            curves[route] = depth + 1
            bulge = outward * (BULGE - 14 + 10 * (depth % 4))
            cx = max(x1, x2) + bulge if outward > 0 else min(x1, x2) + bulge
            x2 += outward * 2
            path = f"M{_n(x1)} {_n(y1)} C{_n(cx)} {_n(y1)} {_n(cx)} {_n(y2)} {_n(x2)} {_n(y2)}"
            if lines:
                apex = x1 + 0.75 * (cx - x1)
                label = Label(apex, (y1 + y2) / 2 + 4, lines)
        else:  # across columns, one end in the main column
            (x1, y1), (x2, y2) = attach[(index, "source")], attach[(index, "target")]
            x2 += 2 if x2 < x1 else -2
            path = f"M{_n(x1)} {_n(y1)} L{_n(x2)} {_n(y2)}"
            if lines:
                t = 0.5
                label = Label(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t - 3, lines)
        arrows.append(Arrow(path=path, kind=kind, title=_edge_title(model, edge), label=label))
    return arrows, buses


def _description(model: Model, flow: Flow) -> str:
    """The same picture in words, for screen readers and search."""

    def name(stage_id: str) -> str:
        stage = model.stage(stage_id)
        return stage.label if stage else stage_id

    parts: list[str] = []
    if flow.main_path:
        parts.append("Main path: " + ", then ".join(name(s) for s in flow.main_path) + ".")
    for stage_id in flow.order:
        stage = model.stage(stage_id)
        if stage is None:
            continue
        team = model.teams.get(stage.owner) if stage.owner else None
        exits = [edge for edge in flow.edges if edge.source == stage_id]
        text = f"{stage.label} is owned by {team.label if team else stage.owner or 'no team'}"
        if exits:
            text += "; it leads to " + ", ".join(
                f"{name(edge.target)} ({KIND_WORDS[edge.kind]}"
                + (f", within {edge.exit.sla.within.text}" if edge.exit.sla else "")
                + ")"
                for edge in exits
            )
        elif stage.terminal:
            text += "; it is an end stage"
        parts.append(text + ".")
    return " ".join(parts)


def render(model: Model, flow: Flow, href: dict[str, str]) -> str:
    """The SVG markup, on one line per element and with no blank line (safe inside Markdown)."""
    from leadspec.site.render import html_env

    diagram = layout(model, flow, href)
    text = html_env().get_template("lifecycle.svg.j2").render(d=diagram, n=_n)
    return "\n".join(line for line in text.splitlines() if line.strip())

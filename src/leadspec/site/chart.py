"""The targets chart: leads each stage must take in per period, with team capacity marked.

An inline SVG (no chart library, nothing fetched), drawn through the
autoescaping template so stage and team names stay text.
"""

from __future__ import annotations

from fractions import Fraction

from leadspec.model import Model
from leadspec.site.diagram import _n
from leadspec.structs import struct
from leadspec.targets import Waterfall, count

LABEL_W = 170
BAR_W = 360
ROW_H = 36
TOP = 12
CHAR_W = 7.0  # average width of a 12px character


@struct
class Bar:
    label: str
    title: str
    y: float
    width: float
    value: str
    main: bool


@struct
class Marker:
    x: float
    y: float
    label: str
    short: bool
    text_x: float


def render(model: Model, waterfall: Waterfall) -> str:
    from leadspec.site.render import html_env

    volumes = waterfall.volumes
    capacity_by_stage = {check.stage: check for check in waterfall.capacity}
    biggest = max(
        [Fraction(v.needed) for v in volumes]
        + [check.capacity for check in waterfall.capacity]
        + [Fraction(1)]
    )
    scale = Fraction(BAR_W) / biggest
    bars: list[Bar] = []
    markers: list[Marker] = []
    for index, volume in enumerate(volumes):
        stage = model.stage(volume.stage)
        name = stage.label if stage else volume.stage
        short = (stage.abbr or stage.label) if stage else volume.stage
        y = TOP + index * ROW_H
        width = max(float(Fraction(volume.needed) * scale), 2.0)
        value = count(volume.needed)
        bars.append(
            Bar(
                label=short if len(name) > 22 else name,
                title=f"{name}: {value} per {waterfall.period}",
                y=y,
                width=width,
                value=value,
                main=volume.stage != waterfall.won,
            )
        )
        check = capacity_by_stage.get(volume.stage)
        if check is not None:
            team = model.teams.get(check.team)
            who = team.label if team else check.team
            x = LABEL_W + float(check.capacity * scale)
            markers.append(
                Marker(
                    x=x,
                    y=y,
                    label=f"capacity {count(check.capacity)} ({who})",
                    short=check.spare < 0,
                    text_x=max(x, LABEL_W + width + 8 + len(value) * CHAR_W) + 10,
                )
            )
    height = TOP + len(volumes) * ROW_H + 12
    description = "; ".join(f"{bar.title}" for bar in bars) + "".join(
        f"; {marker.label}" for marker in markers
    )
    text = (
        html_env()
        .get_template("targets.svg.j2")
        .render(
            bars=bars,
            markers=markers,
            width=LABEL_W + BAR_W + 60 + max((len(m.label) for m in markers), default=0) * CHAR_W,
            height=height,
            label_w=LABEL_W,
            row_h=ROW_H,
            period=waterfall.period,
            description=description,
            n=_n,
        )
    )
    return "\n".join(line for line in text.splitlines() if line.strip())

"""`leadspec targets`: the reverse waterfall, from the revenue goal to each stage's leads per period.

The figures and their wording come from `leadspec.targets`, the same place the
site's targets page takes them from, so the command and the page cannot
disagree. Definitions with errors are refused (like `explain`): figures worked
out from a broken lifecycle would look right and be wrong.
"""

from __future__ import annotations

import argparse
import math
import sys
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from leadspec.commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    UserError,
    add_config_option,
    add_paths_argument,
    checked_definitions,
    config_from,
    emit,
)

if TYPE_CHECKING:
    from leadspec.diagnostics import Diagnostic
    from leadspec.model import Model
    from leadspec.targets import Waterfall

ORDER = 25
# Targets findings that the figures themselves do not show (a short team is in the table).
NOTED = ("LS415", "LS416", "LS417")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "targets",
        help="work the revenue goal back to the leads each stage needs, against team capacity",
        description="The reverse waterfall: from the revenue goal and the average deal size to the "
        "deals needed, then back through the conversion rates to the leads each stage must take in "
        "per period (and per month and week when the period is longer), compared with what each "
        "team can work. The figures are the ones on the site's targets page. Exit code 0 when shown, "
        "1 when the definitions have errors or the targets cannot be worked back, 2 when there are "
        "no targets.",
    )
    add_paths_argument(parser)
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    add_config_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from leadspec.reporters._common import dumps
    from leadspec.targets import WaterfallError

    loaded = checked_definitions(args.paths, config_from(args), "no targets worked out")
    if loaded is None:
        return EXIT_FINDINGS
    model = loaded.model
    if model.targets is None:
        raise UserError(
            "the definitions have no `targets:` section (revenue, average deal size, conversion rates)"
        )
    waterfall = loaded.context.waterfall  # the one the checks worked out
    if isinstance(waterfall, WaterfallError):  # only when LS414 is switched off or waived
        print(f"leadspec: the targets cannot be worked back: {waterfall}", file=sys.stderr)
        return EXIT_FINDINGS
    notes = [item for item in loaded.report.sorted() if item.code.startswith("LS41")]
    if args.format == "json":
        emit(dumps(document(model, waterfall, notes)), None)
    else:
        emit(render_text(model, waterfall, [item for item in notes if item.code in NOTED]), None)
    return EXIT_OK


def _short(model: Model, stage_id: str) -> str:
    stage = model.stage(stage_id)
    if stage is None:
        return stage_id
    return stage.abbr or stage.label


def comes_from(model: Model, waterfall: Waterfall, stage_id: str) -> str:
    """Where a stage's leads come from: "new leads", "25% of Valid Response, 10% of Nurture"."""
    from leadspec.targets import percent

    volume = waterfall.volume(stage_id)
    if volume is None:
        return ""
    parts = ["new leads"] if stage_id == waterfall.entry else []
    parts += [f"{percent(rate)} of {_short(model, source)}" for source, rate in volume.inflows]
    return ", ".join(parts)


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[column]) if column in right else cell.ljust(widths[column])
            for column, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def render_text(model: Model, waterfall: Waterfall, notes: list[Diagnostic]) -> str:
    from leadspec.targets import (
        BREAKDOWN_NOTE,
        capacity_text,
        count,
        label,
        money,
        percent,
        team_label,
        verdict,
    )

    period = waterfall.period
    lines = [
        f"Revenue goal {money(waterfall.revenue, waterfall.currency)} per {period}, at "
        f"{money(waterfall.average_deal_size, waterfall.currency)} a deal: {count(waterfall.deals)} deals "
        f"won in {label(model, waterfall.won)}.",
        f"That takes {count(waterfall.new_leads)} new leads in {label(model, waterfall.entry)}.",
        "",
    ]
    periods = [period, *waterfall.breakdown]
    rows = [["Stage", *(f"Per {name}" for name in periods), "Comes from"]]
    for volume in waterfall.volumes:
        rows.append(
            [
                label(model, volume.stage),
                *(count(waterfall.needed_per(volume, name)) for name in periods),
                comes_from(model, waterfall, volume.stage),
            ]
        )
    lines += _table(rows, set(range(1, len(periods) + 1)))
    if waterfall.capacity:
        lines += ["", f"Capacity per {period}:"]
        rows = [["Team", "Works", "Capacity", "Needed", "Load", ""]]
        for check in waterfall.capacity:
            rows.append(
                [
                    team_label(model, check.team),
                    _short(model, check.stage),
                    capacity_text(check),
                    count(check.need),
                    percent(check.load),
                    verdict(check),
                ]
            )
        lines += _table(rows, {2, 3, 4})
    note = "Counts are rounded up and include leads that come back (for example from nurture)."
    lines += ["", note + (f" {BREAKDOWN_NOTE}" if waterfall.breakdown else "")]
    for item in notes:
        lines.append(
            f"{item.severity.value} {item.code}: {item.message}" + (f" ({item.span})" if item.span else "")
        )
    return "\n".join(lines) + "\n"


def _number(value: int | Fraction | Decimal) -> Any:
    """An exact number for JSON: whole numbers as they are, others to 4 decimal places at most."""
    from leadspec.expr.render import exact_normal
    from leadspec.reporters._common import json_value
    from leadspec.targets import to_places

    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value)
        value = exact_normal(to_places(value, 4))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return json_value(value)


def document(model: Model, waterfall: Waterfall, notes: list[Diagnostic]) -> dict[str, Any]:
    """The figures as plain data, for `--format json` (the same rounding as the text and the site)."""
    from leadspec.targets import label, team_label, verdict

    def stage(stage_id: str) -> dict[str, str]:
        return {"id": stage_id, "label": label(model, stage_id)}

    return {
        "period": waterfall.period,
        "currency": waterfall.currency,
        "revenue": _number(waterfall.revenue),
        "average_deal_size": _number(waterfall.average_deal_size),
        "deals": waterfall.deals,
        "won": stage(waterfall.won),
        "entry": stage(waterfall.entry),
        "new_leads": waterfall.new_leads,
        "stages": [
            {
                **stage(volume.stage),
                "needed": volume.needed,
                "per": {name: waterfall.needed_per(volume, name) for name in waterfall.breakdown},
                "new": math.ceil(volume.new),
                "from": [{"stage": source, "rate": _number(rate)} for source, rate in volume.inflows],
            }
            for volume in waterfall.volumes
        ],
        "capacity": [
            {
                "team": check.team,
                "team_label": team_label(model, check.team),
                "stage": check.stage,
                "reps": check.reps,
                "per_rep": _number(check.per_rep),
                "capacity": _number(check.capacity),
                "needed": check.need,
                "spare": _number(check.spare),
                "load": _number(check.load),
                "verdict": verdict(check),
            }
            for check in waterfall.capacity
        ],
        "findings": [
            {"code": item.code, "severity": item.severity.value, "message": item.message} for item in notes
        ],
    }

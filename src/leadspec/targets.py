"""The reverse waterfall: from the revenue goal back to the leads each stage must produce.

deals = revenue / average deal size, rounded up. The conversion rates say which
share of the leads entering a stage go on to each next stage. Leads that come
back (nurture -> MQL) count again, so the volumes are the steady flow per
period: entering(T) = new(T) + sum of entering(S) * rate(S -> T), where new
leads enter at the starting stage. Solving that for the number of new leads
that yields the deals gives every stage's volume; a team's capacity (reps x
leads per rep) is compared with the volume of the stage it works.

Exact arithmetic (fractions) so the figures are the same on every machine; the
counts shown are rounded up, because half a lead does not exist.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from leadspec.model import Model, Targets


class WaterfallError(ValueError):
    """The targets cannot be worked back to stage volumes; the message says why in plain words."""


@dataclass(frozen=True)
class StageVolume:
    stage: str
    volume: Fraction  # leads entering the stage per period, exactly
    new: Fraction  # of which new leads (only at the entry stage)

    @property
    def needed(self) -> int:
        """Whole leads: rounded up."""
        return math.ceil(self.volume)


@dataclass(frozen=True)
class CapacityCheck:
    team: str
    stage: str
    reps: int
    per_rep: Decimal
    need: int  # leads of `stage` per period

    @property
    def capacity(self) -> Fraction:
        return Fraction(self.reps) * Fraction(self.per_rep)

    @property
    def spare(self) -> Fraction:
        """Capacity left over; negative when the team is short."""
        return self.capacity - self.need

    @property
    def load(self) -> Fraction:
        """Share of capacity the need takes (1 = exactly full)."""
        return Fraction(self.need) / self.capacity if self.capacity else Fraction(0)


@dataclass(frozen=True)
class Waterfall:
    period: str
    revenue: Decimal
    average_deal_size: Decimal
    currency: str | None
    deals: int
    entry: str  # where new leads come in
    won: str  # where deals are won
    volumes: tuple[StageVolume, ...]  # stages with a volume, in the order given
    capacity: tuple[CapacityCheck, ...]

    def volume(self, stage_id: str) -> StageVolume | None:
        return next((item for item in self.volumes if item.stage == stage_id), None)


def reverse_waterfall(model: Model, order: Sequence[str] | None = None, won: str | None = None) -> Waterfall:
    """Stage volumes and capacity for `model.targets`.

    `order` is the lifecycle order (default: as defined); `won` the stage where deals are
    won (default: the first end stage, in that order, that a conversion rate leads to).
    """
    targets = model.targets
    if targets is None:
        raise WaterfallError("there are no targets: add a `targets:` section with revenue and deal size")
    order = list(order) if order is not None else list(model.stage_ids)
    known = set(model.stage_ids)
    rates = {pair: Fraction(rate) for pair, rate in targets.conversion.items() if set(pair) <= known}
    if targets.average_deal_size <= 0 or targets.revenue <= 0:
        raise WaterfallError("revenue and average deal size must both be more than 0")
    deals = math.ceil(Fraction(targets.revenue) / Fraction(targets.average_deal_size))
    won = won or _won_stage(model, order, rates)
    entry = _entry_stage(model, order, rates, won)
    unit = _flows(order, rates, entry)
    if unit.get(won, Fraction(0)) <= 0:
        raise WaterfallError(
            f"the conversion rates never lead from {_label(model, entry)} to {_label(model, won)}"
        )
    scale = Fraction(deals) / unit[won]
    volumes = tuple(
        StageVolume(stage_id, unit[stage_id] * scale, scale if stage_id == entry else Fraction(0))
        for stage_id in order
        if unit.get(stage_id, Fraction(0)) > 0
    )
    needs = {item.stage: item.needed for item in volumes}
    capacity = tuple(
        CapacityCheck(entry.team, entry.stage, entry.reps, entry.per_rep, needs.get(entry.stage, 0))
        for entry in targets.capacity
    )
    return Waterfall(
        period=targets.period,
        revenue=targets.revenue,
        average_deal_size=targets.average_deal_size,
        currency=targets.currency,
        deals=deals,
        entry=entry,
        won=won,
        volumes=volumes,
        capacity=capacity,
    )


def _label(model: Model, stage_id: str) -> str:
    stage = model.stage(stage_id)
    return stage.label if stage is not None else stage_id


def _won_stage(model: Model, order: Sequence[str], rates: dict[tuple[str, str], Fraction]) -> str:
    targets_of_rates = {target for _, target in rates}
    for stage_id in order:
        stage = model.stage(stage_id)
        if stage is not None and stage.terminal and stage_id in targets_of_rates:
            return stage_id
    raise WaterfallError(
        "no conversion rate leads to an end stage (such as Customer), so the deals cannot be "
        "traced back: add a rate like `sql->customer`"
    )


def _entry_stage(model: Model, order: Sequence[str], rates: dict[tuple[str, str], Fraction], won: str) -> str:
    """The first starting stage from which rates lead to `won`; else the first stage that does."""
    starts = [stage_id for stage_id in order if (stage := model.stage(stage_id)) is not None and stage.start]
    for stage_id in [*starts, *order]:
        if stage_id != won and _flows(order, rates, stage_id).get(won, Fraction(0)) > 0:
            return stage_id
    raise WaterfallError(f"the conversion rates never lead to {_label(model, won)}")


def _flows(order: Sequence[str], rates: dict[tuple[str, str], Fraction], entry: str) -> dict[str, Fraction]:
    """Steady flow through each stage per new lead at `entry`: solve (I - R^T) x = e exactly."""
    index = {stage_id: i for i, stage_id in enumerate(order)}
    size = len(order)
    matrix = [
        [Fraction(int(i == j)) for j in range(size)] + [Fraction(int(order[i] == entry))] for i in range(size)
    ]
    for (source, target), rate in rates.items():
        matrix[index[target]][index[source]] -= rate
    for column in range(size):
        pivot = next((row for row in range(column, size) if matrix[row][column] != 0), None)
        if pivot is None:
            raise WaterfallError(
                "the conversion rates send every lead round a loop forever (a loop of rates of 1): "
                "lower one of them"
            )
        matrix[column], matrix[pivot] = matrix[pivot], matrix[column]
        head = matrix[column][column]
        matrix[column] = [value / head for value in matrix[column]]
        for row in range(size):
            factor = matrix[row][column]
            if row != column and factor != 0:
                matrix[row] = [a - factor * b for a, b in zip(matrix[row], matrix[column], strict=True)]
    flows = {stage_id: matrix[index[stage_id]][size] for stage_id in order}
    if any(value < 0 for value in flows.values()):  # pragma: no cover - rates in (0, 1] cannot do this
        raise WaterfallError("the conversion rates do not add up to a possible flow of leads")
    return flows


def unused_rates(targets: Targets, model: Model) -> list[tuple[str, str]]:
    """Rates naming stages that do not exist (the checker reports them; the page leaves them out)."""
    known = set(model.stage_ids)
    return [pair for pair in targets.conversion if not set(pair) <= known]

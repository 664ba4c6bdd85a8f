"""The reverse waterfall: from the revenue goal back to the leads each stage must produce.

deals = revenue / average deal size, rounded up. The conversion rates say which
share of the leads entering a stage go on to each next stage. Leads that come
back (nurture -> MQL) count again, so the volumes are the steady flow per
period: entering(T) = new(T) + sum of entering(S) * rate(S -> T), where new
leads enter at the starting stage. Solving that for the number of new leads
that yields the deals gives every stage's volume; a team's capacity (reps x
leads per rep) is compared with the volume of the stage it works.

Exact arithmetic (fractions) so the figures are the same on every machine; the
counts shown are rounded up, because half a lead does not exist. The figures
are also *worded* here (counts, money, percentages, "short by 6"), because
`leadspec targets`, the site's targets page and the targets checks must show
the very same numbers: one place computes and rounds them, one place writes them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from leadspec.diagnostics import Span
from leadspec.expr.render import exact_normal, number_text
from leadspec.model import Model, Targets
from leadspec.structs import struct

# How many weeks each period holds (a year of 52 weeks; a month is a twelfth of it).
WEEKS: dict[str, Fraction] = {
    "year": Fraction(52),
    "quarter": Fraction(13),
    "month": Fraction(13, 3),
    "week": Fraction(1),
}
BREAKDOWN_NOTE = "A year is taken as 52 weeks, a month as a twelfth of it."


class WaterfallError(ValueError):
    """The targets cannot be worked back to stage volumes; the message says why in plain words.

    `cause` tells the checks what went wrong ("no-targets", "no-won", "won-off-path",
    "loop", "impossible"), `spans` where (the rates involved, first the one to point at),
    `won` the stage the rates say deals are won in, when the lifecycle does not lead there.
    """

    def __init__(self, message: str, cause: str, spans: Sequence[Span] = (), won: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause
        self.spans = tuple(spans)
        self.won = won


@struct
class StageVolume:
    stage: str
    volume: Fraction  # leads entering the stage per period, exactly
    new: Fraction  # of which new leads (only at the entry stage)
    inflows: tuple[tuple[str, Fraction], ...] = ()  # (stage it comes from, rate), in lifecycle order

    @property
    def needed(self) -> int:
        """Whole leads: rounded up."""
        return math.ceil(self.volume)


@struct
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

    @property
    def reps_needed(self) -> int:
        """Reps it takes to work the need at the same rate per rep."""
        return math.ceil(Fraction(self.need) / Fraction(self.per_rep)) if self.per_rep > 0 else self.reps


@struct
class Waterfall:
    period: str
    revenue: Decimal
    average_deal_size: Decimal
    currency: str | None
    deals: int
    entry: str  # where new leads come in
    won: str  # where deals are won
    volumes: tuple[StageVolume, ...]  # stages with a volume, in lifecycle order
    capacity: tuple[CapacityCheck, ...]

    def volume(self, stage_id: str) -> StageVolume | None:
        return next((item for item in self.volumes if item.stage == stage_id), None)

    @property
    def new_leads(self) -> int:
        entry = self.volume(self.entry)
        return math.ceil(entry.new) if entry is not None else 0

    @property
    def breakdown(self) -> tuple[str, ...]:
        """The shorter periods the figures are also given per (a quarter: month, week)."""
        length = WEEKS.get(self.period)
        return tuple(name for name, weeks in WEEKS.items() if length is not None and weeks < length)

    def needed_per(self, volume: StageVolume, period: str) -> int:
        """Leads entering the stage per `period` (the whole period or a shorter one), rounded up."""
        if period == self.period:
            return volume.needed
        return math.ceil(volume.volume * WEEKS[period] / WEEKS[self.period])


def reverse_waterfall(model: Model, order: Sequence[str] | None = None, won: str | None = None) -> Waterfall:
    """Stage volumes and capacity for `model.targets`.

    `order` is the lifecycle order (default: `leadspec.flow`'s); `won` the stage where deals are
    won (default: the end of the main path, Customer; failing that the first end stage, in
    that order, that a conversion rate leads to).
    """
    from leadspec.flow import lifecycle_flow

    targets = model.targets
    if targets is None:
        raise WaterfallError(
            "there are no targets: add a `targets:` section with revenue and deal size", "no-targets"
        )
    flow = lifecycle_flow(model) if order is None or won is None else None
    order = list(order) if order is not None else list(flow.order if flow else model.stage_ids)
    rates = usable_rates(model)
    if targets.average_deal_size <= 0 or targets.revenue <= 0:
        raise WaterfallError(
            "revenue and average deal size must both be more than 0", "impossible", [targets.span]
        )
    deals = math.ceil(Fraction(targets.revenue) / Fraction(targets.average_deal_size))
    won = won or _won_stage(model, order, rates, flow.main_path if flow else ())
    entry = _entry_stage(model, order, rates, won)
    unit = _flows(model, order, rates, entry)
    scale = Fraction(deals) / unit[won]
    volumes = tuple(
        StageVolume(
            stage_id,
            unit[stage_id] * scale,
            scale if stage_id == entry else Fraction(0),
            tuple(
                (source, rates[(source, stage_id)])
                for source in order
                if (source, stage_id) in rates and unit.get(source, Fraction(0)) > 0
            ),
        )
        for stage_id in order
        if unit.get(stage_id, Fraction(0)) > 0
    )
    needs = {item.stage: item.needed for item in volumes}
    capacity = tuple(
        CapacityCheck(item.team, item.stage, item.reps, item.per_rep, needs.get(item.stage, 0))
        for item in targets.capacity
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


def usable_rates(model: Model) -> dict[tuple[str, str], Fraction]:
    """The conversion rates between defined stages, exactly (rates naming no stage are LS202's)."""
    if model.targets is None:
        return {}
    known = set(model.stage_ids)
    return {
        pair: Fraction(rate)
        for pair, rate in model.targets.conversion.items()
        if set(pair) <= known and rate > 0
    }


def written_rates_out(targets: Targets) -> dict[str, list[tuple[str, Fraction]]]:
    """Every rate as written, by the stage it leaves from (whatever the stages are)."""
    return _by_source(targets.conversion)


def over_one(targets: Targets) -> dict[str, Fraction]:
    """Stages whose rates out add up to more than 1, with the total."""
    totals = {
        source: sum((rate for _, rate in out), Fraction(0))
        for source, out in written_rates_out(targets).items()
    }
    return {source: total for source, total in totals.items() if total > 1}


def worked_out(model: Model) -> Waterfall | WaterfallError | None:
    """The waterfall, or why it cannot be worked out; None without targets (for the checks)."""
    if model.targets is None:
        return None
    try:
        return reverse_waterfall(model)
    except WaterfallError as error:
        return error


def rates_out(model: Model) -> dict[str, list[tuple[str, Fraction]]]:
    """Each stage's conversion rates to other stages, as written."""
    return _by_source(usable_rates(model))


def _by_source(rates: Mapping[tuple[str, str], Decimal | Fraction]) -> dict[str, list[tuple[str, Fraction]]]:
    found: dict[str, list[tuple[str, Fraction]]] = {}
    for (source, target), rate in rates.items():
        found.setdefault(source, []).append((target, Fraction(rate)))
    return found


def label(model: Model, stage_id: str) -> str:
    stage = model.stage(stage_id)
    return stage.label if stage is not None else stage_id


def _rate_spans(model: Model, pairs: Iterable[tuple[str, str]]) -> list[Span]:
    spans = model.targets.conversion_spans if model.targets is not None else {}
    return [spans[pair] for pair in pairs if pair in spans]


def _won_stage(
    model: Model, order: Sequence[str], rates: dict[tuple[str, str], Fraction], main_path: Sequence[str]
) -> str:
    targets_of_rates = {target for _, target in rates}
    end = model.stage(main_path[-1]) if main_path else None
    where = [model.targets.spans.get("conversion", model.targets.span)] if model.targets is not None else []
    # the won stage the targets name: the first end stage, in lifecycle order, a rate leads to
    named = next(
        (
            stage_id
            for stage_id in order
            if (stage := model.stage(stage_id)) is not None
            and stage.terminal
            and stage_id in targets_of_rates
        ),
        None,
    )
    if end is not None and end.terminal:
        if end.id in targets_of_rates:
            return end.id
        if named is not None:
            # The rates end elsewhere: the lifecycle lost its way there (an exit taken away), and
            # the main path now ends in a stage nobody wins deals in.
            raise WaterfallError(
                f"the conversion rates say deals are won in {label(model, named)}, but the lifecycle's "
                f"main path ends in {end.label} without reaching it",
                "won-off-path",
                where,
                won=named,
            )
        before = next(
            (s.id for s in model.stages for e in s.exits if e.to == end.id and s.id in main_path), None
        )
        example = f"`{before}->{end.id}`" if before else f"one into `{end.id}`"
        raise WaterfallError(
            f"no conversion rate leads to an end stage where deals are won ({end.label}): "
            f"add a rate like {example}",
            "no-won",
            where,
        )
    if named is not None:
        return named
    raise WaterfallError(
        "no conversion rate leads to an end stage (such as Customer), so the deals cannot be "
        "traced back: add a rate like `sql->customer`",
        "no-won",
        where,
    )


def _reachable(rates: dict[tuple[str, str], Fraction], start: str) -> set[str]:
    successors: dict[str, list[str]] = {}
    for source, target in rates:
        successors.setdefault(source, []).append(target)
    seen = {start}
    stack = [start]
    while stack:
        for target in successors.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _entry_stage(model: Model, order: Sequence[str], rates: dict[tuple[str, str], Fraction], won: str) -> str:
    """The first starting stage from which rates lead to `won`; else the first stage that does."""
    starts = [stage_id for stage_id in order if (stage := model.stage(stage_id)) is not None and stage.start]
    for stage_id in [*starts, *order]:
        if stage_id != won and won in _reachable(rates, stage_id):
            return stage_id
    raise WaterfallError(  # pragma: no cover - _won_stage only picks a stage some rate leads to
        f"the conversion rates never lead to {label(model, won)}", "no-won"
    )


def _components(nodes: Sequence[str], rates: dict[tuple[str, str], Fraction]) -> list[list[str]]:
    """Groups of stages that rates lead round between (strongly connected), upstream first."""
    inside = set(nodes)
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    predecessors: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in rates:
        if source in inside and target in inside:
            successors[source].append(target)
            predecessors[target].append(source)
    finished: list[str] = []
    seen: set[str] = set()
    for root in nodes:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(successors[root]))]
        while stack:
            node, following = stack[-1]
            target = next(following, None)
            if target is None:
                finished.append(node)
                stack.pop()
            elif target not in seen:
                seen.add(target)
                stack.append((target, iter(successors[target])))
    groups: list[list[str]] = []
    placed: set[str] = set()
    for root in reversed(finished):
        if root in placed:
            continue
        group, stack = [], [root]
        placed.add(root)
        while stack:
            node = stack.pop()
            group.append(node)
            for source in predecessors[node]:
                if source not in placed:
                    placed.add(source)
                    stack.append(source)
        groups.append(sorted(group, key=list(nodes).index))
    return groups


def _flows(
    model: Model, order: Sequence[str], rates: dict[tuple[str, str], Fraction], entry: str
) -> dict[str, Fraction]:
    """Steady flow through each stage per new lead at `entry`: (I - R^T) x = e, solved exactly.

    Solved one loop at a time, upstream first (a loop is a group of stages that rates lead
    round between, like MQL and Nurture), so a long lifecycle costs little.
    """
    reached = _reachable(rates, entry)
    nodes = [stage_id for stage_id in order if stage_id in reached]
    incoming: dict[str, list[tuple[str, Fraction]]] = {}
    for (source, target), rate in rates.items():
        incoming.setdefault(target, []).append((source, rate))
    flows: dict[str, Fraction] = {}
    for group in _components(nodes, rates):
        inflow = [
            Fraction(int(stage_id == entry))
            + sum(
                (flows[source] * rate for source, rate in incoming.get(stage_id, ()) if source in flows),
                Fraction(0),
            )
            for stage_id in group
        ]
        solved = _solve(group, rates, inflow)
        if solved is None:
            raise _loop_error(model, group, rates)
        flows.update(zip(group, solved, strict=True))
    if any(value < 0 for value in flows.values()):
        raise WaterfallError(
            "the conversion rates do not add up to a possible flow of leads: the rates out of "
            "some stage add up to more than 100%",
            "impossible",
        )
    return flows


def _solve(
    group: Sequence[str], rates: dict[tuple[str, str], Fraction], inflow: Sequence[Fraction]
) -> list[Fraction] | None:
    """x = inflow + R^T x within one group, by Gauss-Jordan elimination; None when singular."""
    size = len(group)
    matrix = [
        [Fraction(int(i == j)) - rates.get((group[j], group[i]), Fraction(0)) for j in range(size)]
        + [inflow[i]]
        for i in range(size)
    ]
    for column in range(size):
        pivot = next((row for row in range(column, size) if matrix[row][column] != 0), None)
        if pivot is None:
            return None
        matrix[column], matrix[pivot] = matrix[pivot], matrix[column]
        head = matrix[column][column]
        matrix[column] = [value / head for value in matrix[column]]
        for row in range(size):
            factor = matrix[row][column]
            if row != column and factor != 0:
                matrix[row] = [a - factor * b for a, b in zip(matrix[row], matrix[column], strict=True)]
    return [matrix[row][size] for row in range(size)]


def _loop_error(model: Model, group: Sequence[str], rates: dict[tuple[str, str], Fraction]) -> WaterfallError:
    members = set(group)
    pairs = [pair for pair in rates if pair[0] in members and pair[1] in members]
    totals = {
        stage_id: sum((r for (s, _), r in rates.items() if s == stage_id), Fraction(0)) for stage_id in group
    }
    names = " and ".join(label(model, stage_id) for stage_id in group)
    written = ", ".join(f"`{s}->{t}`: {rate_text(rates[(s, t)])}" for s, t in pairs)
    over = [stage_id for stage_id in group if totals[stage_id] > 1]
    if over:
        return WaterfallError(
            f"the conversion rates send leads round a loop ({written}) that gives back more leads "
            f"than it takes in: the rates out of {label(model, over[0])} add up to "
            f"{percent(totals[over[0]])}",
            "impossible",
            _rate_spans(model, pairs),
        )
    return WaterfallError(
        f"every lead that reaches {names} goes round a loop forever and is never won or lost: "
        f"the rates out of them add up to 100% and all lead back into the loop ({written}); "
        "lower one of them",
        "loop",
        _rate_spans(model, pairs),
    )


# Wording the figures: the one place the CLI, the site and the checks take them from.


def to_places(value: Fraction, places: int) -> Decimal:
    """A worked-out figure to `places` decimals, rounded only there: the default decimal context
    would round it to 28 digits first, and refuse to quantize a larger one at all."""
    with localcontext() as context:
        context.prec = len(str(abs(value.numerator) // value.denominator)) + places + 2
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-places))


def count(value: int | Fraction | Decimal) -> str:
    """A count with thousands separators: 3,608 (a capacity such as 37.5 keeps its decimals)."""
    if isinstance(value, Fraction):
        value = int(value) if value.denominator == 1 else to_places(value, 2)
    if isinstance(value, int):
        return f"{value:,}"
    whole = value.to_integral_value()
    return f"{int(whole):,}" if whole == value else f"{exact_normal(value):,f}"


def money(value: Decimal, currency: str | None) -> str:
    """An amount with thousands separators and its currency: "USD 1,500,000"."""
    whole = value.to_integral_value()
    amount = f"{int(whole):,}" if whole == value else f"{value:,.2f}"
    return f"{currency} {amount}" if currency else amount


def percent(value: Fraction | Decimal) -> str:
    """A rate or load as a percentage: 25%, 95.3%."""
    share = Fraction(value) * 100
    whole = round(share)
    if share == whole:
        return f"{whole}%"
    return f"{float(share):.1f}%"


def rate_text(value: Fraction | Decimal) -> str:
    """A rate as written in the definitions, digit for digit: 0.25."""
    fraction = Fraction(value)
    with localcontext() as context:
        # A written rate ends (its denominator divides a power of ten), and this precision holds
        # every digit it has; the default 28 digits would round a longer one.
        context.prec = len(str(abs(fraction.numerator))) + 4 * len(str(fraction.denominator))
        return number_text(Decimal(fraction.numerator) / Decimal(fraction.denominator))


def capacity_text(check: CapacityCheck) -> str:
    """What a team can work, with how it is made up: "600 (6 × 100)"."""
    return f"{count(check.capacity)} ({check.reps} × {count(check.per_rep)})"


def verdict(check: CapacityCheck) -> str:
    """Capacity against the need in a few words: "enough: 28 to spare", "short by 6"."""
    if check.spare > 0:
        return f"enough: {count(check.spare)} to spare"
    if check.spare == 0:
        return "exactly at capacity"
    return f"short by {count(-check.spare)}"


def leads_of(model: Model, stage_id: str, amount: int) -> str:
    """A count of one stage's leads as a person says it: "96 SQLs", "1 lead in Nurture"."""
    stage = model.stage(stage_id)
    if stage is not None and stage.abbr:
        return f"{amount:,} {stage.abbr}" + ("" if amount == 1 else "s")
    return f"{amount:,} lead{'' if amount == 1 else 's'} in {label(model, stage_id)}"


def team_label(model: Model, team_id: str) -> str:
    team = model.teams.get(team_id)
    return team.label if team is not None else team_id


def need_sentence(model: Model, waterfall: Waterfall, check: CapacityCheck) -> str:
    """ "Sales needs 96 SQLs per quarter; 6 reps × 15 = 90: short by 6"."""
    return (
        f"{team_label(model, check.team)} needs {leads_of(model, check.stage, check.need)} per "
        f"{waterfall.period}; {check.reps} rep{'' if check.reps == 1 else 's'} × {count(check.per_rep)} = "
        f"{count(check.capacity)}: {verdict(check)}"
    )

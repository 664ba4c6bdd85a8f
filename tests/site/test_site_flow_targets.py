"""Lifecycle order, exit kinds and the reverse waterfall, on small definitions and the bundled ones."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from site_support import HEAD, STAGES

from conftest import REPO, write_definitions
from leadspec.api import Loaded, load
from leadspec.config import Config
from leadspec.flow import lifecycle_flow
from leadspec.targets import WaterfallError, reverse_waterfall


def load_yaml(tmp_path: Path, text: str) -> Loaded:
    folder = write_definitions(tmp_path, {"all.yaml": HEAD + text})
    loaded = load([folder], Config(root=tmp_path))
    errors = [d for d in loaded.report.diagnostics if d.severity.value == "error"]
    assert not errors, errors
    return loaded


def bundled() -> Loaded:
    return load([REPO / "definitions"], Config(root=REPO))


def test_bundled_lifecycle_follows_the_main_path_then_the_side_stages() -> None:
    flow = lifecycle_flow(bundled().model)
    assert flow.main_path == ("response", "valid_response", "mql", "sal", "sql", "customer")
    assert flow.order[: len(flow.main_path)] == flow.main_path
    assert set(flow.order) == set(bundled().model.stage_ids)
    kinds = {(edge.source, edge.target): edge.kind for edge in flow.edges}
    assert kinds[("mql", "sal")] == "forward"
    assert kinds[("mql", "nurture")] == "recycle"
    assert kinds[("nurture", "mql")] == "recycle"
    assert kinds[("response", "disqualified")] == "end"


def test_order_does_not_depend_on_how_the_files_list_the_stages(tmp_path: Path) -> None:
    loaded = load_yaml(tmp_path, STAGES)
    flow = lifecycle_flow(loaded.model)
    assert flow.main_path == ("fresh", "qualified", "sold")
    assert flow.order == ("fresh", "qualified", "sold", "nurture", "lost")
    kinds = {(edge.source, edge.target): edge.kind for edge in flow.edges}
    assert kinds == {
        ("fresh", "qualified"): "forward",
        ("fresh", "lost"): "end",
        ("qualified", "sold"): "forward",
        ("qualified", "nurture"): "recycle",
        ("nurture", "fresh"): "recycle",
    }


def test_a_long_chain_is_ordered_without_recursion_limits(tmp_path: Path) -> None:
    count = 400
    stages = ["stages:"]
    for index in range(count):
        stages.append(f"  - id: s{index}\n    label: S{index}\n    entry: score == {index % 100}")
        if index == 0:
            stages.append("    start: true")
        if index + 1 < count:
            stages.append(f"    exits: [{{to: s{index + 1}, when: 'false'}}]")
        else:
            stages.append("    terminal: true")
    model = load(
        [write_definitions(tmp_path, {"a.yaml": HEAD + "\n".join(stages) + "\n"})], Config(root=tmp_path)
    ).model
    flow = lifecycle_flow(model)
    assert flow.main_path == tuple(f"s{i}" for i in range(count))


def test_bundled_waterfall_counts_back_from_revenue() -> None:
    loaded = bundled()
    targets = loaded.model.targets
    assert targets is not None
    waterfall = reverse_waterfall(loaded.model, lifecycle_flow(loaded.model).order)
    deals = -(-Fraction(targets.revenue) // Fraction(targets.average_deal_size))
    assert waterfall.deals == deals
    assert waterfall.won == "customer" and waterfall.entry == "response"
    volume = {item.stage: item.volume for item in waterfall.volumes}
    rate = {pair: Fraction(value) for pair, value in targets.conversion.items()}
    # Every stage's volume is exactly what flows into it (steady state), new leads at the entry.
    for stage_id, value in volume.items():
        inflow = sum(
            (volume.get(source, 0) * r for (source, target), r in rate.items() if target == stage_id),
            Fraction(0),
        )
        new = volume["response"] if stage_id == "response" else 0
        assert value == inflow + new, stage_id
    assert volume["customer"] == deals
    assert waterfall.volume("sql").needed == -(-deals // rate[("sql", "customer")])


def test_recycled_leads_lower_the_new_leads_needed(tmp_path: Path) -> None:
    text = (
        STAGES
        + """
targets:
  period: month
  revenue: 100000
  average_deal_size: 10000
  conversion: {fresh->qualified: 0.5, qualified->sold: 0.5, qualified->nurture: 0.4, nurture->fresh: 0.5}
  capacity:
    sales: {reps: 2, per_rep: 10, stage: qualified}
"""
    )
    model = load_yaml(tmp_path, text).model
    waterfall = reverse_waterfall(model, lifecycle_flow(model).order)
    volume = {item.stage: item.volume for item in waterfall.volumes}
    assert waterfall.deals == 10
    assert volume["sold"] == 10 and volume["qualified"] == 20
    assert volume["nurture"] == 8
    assert volume["fresh"] == 40  # 36 new + 4 back from nurture
    assert volume["fresh"] - Fraction(1, 2) * volume["nurture"] == 36
    (check,) = waterfall.capacity
    assert (check.capacity, check.need, check.spare, check.load) == (20, 20, 0, 1)


@pytest.mark.parametrize(
    ("conversion", "message"),
    [
        ("{fresh->qualified: 0.5}", "no conversion rate leads to an end stage"),
        ("{fresh->qualified: 1, qualified->nurture: 1, nurture->fresh: 1, qualified->sold: 0.5}", "loop"),
    ],
)
def test_targets_that_cannot_be_worked_back_say_why(tmp_path: Path, conversion: str, message: str) -> None:
    text = STAGES + f"\ntargets:\n  revenue: 100\n  average_deal_size: 10\n  conversion: {conversion}\n"
    folder = write_definitions(tmp_path, {"all.yaml": HEAD + text})
    model = load([folder], Config(root=tmp_path)).model
    with pytest.raises(WaterfallError, match=message):
        reverse_waterfall(model, lifecycle_flow(model).order)


def test_main_path_avoids_a_recycling_stage_even_when_the_road_through_it_is_longer(tmp_path: Path) -> None:
    text = STAGES.replace(
        '    entry: status == "bad"\n',
        '    entry: status == "bad" or (status == "rejected" and score < 5)\n',
        1,
    ).replace(
        "      - {to: fresh, when: score >= 90, set: {status: new}}\n",
        "      - {to: fresh, when: score >= 90, set: {status: new}}\n      - {to: lost, when: score < 5}\n",
    )
    flow = lifecycle_flow(load_yaml(tmp_path, text).model)
    assert flow.main_path == ("fresh", "qualified", "sold")
    kinds = {(edge.source, edge.target): edge.kind for edge in flow.edges}
    assert kinds[("qualified", "nurture")] == "recycle" and kinds[("nurture", "lost")] == "end"

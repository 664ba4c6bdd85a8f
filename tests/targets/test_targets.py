"""The reverse waterfall: figures checked by hand, loops, properties, the checks, `leadspec targets` and the site.

The lifecycle is the one of the LS41x fixtures: MQL -> SAL -> SQL -> Customer, with SQLs
rejected to Nurture and Nurture back to MQL, all owned by Sales.
"""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, run_cli, write_definitions
from leadspec.api import Loaded, load
from leadspec.config import Config
from leadspec.model import Model
from leadspec.site.content import generate
from leadspec.structs import replace
from leadspec.targets import WaterfallError, reverse_waterfall

CASES = REPO / "tests" / "cases"
LIFECYCLE = (CASES / "LS413-capacity-short-of-need" / "definitions" / "lifecycle.yaml").read_text(
    encoding="utf-8"
)

FORMAT_NOTE = """leadspec: 1
targets:
  period: quarter
  revenue: 1200000
  average_deal_size: 40000
  conversion: {mql->sal: 0.7, sal->sql: 0.5, sql->customer: 0.25%s}
  capacity:
    sales: {reps: 6, per_rep: 15, stage: sql}
"""


def project(tmp_path: Path, targets: str, lifecycle: str = LIFECYCLE) -> Path:
    write_definitions(tmp_path, {"lifecycle.yaml": lifecycle, "targets.yaml": targets})
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    return tmp_path


def loaded(folder: Path) -> Loaded:
    return load([folder / "definitions"], Config(root=folder))


def codes(result_stdout: str) -> list[str]:
    return re.findall(r"(?:error|warning|info) (LS\d{3}) ", result_stdout)


# Figures a person can check with a pencil.


def test_the_format_note_example_worked_back_by_hand(tmp_path: Path) -> None:
    model = loaded(project(tmp_path, FORMAT_NOTE % "")).model
    waterfall = reverse_waterfall(model)
    # 1,200,000 / 40,000 = 30 deals; / 0.25 = 120 SQLs; / 0.5 = 240 SALs; / 0.7 = 342.86 -> 343 MQLs.
    assert waterfall.deals == 30
    assert (waterfall.won, waterfall.entry) == ("customer", "mql")
    needed = {item.stage: item.needed for item in waterfall.volumes}
    assert needed == {"mql": 343, "sal": 240, "sql": 120, "customer": 30}
    assert waterfall.new_leads == 343
    # Per month (a third of a quarter) and per week (a thirteenth), each rounded up.
    sql, mql = waterfall.volume("sql"), waterfall.volume("mql")
    assert sql is not None and mql is not None
    assert waterfall.breakdown == ("month", "week")
    assert (waterfall.needed_per(sql, "month"), waterfall.needed_per(sql, "week")) == (40, 10)  # 120/13 = 9.2
    assert (waterfall.needed_per(mql, "month"), waterfall.needed_per(mql, "week")) == (115, 27)  # 114.3, 26.4
    (check,) = waterfall.capacity
    assert (check.capacity, check.need, check.spare) == (90, 120, -30)


def test_leads_back_from_nurture_count_again_and_lower_the_new_leads(tmp_path: Path) -> None:
    model = loaded(project(tmp_path, FORMAT_NOTE % ", sql->nurture: 0.4, nurture->mql: 0.1")).model
    waterfall = reverse_waterfall(model)
    needed = {item.stage: item.needed for item in waterfall.volumes}
    # 120 SQLs send 48 to Nurture, 4.8 of which come back as MQLs: MQLs are still 342.86
    # (every MQL counts, new or back), new leads 342.86 - 4.8 = 338.06.
    assert needed == {"mql": 343, "sal": 240, "sql": 120, "customer": 30, "nurture": 48}
    assert waterfall.new_leads == 339
    mql = waterfall.volume("mql")
    assert mql is not None and mql.inflows == (("nurture", Fraction(1, 10)),)


def test_bundled_definitions_figures() -> None:
    loaded_ = load([REPO / "definitions"], Config(root=REPO))
    waterfall = reverse_waterfall(loaded_.model)
    assert waterfall.deals == 50  # 1,500,000 / 30,000
    assert waterfall.volume("sql").needed == 200  # type: ignore[union-attr]  # 50 / 0.25
    assert waterfall.volume("sal").needed == 400  # type: ignore[union-attr]  # 200 / 0.5
    assert [(c.team, c.need, c.capacity) for c in waterfall.capacity] == [
        ("sdr", 572, 600),
        ("sales", 200, 200),
    ]


def test_a_long_lifecycle_is_worked_back_quickly(tmp_path: Path) -> None:
    count = 300
    lines = ["leadspec: 1", "fields:", "  n: {label: N, type: integer, min: 0, max: 1000}", "stages:"]
    for index in range(count):
        lines.append(f"  - {{id: s{index}, label: S{index}, entry: n == {index}")
        lines[-1] += ", start: true" if index == 0 else ""
        lines[-1] += (
            f", exits: [{{to: s{index + 1}, when: 'false'}}]}}" if index + 1 < count else ", terminal: true}"
        )
    rates = ", ".join(f"s{i}->s{i + 1}: 0.99" for i in range(count - 1))
    lines += ["targets:", "  revenue: 1000", "  average_deal_size: 10", f"  conversion: {{{rates}}}"]
    write_definitions(tmp_path, {"long.yaml": "\n".join(lines) + "\n"})
    model = load([tmp_path / "definitions"], Config(root=tmp_path)).model
    started = time.perf_counter()
    waterfall = reverse_waterfall(model)
    assert time.perf_counter() - started < 2
    assert waterfall.volume("s0").volume == 100 / Fraction(99, 100) ** (count - 1)  # type: ignore[union-attr]


# Properties, over rates drawn at random.


@pytest.fixture(scope="module")
def funnel(tmp_path_factory: pytest.TempPathFactory) -> Model:
    folder = project(
        tmp_path_factory.mktemp("funnel"), FORMAT_NOTE % ", sql->nurture: 0.4, nurture->mql: 0.1"
    )
    return loaded(folder).model


RATE = st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100)


@st.composite
def rates(draw: st.DrawFn) -> dict[tuple[str, str], Decimal]:
    won = draw(RATE)
    back = draw(st.fractions(min_value=0, max_value=1 - won, max_denominator=100))
    found = {
        ("mql", "sal"): draw(RATE),
        ("sal", "sql"): draw(RATE),
        ("sql", "customer"): won,
        ("nurture", "mql"): draw(RATE),
    }
    if back > 0:
        found[("sql", "nurture")] = back
    return {pair: Decimal(rate.numerator) / Decimal(rate.denominator) for pair, rate in found.items()}


def with_targets(model: Model, conversion: dict[tuple[str, str], Decimal], revenue: int) -> Model:
    assert model.targets is not None
    return replace(model, targets=replace(model.targets, conversion=conversion, revenue=Decimal(revenue)))


@settings(max_examples=60, deadline=None)
@given(conversion=rates(), deals=st.integers(1, 500), factor=st.integers(2, 20))
def test_volumes_scale_with_the_deals(funnel: Model, conversion: dict, deals: int, factor: int) -> None:
    one = reverse_waterfall(with_targets(funnel, conversion, deals * 40000))
    many = reverse_waterfall(with_targets(funnel, conversion, deals * factor * 40000))
    assert [item.volume * factor for item in one.volumes] == [item.volume for item in many.volumes]
    # What flows into the won stage is the deals, never less.
    assert one.volume("customer").volume == one.deals == deals  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(conversion=rates(), pick=st.integers(0, 4), raise_by=st.fractions(0, 1, max_denominator=100))
def test_raising_a_rate_never_raises_the_leads_needed(
    funnel: Model, conversion: dict, pick: int, raise_by: Fraction
) -> None:
    pair = sorted(conversion)[pick % len(conversion)]
    room = 1 - sum((Fraction(r) for (s, _), r in conversion.items() if s == pair[0]), Fraction(0))
    higher = Fraction(conversion[pair]) + raise_by * room
    raised = {**conversion, pair: Decimal(higher.numerator) / Decimal(higher.denominator)}
    before = reverse_waterfall(with_targets(funnel, conversion, 1200000))
    after = reverse_waterfall(with_targets(funnel, raised, 1200000))
    assert after.volume("mql").new <= before.volume("mql").new  # type: ignore[union-attr]
    for stage in ("mql", "sal", "sql"):  # upstream of the won stage
        if pair[1] != "nurture":  # more recycling adds MQLs back; it still lowers the new leads
            assert after.volume(stage).volume <= before.volume(stage).volume  # type: ignore[union-attr]


# The checks.


def test_rate_outside_0_1_reads_as_a_share(tmp_path: Path) -> None:
    folder = project(tmp_path, FORMAT_NOTE.replace("mql->sal: 0.7", "mql->sal: 70"))
    result = run_cli(["check", "definitions"], cwd=folder)
    assert "`targets.conversion.mql->sal`: 70 is above the maximum of 1" in result.stdout
    assert (
        "hint: a conversion rate is a share of the leads in the first stage, above 0 and at most 1: "
        "write 25% as 0.25" in result.stdout
    )
    assert codes(result.stdout).count("LS104") == 1 and "LS412" not in codes(result.stdout)


def test_a_rate_written_the_wrong_way_round_says_so(tmp_path: Path) -> None:
    folder = project(tmp_path, FORMAT_NOTE % ", mql->nurture: 0.1")
    result = run_cli(["check", "definitions"], cwd=folder)
    assert (
        "error LS411 Marketing Qualified Lead has no exit to Nurture, but the targets count on one "
        "(the conversion rate `mql->nurture`)" in result.stdout
    )
    assert "hint: `nurture` has an exit to `mql`: did you mean `nurture->mql`?" in result.stdout


def test_a_rate_that_skips_a_stage_lists_the_real_hand_offs(tmp_path: Path) -> None:
    folder = project(tmp_path, FORMAT_NOTE % ", mql->sql: 0.1")
    result = run_cli(["check", "definitions"], cwd=folder)
    assert (
        "LS411 Marketing Qualified Lead has no exit to Sales Qualified Lead, but the targets count on one"
        in (result.stdout)
    )
    assert (
        "hint: the only hand-off out of `mql` is `mql->sal`: put the rate on one that exists" in result.stdout
    )
    folder = project(tmp_path, FORMAT_NOTE % ", sql->mql: 0.1")
    result = run_cli(["check", "definitions"], cwd=folder)
    assert "hint: the hand-offs out of `sql` are `sql->customer`, `sql->nurture`: put" in result.stdout


def test_short_capacity_says_how_many_reps_it_takes(tmp_path: Path) -> None:
    result = run_cli(["check", "definitions"], cwd=CASES / "LS413-capacity-short-of-need")
    assert "warning LS413 Sales needs 120 SQLs per quarter; 6 reps × 15 = 90: short by 30" in result.stdout
    assert "hint: that takes 2 more reps at 15 each, or 20 per rep" in result.stdout
    assert result.exit_code == 0  # a warning: the teams should see it, it does not fail CI


def test_rates_over_100_percent_in_a_loop_are_one_finding_not_two(tmp_path: Path) -> None:
    looped = (
        "leadspec: 1\ntargets:\n  revenue: 100\n  average_deal_size: 10\n  conversion: "
        "{mql->sal: 1, sal->sql: 1, sql->nurture: 1, nurture->mql: 1, sql->customer: 0.5}\n"
    )
    folder = project(tmp_path, looped)
    with pytest.raises(WaterfallError, match="loop") as raised:
        reverse_waterfall(loaded(folder).model)
    assert raised.value.cause == "impossible"
    result = run_cli(["check", "definitions"], cwd=folder)
    assert codes(result.stdout) == ["LS412"]
    assert "the conversion rates out of `sql` add up to 150%" in result.stdout


def test_a_loop_that_no_lead_leaves_points_at_its_rates() -> None:
    result = run_cli(["check", "--format", "json", "definitions"], cwd=CASES / "LS414-loop-no-lead-leaves")
    (finding,) = json.loads(result.stdout)["diagnostics"]
    assert finding["code"] == "LS414"
    assert "Nurture and Recycled goes round a loop forever" in finding["message"]
    assert finding["line"] == 10 and [item["line"] for item in finding["related"]] == [11]


# `leadspec targets`, and the site page, from one model.


def test_cli_text_shows_the_waterfall_and_the_capacity() -> None:
    result = run_cli(["targets", "definitions"], cwd=CASES / "LS413-capacity-short-of-need")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Revenue goal 1,200,000 per quarter, at 40,000 a deal: 30 deals won in Customer."
    assert lines[1] == "That takes 343 new leads in Marketing Qualified Lead."
    assert re.search(r"^Marketing Qualified Lead +343 +115 +27  new leads$", result.stdout, re.M)
    assert re.search(r"^Sales Accepted Lead +240 +80 +19  70% of MQL$", result.stdout, re.M)
    assert re.search(r"^Sales Qualified Lead +120 +40 +10  50% of SAL$", result.stdout, re.M)
    assert re.search(r"^Sales +SQL +90 \(6 × 15\) +120 +133\.3%  short by 30$", result.stdout, re.M)


def test_cli_json_has_the_same_figures() -> None:
    result = run_cli(
        ["targets", "--format", "json", "definitions"], cwd=CASES / "LS413-capacity-short-of-need"
    )
    data = json.loads(result.stdout)
    assert (data["deals"], data["new_leads"], data["entry"]["id"], data["won"]["id"]) == (
        30,
        343,
        "mql",
        "customer",
    )
    assert [(s["id"], s["needed"], s["per"]["month"], s["per"]["week"]) for s in data["stages"]] == [
        ("mql", 343, 115, 27),
        ("sal", 240, 80, 19),
        ("sql", 120, 40, 10),
        ("customer", 30, 10, 3),
    ]
    assert data["stages"][1]["from"] == [{"stage": "mql", "rate": 0.7}]
    (team,) = data["capacity"]
    assert (team["capacity"], team["needed"], team["spare"], team["verdict"]) == (90, 120, -30, "short by 30")
    assert [item["code"] for item in data["findings"]] == ["LS413"]


def test_cli_refuses_definitions_with_errors_like_explain() -> None:
    result = run_cli(["targets", "definitions"], cwd=CASES / "LS412-rates-out-of-one-stage-over-100")
    assert result.exit_code == 1
    assert "error LS412" in result.stdout
    assert "no targets worked out: the definitions have errors" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_with_the_unsolvable_check_switched_off_still_says_why(tmp_path: Path) -> None:
    """Ignoring LS414 hides the finding, not the reason: no figures are made up."""
    folder = tmp_path / "project"
    (folder / "definitions").mkdir(parents=True)
    for source in (CASES / "LS414-loop-no-lead-leaves" / "definitions").iterdir():
        (folder / "definitions" / source.name).write_text(
            source.read_text(encoding="utf-8"), encoding="utf-8"
        )
    (folder / "pyproject.toml").write_text('[tool.leadspec]\nignore = ["LS414"]\n', encoding="utf-8")
    result = run_cli(["targets"], cwd=folder)
    assert (result.exit_code, result.stdout) == (1, "")
    assert "the targets cannot be worked back: every lead that reaches Nurture and Recycled" in result.stderr


def test_a_deleted_hand_off_names_the_stage_the_rates_say_deals_are_won_in(tmp_path: Path) -> None:
    """Issue 11, item 16: without the `mql -> sal` exit the main path ends in Disqualified; the
    finding names Customer, where the rates end, never Disqualified as where deals are won."""
    import shutil

    bundled = CASES.parent.parent
    shutil.copytree(bundled / "definitions", tmp_path / "definitions")
    shutil.copy(bundled / "pyproject.toml", tmp_path / "pyproject.toml")
    marketing = tmp_path / "definitions" / "marketing.yaml"
    text = marketing.read_text(encoding="utf-8")
    start = text.index("      - to: sal\n")
    marketing.write_text(text[:start] + text[text.index("      - to: nurture\n", start) :], encoding="utf-8")
    result = run_cli(["check", "--color", "never"], cwd=tmp_path)
    assert result.exit_code == 1
    finding = result.stdout[result.stdout.index("error LS414") :].split("\n\n")[0]
    assert finding.splitlines()[0] == (
        "error LS414 the targets cannot be worked back: the conversion rates say deals are won in "
        "Customer, but the lifecycle's main path ends in Disqualified without reaching it"
    )
    assert finding.splitlines()[-1] == (
        "  hint: every figure is worked back from the deals along the main path: restore the chain of "
        "exits that leads to Customer, so the path ends where deals are won"
    )
    assert "note: this follows from the LS411 finding above" in finding
    assert "won (Disqualified)" not in result.stdout


def test_cli_without_targets_says_so(tmp_path: Path) -> None:
    folder = project(tmp_path, "leadspec: 1\n")
    result = run_cli(["targets"], cwd=folder)
    assert result.exit_code == 2
    assert "no `targets:` section" in result.stderr


def test_cli_and_site_show_the_same_figures() -> None:
    folder = CASES.parent.parent  # the bundled Quillmetric definitions
    loaded_ = load([folder / "definitions"], Config(root=folder))
    page = generate(loaded_.context, folder).files["docs/targets.md"]
    text = run_cli(["targets", "definitions"], cwd=folder).stdout
    data = json.loads(run_cli(["targets", "--format", "json", "definitions"], cwd=folder).stdout)
    site_rows = {
        match[0]: match[1:]
        for match in re.findall(
            r"^\| \[([^\]]+)\]\(stages/[^)]+\) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \|", page, re.M
        )
    }
    assert len(site_rows) == len(data["stages"]) == 8
    for stage in data["stages"]:
        figures = tuple(f"{n:,}" for n in (stage["needed"], stage["per"]["month"], stage["per"]["week"]))
        assert site_rows[stage["label"]] == figures
        assert re.search(rf"^{re.escape(stage['label'])} +{' +'.join(figures)}  ", text, re.M)
    assert f"**{data['deals']} deals**" in page and f"**{data['new_leads']:,} new leads**" in page
    for team in data["capacity"]:
        assert f"| {team['verdict']} |" in page and team["verdict"] in text

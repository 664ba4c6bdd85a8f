"""`leadspec explain`: one lead of the bundled definitions, criterion by criterion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, run_cli, write_definitions
from leadspec.api import load
from leadspec.config import load_config
from leadspec.expr.evaluate import evaluate
from leadspec.membership import Membership, lifecycle_criteria, needs, parts

DEFINITIONS = str(REPO / "definitions")

# A verified VP at a 300-person company, score 45, whom an SDR is working: an MQL (worked by an SDR).
WORKING = {
    "lead_score": "45", "fit_score": "70", "engagement_actions": "5", "key_content_downloaded": "true",
    "demo_requested": "false", "employees": "300", "seniority": "vp", "region": "emea",
    "email_verified": "true", "is_competitor": "false", "is_partner": "false", "unsubscribed": "false",
    "disqualified": "false", "sdr_status": "working", "deal_status": "none", "days_since_last_touch": "3",
}


def lead_arg(values: dict[str, str], **changes: str) -> str:
    return ",".join(f"{name}={value}" for name, value in {**values, **changes}.items())


def explain(*args: str) -> tuple[int, str, str]:
    result = run_cli(["explain", DEFINITIONS, *args], cwd=REPO)
    return result.exit_code, result.stdout, result.stderr


def section(text: str, title: str) -> str:
    """The lines of the stage-by-stage block that starts with `title`."""
    block = text.split("\n\n")
    return next(part for part in block if part.startswith(title))


def test_a_worked_mql_says_its_stage_why_and_what_each_exit_still_needs() -> None:
    code, out, _ = explain("--lead", lead_arg(WORKING))
    assert code == 0
    assert out.startswith("The lead is in Marketing Qualified Lead (mql).")
    mql = section(out, "Marketing Qualified Lead (mql):")
    assert "YES, the lead is here" in mql
    assert '- SDR status is working or accepted: yes (working)   [sdr_status in ["working", "accepted"]]' in mql
    assert "- Competitor is no: yes (false)   [not is_competitor]" in mql
    assert "exit to Sales Accepted Lead (sal): not met" in mql
    response = section(out, "Response (response):")
    assert 'no, the entry is not met' in response
    assert '- SDR status is new: no (working)   [sdr_status == "new"]' in response
    assert "Open exits from Marketing Qualified Lead:" in out
    assert "-> Sales Accepted Lead (sal) when SDR status is accepted and Disqualified is no" in out
    assert '- SDR status is accepted (now working)   [sdr_status == "accepted"]' in out
    assert "- Disqualified is yes (now false)   [disqualified]" in out
    assert "Not given, so blank: bant_budget, bant_authority, bant_need, bant_timeframe, motivation" in out


def test_a_score_below_the_bar_is_the_deciding_criterion_of_the_mql_entry() -> None:
    code, out, _ = explain("--lead", lead_arg(WORKING, sdr_status="new"))
    assert code == 0
    assert out.startswith("The lead is in Valid Response (valid_response).")
    mql = section(out, "Marketing Qualified Lead (mql):")
    assert "no, the entry is not met" in mql
    assert "- Lead score is at least 50: no (45)   [lead_score >= 50]" in mql
    assert "- Demo requested is yes: no (false)   [demo_requested]" in mql
    valid = section(out, "Valid Response (valid_response):")
    assert "exit to Marketing Qualified Lead (mql): not met" in valid
    # The exit is the named MQL bar: what the lead lacks is shown under the bar's name.
    assert (
        "       - MQL bar is met   [mql_bar]:\n"
        "           - one of:\n"
        "               - Demo requested is yes (now false)   [demo_requested]\n"
        "               - Lead score is at least 50 (now 45)   [lead_score >= 50]\n"
    ) in out
    # The entry says the bar was not met, and which of its own parts decided that.
    assert "- MQL bar is met: no   [mql_bar]\n        - one of" not in mql
    assert "    - MQL bar is met: no   [mql_bar]\n" in mql
    raised = explain("--lead", lead_arg(WORKING, sdr_status="new", lead_score="50"))[1]
    assert "- Lead score is at least 50: yes (50)   [lead_score >= 50]" in raised
    assert "the entry is met but so is the exit to Marketing Qualified Lead (mql)" in raised
    assert raised.startswith("The lead is in Marketing Qualified Lead (mql).")


def test_a_lead_leaving_through_an_exit_names_the_exit_it_met() -> None:
    code, out, _ = explain("--lead", lead_arg(WORKING, sdr_status="accepted"))
    assert code == 0
    assert out.startswith("The lead is in Sales Accepted Lead (sal).")
    mql = section(out, "Marketing Qualified Lead (mql):")
    assert "no, the entry is met but so is the exit to Sales Accepted Lead (sal)" in mql
    assert "exit to Sales Accepted Lead (sal): met" in mql
    assert '- SDR status is accepted: yes (accepted)   [sdr_status == "accepted"]' in mql
    assert "- Disqualified is no: yes (false)   [not disqualified]" in mql


def test_outside_the_scope_and_a_final_stage() -> None:
    code, out, _ = explain("--lead", lead_arg(WORKING, is_partner="yes"))
    assert code == 0
    assert out.startswith("The lead is outside the lifecycle's scope, so it is in no stage")
    assert "- Partner-sourced is no: no (true)   [not is_partner]" in out
    won = explain("--lead", lead_arg(WORKING, deal_status="won"))[1]
    assert won.startswith("The lead is in Customer (customer).")
    assert "Customer (customer) is a final stage: no exits." in won


def test_json_says_the_same_with_exact_values() -> None:
    code, out, _ = explain("--lead", lead_arg(WORKING), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["result"] == "one"
    assert document["stages"] == ["mql"]
    assert document["lead"]["lead_score"] == 45
    checks = {check["stage"]: check for check in document["checks"]}
    assert checks["mql"]["inside"] is True and checks["mql"]["why_not"] is None
    assert checks["response"]["why_not"] == "entry"
    part = checks["response"]["entry"]["parts"][0]
    assert part == {"words": "SDR status is new", "code": 'sdr_status == "new"', "met": False,
                    "values": {"sdr_status": "working"}}
    assert [item["to"] for item in document["open_exits"]] == ["sal", "nurture", "disqualified"]
    assert document["open_exits"][0]["needs"][0]["code"] == 'sdr_status == "accepted"'
    fresh = json.loads(explain("--lead", lead_arg(WORKING, sdr_status="new"), "--format", "json")[1])
    (bar,) = fresh["open_exits"][0]["needs"]
    assert bar["code"] == "mql_bar" and bar["words"] == "MQL bar is met"
    (either,) = bar["needs"]
    assert [[need["code"] for need in way] for way in either["one_of"]] == [["demo_requested"], ["lead_score >= 50"]]


def test_a_lead_file_and_crm_names_and_exact_decimals(tmp_path: Path) -> None:
    lead = {"Lead_Score__c": 45, "hubspotscore": None} | {k: v for k, v in WORKING.items() if k != "lead_score"}
    lead.pop("hubspotscore")
    lead["email_verified"] = True
    path = tmp_path / "lead.json"
    path.write_text(json.dumps(lead), encoding="utf-8")
    code, out, _ = explain("--lead-file", str(path))
    assert code == 0
    assert out.startswith("The lead is in Marketing Qualified Lead (mql).")
    path.write_text('{"lead_score": 45.0, "deal_status": "won"}', encoding="utf-8")
    document = json.loads(explain("--lead-file", str(path), "--format", "json")[1])
    assert document["lead"]["lead_score"] == 45.0
    assert '"lead_score": 45.0' in explain("--lead-file", str(path), "--format", "json")[1]


@pytest.mark.parametrize(
    ("lead", "message"),
    [
        ("lead_scor=45", "the definitions have no field `lead_scor`; did you mean `lead_score`?"),
        ("lead_score=150", "`lead_score` (Lead score) is a whole number from 0 to 100, not 150"),
        ("lead_score=45.5", "`lead_score` (Lead score) is a whole number from 0 to 100, not 45.5"),
        ("lead_score=lots", '`lead_score` (Lead score) is a whole number from 0 to 100, not "lots"'),
        ("sdr_status=Accepted", 'is one of new, working, accepted, rejected, not "Accepted" (did you mean accepted?)'),
        ("email_verified=maybe", '`email_verified` (Email verified) is true or false, not "maybe"'),
        ("deal_status=", "`deal_status` (Current opportunity status) is required and cannot be empty"),
        ("lead_score=4,lead_score=5", "`lead_score` is given twice"),
        ("lead_score", "'lead_score' should be written name=value"),
    ],
)
def test_a_lead_that_cannot_be_read_is_refused_with_a_plain_message(lead: str, message: str) -> None:
    code, out, err = explain("--lead", lead)
    assert code == 2
    assert message in err
    assert out == ""
    assert "Traceback" not in err


def test_a_lead_file_that_is_not_a_lead(tmp_path: Path) -> None:
    path = tmp_path / "lead.json"
    for text, message in [
        ("[1, 2]", "should hold one JSON object"),
        ('{"lead_score": 45,}', "is not valid JSON"),
        ('{"lead_score": true}', "is a whole number from 0 to 100, not true"),
    ]:
        path.write_text(text, encoding="utf-8")
        code, _, err = explain("--lead-file", str(path))
        assert code == 2, text
        assert message in err
    code, _, err = explain("--lead-file", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err


SMALL = """leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  email_verified: {label: Email verified, type: boolean}
stages:
  - id: cold
    label: Cold
    entry: lead_score < 50 or not email_verified
    terminal: true
  - id: mql
    label: MQL
    entry: lead_score >= 40 and email_verified
    terminal: true
"""


def test_an_overlap_is_explained_when_check_is_told_to_let_it_pass(tmp_path: Path) -> None:
    write_definitions(tmp_path, {"a.yaml": SMALL})
    strict = run_cli(["explain", "--lead", "lead_score=45,email_verified=yes"], cwd=tmp_path)
    assert strict.exit_code == 1
    assert "LS301" in strict.stdout
    assert "cannot explain: the definitions have errors" in strict.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.leadspec]\nignore = ["LS301"]\n', encoding="utf-8")
    result = run_cli(["explain", "--lead", "lead_score=45,email_verified=yes"], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("The lead is in 2 stages at once, Cold (cold) and MQL (mql): an overlap")
    assert "- Lead score is less than 50: yes (45)   [lead_score < 50]" in result.stdout
    assert "- Lead score is at least 40: yes (45)   [lead_score >= 40]" in result.stdout


def test_warnings_do_not_stop_an_explanation(tmp_path: Path) -> None:
    warned = SMALL.replace("label: MQL\n", "label: MQL\n    definition: Meets the ICP bar.\n").replace(
        "entry: lead_score >= 40 and email_verified", "entry: lead_score >= 50 and email_verified"
    )
    write_definitions(tmp_path, {"a.yaml": warned})
    check = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    assert check.exit_code == 0 and "warning LS205" in check.stdout
    result = run_cli(["explain", "--lead", "lead_score=45,email_verified=yes"], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("The lead is in Cold (cold).")


FIRST_MATCH = """leadspec: 1
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
lifecycle: {policy: first_match}
stages:
  - id: hot
    label: Hot
    entry: lead_score >= 50
    terminal: true
  - id: everyone
    label: Everyone else
    entry: "true"
    terminal: true
"""


def test_first_match_says_which_stage_came_first(tmp_path: Path) -> None:
    write_definitions(tmp_path, {"a.yaml": FIRST_MATCH})
    result = run_cli(["explain", "--lead", "lead_score=60"], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("The lead is in Hot (hot).")
    assert "Everyone else (everyone): its criteria are met, but Hot comes first (the policy is first_match)" in (
        result.stdout
    )
    low = run_cli(["explain", "--lead", "lead_score=10"], cwd=tmp_path)
    assert low.stdout.startswith("The lead is in Everyone else (everyone).")
    assert "- Lead score is at least 50: no (10)   [lead_score >= 50]" in low.stdout


# -- the explanation's parts are the ones that decide ------------------------------------------

_LOADED = load([REPO / "definitions"], load_config(start=REPO))
_MEMBERSHIP = Membership(_LOADED.model, _LOADED.context.exprs)
_TREES = [_MEMBERSHIP.tree(criterion) for _, criterion in lifecycle_criteria(_LOADED.model)]


def _value(field):  # type: ignore[no-untyped-def]
    if field.type == "boolean":
        return st.sampled_from([True, False, None] if field.optional else [True, False])
    if field.type == "enum":
        return st.sampled_from([*field.values, *([None] if field.optional else [])])
    return st.integers(int(field.minimum), int(min(field.maximum, 200)))


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({f.id: _value(f) for f in _LOADED.model.fields.values()}), st.sampled_from(_TREES))
def test_the_parts_shown_settle_the_criterion_and_the_needs_are_exactly_what_is_unmet(lead, tree) -> None:  # type: ignore[no-untyped-def]
    """Every part shown goes the way the whole criterion goes, and the needs are exactly the unmet parts."""
    met = evaluate(tree, lead)
    shown = parts(tree, lead)
    assert shown
    assert all(part.met == evaluate(part.expr, lead) == met for part in shown)
    lacking = needs(tree, lead)
    assert (lacking == ()) == met
    assert all(not evaluate(part.expr, lead) for part in lacking)


def test_stages_are_listed_in_lifecycle_order_as_on_the_site() -> None:
    """SAL comes right after MQL and Disqualified last, not in the order the files list them."""
    from leadspec.flow import lifecycle_flow

    code, out, _ = explain("--lead", lead_arg(WORKING))
    assert code == 0
    verdicts = [line for line in out.splitlines() if ": no, " in line or ": YES" in line]
    listed = [line.split(" (", 1)[1].split(")", 1)[0] for line in verdicts]
    loaded = load([DEFINITIONS], load_config(start=REPO))
    assert listed == list(lifecycle_flow(loaded.model).order)
    assert listed.index("sal") == listed.index("mql") + 1 and listed[-1] == "disqualified"

"""Each lifecycle finding on a small model a person can check by hand.

Every test also runs `verify_witnesses`, which evaluates each example lead with
`leadspec.expr.evaluate` and fails if it does not do what its finding says.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from typing import Any

import pytest
from analysis_helpers import Built, all_leads, fld, make, verify_witnesses
from hypothesis import given, settings
from hypothesis import strategies as st

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic
from leadspec.expr.render import literal_code
from leadspec.model import Criterion
from leadspec.rules import registry

FIELDS = [
    fld("lead_score", "integer", "Lead score", min=0, max=100),
    fld("email_verified", "boolean", "Email verified"),
    fld("sdr_status", "enum", "SDR status", values=["open", "accepted", "rejected"]),
    fld("revenue", "number", "Annual revenue", min=0),
    fld("industry", "enum", "Industry", values=["software", "finance", "retail"], optional=True),
]
TEAMS = ["marketing", "sdr", "sales"]


def findings(built: Built, code: str) -> list[Diagnostic]:
    """What `leadspec check` would say for one code, after checking every witness."""
    analysis = built.analyze()
    verify_witnesses(built, analysis)
    context = Context(model=built.model, exprs=built.exprs)
    module = next(m for m in registry if m.rule.code == code)
    assert module.check is not None
    return list(module.check(context))


def stage(ident: str, entry: str, **kw: Any) -> dict[str, Any]:
    return {"id": ident, "label": kw.pop("label", ident.upper()), "entry": entry, **kw}


# -- LS301 overlap -----------------------------------------------------------------


def test_overlap_names_the_region_the_stages_and_an_example() -> None:
    built = make(
        FIELDS,
        [
            stage("valid_response", "email_verified and lead_score < 50", label="Valid Response"),
            stage("mql", "email_verified and lead_score >= 45", label="Marketing Qualified Lead"),
            stage("unverified", "not email_verified", label="Unverified"),
        ],
    )
    [found] = findings(built, "LS301")
    assert found.message == (
        "Leads with Lead score 45 to 49 and Email verified yes are in both Valid Response and "
        "Marketing Qualified Lead (example: lead_score=45, email_verified=true, ...)"
    )
    assert found.span == built.model.stages[1].span
    assert [r.span for r in found.related] == [built.model.stages[0].span]
    assert found.witness is not None and found.witness["lead_score"] == 45
    assert found.witness["email_verified"] is True


def test_three_stages_sharing_leads_are_one_finding() -> None:
    built = make(
        FIELDS,
        [
            stage("a", "lead_score >= 40"),
            stage("b", "lead_score >= 50 and lead_score < 70"),
            stage("c", "lead_score >= 60"),
            stage("d", "lead_score < 40"),
        ],
    )
    messages = [d.message for d in findings(built, "LS301")]
    assert messages == [
        "Leads with Lead score 50 to 59 are in both A and B (example: lead_score=50, ...)",
        "Leads with Lead score 60 to 69 are in 3 stages at once: A, B and C (example: lead_score=60, ...)",
        "Leads with Lead score at least 70 are in both A and C (example: lead_score=70, ...)",
    ]


def test_disjoint_stages_do_not_overlap() -> None:
    built = make(FIELDS, [stage("low", "lead_score < 50"), stage("high", "lead_score >= 50")])
    assert findings(built, "LS301") == []
    assert findings(built, "LS302") == []


def test_leads_taking_an_exit_are_not_in_the_stage() -> None:
    built = make(
        FIELDS,
        [
            stage("mql", "lead_score >= 50", exits=[{"to": "sal", "when": 'sdr_status == "accepted"'}]),
            stage("sal", 'sdr_status == "accepted" and lead_score >= 50'),
            stage("low", "lead_score < 50"),
        ],
    )
    assert findings(built, "LS301") == []
    assert findings(built, "LS302") == []


def test_first_match_reports_no_overlap() -> None:
    built = make(
        FIELDS,
        [stage("high", "lead_score >= 40"), stage("low", "lead_score < 60")],
        policy="first_match",
    )
    assert findings(built, "LS301") == []
    assert findings(built, "LS310") == []


# -- LS302 gap -------------------------------------------------------------------


def test_gap_between_integer_ranges() -> None:
    built = make(FIELDS, [stage("response", "lead_score < 45"), stage("mql", "lead_score >= 50")])
    [found] = findings(built, "LS302")
    assert found.message == "Leads with Lead score 45 to 49 are in no stage (example: lead_score=45, ...)"
    assert found.witness is not None and found.witness["lead_score"] == 45


def test_strict_decimal_bounds_leave_exactly_the_bound_out() -> None:
    built = make(FIELDS, [stage("low", "revenue < 0.5"), stage("high", "revenue > 0.5")])
    [found] = findings(built, "LS302")
    assert found.message.startswith("Leads with Annual revenue 0.5 are in no stage")
    assert found.witness is not None and found.witness["revenue"] == Decimal("0.5")
    closed = make(FIELDS, [stage("low", "revenue <= 0.5"), stage("high", "revenue > 0.5")])
    assert findings(closed, "LS302") == []


# Any non-negative decimal a criterion can hold: up to 40 significant digits, any scale.
EXACT_BOUNDS = st.builds(
    lambda digits, exponent: Decimal((0, tuple(int(c) for c in str(digits)), exponent)),
    st.integers(min_value=1, max_value=10**40),
    st.integers(min_value=-40, max_value=6),
)
NUMBER_IN_WORDS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def region_numbers(message: str) -> list[Decimal]:
    """The numbers a finding's region words state, read back as a person would type them."""
    words = message.split(" are in no stage")[0]
    return [Decimal(n.replace(",", "")) for n in NUMBER_IN_WORDS.findall(words)]


def test_region_words_state_a_long_bound_exactly() -> None:
    """Rounded to 28 digits, the bound in words was another number, one that is in a stage."""
    bound = "3.1415926535897932384626433832794"
    built = make(FIELDS, [stage("low", f"revenue < {bound}"), stage("high", f"revenue > {bound}")])
    [found] = findings(built, "LS302")
    assert found.message.startswith(f"Leads with Annual revenue {bound} are in no stage")


@settings(max_examples=60, deadline=None)
@given(bound=EXACT_BOUNDS, step=EXACT_BOUNDS)
def test_region_words_parse_back_to_the_exact_bounds(bound: Decimal, step: Decimal) -> None:
    point = make(
        FIELDS,
        [stage("low", f"revenue < {literal_code(bound)}"), stage("high", f"revenue > {literal_code(bound)}")],
    )
    [found] = findings(point, "LS302")
    assert region_numbers(found.message) == [bound]
    with localcontext() as exact:
        exact.prec = 200  # the sum of two such numbers, without rounding
        upper = bound + step
    wide = make(
        FIELDS,
        [stage("low", f"revenue < {literal_code(bound)}"), stage("high", f"revenue > {literal_code(upper)}")],
    )
    [found] = findings(wide, "LS302")
    assert region_numbers(found.message) == [bound, upper]


def test_missing_optional_value_fails_every_comparison_but_meets_its_negation() -> None:
    built = make(FIELDS, [stage("sw", 'industry == "software"'), stage("other", 'industry != "software"')])
    [found] = findings(built, "LS302")
    assert (
        found.message == "Leads with Industry not filled in are in no stage (example: industry missing, ...)"
    )
    assert found.witness is not None and "industry" not in found.witness
    negated = make(
        FIELDS, [stage("sw", 'industry == "software"'), stage("other", 'not (industry == "software")')]
    )
    assert findings(negated, "LS302") == []
    not_in = make(
        FIELDS, [stage("sw", 'industry in ["software"]'), stage("other", 'industry not in ["software"]')]
    )
    assert "Industry not filled in" in findings(not_in, "LS302")[0].message


def test_leads_outside_the_scope_are_no_gap() -> None:
    built = make(
        FIELDS,
        [stage("verified", "email_verified and lead_score >= 0")],
        scope="email_verified",
    )
    assert findings(built, "LS302") == []
    wider = make(FIELDS, [stage("verified", "email_verified and lead_score >= 10")], scope="email_verified")
    [found] = findings(wider, "LS302")
    assert "Lead score at most 9" in found.message
    assert found.span == wider.model.lifecycle.scope.span  # type: ignore[union-attr]


def test_gap_says_which_entries_the_lead_meets() -> None:
    built = make(
        FIELDS,
        [
            stage("mql", "lead_score >= 50", exits=[{"to": "sal", "when": 'sdr_status == "accepted"'}]),
            stage("sal", 'sdr_status == "accepted" and lead_score >= 60'),
            stage("low", "lead_score < 50"),
        ],
    )
    [found] = findings(built, "LS302")
    assert "Lead score 50 to 59 and SDR status accepted" in found.message
    assert "such a lead meets the entry of MQL but also one of its exits" in found.message
    assert [r.span for r in found.related] == [built.model.stages[0].span]


# -- LS303 hand-off gap -----------------------------------------------------------


def test_handoff_gap_with_and_without_set() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "mql",
                "lead_score >= 50",
                label="MQL",
                exits=[
                    {"to": "sal", "when": 'sdr_status == "accepted"'},
                    {"to": "nurture", "when": 'sdr_status == "rejected"', "set": {"lead_score": 0}},
                ],
            ),
            stage("sal", 'sdr_status == "accepted" and lead_score >= 60', label="SAL"),
            stage("nurture", "lead_score < 50", label="Nurture"),
        ],
    )
    [found] = findings(built, "LS303")  # the reset score lands every rejected lead in Nurture
    assert found.message == (
        "Leads with Lead score 50 to 59 and SDR status accepted leave MQL for SAL but do not meet the "
        "entry of SAL, so they end up in no stage (example: lead_score=50, sdr_status=accepted, ...)"
    )
    assert found.span == built.model.stages[0].exits[0].span
    assert found.related[0].span == built.model.stages[1].entry.span  # type: ignore[union-attr]


def test_handoff_gap_made_by_the_set_itself() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "mql",
                "lead_score >= 50",
                label="MQL",
                exits=[
                    {
                        "to": "nurture",
                        "when": 'sdr_status == "rejected"',
                        "set": {"lead_score": 50, "industry": None},
                    }
                ],
            ),
            stage("nurture", 'lead_score < 50 or industry == "software"', label="Nurture"),
        ],
    )
    analysis = built.analyze()
    [gap] = analysis.handoff_gaps
    assert gap.after["lead_score"] == 50 and "industry" not in gap.after
    [found] = findings(built, "LS303")
    assert "once the hand-off sets lead_score=50 and clears industry" in found.message


def test_handoff_gap_out_of_scope() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "mql",
                "lead_score >= 50",
                exits=[{"to": "nurture", "when": "true", "set": {"email_verified": False}}],
            ),
            stage("nurture", "lead_score >= 0"),
        ],
        scope="email_verified",
    )
    [gap] = built.analyze().handoff_gaps
    assert gap.missed == "scope"
    assert "are outside the lifecycle's scope after the hand-off" in findings(built, "LS303")[0].message


# -- LS304 ambiguous exit -----------------------------------------------------------


def test_ambiguous_exits_grouped_and_named() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "mql",
                "true",
                label="MQL",
                exits=[
                    {"to": "sal", "when": 'sdr_status == "accepted"'},
                    {"to": "n", "when": "lead_score < 20"},
                    {"to": "n", "when": "lead_score < 30 and email_verified"},
                ],
            ),
            stage("sal", "true", label="SAL"),
            stage("n", "true", label="N"),
        ],
    )
    messages = [d.message for d in findings(built, "LS304")]
    assert (
        "Leads with Lead score at most 19 and Email verified yes and SDR status accepted meet the entry of "
        "MQL and all 3 of its exits at once, to SAL, N (exit 2) and N (exit 3) "
        "(example: lead_score=0, email_verified=true, sdr_status=accepted, ...)"
    ) in messages
    assert len(messages) == 4


# -- LS305 dead criterion, LS306 exit always taken ----------------------------------------


def test_dead_entry_and_dead_exits() -> None:
    built = make(
        FIELDS,
        [
            stage("never", "lead_score > 60 and lead_score < 40", label="Never"),
            stage(
                "mql",
                "lead_score >= 50",
                label="MQL",
                exits=[
                    {"to": "low", "when": "lead_score < 40"},
                    {"to": "low", "when": "lead_score == 50 and lead_score == 51"},
                ],
            ),
            stage("low", "lead_score < 50", label="Low"),
        ],
    )
    messages = [d.message for d in findings(built, "LS305")]
    assert messages[0].startswith(
        "no lead can meet the entry of Never (`lead_score > 60 and lead_score < 40`)"
    )
    assert messages[1] == (
        "no lead in MQL can take the exit to Low: no lead meeting the entry of MQL also meets `lead_score < 40`"
    )
    assert messages[2].startswith(
        "no lead can meet the exit from MQL to Low (`lead_score == 50 and lead_score == 51`)"
    )


def test_entry_only_outside_scope_is_dead() -> None:
    built = make(
        FIELDS, [stage("x", "not email_verified"), stage("y", "email_verified")], scope="email_verified"
    )
    [found] = findings(built, "LS305")
    assert found.message.startswith("only leads outside the lifecycle's scope meet the entry of X")


def test_exit_always_taken_and_exits_together() -> None:
    built = make(
        FIELDS,
        [
            stage("mql", "lead_score >= 50", label="MQL", exits=[{"to": "sal", "when": "lead_score >= 40"}]),
            stage(
                "split",
                "lead_score < 50",
                label="Split",
                exits=[{"to": "sal", "when": "email_verified"}, {"to": "sal", "when": "not email_verified"}],
            ),
            stage("sal", "true", label="SAL"),
        ],
    )
    messages = [d.message for d in findings(built, "LS306")]
    assert messages[0].startswith(
        "every lead meeting the entry of MQL (`lead_score >= 50`) also meets its exit to SAL (`lead_score >= 40`), "
        "so no lead ever stays in MQL (example: lead_score=50"
    )
    assert messages[1].startswith(
        "every lead meeting the entry of Split (`lead_score < 50`) meets one of its exits, so no lead ever stays in Split"
    )
    assert registry.get("LS306").severity.value == "warning"


# -- LS307 unreachable, LS308 no way out ---------------------------------------------------


def test_unreachable_follows_live_exits_and_reason_destinations() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "response",
                "lead_score < 50",
                start=True,
                exits=[
                    {"to": "mql", "when": "lead_score > 60"},  # dead: never taken
                    {"to": "sal", "when": "email_verified", "reason": "why"},
                ],
            ),
            stage("mql", "lead_score >= 50"),
            stage("sal", "lead_score >= 50"),
            stage("nurture", "lead_score >= 50"),
            stage("old", "lead_score >= 50", deprecated=True),
        ],
        picklists={"why": {"later": "nurture"}},
    )
    assert [d.message for d in findings(built, "LS307")] == [
        "no chain of exits leads to MQL from a starting stage (RESPONSE), so no lead ever gets there"
    ]


def test_unreachable_is_skipped_without_a_start_stage() -> None:
    built = make(FIELDS, [stage("a", "lead_score < 50"), stage("b", "lead_score >= 50")])
    assert findings(built, "LS307") == []


def test_no_way_out() -> None:
    built = make(
        FIELDS,
        [
            stage("stuck", "lead_score < 10", terminal=False),
            stage(
                "blocked",
                "lead_score >= 10 and lead_score < 50",
                exits=[{"to": "done", "when": "lead_score > 60"}],
            ),
            stage("done", "lead_score >= 50"),
        ],
    )
    assert [d.message for d in findings(built, "LS308")] == [
        "STUCK is not terminal but has no exits, so a lead that gets here can never leave",
        "BLOCKED is not terminal, but no lead in it can meet any of its exits, so a lead that gets here can never leave",
    ]


# -- LS309 missing rejection path --------------------------------------------------------------


def _handoff_model(sal_exits: list[dict[str, Any]], picklists: dict[str, Any] | None = None) -> Built:
    return make(
        FIELDS,
        [
            stage(
                "mql",
                "lead_score >= 50",
                owner="marketing",
                label="MQL",
                exits=[{"to": "sal", "when": "email_verified"}],
            ),
            stage("sal", "email_verified", owner="sdr", label="SAL", exits=sal_exits),
            stage("sql", 'sdr_status == "accepted"', owner="sales", label="SQL", terminal=True),
            stage("nurture", "lead_score < 50", owner="marketing", label="Nurture", terminal=True),
            stage("disqualified", 'sdr_status == "rejected"', label="Disqualified", terminal=True),
        ],
        teams=TEAMS,
        picklists=picklists,
    )


def test_rejection_path_missing_when_only_the_bin_is_left() -> None:
    built = _handoff_model(
        [
            {"to": "sql", "when": 'sdr_status == "accepted"'},
            {"to": "disqualified", "when": 'sdr_status == "rejected"'},
        ]
    )
    [found] = findings(built, "LS309")
    assert found.message == (
        "Marketing hands leads from MQL to SAL (Sdr), but no exit of SAL sends a lead back to Marketing: "
        "a lead Sdr rejects cannot go back to nurture"
    )
    assert found.span == built.model.stages[0].exits[0].span


def test_rejection_path_back_to_marketing() -> None:
    built = _handoff_model(
        [
            {"to": "sql", "when": 'sdr_status == "accepted"'},
            {"to": "nurture", "when": 'sdr_status == "rejected"'},
        ]
    )
    assert findings(built, "LS309") == []


def test_rejection_path_through_a_reason() -> None:
    built = _handoff_model(
        [
            {"to": "sql", "when": 'sdr_status == "accepted"'},
            {"to": "disqualified", "when": 'sdr_status == "rejected"', "reason": "rejection"},
        ],
        picklists={"rejection": {"no_budget": "nurture", "spam": "disqualified"}},
    )
    assert findings(built, "LS309") == []


def test_a_dead_rejection_exit_is_no_path() -> None:
    built = _handoff_model(
        [{"to": "sql", "when": 'sdr_status == "accepted"'}, {"to": "nurture", "when": "not email_verified"}]
    )
    assert len(findings(built, "LS309")) == 1


# -- LS310 masked stage ----------------------------------------------------------------------


def test_masked_stage_under_first_match() -> None:
    built = make(
        FIELDS,
        [
            stage("mql", "lead_score >= 50", label="MQL"),
            stage("hot", "lead_score >= 80", label="Hot"),
            stage("low", "lead_score < 50", label="Low"),
        ],
        policy="first_match",
    )
    [found] = findings(built, "LS310")
    assert found.message == (
        "every lead that meets the criteria of Hot is taken first by MQL above it (the lifecycle's policy is "
        "first_match), so no lead is ever in Hot (example: lead_score=80, ... is in MQL)"
    )
    assert findings(built, "LS302") == []
    reordered = make(
        FIELDS,
        [stage("hot", "lead_score >= 80"), stage("mql", "lead_score >= 50"), stage("low", "lead_score < 50")],
        policy="first_match",
    )
    assert findings(reordered, "LS310") == []


def test_masked_by_several_earlier_stages_together() -> None:
    built = make(
        FIELDS,
        [stage("a", "email_verified"), stage("b", "not email_verified"), stage("c", "lead_score > 10")],
        policy="first_match",
    )
    [found] = findings(built, "LS310")
    assert "taken first by A and B above it" in found.message


# -- LS311 failing examples ----------------------------------------------------------------


LEAD = {"lead_score": 45, "email_verified": True, "sdr_status": "open", "revenue": 1}


def test_stage_example_in_another_stage_says_what_decided() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "mql", "email_verified and lead_score >= 50", label="MQL", examples=[("keen director", LEAD)]
            ),
            stage("response", "not email_verified or lead_score < 50", label="Response"),
        ],
    )
    [found] = findings(built, "LS311")
    assert found.message == (
        'the example "keen director" should be in MQL, but it is in Response: it does not meet '
        "`lead_score >= 50` in the entry of MQL; the example has lead_score=45"
    )
    assert found.span == built.model.stages[0].examples[0].span
    assert found.related[0].span == built.model.stages[0].entry.span  # type: ignore[union-attr]


def test_stage_example_leaving_by_an_exit() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "mql",
                "lead_score >= 40",
                label="MQL",
                exits=[{"to": "sal", "when": 'sdr_status == "open"'}],
                examples=[("open one", LEAD)],
            ),
            stage("sal", 'sdr_status == "open"', label="SAL"),
        ],
    )
    [found] = findings(built, "LS311")
    assert 'but it is in SAL: it meets `sdr_status == "open"` of the exit to SAL' in found.message


def test_example_in_no_stage_and_outside_scope() -> None:
    built = make(
        FIELDS,
        [stage("mql", "lead_score >= 50", examples=[("low", LEAD)])],
        scope="not email_verified or lead_score > 90",
    )
    [found] = findings(built, "LS311")
    assert "but it is in no stage: it is outside the lifecycle's scope" in found.message


def test_first_match_example_taken_by_an_earlier_stage() -> None:
    built = make(
        FIELDS,
        [stage("any", "lead_score >= 0"), stage("mql", "lead_score >= 40", examples=[("keen", LEAD)])],
        policy="first_match",
    )
    [found] = findings(built, "LS311")
    assert "but it is in ANY: it meets the criteria of MQL, but ANY comes first" in found.message


def test_exit_example_that_does_not_take_its_exit() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "mql",
                "lead_score >= 40",
                exits=[{"to": "sal", "when": 'sdr_status == "accepted"', "examples": [("accepted", LEAD)]}],
            ),
            stage("sal", "true"),
        ],
    )
    [found] = findings(built, "LS311")
    assert found.message == (
        'the example "accepted" should take the exit from MQL to SAL, but it does not meet '
        '`sdr_status == "accepted"` of the exit\'s condition; the example has sdr_status=open'
    )


def test_passing_and_invalid_examples_are_quiet() -> None:
    built = make(
        FIELDS,
        [
            stage(
                "mql",
                "lead_score >= 40",
                examples=[
                    ("fine", LEAD),
                    ("impossible", {**LEAD, "lead_score": 400}),
                    ("unknown field", {**LEAD, "scor": 1}),
                ],
            ),
            stage("low", "lead_score < 40"),
        ],
    )
    assert findings(built, "LS311") == []


# -- what the analysis leaves alone --------------------------------------------------------


def test_unreadable_criteria_silence_whole_lifecycle_findings_only() -> None:
    built = make(
        FIELDS,
        [
            stage("a", "lead_score < 45"),
            stage("b", "lead_score >= 50"),
            stage("c", "lead_score > 90 and lead_score < 80"),
        ],
    )
    broken = next(c for c in built.exprs if c.text == "lead_score >= 50")
    del built.exprs[broken]
    analysis = built.analyze()
    assert not analysis.complete
    assert analysis.gaps == [] and analysis.overlaps == []
    assert [d.stage.id for d in analysis.dead] == ["c"]  # still decided: it does not depend on `b`
    assert (
        analysis.stages_of({"lead_score": 1, "email_verified": True, "sdr_status": "open", "revenue": 0})
        is None
    )


def test_unreadable_scope_skips_the_analysis() -> None:
    built = make(FIELDS, [stage("a", "lead_score < 45")], scope="email_verified")
    scope = built.model.lifecycle.scope
    assert isinstance(scope, Criterion)
    del built.exprs[scope]
    analysis = built.analyze()
    assert analysis.skipped == "the lifecycle's scope could not be read"


def test_empty_field_domain_skips_the_analysis() -> None:
    built = make([*FIELDS, fld("odd", "integer", min=5, max=3)], [stage("a", "lead_score < 45")])
    assert built.analyze().skipped is not None
    assert findings(built, "LS302") == []


@pytest.mark.parametrize("policy", ["exclusive", "first_match"])
def test_stages_of_a_lead(policy: str) -> None:
    built = make(FIELDS, [stage("a", "lead_score < 50"), stage("b", "lead_score >= 40")], policy=policy)
    analysis = built.analyze()
    lead = {"lead_score": 45, "email_verified": True, "sdr_status": "open", "revenue": 0}
    found = analysis.stages_of(lead)
    assert found is not None
    assert [s.id for s in found] == (["a", "b"] if policy == "exclusive" else ["a"])
    assert analysis.stages_of({**lead, "lead_score": 500}) is None


@pytest.mark.parametrize("policy", ["exclusive", "first_match"])
def test_whether_a_lead_is_in_one_stage_agrees_with_where_it_is_placed(policy: str) -> None:
    """Membership.is_in (what an example under a stage is checked with) decides only that stage's
    criteria (and the earlier stages' under first_match), and says what stages_of says, lead by lead."""
    built = make(
        FIELDS,
        [
            stage("a", "lead_score < 50", exits=[{"to": "b", "when": "email_verified"}]),
            stage("b", "lead_score >= 40"),
            stage("c", "lead_score >= 40 and not email_verified"),
        ],
        policy=policy,
        scope="revenue < 1000",
    )
    membership = built.analyze().membership
    assert membership is not None
    leads = list(all_leads(built))
    assert len(leads) > 20
    for lead in leads:
        placed = membership.stages_of(lead)
        for one in built.model.stages:
            assert membership.is_in(one, lead) == any(s is one for s in placed), (one.id, lead)

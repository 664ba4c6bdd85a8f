"""Findings about every lead read as English: "Any lead is in no stage", not "Any lead are"."""

from __future__ import annotations

from typing import Any

from analysis_helpers import Built, fld, make, verify_witnesses

from leadspec.context import Context
from leadspec.rules import registry

FIELDS = [
    fld("lead_score", "integer", "Lead score", min=0, max=100),
    fld("sdr_status", "enum", "SDR status", values=["open", "accepted"]),
]


def messages(built: Built, code: str) -> list[str]:
    verify_witnesses(built, built.analyze())
    module = next(m for m in registry if m.rule.code == code)
    assert module.check is not None
    return [d.message for d in module.check(Context(model=built.model, exprs=built.exprs))]


def stage(ident: str, entry: str, **kw: Any) -> dict[str, Any]:
    return {"id": ident, "label": ident.upper(), "entry": entry, **kw}


def test_no_stages_at_all_is_any_lead_in_no_stage() -> None:
    assert messages(make(FIELDS, []), "LS302") == ["Any lead is in no stage (example: ...)"]


def test_a_part_of_the_leads_stays_plural() -> None:
    built = make(FIELDS, [stage("mql", "lead_score >= 50")])
    assert messages(built, "LS302") == [
        "Leads with Lead score at most 49 are in no stage (example: lead_score=0, ...)"
    ]


def test_two_stages_taking_every_lead_is_any_lead_in_both() -> None:
    built = make(FIELDS, [stage("mql", "true"), stage("sal", "true")])
    assert messages(built, "LS301") == ["Any lead is in both MQL and SAL (example: ...)"]


def test_two_exits_taken_by_every_lead_is_any_lead_meeting_both() -> None:
    exits = [{"to": "sal", "when": "true"}, {"to": "nurture", "when": "true"}]
    built = make(
        FIELDS,
        [stage("mql", "true", exits=exits), stage("sal", "false"), stage("nurture", "false")],
    )
    [said] = messages(built, "LS304")
    assert said.startswith("Any lead meets the entry of MQL and both of its exits at once")


def test_every_lead_handed_over_into_no_stage_is_it_ends_up() -> None:
    built = make(
        FIELDS,
        [
            stage("mql", "true", exits=[{"to": "sal", "when": "true", "set": {"lead_score": 0}}]),
            stage("sal", "lead_score >= 50"),
        ],
    )
    [said] = messages(built, "LS303")
    assert said.startswith(
        "Any lead leaves MQL for SAL but does not meet the entry of SAL once the hand-off sets "
        "lead_score=0, so it ends up in no stage"
    ), said

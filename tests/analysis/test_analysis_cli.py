"""The lifecycle findings end to end: YAML definitions through `leadspec check`."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write_definitions

HEAD = """leadspec: 1
teams:
  marketing: {label: Marketing}
  sdr: {label: SDR team}
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
  email_verified: {label: Email verified, type: boolean}
  sdr_status: {label: SDR status, type: enum, values: [open, accepted, rejected]}
  revenue: {label: Annual revenue, type: number, min: 0}
  industry: {label: Industry, type: enum, values: [software, finance], optional: true}
"""


def check(tmp_path: Path, stages: str, extra: str = "") -> list[str]:
    write_definitions(tmp_path, {"lifecycle.yaml": HEAD + extra + stages})
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    result = run_cli(["check", "--format", "concise", "--color", "never", "definitions"], cwd=tmp_path)
    assert result.stderr == ""
    return result.stdout.splitlines()


CLEAN = """stages:
  - id: response
    label: Response
    owner: marketing
    start: true
    entry: "true"
    exits:
      - to: mql
        when: lead_score >= 50 and sdr_status != "rejected"
      - to: nurture
        when: sdr_status == "rejected"
  - id: mql
    label: Marketing Qualified Lead
    owner: marketing
    entry: lead_score >= 50
    exits:
      - to: nurture
        when: sdr_status == "rejected"
        set: {lead_score: 0}
    examples:
      - name: engaged director
        lead: {lead_score: 72, email_verified: true, sdr_status: open, revenue: 1.5}
  - id: nurture
    label: Nurture
    owner: marketing
    entry: sdr_status == "rejected"
    terminal: true
"""


def test_a_sound_lifecycle_has_no_lifecycle_findings(tmp_path: Path) -> None:
    lines = check(tmp_path, CLEAN)
    assert not [line for line in lines if " LS3" in line], lines


def test_findings_point_into_the_file(tmp_path: Path) -> None:
    stages = CLEAN.replace("entry: lead_score >= 50\n", "entry: lead_score >= 55\n")
    lines = check(tmp_path, stages)
    gap = [line for line in lines if " LS302 " in line]
    assert gap == [
        "definitions/lifecycle.yaml:12:5: error LS302 Leads with Lead score 50 to 54 and SDR status open or "
        "accepted are in no stage (example: lead_score=50, sdr_status=open, ...); such a lead meets the entry "
        "of Response but also one of its exits"
    ]
    handoff = [line for line in lines if " LS303 " in line]
    assert handoff == [
        "definitions/lifecycle.yaml:18:9: error LS303 Leads with Lead score 50 to 54 and SDR status open or "
        "accepted leave Response for Marketing Qualified Lead but do not meet the entry of Marketing Qualified "
        "Lead, so they end up in no stage (example: lead_score=50, sdr_status=open, ...)"
    ]


def test_a_contradicting_exit_is_explained(tmp_path: Path) -> None:
    stages = CLEAN.replace('entry: "true"', "entry: lead_score < 50")
    lines = check(tmp_path, stages)
    assert [line.split(" LS")[1][:3] for line in lines if " LS3" in line] == ["305", "307"]


def test_json_output_carries_the_example_lead(tmp_path: Path) -> None:
    import json

    write_definitions(
        tmp_path, {"lifecycle.yaml": HEAD + CLEAN.replace("lead_score >= 50\n", "lead_score >= 55\n")}
    )
    (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    result = run_cli(["check", "--format", "json", "definitions"], cwd=tmp_path)
    data = json.loads(result.stdout)
    [gap] = [d for d in data["diagnostics"] if d["code"] == "LS302"]
    assert gap["witness"]["lead_score"] == 50
    assert gap["witness"]["sdr_status"] == "open"


def test_a_waiver_on_the_stage_accepts_an_overlap(tmp_path: Path) -> None:
    stages = """stages:
  - id: a
    label: A
    entry: lead_score >= 40
    terminal: true
  - id: b
    label: B
    entry: lead_score < 60
    terminal: true
    waivers:
      - {code: LS301, reason: "scores 40 to 59 are deliberately in both while we migrate"}
"""
    lines = check(tmp_path, stages)
    assert not [line for line in lines if " LS301 " in line or " LS901 " in line], lines


def test_an_unreadable_criterion_holds_the_analysis_back(tmp_path: Path) -> None:
    stages = """stages:
  - id: a
    label: A
    entry: lead_score >=
    terminal: true
  - id: b
    label: B
    entry: lead_score < 60
    terminal: true
"""
    lines = check(tmp_path, stages)
    assert any(" LS206 " in line for line in lines)
    assert not [line for line in lines if " LS30" in line and " LS300 " not in line or " LS31" in line], lines
    assert any(" LS300 " in line for line in lines)

"""`[tool.leadspec] exports`: `check` warns about a picklist with no place in a CRM the project
exports to, at the picklist, exactly when `leadspec export` for that CRM would refuse it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli, write_definitions
from leadspec.exports import CRMS

DEFINITIONS = """\
leadspec: 1
lifecycle:
  crm:
    salesforce: {object: Lead, field: Lifecycle_Stage__c}
    hubspot: {object: contacts, property: lifecyclestage}
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: lead
    label: Lead
    start: true
    crm: {hubspot: lead}
    entry: lead_score < 50
    terminal: true
  - id: mql
    label: Marketing Qualified Lead
    start: true
    crm: {hubspot: marketingqualifiedlead}
    entry: lead_score >= 50
    terminal: true
picklists:
  loss_reason:
    label: Loss reason
    crm:
      salesforce: {object: Opportunity, field: Loss_Reason__c}
      hubspot: {object: deals, property: loss_reason}
    values:
      - {id: price, label: Price, api_name: Price}
"""
# Where each CRM is missing: Dynamics has no default home for the stages; Pipedrive has one.
MISSING = {
    "salesforce": set(),
    "hubspot": set(),
    "dynamics": {"defs.yaml:3:3", "defs.yaml:23:5"},
    "pipedrive": {"defs.yaml:23:5"},
}
FINDING = re.compile(r"^definitions/(\S+:\d+:\d+): (error|warning|info) (LS\d+) ", re.MULTILINE)


def project(root: Path, exports: list[str] | None, text: str = DEFINITIONS) -> Path:
    write_definitions(root, {"defs.yaml": text})
    setting = "" if exports is None else "exports = [" + ", ".join(f'"{crm}"' for crm in exports) + "]\n"
    (root / "pyproject.toml").write_text("[tool.leadspec]\n" + setting, encoding="utf-8")
    return root


def findings(output: str, code: str = "LS501") -> dict[str, str]:
    """Place -> severity of each finding with `code`."""
    return {place: severity for place, severity, found in FINDING.findall(output) if found == code}


@pytest.mark.parametrize("crm", CRMS)
def test_check_warns_exactly_where_the_export_would_refuse(tmp_path: Path, crm: str) -> None:
    root = project(tmp_path, [crm])
    check = run_cli(["check", "--format", "concise"], cwd=root)
    export = run_cli(["export", crm, "--out", "out"], cwd=root)
    warned = findings(check.stdout)
    refused = findings(export.stdout)
    assert set(warned) == MISSING[crm]
    assert set(warned.values()) <= {"warning"} and check.exit_code == 0
    assert set(refused) == MISSING[crm] and set(refused.values()) <= {"error"}
    assert export.exit_code == (1 if MISSING[crm] else 0), export.stdout + export.stderr
    assert (root / "out").is_dir() == (not MISSING[crm])
    if MISSING[crm]:
        assert f"so `leadspec export {crm}` cannot write it" in check.stdout


def test_without_the_setting_a_crm_the_definitions_never_name_is_not_checked(tmp_path: Path) -> None:
    root = project(tmp_path, None)
    check = run_cli(["check", "--format", "concise"], cwd=root)
    assert check.exit_code == 0 and findings(check.stdout) == {}, check.stdout
    assert run_cli(["export", "dynamics", "--out", "out"], cwd=root).exit_code == 1


def test_the_warning_points_at_the_picklist_in_the_text_report(tmp_path: Path) -> None:
    root = project(tmp_path, ["pipedrive"])
    check = run_cli(["check"], cwd=root)
    assert (
        "definitions/defs.yaml:23:5: warning LS501 the picklist `loss_reason` has no place in Pipedrive"
        in (check.stdout)
    )
    assert "  23 |     label: Loss reason" in check.stdout
    assert "or take `pipedrive` out of `exports` ([tool.leadspec] in pyproject.toml)" in check.stdout


def test_once_every_picklist_has_a_place_check_is_quiet_and_every_export_works(tmp_path: Path) -> None:
    text = DEFINITIONS.replace(
        "    hubspot: {object: contacts, property: lifecyclestage}\n",
        "    hubspot: {object: contacts, property: lifecyclestage}\n"
        "    dynamics: {global_option_set: new_lifecyclestage}\n",
    ).replace(
        "      hubspot: {object: deals, property: loss_reason}\n",
        "      hubspot: {object: deals, property: loss_reason}\n"
        "      dynamics: {global_option_set: new_lossreason}\n"
        "      pipedrive: {object: deal}\n",
    )
    root = project(tmp_path, list(CRMS), text)
    check = run_cli(["check", "--format", "concise"], cwd=root)
    assert check.exit_code == 0 and "LS5" not in check.stdout, check.stdout
    for crm in CRMS:
        result = run_cli(["export", crm, "--out", f"out/{crm}"], cwd=root)
        assert result.exit_code == 0, result.stdout + result.stderr


def test_an_ignored_ls501_stays_ignored_in_the_export(tmp_path: Path) -> None:
    """Configuration applies to the export's own findings too: ignoring LS501 lets it write."""
    root = project(tmp_path, ["pipedrive"])
    (root / "pyproject.toml").write_text('[tool.leadspec]\nexports = ["pipedrive"]\nignore = ["LS501"]\n')
    assert findings(run_cli(["check", "--format", "concise"], cwd=root).stdout) == {}
    assert run_cli(["export", "pipedrive", "--out", "out"], cwd=root).exit_code == 0


def test_the_export_repeats_no_finding_check_already_made(tmp_path: Path) -> None:
    """Pipedrive is named under `crm:` (check: an error); its export says it once, not twice."""
    text = DEFINITIONS.replace(
        "    hubspot: {object: contacts, property: lifecyclestage}\n",
        "    hubspot: {object: contacts, property: lifecyclestage}\n    pipedrive: {object: lead}\n",
    )
    root = project(tmp_path, None, text)
    check = run_cli(["check", "--format", "concise"], cwd=root)
    assert findings(check.stdout) == {"defs.yaml:24:5": "error"}
    export = run_cli(["export", "pipedrive", "--out", "out"], cwd=root)
    assert export.exit_code == 1 and export.stdout.count("LS501") == 1, export.stdout

"""`leadspec export`: what a marketing-ops person sees when exporting for each CRM."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from export_cases import DEFINITIONS, export, project, tree

TARGETS = ("salesforce", "hubspot", "dynamics", "pipedrive", "csv")
SF = "{http://soap.sforce.com/2006/04/metadata}"


@pytest.mark.parametrize("target", TARGETS)
def test_every_target_exports_and_is_byte_identical_on_every_run(tmp_path: Path, target: str) -> None:
    project(tmp_path)
    first = export(tmp_path, target, "one")
    second = export(tmp_path, target, "two")
    assert first.exit_code == 0, first.stdout + first.stderr
    assert second.exit_code == 0
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one == two
    assert ".leadspec-export" in one
    for name, data in one.items():
        text = data.decode("utf-8")  # UTF-8, or this raises
        assert "\r" not in text, f"{name} has a CR line end"
        assert text.endswith("\n"), f"{name} does not end with a line break"


@pytest.mark.parametrize("target", TARGETS)
def test_a_second_export_replaces_the_first_and_reports_up_to_date(tmp_path: Path, target: str) -> None:
    project(tmp_path)
    assert export(tmp_path, target).exit_code == 0
    assert export(tmp_path, target).exit_code == 0
    checked = export(tmp_path, target, "out", "--check")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "up to date" in checked.stdout


def test_check_shows_a_diff_and_fails_when_a_label_changed(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "hubspot").exit_code == 0
    before = tree(tmp_path / "out")
    project(tmp_path, DEFINITIONS.replace("label: Spam,", "label: Junk mail,"))
    result = export(tmp_path, "hubspot", "out", "--check")
    assert result.exit_code == 1
    assert "--- a/properties/contacts/rejection_reason.create.json" in result.stdout
    assert '-      "label": "Spam",' in result.stdout
    assert '+      "label": "Junk mail",' in result.stdout
    assert "out of date" in result.stderr
    assert tree(tmp_path / "out") == before, "--check wrote something"


def test_check_reports_files_the_export_would_add_or_remove(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "csv").exit_code == 0
    (tmp_path / "out" / "stray.txt").write_text("left over\n", encoding="utf-8")
    (tmp_path / "out" / "values.csv").unlink()
    result = export(tmp_path, "csv", "out", "--check")
    assert result.exit_code == 1
    assert "--- a/stray.txt\n+++ /dev/null" in result.stdout
    assert "--- /dev/null\n+++ b/values.csv" in result.stdout


def test_check_of_a_missing_folder_is_out_of_date(tmp_path: Path) -> None:
    project(tmp_path)
    result = export(tmp_path, "csv", "never-written", "--check")
    assert result.exit_code == 1
    assert not (tmp_path / "never-written").exists()


def test_a_label_change_never_changes_an_api_value(tmp_path: Path) -> None:
    project(tmp_path)
    for target in ("salesforce", "hubspot", "dynamics"):
        assert export(tmp_path, target, f"before-{target}").exit_code == 0
    relabelled = DEFINITIONS.replace('Price & "packaging" <too high>', "Too expensive").replace(
        "label: Spam,", "label: Junk,"
    )
    assert relabelled != DEFINITIONS
    project(tmp_path, relabelled)
    for target in ("salesforce", "hubspot", "dynamics"):
        assert export(tmp_path, target, f"after-{target}").exit_code == 0

    def hubspot_values(folder: Path) -> list[str]:
        body = json.loads((folder / "properties/deals/loss_reason.create.json").read_text("utf-8"))
        return [option["value"] for option in body["options"]]

    def dynamics_values(folder: Path) -> list[tuple[int, str]]:
        body = json.loads((folder / "optionsets/new_rejectionreason.json").read_text("utf-8"))
        return [(option["Value"], option["ExternalValue"]) for option in body["Options"]]

    def salesforce_values(folder: Path) -> list[str]:
        path = folder / "force-app/main/default/globalValueSets/Loss_Reasons.globalValueSet-meta.xml"
        root = ET.parse(path).getroot()
        return [value.findtext(f"{SF}fullName") or "" for value in root.iter(f"{SF}customValue")]

    assert hubspot_values(tmp_path / "before-hubspot") == hubspot_values(tmp_path / "after-hubspot")
    assert dynamics_values(tmp_path / "before-dynamics") == dynamics_values(tmp_path / "after-dynamics")
    assert salesforce_values(tmp_path / "before-salesforce") == salesforce_values(
        tmp_path / "after-salesforce"
    )
    assert salesforce_values(tmp_path / "after-salesforce") == ["Price", "Competitor", "-Timing", "Old"]


def test_reordering_values_keeps_dynamics_option_numbers(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "dynamics", "before").exit_code == 0
    swapped = DEFINITIONS.replace(
        "      - {id: no_budget, label: Kein Budget – später, then: lead}\n      - {id: spam, label: Spam, then: lead}\n",
        "      - {id: spam, label: Spam, then: lead}\n      - {id: no_budget, label: Kein Budget – später, then: lead}\n",
    )
    assert swapped != DEFINITIONS
    project(tmp_path, swapped)
    assert export(tmp_path, "dynamics", "after").exit_code == 0

    def numbers(folder: Path) -> dict[str, int]:
        body = json.loads((folder / "optionsets/new_rejectionreason.json").read_text("utf-8"))
        return {option["ExternalValue"]: option["Value"] for option in body["Options"]}

    assert numbers(tmp_path / "before") == numbers(tmp_path / "after")
    assert all(100000000 <= n <= 100009999 for n in numbers(tmp_path / "after").values())


def test_deprecated_values_are_kept_and_marked_in_every_crm(tmp_path: Path) -> None:
    project(tmp_path)
    for target in TARGETS:
        assert export(tmp_path, target, target).exit_code == 0
    root = ET.parse(
        tmp_path / "salesforce/force-app/main/default/globalValueSets/Loss_Reasons.globalValueSet-meta.xml"
    ).getroot()
    active = {v.findtext(f"{SF}fullName"): v.findtext(f"{SF}isActive") for v in root.iter(f"{SF}customValue")}
    assert active == {"Price": "true", "Competitor": "true", "-Timing": "true", "Old": "false"}
    hubspot = json.loads((tmp_path / "hubspot/properties/deals/loss_reason.update.json").read_text("utf-8"))
    assert [(o["value"], o["hidden"]) for o in hubspot["options"]][-1] == ("Old", True)
    dynamics = json.loads((tmp_path / "dynamics/optionsets/new_lossreason.json").read_text("utf-8"))
    assert [o["ExternalValue"] for o in dynamics["Options"]][-1] == "Old"  # kept; Dataverse cannot hide it
    retired = json.loads((tmp_path / "dynamics/deprecated.json").read_text("utf-8"))
    assert [o["api_value"] for o in retired["new_lossreason"]] == ["Old"]
    pipedrive = json.loads((tmp_path / "pipedrive/fields/deal/loss_reason.json").read_text("utf-8"))
    assert [o["label"] for o in pipedrive["options"]][-1] == "@Old reason"
    assert json.loads((tmp_path / "pipedrive/deprecated.json").read_text("utf-8")) == {
        "loss_reason": ["@Old reason"]
    }
    assert "loss_reason,old_reason,'@Old reason,Old,4,false,,,price" in (
        tmp_path / "csv/values.csv"
    ).read_text("utf-8")


def test_lead_status_marks_the_converted_and_default_values(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "salesforce").exit_code == 0
    root = ET.parse(
        tmp_path / "out/force-app/main/default/standardValueSets/LeadStatus.standardValueSet-meta.xml"
    ).getroot()
    values = {
        v.findtext(f"{SF}fullName"): (v.findtext(f"{SF}default"), v.findtext(f"{SF}converted"))
        for v in root.iter(f"{SF}standardValue")
    }
    assert values == {"New": ("true", "false"), "Working": ("false", "false"), "Converted": ("false", "true")}


def test_export_refuses_while_check_finds_errors_and_leaves_the_old_export(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "csv").exit_code == 0
    before = tree(tmp_path / "out")
    project(tmp_path, DEFINITIONS.replace("entry: lead_score >= 50", "entry: lead_scor >= 50"))
    result = export(tmp_path, "csv")
    assert result.exit_code == 1
    assert "LS207" in result.stdout and "lead_scor" in result.stdout
    assert "nothing exported" in result.stderr
    assert tree(tmp_path / "out") == before


def test_an_unmapped_picklist_in_a_crm_in_use_is_a_check_error_that_stops_exports(tmp_path: Path) -> None:
    from conftest import run_cli

    project(tmp_path, DEFINITIONS.replace("      pipedrive: {}\n", ""))
    checked = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    assert checked.exit_code == 1
    assert "LS501 the picklist `rejection_reason` has no place in Pipedrive" in checked.stdout
    for target in ("pipedrive", "hubspot"):
        result = export(tmp_path, target)
        assert result.exit_code == 1
        assert "LS501" in result.stdout
    assert not (tmp_path / "out").exists()


def test_exporting_a_crm_the_definitions_never_mention_needs_every_picklist_mapped(tmp_path: Path) -> None:
    text = "\n".join(line for line in DEFINITIONS.splitlines() if "dynamics" not in line) + "\n"
    project(tmp_path)
    (tmp_path / "definitions" / "defs.yaml").write_text(text, encoding="utf-8")
    assert "dynamics" not in text
    assert export(tmp_path, "csv").exit_code == 0
    result = export(tmp_path, "dynamics", "dyn")
    assert result.exit_code == 1
    assert "so `leadspec export dynamics` cannot write it" in result.stdout
    assert "the lifecycle stages have no place in Dynamics 365" in result.stdout
    assert not (tmp_path / "dyn").exists()


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    project(tmp_path)
    result = export(tmp_path, "zoho")
    assert result.exit_code == 2
    assert "invalid choice" in result.stderr


def test_refuses_to_replace_a_folder_that_is_not_an_export(tmp_path: Path) -> None:
    project(tmp_path)
    precious = tmp_path / "out" / "notes.txt"
    precious.parent.mkdir()
    precious.write_text("my notes\n", encoding="utf-8")
    result = export(tmp_path, "csv")
    assert result.exit_code == 2
    assert "refusing to replace it" in result.stderr
    assert precious.read_text(encoding="utf-8") == "my notes\n"


def test_refuses_to_write_through_a_symbolic_link(tmp_path: Path) -> None:
    project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere)
    result = export(tmp_path, "csv")
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_refuses_to_write_through_a_symbolic_link_on_the_way(tmp_path: Path) -> None:
    project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "exports").symlink_to(elsewhere)
    result = export(tmp_path, "csv", "exports/csv")
    assert result.exit_code == 2
    assert "exports is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_salesforce_layout(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "salesforce").exit_code == 0
    assert sorted(tree(tmp_path / "out")) == [
        ".leadspec-export",
        "README.md",
        "force-app/main/default/globalValueSets/Loss_Reasons.globalValueSet-meta.xml",
        "force-app/main/default/objects/Lead/fields/Lifecycle_Stage__c.field-meta.xml",
        "force-app/main/default/objects/Lead/fields/Rejection_Reason__c.field-meta.xml",
        "force-app/main/default/objects/Opportunity/fields/Loss_Reason__c.field-meta.xml",
        "force-app/main/default/standardValueSets/LeadStatus.standardValueSet-meta.xml",
        "manifest/package.xml",
        "sfdx-project.json",
    ]
    project_file = json.loads((tmp_path / "out/sfdx-project.json").read_text("utf-8"))
    assert project_file["packageDirectories"] == [{"default": True, "path": "force-app"}]


def test_hubspot_requests_in_order_with_their_bodies(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "hubspot").exit_code == 0
    requests = json.loads((tmp_path / "out/requests.json").read_text("utf-8"))
    assert [(r["method"], r["path"]) for r in requests] == [
        ("PATCH", "/crm/v3/properties/contacts/lifecyclestage"),
        ("PATCH", "/crm/v3/properties/contacts/hs_lead_status"),
        ("POST", "/crm/v3/properties/deals"),
        ("PATCH", "/crm/v3/properties/deals/loss_reason"),
        ("POST", "/crm/v3/properties/contacts"),
        ("PATCH", "/crm/v3/properties/contacts/rejection_reason"),
    ]
    for request in requests:
        assert (tmp_path / "out" / request["body"]).is_file()
    stages = json.loads((tmp_path / "out/properties/contacts/lifecyclestage.update.json").read_text("utf-8"))
    assert stages == {
        "options": [
            {"label": "Lead", "value": "lead", "displayOrder": 1, "hidden": False},
            {
                "label": "Marketing Qualified Lead",
                "value": "marketingqualifiedlead",
                "displayOrder": 2,
                "hidden": False,
            },
        ]
    }


def test_csv_has_one_row_per_value_and_defuses_formulas(tmp_path: Path) -> None:
    import csv
    import io

    project(tmp_path)
    assert export(tmp_path, "csv").exit_code == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "out/values.csv").read_text("utf-8"))))
    assert rows[0] == [
        "picklist",
        "id",
        "label",
        "api_value",
        "order",
        "active",
        "description",
        "next_stage",
        "replaced_by",
    ]
    assert len(rows) == 1 + 2 + 3 + 4 + 2
    by_id = {(row[0], row[1]): row for row in rows[1:]}
    assert by_id[("loss_reason", "competitor")][2] == '\'=HYPERLINK("http://x")'
    assert by_id[("loss_reason", "timing")][2:4] == ["'+Timing", "'-Timing"]
    assert by_id[("loss_reason", "old_reason")][2] == "'@Old reason"
    assert by_id[("rejection_reason", "spam")] == [
        "rejection_reason",
        "spam",
        "Spam",
        "spam",
        "2",
        "true",
        "",
        "lead",
        "",
    ]
    assert by_id[("rejection_reason", "no_budget")][2] == "Kein Budget – später"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_check_loads_no_exporter() -> None:
    import subprocess
    import sys

    from conftest import REPO

    code = (
        "import sys\n"
        "from leadspec.cli import main\n"
        "main(['check', '--format', 'concise', 'definitions'])\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('leadspec.exports.') "
        "and m.split('.')[-1] in ('salesforce', 'hubspot', 'dynamics', 'pipedrive', 'csv', 'writer')))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert "LOADED []" in completed.stdout, completed.stdout + completed.stderr

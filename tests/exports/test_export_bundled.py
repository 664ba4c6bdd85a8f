"""The bundled definitions and the `leadspec init` starter export to every CRM the README lists.

Each export lists the lifecycle stages in lifecycle order, the order the site uses
(`flow.lifecycle_flow`): SAL right after MQL, Disqualified at the end, whatever order the
files list them in.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import REPO, run_cli
from leadspec.api import load
from leadspec.config import load_config
from leadspec.exports import CRMS, TARGETS
from leadspec.exports.crmrules import crms_in_use
from leadspec.flow import lifecycle_flow

DEFINITIONS = REPO / "definitions"
SF = "{http://soap.sforce.com/2006/04/metadata}"


def bundled_order() -> list[str]:
    loaded = load([DEFINITIONS], load_config(start=REPO))
    return list(lifecycle_flow(loaded.model).order)


def test_the_site_order_is_not_the_file_order() -> None:
    """Otherwise the tests below could not tell the two apart."""
    loaded = load([DEFINITIONS], load_config(start=REPO))
    in_files = [stage.id for stage in loaded.model.stages]
    assert in_files != bundled_order()
    assert in_files.index("sal") > in_files.index("disqualified")


def test_csv_lists_the_stages_in_lifecycle_order(tmp_path: Path) -> None:
    result = run_cli(["export", "csv", str(DEFINITIONS), "--out", str(tmp_path / "csv")], cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv/values.csv").read_text("utf-8"))))
    stages = [row for row in rows if row["picklist"] == "stages"]
    assert [row["id"] for row in stages] == bundled_order()
    assert [row["order"] for row in stages] == [str(n) for n in range(1, len(stages) + 1)]


def test_hubspot_lists_the_stages_in_lifecycle_order(tmp_path: Path) -> None:
    result = run_cli(["export", "hubspot", str(DEFINITIONS), "--out", str(tmp_path / "hs")], cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    body = json.loads((tmp_path / "hs/properties/contacts/lifecyclestage.update.json").read_text("utf-8"))
    labels = [option["label"] for option in sorted(body["options"], key=lambda o: o["displayOrder"])]
    loaded = load([DEFINITIONS], load_config(start=REPO))
    assert labels == [loaded.model.stage(ident).label for ident in bundled_order()]  # type: ignore[union-attr]


def test_salesforce_lists_the_stages_in_lifecycle_order(tmp_path: Path) -> None:
    result = run_cli(["export", "salesforce", str(DEFINITIONS), "--out", str(tmp_path / "sf")], cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    field = ElementTree.parse(next((tmp_path / "sf").rglob("Lifecycle_Stage__c.field-meta.xml")))
    labels = [element.text for element in field.iter(f"{SF}label") if element.text][
        1:
    ]  # [0]: the field's own
    loaded = load([DEFINITIONS], load_config(start=REPO))
    assert labels == [loaded.model.stage(ident).label for ident in bundled_order()]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("starter") / "acme"
    result = run_cli(["init", str(root), "--company", "Acme", "--no-ci", "--no-pre-commit"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return root


def test_check_holds_both_to_every_crm(starter: Path) -> None:
    """The bundled definitions name every CRM under `crm:`, the starter lists them in
    `exports`: either way `check` (clean on both) reports a picklist with no place in one."""
    loaded = load([DEFINITIONS], load_config(start=REPO))
    assert crms_in_use(loaded.model) == list(CRMS)
    assert load_config(start=starter).exports == CRMS


@pytest.mark.parametrize("target", TARGETS)
def test_every_crm_exports_the_bundled_definitions(tmp_path: Path, target: str) -> None:
    result = run_cli(["export", target, "--out", str(tmp_path / target)], cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Exported "), result.stdout


@pytest.mark.parametrize("target", TARGETS)
def test_every_crm_exports_the_starter(starter: Path, tmp_path: Path, target: str) -> None:
    check = run_cli(["check"], cwd=starter)
    assert check.exit_code == 0 and "LS5" not in check.stdout, check.stdout
    result = run_cli(["export", target, "--out", str(tmp_path / target)], cwd=starter)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Exported "), result.stdout


def test_dynamics_and_pipedrive_list_the_stages_in_lifecycle_order(tmp_path: Path) -> None:
    loaded = load([DEFINITIONS], load_config(start=REPO))
    labels = [loaded.model.stage(ident).label for ident in bundled_order()]  # type: ignore[union-attr]
    for target in ("dynamics", "pipedrive"):
        result = run_cli(["export", target, str(DEFINITIONS), "--out", str(tmp_path / target)], cwd=REPO)
        assert result.exit_code == 0, result.stdout + result.stderr
    choice = json.loads((tmp_path / "dynamics/optionsets/new_lifecyclestage.json").read_text("utf-8"))
    assert [option["Label"]["LocalizedLabels"][0]["Label"] for option in choice["Options"]] == labels
    field = json.loads((tmp_path / "pipedrive/fields/deal/stages.json").read_text("utf-8"))
    assert [option["label"] for option in field["options"]] == labels

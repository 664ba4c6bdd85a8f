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

from conftest import REPO, run_cli
from leadspec.api import load
from leadspec.config import load_config
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

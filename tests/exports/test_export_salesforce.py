"""The Salesforce export is a project Salesforce's own tooling loads, with valid metadata.

`@salesforce/source-deploy-retrieve` (the library behind `sf project deploy`) must resolve
the SFDX source and the package.xml to the same components and convert the project to
Metadata API format. That library does not look inside the elements, so the XML is also
checked here against the Metadata API's element names, their order and its value rules.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from export_cases import export, project

from conftest import REPO, run_cli
from leadspec.exports.sfvaluesets import STANDARD_VALUE_SETS

SFDX = Path(__file__).parent / "sfdx"
SDR = SFDX / "node_modules" / "@salesforce" / "source-deploy-retrieve"
NS = "{http://soap.sforce.com/2006/04/metadata}"

# Element names in the order of the Metadata API's schema (fullName first, base type first).
CUSTOM_VALUE = ["fullName", "color", "default", "description", "isActive", "label"]
STANDARD_VALUE = CUSTOM_VALUE + [
    "allowEmail", "closed", "converted", "cssExposed", "forecastCategory", "groupingString",
    "highPriority", "probability", "reverseRole", "reviewed", "won",
]  # fmt: skip
TYPES = {
    "StandardValueSet": ["fullName", "groupingStringEnum", "sorted", "standardValue"],
    "GlobalValueSet": ["fullName", "customValue", "description", "masterLabel", "sorted"],
    "CustomField": [
        "fullName",
        "businessOwnerGroup",
        "businessStatus",
        "description",
        "externalId",
        "inlineHelpText",
        "label",
        "required",
        "trackHistory",
        "trackTrending",
        "type",
        "valueSet",
    ],  # fmt: skip
    "valueSet": ["controllingField", "restricted", "valueSetDefinition", "valueSetName", "valueSettings"],
    "valueSetDefinition": ["sorted", "value"],
    "Package": ["fullName", "types", "version"],
    "types": ["members", "name"],
}
REQUIRED = {
    "StandardValueSet": {"sorted", "standardValue"},
    "GlobalValueSet": {"customValue", "masterLabel", "sorted"},
    "CustomField": {"fullName", "label", "type", "valueSet"},
    "valueSetDefinition": {"sorted", "value"},
}


def local(element: ET.Element) -> str:
    return element.tag.removeprefix(NS)


def check_children(element: ET.Element, allowed: list[str], where: str) -> None:
    names = [local(child) for child in element]
    unknown = [name for name in names if name not in allowed]
    assert not unknown, f"{where}: {unknown} are no {local(element)} elements"
    positions = [allowed.index(name) for name in names]
    assert positions == sorted(positions), f"{where}: elements out of the schema's order: {names}"
    missing = REQUIRED.get(local(element), set()) - set(names)
    assert not missing, f"{where}: required {sorted(missing)} missing"


def check_values(values: list[ET.Element], allowed: list[str], where: str, lead_status: bool = False) -> None:
    assert 1 <= len(values) <= 1000, f"{where}: {len(values)} values (1 to 1,000 allowed)"
    names = []
    for value in values:
        check_children(value, allowed, where)
        full_name = value.findtext(f"{NS}fullName") or ""
        label = value.findtext(f"{NS}label") or ""
        assert full_name and len(full_name) <= 255 and full_name == full_name.strip(), where
        assert label and len(label) <= 255, where
        assert len(value.findtext(f"{NS}description") or "") <= 255, where
        for flag in ("default", "isActive", "converted"):
            assert value.findtext(f"{NS}{flag}") in (None, "true", "false"), where
        names.append(full_name.casefold())
    assert len(names) == len(set(names)), f"{where}: duplicate value names"
    defaults = [v for v in values if v.findtext(f"{NS}default") == "true"]
    assert len(defaults) <= 1, f"{where}: more than one default"
    if lead_status:
        assert all(v.find(f"{NS}converted") is not None for v in values), f"{where}: converted missing"
        assert any(
            v.findtext(f"{NS}converted") == "true" and v.findtext(f"{NS}isActive") != "false" for v in values
        ), f"{where}: no active converted status"


def check_project(folder: Path) -> list[str]:
    """Every Metadata API rule the export must meet; returns the components found."""
    project_file = json.loads((folder / "sfdx-project.json").read_text("utf-8"))
    assert [d["path"] for d in project_file["packageDirectories"]] == ["force-app"]
    package = ET.parse(folder / "manifest/package.xml").getroot()
    assert local(package) == "Package"
    check_children(package, TYPES["Package"], "package.xml")
    assert package.findtext(f"{NS}version") == project_file["sourceApiVersion"]
    listed = []
    for types in package.findall(f"{NS}types"):
        check_children(types, TYPES["types"], "package.xml types")
        kind = types.findtext(f"{NS}name")
        listed += [f"{kind}:{m.text}" for m in types.findall(f"{NS}members")]
    found = []
    base = folder / "force-app/main/default"
    for path in sorted(base.rglob("*-meta.xml")):
        root = ET.parse(path).getroot()
        kind = local(root)
        where = path.relative_to(folder).as_posix()
        check_children(root, TYPES[kind], where)
        if kind == "StandardValueSet":
            name = path.name.removesuffix(".standardValueSet-meta.xml")
            assert name in STANDARD_VALUE_SETS, f"{where}: no standard value set is called {name}"
            values = root.findall(f"{NS}standardValue")
            check_values(values, STANDARD_VALUE, where, lead_status=name == "LeadStatus")
            found.append(f"StandardValueSet:{name}")
        elif kind == "GlobalValueSet":
            name = path.name.removesuffix(".globalValueSet-meta.xml")
            assert root.findtext(f"{NS}masterLabel"), f"{where}: masterLabel is required"
            check_values(root.findall(f"{NS}customValue"), CUSTOM_VALUE, where)
            found.append(f"GlobalValueSet:{name}")
        else:
            assert kind == "CustomField"
            obj = path.parent.parent.name
            name = root.findtext(f"{NS}fullName") or ""
            assert path.name == f"{name}.field-meta.xml"
            assert name.endswith("__c") and len(name) - 3 <= 40, where
            assert len(root.findtext(f"{NS}label") or "") <= 40, f"{where}: label over 40 characters"
            assert len(root.findtext(f"{NS}description") or "") <= 1000, where
            assert root.findtext(f"{NS}type") == "Picklist"
            value_set = root.find(f"{NS}valueSet")
            assert value_set is not None
            check_children(value_set, TYPES["valueSet"], where)
            definition = value_set.find(f"{NS}valueSetDefinition")
            assert (definition is None) != (value_set.find(f"{NS}valueSetName") is None), where
            if definition is not None:
                check_children(definition, TYPES["valueSetDefinition"], where)
                check_values(definition.findall(f"{NS}value"), CUSTOM_VALUE, where)
            found.append(f"CustomField:{obj}.{name}")
    assert sorted(found) == sorted(listed), "package.xml and the source disagree"
    return sorted(found)


def sdr(folder: Path, output: Path) -> dict:  # type: ignore[type-arg]
    node = shutil.which("node")
    if node is None or not SDR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(
                "Salesforce's metadata library is missing: .ci/run installs it with `npm ci` in tests/exports/sfdx"
            )
        pytest.skip("run `npm ci` in tests/exports/sfdx to check with Salesforce's metadata library")
    completed = subprocess.run(
        [node, str(SFDX / "convert.js"), str(folder), str(output)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_the_test_definitions_meet_the_metadata_api_rules_and_load_in_salesforce_tooling(
    tmp_path: Path,
) -> None:
    project(tmp_path)
    assert export(tmp_path, "salesforce").exit_code == 0
    components = check_project(tmp_path / "out")
    assert components == [
        "CustomField:Lead.Lifecycle_Stage__c",
        "CustomField:Lead.Rejection_Reason__c",
        "CustomField:Opportunity.Loss_Reason__c",
        "GlobalValueSet:Loss_Reasons",
        "StandardValueSet:LeadStatus",
    ]
    loaded = sdr(tmp_path / "out", tmp_path / "mdapi")
    assert loaded["source"] == components
    assert loaded["manifest"] == components
    converted = tmp_path / "mdapi" / loaded["converted"]
    assert sorted(p.relative_to(converted).as_posix() for p in converted.rglob("*") if p.is_file()) == [
        "globalValueSets/Loss_Reasons.globalValueSet",
        "objects/Lead.object",
        "objects/Opportunity.object",
        "package.xml",
        "standardValueSets/LeadStatus.standardValueSet",
    ]
    lead = ET.parse(converted / "objects/Lead.object").getroot()
    assert [f.findtext(f"{NS}fullName") for f in lead.findall(f"{NS}fields")] == [
        "Lifecycle_Stage__c",
        "Rejection_Reason__c",
    ]


def test_the_bundled_definitions_load_in_salesforce_tooling(tmp_path: Path) -> None:
    result = run_cli(
        ["export", "salesforce", str(REPO / "definitions"), "--out", str(tmp_path / "out")], cwd=REPO
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    components = check_project(tmp_path / "out")
    loaded = sdr(tmp_path / "out", tmp_path / "mdapi")
    assert loaded["source"] == loaded["manifest"] == components


def test_leadspec_knows_exactly_the_standard_value_sets_salesforce_tooling_knows() -> None:
    registry = SDR / "lib" / "src" / "registry" / "stdValueSetRegistry.json"
    if not registry.is_file():
        sdr(Path("."), Path("."))  # skips or fails with the install hint
    names = set(json.loads(registry.read_text("utf-8"))["fullnames"])
    assert names == set(STANDARD_VALUE_SETS)


def test_the_checker_catches_what_the_metadata_api_rejects(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "salesforce").exit_code == 0
    path = tmp_path / "out/force-app/main/default/globalValueSets/Loss_Reasons.globalValueSet-meta.xml"
    original = path.read_text("utf-8")
    path.write_text(original.replace("<masterLabel>Loss reason</masterLabel>\n", ""), "utf-8")
    with pytest.raises(AssertionError, match="masterLabel"):
        check_project(tmp_path / "out")
    path.write_text(original.replace("<label>", "<labell>").replace("</label>", "</labell>"), "utf-8")
    with pytest.raises(AssertionError, match="labell"):
        check_project(tmp_path / "out")

"""Dynamics 365 and Pipedrive: the request bodies have the shape their Web APIs document."""

from __future__ import annotations

import json
from pathlib import Path

from export_cases import export, project

LABEL_TYPE = "Microsoft.Dynamics.CRM.Label"


def load(path: Path) -> object:
    return json.loads(path.read_text("utf-8"))


def check_label(label: object, language: int) -> str:
    assert isinstance(label, dict) and label["@odata.type"] == LABEL_TYPE
    (localized,) = label["LocalizedLabels"]
    assert localized == {
        "@odata.type": "Microsoft.Dynamics.CRM.LocalizedLabel",
        "Label": localized["Label"],
        "LanguageCode": language,
    }
    return str(localized["Label"])


def test_dynamics_global_choices_and_the_column_that_uses_one(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "dynamics").exit_code == 0
    out = tmp_path / "out"
    requests = load(out / "requests.json")
    assert requests == [
        {
            "method": "POST",
            "path": "/api/data/v9.2/GlobalOptionSetDefinitions",
            "body": "optionsets/new_lifecyclestage.json",
        },
        {
            "method": "POST",
            "path": "/api/data/v9.2/GlobalOptionSetDefinitions",
            "body": "optionsets/new_leadstatus.json",
        },
        {
            "method": "POST",
            "path": "/api/data/v9.2/GlobalOptionSetDefinitions",
            "body": "optionsets/new_lossreason.json",
        },
        {
            "method": "POST",
            "path": "/api/data/v9.2/GlobalOptionSetDefinitions",
            "body": "optionsets/new_rejectionreason.json",
        },
        {
            "method": "POST",
            "path": "/api/data/v9.2/EntityDefinitions(LogicalName='lead')/Attributes",
            "body": "attributes/lead/new_lifecyclestage.json",
        },
    ]
    for request in requests[:4]:
        body = load(out / request["body"])
        assert isinstance(body, dict)
        assert body["@odata.type"] == "Microsoft.Dynamics.CRM.OptionSetMetadata"
        assert body["IsGlobal"] is True and body["OptionSetType"] == "Picklist"
        language = 1031 if body["Name"] == "new_lossreason" else 1033
        check_label(body["DisplayName"], language)
        values = [option["Value"] for option in body["Options"]]
        assert len(values) == len(set(values)) and all(isinstance(v, int) for v in values)
        for option in body["Options"]:
            assert set(option) <= {"Value", "Label", "Description", "ExternalValue", "IsHidden"}
            check_label(option["Label"], language)
    loss = load(out / "optionsets/new_lossreason.json")
    assert isinstance(loss, dict)
    assert [(o["Value"], o["ExternalValue"]) for o in loss["Options"]][0] == (200000001, "Price")
    assert all(200000000 <= o["Value"] <= 200009999 for o in loss["Options"])
    column = load(out / "attributes/lead/new_lifecyclestage.json")
    assert isinstance(column, dict)
    assert column["@odata.type"] == "Microsoft.Dynamics.CRM.PicklistAttributeMetadata"
    assert column["GlobalOptionSet@odata.bind"] == "/GlobalOptionSetDefinitions(Name='new_lifecyclestage')"
    assert column["SchemaName"] == "new_lifecyclestage"


def test_pipedrive_fields_by_object_with_labels_in_order(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "pipedrive").exit_code == 0
    out = tmp_path / "out"
    requests = load(out / "requests.json")
    assert [(r["method"], r["path"], r["body"]) for r in requests] == [
        ("POST", "/v1/dealFields", "fields/deal/stages.json"),
        ("POST", "/v1/personFields", "fields/person/lead_status.json"),
        ("POST", "/v1/dealFields", "fields/deal/loss_reason.json"),
        ("POST", "/v1/dealFields", "fields/deal/rejection_reason.json"),
    ]
    stages = load(out / "fields/deal/stages.json")
    assert stages == {
        "name": "Lifecycle stage",
        "field_type": "enum",
        "options": [{"label": "Lead"}, {"label": "Marketing Qualified Lead"}],
    }
    loss = load(out / "fields/deal/loss_reason.json")
    assert isinstance(loss, dict)
    assert [o["label"] for o in loss["options"]] == [
        'Price & "packaging" <too high>',
        '=HYPERLINK("http://x")',
        "+Timing",
        "@Old reason",
    ]

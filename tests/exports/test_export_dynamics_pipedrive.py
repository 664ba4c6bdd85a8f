"""Dynamics 365 and Pipedrive: the request bodies have the shape their Web APIs document."""

from __future__ import annotations

import json
from pathlib import Path

from export_cases import DEFINITIONS, export, project

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
            # IsHidden is read-only in Dataverse's OptionMetadata: sending it would hide nothing.
            assert set(option) <= {"Value", "Label", "Description", "ExternalValue"}
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


def test_dynamics_rerun_updates_existing_options_and_inserts_new_ones(tmp_path: Path) -> None:
    """Creating a choice that exists fails; a later run needs UpdateOptionValue / InsertOptionValue."""
    project(tmp_path)
    assert export(tmp_path, "dynamics").exit_code == 0
    out = tmp_path / "out"
    rerun = load(out / "rerun.json")
    assert isinstance(rerun, dict) and set(rerun) == {"options", "publish"}
    created = {}
    for request in load(out / "requests.json")[:4]:  # type: ignore[index]
        body = load(out / request["body"])
        created[body["Name"]] = body  # type: ignore[index]
    expected = [(name, option["Value"]) for name, body in created.items() for option in body["Options"]]
    assert [(o["option_set"], o["value"]) for o in rerun["options"]] == expected
    for entry in rerun["options"]:
        option = next(o for o in created[entry["option_set"]]["Options"] if o["Value"] == entry["value"])
        assert entry["update"]["path"] == "/api/data/v9.2/UpdateOptionValue"
        assert entry["insert"]["path"] == "/api/data/v9.2/InsertOptionValue"
        update, insert = load(out / entry["update"]["body"]), load(out / entry["insert"]["body"])
        assert update == {
            "OptionSetName": entry["option_set"],
            "MergeLabels": True,
            **{key: value for key, value in option.items() if key != "ExternalValue"},
        }
        assert insert == {"OptionSetName": entry["option_set"], **option}
    assert [p["body"] for p in rerun["publish"]] == [f"publish/{name}.json" for name in created]
    assert load(out / "publish/new_lossreason.json") == {
        "ParameterXml": "<importexportxml><optionsets><optionset>new_lossreason</optionset>"
        "</optionsets></importexportxml>"
    }


def test_dynamics_deprecated_values_stay_and_are_listed_with_how_to_keep_them_off_forms(
    tmp_path: Path,
) -> None:
    project(tmp_path)
    assert export(tmp_path, "dynamics").exit_code == 0
    out = tmp_path / "out"
    loss = load(out / "optionsets/new_lossreason.json")
    old = [o for o in loss["Options"] if o["ExternalValue"] == "Old"]  # type: ignore[index]
    assert len(old) == 1
    assert load(out / "deprecated.json") == {
        "new_lossreason": [
            {"value": old[0]["Value"], "label": "@Old reason", "api_value": "Old", "replaced_by": "price"}
        ]
    }
    readme = (out / "README.md").read_text("utf-8")
    assert "IsHidden" in readme and "removeOption" in readme and "rerun.json" in readme


def test_pipedrive_fields_api_v2_by_object_with_labels_in_order(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "pipedrive").exit_code == 0
    out = tmp_path / "out"
    requests = load(out / "requests.json")
    assert [(r["method"], r["path"], r["body"]) for r in requests] == [  # type: ignore[union-attr]
        ("POST", "/api/v2/dealFields", "fields/deal/stages.json"),
        ("POST", "/api/v2/personFields", "fields/person/lead_status.json"),
        ("POST", "/api/v2/dealFields", "fields/deal/loss_reason.json"),
        ("POST", "/api/v2/dealFields", "fields/deal/rejection_reason.json"),
    ]
    stages = load(out / "fields/deal/stages.json")
    assert stages == {
        "field_name": "Lifecycle stage",
        "field_type": "enum",
        "options": [{"label": "Lead"}, {"label": "Marketing Qualified Lead"}],
    }
    loss = load(out / "fields/deal/loss_reason.json")
    assert isinstance(loss, dict)
    assert loss["description"] == "Why the prospect did not buy."
    assert [o["label"] for o in loss["options"]] == [
        'Price & "packaging" <too high>',
        '=HYPERLINK("http://x")',
        "+Timing",
        "@Old reason",
    ]
    assert load(out / "deprecated.json") == {"loss_reason": ["@Old reason"]}
    readme = (out / "README.md").read_text("utf-8")
    assert "/v1/" not in readme and "api_token=" not in readme and "x-api-token" in readme


def test_pipedrive_a_field_that_exists_gets_options_added_not_a_second_field(tmp_path: Path) -> None:
    project(
        tmp_path, DEFINITIONS.replace("pipedrive: {object: deal}", "pipedrive: {object: deal, field: a1b2c3}")
    )
    assert export(tmp_path, "pipedrive").exit_code == 0
    out = tmp_path / "out"
    requests = load(out / "requests.json")
    (existing,) = [r for r in requests if "a1b2c3" in r["path"]]  # type: ignore[union-attr]
    assert existing["method"] == "POST" and existing["path"] == "/api/v2/dealFields/a1b2c3/options"
    body = load(out / existing["body"])
    assert isinstance(body, list) and body[0] == {"label": 'Price & "packaging" <too high>'}
    assert not (out / "fields/deal/loss_reason.json").exists()

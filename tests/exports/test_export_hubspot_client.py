"""HubSpot's own Python client accepts every request body of the HubSpot export.

The bodies go through `hubspot-api-client`'s deserializer into its `PropertyCreate` and
`PropertyUpdate` models with client-side validation switched on (required fields, allowed
`type` and `fieldType` values, option fields), and must serialise back unchanged: a key the
client does not know would be dropped and fail the comparison.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from export_cases import export, project

from conftest import REPO, run_cli

hubspot = pytest.importorskip("hubspot.crm.properties", reason="test extra: hubspot-api-client")


def client() -> object:
    from hubspot.crm.properties import ApiClient, Configuration

    configuration = Configuration()
    configuration.client_side_validation = True
    return ApiClient(configuration)


def load(api: object, body: dict, model: str) -> object:  # type: ignore[type-arg]
    response = SimpleNamespace(data=json.dumps(body))
    return api.deserialize(response, model)  # type: ignore[attr-defined]


def bodies(folder: Path) -> list[tuple[str, dict, str]]:  # type: ignore[type-arg]
    requests = json.loads((folder / "requests.json").read_text("utf-8"))
    found = []
    for request in requests:
        body = json.loads((folder / request["body"]).read_text("utf-8"))
        model = "PropertyCreate" if request["method"] == "POST" else "PropertyUpdate"
        found.append((request["body"], body, model))
    return found


def check_folder(folder: Path) -> int:
    api = client()
    checked = 0
    for name, body, model in bodies(folder):
        instance = load(api, body, model)
        assert type(instance).__name__ == model
        assert api.sanitize_for_serialization(instance) == body, (
            f"{name}: the client dropped or changed something"
        )
        for option in instance.options or []:
            assert type(option).__name__ == "OptionInput"
        checked += 1
    return checked


def test_every_body_of_the_test_definitions_is_accepted(tmp_path: Path) -> None:
    project(tmp_path)
    assert export(tmp_path, "hubspot").exit_code == 0
    assert check_folder(tmp_path / "out") == 6


def test_every_body_of_the_bundled_definitions_is_accepted(tmp_path: Path) -> None:
    result = run_cli(
        ["export", "hubspot", str(REPO / "definitions"), "--out", str(tmp_path / "out")], cwd=REPO
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert check_folder(tmp_path / "out") >= 2


def test_the_client_really_validates() -> None:
    api = client()
    with pytest.raises(ValueError, match="type"):
        load(
            api,
            {"name": "x", "label": "X", "type": "picklist", "fieldType": "select", "groupName": "g"},
            "PropertyCreate",
        )
    with pytest.raises(ValueError, match="label"):
        load(api, {"options": [{"value": "a", "displayOrder": 1, "hidden": False}]}, "PropertyUpdate")

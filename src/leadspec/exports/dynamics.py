"""Dynamics 365 (Dataverse): global choice definitions for the Web API.

Layout:

    requests.json                                   the requests, in order
    optionsets/<name>.json                          POST /api/data/v9.2/GlobalOptionSetDefinitions
    attributes/<entity>/<attribute>.json            POST .../EntityDefinitions(LogicalName='<entity>')/Attributes

Each option has its integer `Value` (declared with `crm: {dynamics: N}` on the value, or
derived from the value's id inside the publisher's range, so it never changes), the API
value as `ExternalValue`, and `IsHidden` for deprecated values, which stay in the set. A
picklist mapped to an `entity` and `attribute` also gets a new choice column bound to it.
"""

from __future__ import annotations

from typing import Any

from leadspec.exports.formats import json_bytes
from leadspec.exports.homes import DynamicsHome, resolve
from leadspec.exports.picklists import ValueSet, value_sets
from leadspec.model import Model

API = "/api/data/v9.2"
README = """\
# Dynamics 365 export (written by `leadspec export dynamics`; do not edit by hand)

`requests.json` lists the Web API requests, in order, each with the file that is its JSON
body: first the global choices (option sets), then any choice columns that use them. Send
them with any HTTP client to your environment's URL, for example:

    curl -X POST https://YOUR_ORG.crm.dynamics.com/api/data/v9.2/GlobalOptionSetDefinitions \\
      -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
      --data @optionsets/new_rejectionreason.json

Option values are fixed numbers; deprecated values are hidden options, never removed.
"""


def _label(text: str, language: int) -> dict[str, Any]:
    return {
        "@odata.type": "Microsoft.Dynamics.CRM.Label",
        "LocalizedLabels": [
            {"@odata.type": "Microsoft.Dynamics.CRM.LocalizedLabel", "Label": text, "LanguageCode": language}
        ],
    }


def option_set(value_set: ValueSet, home: DynamicsHome) -> dict[str, Any]:
    language = home.language_number
    found: list[dict[str, Any]] = []
    for value in value_set.values:
        option: dict[str, Any] = {
            "Value": home.option_value(value),
            "Label": _label(value.label, language),
            "ExternalValue": value.api_value,
            "IsHidden": not value.active,
        }
        if value.description and not value_set.is_stages:
            option["Description"] = _label(value.description, language)
        found.append(option)
    body: dict[str, Any] = {
        "@odata.type": "Microsoft.Dynamics.CRM.OptionSetMetadata",
        "Name": home.option_set,
        "DisplayName": _label(value_set.label, language),
        "IsGlobal": True,
        "OptionSetType": "Picklist",
        "Options": found,
    }
    if value_set.description:
        body["Description"] = _label(value_set.description, language)
    return body


def render(model: Model) -> dict[str, bytes]:
    files: dict[str, bytes] = {"README.md": README.encode("utf-8")}
    sets: list[dict[str, str]] = []
    columns: list[dict[str, str]] = []
    for value_set in value_sets(model):
        home = resolve(value_set, "dynamics")
        if not isinstance(home, DynamicsHome) or not home.option_set:
            continue
        name = f"optionsets/{home.option_set}.json"
        files[name] = json_bytes(option_set(value_set, home))
        sets.append({"method": "POST", "path": f"{API}/GlobalOptionSetDefinitions", "body": name})
        if home.entity and home.attribute:
            column = {
                "@odata.type": "Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
                "SchemaName": home.attribute,
                "DisplayName": _label(value_set.label, home.language_number),
                "RequiredLevel": {
                    "Value": "None",
                    "CanBeChanged": True,
                    "ManagedPropertyLogicalName": "canmodifyrequirementlevelsettings",
                },
                "GlobalOptionSet@odata.bind": f"/GlobalOptionSetDefinitions(Name='{home.option_set}')",
            }
            path = f"attributes/{home.entity}/{home.attribute}.json"
            files[path] = json_bytes(column)
            columns.append(
                {
                    "method": "POST",
                    "path": f"{API}/EntityDefinitions(LogicalName='{home.entity}')/Attributes",
                    "body": path,
                }
            )
    files["requests.json"] = json_bytes(sets + columns)
    return files

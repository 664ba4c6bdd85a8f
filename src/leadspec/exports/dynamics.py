"""Dynamics 365 (Dataverse): global choices for the Web API, the first time and every time after.

Layout:

    requests.json                                   the first run, in order
    optionsets/<name>.json                          POST /api/data/v9.2/GlobalOptionSetDefinitions
    attributes/<entity>/<attribute>.json            POST .../EntityDefinitions(LogicalName='<entity>')/Attributes
    rerun.json                                      every later run: per option, update or insert
    options/<name>/<value>.update.json              POST /api/data/v9.2/UpdateOptionValue
    options/<name>/<value>.insert.json              POST /api/data/v9.2/InsertOptionValue
    publish/<name>.json                             POST /api/data/v9.2/PublishXml
    deprecated.json                                 the options of deprecated values, by choice

Each option has its integer `Value` (declared with `crm: {dynamics: N}` on the value, or
derived from the value's id inside the publisher's range, so it never changes) and the API
value as `ExternalValue`. Creating a global choice that exists fails, so a later run updates
each option that is there (UpdateOptionValue, labels merged with other languages) and
inserts each new one (InsertOptionValue), then publishes the choice. Dataverse cannot retire
an option through the API: `OptionMetadata.IsHidden` is read-only in the SDK, so it is not
sent; deprecated values stay in the choice and are listed in `deprecated.json`, and the
README says how to keep them off forms.
"""

from __future__ import annotations

from typing import Any

from leadspec.exports.formats import json_bytes
from leadspec.exports.homes import DynamicsHome, resolve
from leadspec.exports.picklists import Value, ValueSet, value_sets
from leadspec.model import Model

API = "/api/data/v9.2"
README = """\
# Dynamics 365 export (written by `leadspec export dynamics`; do not edit by hand)

## The first time

`requests.json` lists the Web API requests, in order, each with the file that is its JSON
body: first the global choices (option sets), then the choice columns that use them. Send
them with any HTTP client to your environment's URL, for example:

    curl -X POST https://YOUR_ORG.crm.dynamics.com/api/data/v9.2/GlobalOptionSetDefinitions \\
      -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
      --data @optionsets/new_rejectionreason.json

## Every time after

Creating a global choice that already exists fails, and so does a column that exists. To
bring existing choices up to date, use `rerun.json` instead. Read the choice's options
first (`GET /api/data/v9.2/GlobalOptionSetDefinitions(Name='NAME')`), then, for each
option in `rerun.json`:

- its `Value` is in the choice: send `update` (UpdateOptionValue: the label and
  description; `MergeLabels` keeps the other languages' labels);
- it is not: send `insert` (InsertOptionValue, with the same fixed `Value`).

Then send each choice's `publish` request (PublishXml), or publish all customizations in
the maker portal. Option values never change, so records keep their values.

## Deprecated values

Deprecated values stay in the choice, because records still hold them: never delete them.
Dataverse has no inactive option that the API can set (`IsHidden` is read-only in the
SDK's `OptionMetadata`). `deprecated.json` lists them with their values; to keep users from
picking one on a model-driven form, remove it from the form's control in an OnLoad handler
(client API `formContext.getControl("COLUMN").removeOption(VALUE)`); records that hold it
still show it.
"""


def _label(text: str, language: int) -> dict[str, Any]:
    return {
        "@odata.type": "Microsoft.Dynamics.CRM.Label",
        "LocalizedLabels": [
            {"@odata.type": "Microsoft.Dynamics.CRM.LocalizedLabel", "Label": text, "LanguageCode": language}
        ],
    }


def _option(value: Value, home: DynamicsHome, value_set: ValueSet) -> dict[str, Any]:
    language = home.language_number
    option: dict[str, Any] = {
        "Value": home.option_value(value),
        "Label": _label(value.label, language),
        "ExternalValue": value.api_value,
    }
    if value.description and not value_set.is_stages:
        option["Description"] = _label(value.description, language)
    return option


def option_set(value_set: ValueSet, home: DynamicsHome) -> dict[str, Any]:
    language = home.language_number
    body: dict[str, Any] = {
        "@odata.type": "Microsoft.Dynamics.CRM.OptionSetMetadata",
        "Name": home.option_set,
        "DisplayName": _label(value_set.label, language),
        "IsGlobal": True,
        "OptionSetType": "Picklist",
        "Options": [_option(value, home, value_set) for value in value_set.values],
    }
    if value_set.description:
        body["Description"] = _label(value_set.description, language)
    return body


def _rerun(value_set: ValueSet, home: DynamicsHome, files: dict[str, bytes]) -> list[dict[str, Any]]:
    """Per option, the UpdateOptionValue and the InsertOptionValue request for a later run."""
    found: list[dict[str, Any]] = []
    for value in value_set.values:
        option = _option(value, home, value_set)
        number = option["Value"]
        shown = {key: item for key, item in option.items() if key != "ExternalValue"}
        update = {"OptionSetName": home.option_set, **shown, "MergeLabels": True}
        insert = {"OptionSetName": home.option_set, **option}
        base = f"options/{home.option_set}/{number}"
        files[f"{base}.update.json"] = json_bytes(update)
        files[f"{base}.insert.json"] = json_bytes(insert)
        found.append(
            {
                "option_set": home.option_set,
                "value": number,
                "label": value.label,
                "update": {
                    "method": "POST",
                    "path": f"{API}/UpdateOptionValue",
                    "body": f"{base}.update.json",
                },
                "insert": {
                    "method": "POST",
                    "path": f"{API}/InsertOptionValue",
                    "body": f"{base}.insert.json",
                },
            }
        )
    return found


def render(model: Model) -> dict[str, bytes]:
    files: dict[str, bytes] = {"README.md": README.encode("utf-8")}
    sets: list[dict[str, str]] = []
    columns: list[dict[str, str]] = []
    options: list[dict[str, Any]] = []
    publish: list[dict[str, str]] = []
    deprecated: dict[str, list[dict[str, Any]]] = {}
    for value_set in value_sets(model):
        home = resolve(value_set, "dynamics")
        if not isinstance(home, DynamicsHome) or not home.option_set:
            continue
        name = f"optionsets/{home.option_set}.json"
        files[name] = json_bytes(option_set(value_set, home))
        sets.append({"method": "POST", "path": f"{API}/GlobalOptionSetDefinitions", "body": name})
        options += _rerun(value_set, home, files)
        xml = f"<importexportxml><optionsets><optionset>{home.option_set}</optionset></optionsets></importexportxml>"
        files[f"publish/{home.option_set}.json"] = json_bytes({"ParameterXml": xml})
        publish.append(
            {"method": "POST", "path": f"{API}/PublishXml", "body": f"publish/{home.option_set}.json"}
        )
        retired = [
            {"value": home.option_value(value), "label": value.label, "api_value": value.api_value}
            | ({"replaced_by": value.replaced_by} if value.replaced_by else {})
            for value in value_set.values
            if not value.active
        ]
        if retired:
            deprecated[home.option_set] = retired
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
    files["rerun.json"] = json_bytes({"options": options, "publish": publish})
    files["deprecated.json"] = json_bytes(deprecated)
    return files

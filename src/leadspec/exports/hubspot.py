"""HubSpot: request bodies for the CRM properties API (v3), in the order to send them.

Layout:

    requests.json                               the requests, in order
    properties/<object>/<property>.create.json  POST /crm/v3/properties/<object>
    properties/<object>/<property>.update.json  PATCH /crm/v3/properties/<object>/<property>

HubSpot's own dropdowns (`lifecyclestage`, `hs_lead_status`) only get an update body with
their options; a custom property gets a create body (first time) and an update body (every
time after). Options carry `label`, `value` (the API value), `displayOrder`, `hidden`
(deprecated values stay, hidden, so records keep them) and `description`.
"""

from __future__ import annotations

from typing import Any

from leadspec.exports.crmrules import HUBSPOT_DROPDOWNS
from leadspec.exports.formats import json_bytes
from leadspec.exports.homes import HubSpotHome, resolve
from leadspec.exports.picklists import ValueSet, value_sets
from leadspec.model import Model

README = """\
# HubSpot export (written by `leadspec export hubspot`; do not edit by hand)

`requests.json` lists the requests to send to HubSpot's CRM properties API, in order, each
with the file that is its JSON body. No script is needed; with a private app token:

    curl -X PATCH https://api.hubapi.com/crm/v3/properties/contacts/lifecyclestage \\
      -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
      --data @properties/contacts/lifecyclestage.update.json

For a custom property, send the `.create.json` body (POST) the first time and the
`.update.json` body (PATCH) after that. The options replace the property's options:
deprecated values are kept as hidden options, never removed.
"""


def options(value_set: ValueSet) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for value in value_set.values:
        option: dict[str, Any] = {
            "label": value.label,
            "value": value.api_for("hubspot"),
            "displayOrder": value.order,
            "hidden": not value.active,
        }
        if value.description and not value_set.is_stages:
            option["description"] = value.description
        found.append(option)
    return found


def render(model: Model) -> dict[str, bytes]:
    files: dict[str, bytes] = {"README.md": README.encode("utf-8")}
    requests: list[dict[str, str]] = []
    for value_set in value_sets(model):
        home = resolve(value_set, "hubspot")
        if not isinstance(home, HubSpotHome):
            continue
        base = f"properties/{home.object}/{home.property}"
        path = f"/crm/v3/properties/{home.object}/{home.property}"
        if (home.object, home.property) in HUBSPOT_DROPDOWNS:
            files[f"{base}.update.json"] = json_bytes({"options": options(value_set)})
            requests.append(
                {
                    "method": "PATCH",
                    "path": path,
                    "body": f"{base}.update.json",
                    "when": "always (HubSpot's own property)",
                }
            )
            continue
        create: dict[str, Any] = {
            "name": home.property,
            "label": value_set.label,
            "type": "enumeration",
            "fieldType": "select",
            "groupName": home.group,
            "options": options(value_set),
        }
        update: dict[str, Any] = {"label": value_set.label, "options": options(value_set)}
        if value_set.description:
            create["description"] = update["description"] = value_set.description
        files[f"{base}.create.json"] = json_bytes(create)
        files[f"{base}.update.json"] = json_bytes(update)
        requests.append(
            {
                "method": "POST",
                "path": f"/crm/v3/properties/{home.object}",
                "body": f"{base}.create.json",
                "when": "the property does not exist yet",
            }
        )
        requests.append(
            {"method": "PATCH", "path": path, "body": f"{base}.update.json", "when": "the property exists"}
        )
    files["requests.json"] = json_bytes(requests)
    return files

"""Pipedrive: field definitions for its fields API (single-option `enum` fields).

Layout:

    requests.json                     the requests, in order
    fields/<object>/<picklist>.json   POST /v1/<object>Fields

Pipedrive stores an option by a number it assigns and shows its label, so options are
written by label (the value's label, or its `crm: {pipedrive: ...}`), in the definitions'
order. Leads use the deal fields, so `object: lead` writes deal fields. Pipedrive has no inactive option: deprecated
values stay in the list (removing an option deletes it from every record) and are listed
in `deprecated.json` so an admin can tell them apart.
"""

from __future__ import annotations

from typing import Any

from leadspec.exports.formats import json_bytes
from leadspec.exports.homes import PipedriveHome, resolve
from leadspec.exports.picklists import value_sets
from leadspec.model import Model

README = """\
# Pipedrive export (written by `leadspec export pipedrive`; do not edit by hand)

`requests.json` lists the fields API requests, in order, each with the file that is its
JSON body, for example:

    curl -X POST "https://YOUR_COMPANY.pipedrive.com/api/v1/dealFields?api_token=$TOKEN" \\
      -H "Content-Type: application/json" --data @fields/deal/rejection_reason.json

This creates each field. For a field that already exists (a `field` key is given in the
definitions), compare its options by label and add the missing ones in Pipedrive.
Deprecated values stay in the list (see deprecated.json): removing an option in Pipedrive
erases it from every record that has it.
"""


def render(model: Model) -> dict[str, bytes]:
    files: dict[str, bytes] = {"README.md": README.encode("utf-8")}
    requests: list[dict[str, str]] = []
    deprecated: dict[str, list[str]] = {}
    for value_set in value_sets(model):
        home = resolve(value_set, "pipedrive")
        if not isinstance(home, PipedriveHome):
            continue
        body: dict[str, Any] = {
            "name": home.name,
            "field_type": "enum",
            "options": [{"label": value.crm.get("pipedrive", value.label)} for value in value_set.values],
        }
        api_object = "deal" if home.object == "lead" else home.object  # leads share the deal fields
        path = f"fields/{api_object}/{value_set.id}.json"
        files[path] = json_bytes(body)
        request = {"method": "POST", "path": f"/v1/{api_object}Fields", "body": path}
        if home.field:
            request["existing_field_key"] = home.field
        requests.append(request)
        retired = [value.crm.get("pipedrive", value.label) for value in value_set.values if not value.active]
        if retired:
            deprecated[value_set.id] = retired
    files["requests.json"] = json_bytes(requests)
    files["deprecated.json"] = json_bytes(deprecated)
    return files

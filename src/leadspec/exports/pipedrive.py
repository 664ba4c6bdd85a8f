"""Pipedrive: single-option (`enum`) fields for its Fields API v2.

Layout:

    requests.json                     the requests, in order
    fields/<object>/<picklist>.json   POST /api/v2/<object>Fields (a new field)
    options/<object>/<picklist>.json  POST /api/v2/<object>Fields/<field_code>/options
                                      (a field that exists: the `field` key in the definitions)
    deprecated.json                   the options of deprecated values, by picklist

Pipedrive documents its fields endpoints in API v2 (`/api/v2/dealFields`,
`/api/v2/personFields`, ...; the body of a new field is `field_name`, `field_type` and
`options`, each option a `label`) and announces the retirement of the v1 endpoints, so the
export writes v2 requests only. Pipedrive stores an option by a number it assigns and shows
its label, so options are written by label (the value's label, or its `crm: {pipedrive:
...}`), in the definitions' order. Leads use the deal fields, so `object: lead` writes deal
fields. Pipedrive has no inactive option: deprecated values stay in the list (deleting an
option erases it from every record) and are listed in `deprecated.json`.
"""

from __future__ import annotations

from typing import Any

from leadspec.exports.formats import json_bytes
from leadspec.exports.homes import PipedriveHome, resolve
from leadspec.exports.picklists import ValueSet, value_sets
from leadspec.model import Model

API = "/api/v2"
README = """\
# Pipedrive export (written by `leadspec export pipedrive`; do not edit by hand)

`requests.json` lists the Fields API v2 requests, in order, each with the file that is its
JSON body. API v2 takes the token in the `x-api-token` header (or an OAuth
`Authorization: Bearer` token), never in the URL:

    curl -X POST "https://YOUR_COMPANY.pipedrive.com/api/v2/dealFields" \\
      -H "x-api-token: $TOKEN" -H "Content-Type: application/json" \\
      --data @fields/deal/rejection_reason.json

A field without a `field` key in the definitions is created (`POST /api/v2/<object>Fields`).
Keep the `code` of the field Pipedrive answers with, and write it into the definitions
(`crm: {pipedrive: {object: deal, field: CODE}}`) so that the next export adds options to
that field instead of creating a second one.

A field with a `field` key already exists: its request adds options
(`POST /api/v2/<object>Fields/CODE/options`, all or none). Send only the options the field
does not have yet: read them first with `GET /api/v2/<object>Fields/CODE` and compare by
label. A relabelled value is renamed with `PATCH /api/v2/<object>Fields/CODE/options`
(each option's `id` and new `label`).

Pipedrive has no inactive option. Deprecated values stay in the list (see
`deprecated.json`): deleting an option erases it from every record that holds it. Tell
the team not to pick them, and rename them in Pipedrive if you want the label to say so.
"""


def _labels(value_set: ValueSet) -> list[dict[str, str]]:
    return [{"label": value.crm.get("pipedrive", value.label)} for value in value_set.values]


def render(model: Model) -> dict[str, bytes]:
    files: dict[str, bytes] = {"README.md": README.encode("utf-8")}
    requests: list[dict[str, str]] = []
    deprecated: dict[str, list[str]] = {}
    for value_set in value_sets(model):
        home = resolve(value_set, "pipedrive")
        if not isinstance(home, PipedriveHome):
            continue
        api_object = "deal" if home.object == "lead" else home.object  # leads share the deal fields
        if home.field:
            path = f"options/{api_object}/{value_set.id}.json"
            files[path] = json_bytes(_labels(value_set))
            requests.append(
                {
                    "method": "POST",
                    "path": f"{API}/{api_object}Fields/{home.field}/options",
                    "body": path,
                    "send": "only the options the field does not have yet (compare by label)",
                }
            )
        else:
            body: dict[str, Any] = {
                "field_name": home.name,
                "field_type": "enum",
                "options": _labels(value_set),
            }
            if value_set.description:
                body["description"] = value_set.description
            path = f"fields/{api_object}/{value_set.id}.json"
            files[path] = json_bytes(body)
            requests.append({"method": "POST", "path": f"{API}/{api_object}Fields", "body": path})
        retired = [value.crm.get("pipedrive", value.label) for value in value_set.values if not value.active]
        if retired:
            deprecated[value_set.id] = retired
    files["requests.json"] = json_bytes(requests)
    files["deprecated.json"] = json_bytes(deprecated)
    return files

"""Salesforce: an SFDX source-format project plus a Metadata API package.xml.

Layout (deploy with `sf project deploy start --manifest manifest/package.xml`, no edits):

    sfdx-project.json
    manifest/package.xml
    force-app/main/default/standardValueSets/<Name>.standardValueSet-meta.xml
    force-app/main/default/globalValueSets/<Name>.globalValueSet-meta.xml
    force-app/main/default/objects/<Object>/fields/<Field>__c.field-meta.xml

Every value is written, deprecated ones with `<isActive>false</isActive>`: the Metadata API
deactivates values missing from a deployed value set, and leadspec never removes a value.
Elements follow the order of the Metadata API's schema (fullName first, then alphabetical,
a StandardValue's own elements after the CustomValue ones).
"""

from __future__ import annotations

from collections import defaultdict

from leadspec.exports.formats import json_bytes, xml_element
from leadspec.exports.homes import SalesforceHome, resolve
from leadspec.exports.picklists import ValueSet, value_sets
from leadspec.model import Model

API_VERSION = "62.0"
NAMESPACE = "http://soap.sforce.com/2006/04/metadata"
BASE = "force-app/main/default"
README = """\
# Salesforce export (written by `leadspec export salesforce`; do not edit by hand)

An SFDX project with the lifecycle stages and picklists. Deploy it as it is:

    sf project deploy start --manifest manifest/package.xml --target-org YOUR_ORG

Deprecated values are deployed as inactive values, so records that use them keep them.
Run `leadspec export salesforce --out DIR` again after changing the definitions.
"""


def render(model: Model) -> dict[str, bytes]:
    files: dict[str, bytes] = {"README.md": README.encode("utf-8")}
    members: dict[str, set[str]] = defaultdict(set)
    for value_set in value_sets(model):
        home = resolve(value_set, "salesforce")
        if not isinstance(home, SalesforceHome):
            continue
        if home.kind == "standard_value_set" and home.name:
            files[f"{BASE}/standardValueSets/{home.name}.standardValueSet-meta.xml"] = _standard(
                value_set, home
            )
            members["StandardValueSet"].add(home.name)
        elif home.kind == "global_value_set" and home.name:
            files[f"{BASE}/globalValueSets/{home.name}.globalValueSet-meta.xml"] = _global(value_set, home)
            members["GlobalValueSet"].add(home.name)
        if home.field and home.object:
            path = f"{BASE}/objects/{home.object}/fields/{home.field}.field-meta.xml"
            files[path] = _field(value_set, home)
            members["CustomField"].add(f"{home.object}.{home.field}")
    files["manifest/package.xml"] = _package(members)
    files["sfdx-project.json"] = json_bytes(
        {
            "name": "leadspec-export",
            "namespace": "",
            "packageDirectories": [{"default": True, "path": "force-app"}],
            "sourceApiVersion": API_VERSION,
        }
    )
    return files


def _default_id(value_set: ValueSet, home: SalesforceHome) -> str | None:
    if home.default is not None:
        return home.default
    if home.kind == "standard_value_set" and home.name == "LeadStatus":
        # Salesforce gives a new lead a status: the first active one unless told otherwise.
        for value in value_set.values:
            if value.active and value.id != home.converted:
                return value.id
    return None


def _values(value_set: ValueSet, home: SalesforceHome, element: str, indent: int) -> str:
    default = _default_id(value_set, home)
    lead_status = home.kind == "standard_value_set" and home.name == "LeadStatus"
    out: list[str] = []
    pad = "    " * indent
    for value in value_set.values:
        out.append(f"{pad}<{element}>\n")
        out.append(xml_element("fullName", value.api_for("salesforce"), indent + 1))
        out.append(xml_element("default", value.id == default, indent + 1))
        if value.description and not value_set.is_stages:
            out.append(xml_element("description", value.description, indent + 1))
        out.append(xml_element("isActive", value.active, indent + 1))
        out.append(xml_element("label", value.label, indent + 1))
        if lead_status:
            out.append(xml_element("converted", value.id == home.converted, indent + 1))
        out.append(f"{pad}</{element}>\n")
    return "".join(out)


def _document(root: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}">\n{body}</{root}>\n'
    ).encode()


def _standard(value_set: ValueSet, home: SalesforceHome) -> bytes:
    body = xml_element("sorted", False, 1) + _values(value_set, home, "standardValue", 1)
    return _document("StandardValueSet", body)


def _global(value_set: ValueSet, home: SalesforceHome) -> bytes:
    body = _values(value_set, home, "customValue", 1)
    if value_set.description:
        body += xml_element("description", value_set.description, 1)
    body += xml_element("masterLabel", value_set.label, 1)
    body += xml_element("sorted", False, 1)
    return _document("GlobalValueSet", body)


def _field(value_set: ValueSet, home: SalesforceHome) -> bytes:
    assert home.field is not None
    body = xml_element("fullName", home.field, 1)
    if value_set.description:
        body += xml_element("description", value_set.description, 1)
    body += xml_element("externalId", False, 1)
    body += xml_element("label", value_set.label, 1)
    body += xml_element("required", False, 1)
    body += xml_element("trackTrending", False, 1)
    body += xml_element("type", "Picklist", 1)
    body += "    <valueSet>\n"
    body += xml_element("restricted", True, 2)
    if home.kind == "global_value_set" and home.name:
        body += xml_element("valueSetName", home.name, 2)
    else:
        body += "        <valueSetDefinition>\n"
        body += xml_element("sorted", False, 3)
        body += _values(value_set, home, "value", 3)
        body += "        </valueSetDefinition>\n"
    body += "    </valueSet>\n"
    return _document("CustomField", body)


def _package(members: dict[str, set[str]]) -> bytes:
    body = ""
    for kind in sorted(members):
        body += "    <types>\n"
        for member in sorted(members[kind]):
            body += xml_element("members", member, 2)
        body += xml_element("name", kind, 2)
        body += "    </types>\n"
    body += xml_element("version", API_VERSION, 1)
    return _document("Package", body)

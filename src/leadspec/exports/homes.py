"""Where each value set lives in each CRM, as declared under `crm:` or by a sensible default.

Defaults exist only where a CRM has one obvious home: the lifecycle stages go to a custom
`Lifecycle_Stage__c` field on the Salesforce lead, to HubSpot's own `lifecyclestage`
contact property and to a Pipedrive deal field (Pipedrive leads share the deal fields).
Within a declared mapping, a missing part has a default too (the Salesforce object is
`Lead`, the HubSpot object `contacts`, a field or property is named after the picklist id).
A picklist with no mapping for a CRM has no home there: that is LS501, never a silent skip.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from leadspec.exports.picklists import Value, ValueSet
from leadspec.structs import struct

NAMES = {
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "dynamics": "Dynamics 365",
    "pipedrive": "Pipedrive",
}

HUBSPOT_GROUPS = {
    "contacts": "contactinformation",
    "companies": "companyinformation",
    "deals": "dealinformation",
    "tickets": "ticketinformation",
}
DEFAULT_OPTION_VALUE_PREFIX = 10000  # the option value prefix of Dataverse's default publisher
DEFAULT_LANGUAGE_CODE = 1033  # English (United States)


@struct
class SalesforceHome:
    kind: Literal["standard_value_set", "global_value_set", "field"]
    name: str | None = None  # the standard or global value set
    object: str | None = None
    field: str | None = None  # the custom field (for a global value set: the field bound to it)
    converted: str | None = None  # LeadStatus: the value id that marks a converted lead
    default: str | None = None  # the value id selected by default


@struct
class HubSpotHome:
    object: str
    property: str
    group: str


@struct
class DynamicsHome:
    option_set: str | None
    entity: str | None
    attribute: str | None
    prefix: str  # option value prefix as written; crmrules checks it is a number in range
    language: str

    @property
    def prefix_number(self) -> int:
        try:
            return int(self.prefix)
        except ValueError:
            return DEFAULT_OPTION_VALUE_PREFIX

    @property
    def language_number(self) -> int:
        try:
            return int(self.language)
        except ValueError:
            return DEFAULT_LANGUAGE_CODE

    def option_value(self, value: Value) -> int:
        """The option's integer value: its declared `crm.dynamics`, else derived from its id.

        Derived from the id (frozen) and not from the order or the label, so reordering or
        relabelling values never renumbers them; a clash between two ids is LS504.
        """
        declared = value.crm.get("dynamics")
        if declared is not None:
            try:
                return int(declared)
            except ValueError:
                pass
        digest = int.from_bytes(hashlib.sha256(value.id.encode("utf-8")).digest()[:8], "big")
        return self.prefix_number * 10000 + digest % 10000


@struct
class PipedriveHome:
    object: str
    field: str | None  # the key of an existing field, when there is one
    name: str


Home = SalesforceHome | HubSpotHome | DynamicsHome | PipedriveHome


def pascal_field(ident: str) -> str:
    """`rejection_reason` -> `Rejection_Reason__c`: a custom field API name from an id."""
    parts = [part for part in ident.split("_") if part]
    return "_".join(part[:1].upper() + part[1:] for part in parts) + "__c"


def resolve(value_set: ValueSet, crm: str) -> Home | None:
    mapping = value_set.crm.get(crm)
    if mapping is None and not value_set.is_stages:
        return None
    declared = dict(mapping or {})
    if crm == "salesforce":
        base_id = "lifecycle_stage" if value_set.is_stages else value_set.id
        extra = {"converted": declared.get("converted"), "default": declared.get("default")}
        if "standard_value_set" in declared:
            return SalesforceHome("standard_value_set", name=declared["standard_value_set"], **extra)
        if "global_value_set" in declared:
            field = declared.get("field")
            return SalesforceHome(
                "global_value_set",
                name=declared["global_value_set"],
                object=declared.get("object", "Lead") if field else None,
                field=field,
                **extra,
            )
        return SalesforceHome(
            "field",
            object=declared.get("object", "Lead"),
            field=declared.get("field", pascal_field(base_id)),
            **extra,
        )
    if crm == "hubspot":
        obj = declared.get("object", "contacts")
        default_property = "lifecyclestage" if value_set.is_stages else value_set.id
        return HubSpotHome(
            object=obj,
            property=declared.get("property", default_property),
            group=declared.get("group", HUBSPOT_GROUPS.get(obj, "")),
        )
    if crm == "dynamics":
        if mapping is None:
            return None
        return DynamicsHome(
            option_set=declared.get("global_option_set"),
            entity=declared.get("entity"),
            attribute=declared.get("attribute"),
            prefix=declared.get("option_value_prefix", str(DEFAULT_OPTION_VALUE_PREFIX)),
            language=declared.get("language_code", str(DEFAULT_LANGUAGE_CODE)),
        )
    if crm == "pipedrive":
        return PipedriveHome(
            object=declared.get("object", "deal"), field=declared.get("field"), name=value_set.label
        )
    return None

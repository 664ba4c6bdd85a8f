"""The per-CRM rules behind LS501-LS507, shared by `leadspec check` and `leadspec export`.

`check` applies them to the CRMs the definitions use (any `crm:` entry naming the CRM) and
to those `[tool.leadspec] exports` names; `export TARGET` applies them to TARGET as well, so
a picklist without a home in the CRM being exported stops the export instead of being
skipped, and `check` has said so first when the project lists TARGET in `exports`. Each function returns findings
for one code; the rule modules in `leadspec.rules` are thin wrappers around them.

The limits are the documented ones: Salesforce's Metadata API (custom field names of at most
40 characters ending in `__c`, picklist value names and labels of at most 255 characters,
at most 1,000 values, value descriptions of at most 255 characters, field labels of at most
40, the fixed list of standard value sets), HubSpot's properties API (internal names of
lowercase letters, digits and underscores, at most 100 characters; `hs_` is HubSpot's own
prefix; enumeration values are stored separated by `;`), Dataverse (schema names start with
the publisher's customization prefix; option values are whole numbers in the publisher's
option value range) and Pipedrive's fields API (option labels of at most 255 characters).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from leadspec.diagnostics import Diagnostic, Related, Severity, Span, diagnostic
from leadspec.exports import CRMS
from leadspec.exports.homes import (
    NAMES,
    DynamicsHome,
    HubSpotHome,
    PipedriveHome,
    SalesforceHome,
    pascal_field,
    resolve,
)
from leadspec.exports.picklists import Value, ValueSet, value_sets
from leadspec.exports.sfvaluesets import NEEDS_EXTRA, STANDARD_VALUE_SETS
from leadspec.exports.where import character, inner
from leadspec.model import Model
from leadspec.suggest import closest

if TYPE_CHECKING:
    from leadspec.config import Config

SF_MAX_VALUES = 1000
SF_MAX_VALUE_TEXT = 255
SF_MAX_FIELD_NAME = 40
SF_MAX_FIELD_LABEL = 40
SF_MAX_FIELD_DESCRIPTION = 1000
SF_MAX_DEVELOPER_NAME = 80
HS_MAX_NAME = 100
PD_MAX_LABEL = 255

_SF_NAME = re.compile(r"[A-Za-z](?:[A-Za-z0-9]|_(?!_))*")
_HS_NAME = re.compile(r"[a-z][a-z0-9_]*")
_HS_OBJECT = re.compile(r"[a-z][a-z0-9_]*|\d+-\d+")
_DV_SCHEMA = re.compile(r"([A-Za-z][A-Za-z0-9]{1,7})_[A-Za-z0-9_]+")
_DV_LOGICAL = re.compile(r"[a-z][a-z0-9_]*")
PIPEDRIVE_OBJECTS = ("deal", "lead", "person", "organization", "product")  # leads use deal fields

# HubSpot's own properties that a picklist may be mapped to, and what they are.
HUBSPOT_DROPDOWNS = {
    ("contacts", "lifecyclestage"),
    ("companies", "lifecyclestage"),
    ("contacts", "hs_lead_status"),
}
HUBSPOT_NOT_DROPDOWNS = {
    ("deals", "closed_lost_reason"): "a text property, not a dropdown",
    ("deals", "closed_won_reason"): "a text property, not a dropdown",
    ("deals", "dealstage"): "managed through HubSpot's pipelines, not the properties API",
    ("deals", "pipeline"): "managed through HubSpot's pipelines, not the properties API",
    ("tickets", "hs_pipeline_stage"): "managed through HubSpot's pipelines, not the properties API",
}

# Characters that corrupt a CRM label or API value while staying invisible: C0 and C1
# control characters, line and paragraph separators, bidirectional overrides, the BOM.
_INVISIBLE = {0x2028, 0x2029, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _noncharacter(code: int) -> bool:
    """U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+10FFFF...).

    Unicode keeps them out of interchange: XML cannot hold U+FFFE and U+FFFF at all (the
    Salesforce export could not be written), and CRMs store the others as garbage.
    """
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def crms_in_use(model: Model) -> list[str]:
    """The CRMs the definitions mention anywhere under a `crm:` key."""
    used: set[str] = set()
    used.update(model.lifecycle.crm)
    for picklist in model.picklists.values():
        used.update(picklist.crm)
        for value in picklist.values:
            used.update(value.crm)
    for stage in model.stages:
        used.update(stage.crm)
    for field in model.fields.values():
        used.update(field.crm)
    return [crm for crm in CRMS if crm in used]


def crms_checked(model: Model, config: Config | None) -> list[str]:
    """The CRMs `check` holds the definitions to: those they use, and those `exports` names."""
    declared = set(config.exports) if config is not None else set()
    used = set(crms_in_use(model))
    return [crm for crm in CRMS if crm in used or crm in declared]


def _set_span(value_set: ValueSet, model: Model) -> Span | None:
    if value_set.span is not None:
        return value_set.span
    return model.stages[0].span if value_set.is_stages and model.stages else None


def _crm_span(value_set: ValueSet, model: Model, crm: str, key: str | None = None) -> Span | None:
    base = value_set.spans.get("crm")
    if base is None:
        return _set_span(value_set, model)
    keys = (crm, key) if key else (crm,)
    return inner(base, *keys)


def _value_key_span(value: Value, key: str) -> Span:
    return value.spans.get(key, value.span)


def _api_span(value: Value, crm: str | None) -> Span:
    if crm and crm in value.crm and "crm" in value.spans:
        return inner(value.spans["crm"], crm) or value.span
    return _value_key_span(value, "api_name")


# --- LS501 -----------------------------------------------------------------------------


def unmapped(
    model: Model, crms: Sequence[str], exporting: str | None = None, config: Config | None = None
) -> list[Diagnostic]:
    """LS501 for each CRM in `crms`. A CRM only `[tool.leadspec] exports` names (the definitions
    use it nowhere) gets a warning in the very words `leadspec export` stops with, as an error."""
    found: list[Diagnostic] = []
    used = set(crms_in_use(model))
    for value_set in value_sets(model):
        for crm in crms:
            if resolve(value_set, crm) is not None:
                continue
            name = NAMES[crm]
            # One message per place whoever finds it, so `export` repeats no finding of `check`.
            declared_only = exporting != crm and crm not in used
            why = (
                f"yet the definitions use {name} elsewhere, so its values would be missing there"
                if crm in used
                else f"so `leadspec export {crm}` cannot write it"
            )
            where = "`lifecycle:`" if value_set.is_stages else "the picklist"
            hint = (
                f"say where {'they live' if value_set.is_stages else 'it lives'} with "
                f"`crm: {{{crm}: {{...}}}}` on {where} ({_example(crm, value_set)})"
            )
            if declared_only:
                hint += f", or take `{crm}` out of `exports` ({_settings(config)})"
            found.append(
                diagnostic(
                    "LS501",
                    f"{value_set.where} {'have' if value_set.is_stages else 'has'} no place in {name}, {why}",
                    _set_span(value_set, model),
                    hint=hint,
                    severity=Severity.WARNING if declared_only else None,
                )
            )
    return found


def _settings(config: Config | None) -> str:
    """Where `exports` was read, as a user names the file ("[tool.leadspec] in pyproject.toml")."""
    source = config.source if config is not None and config.source else "pyproject.toml"
    return f"[tool.leadspec] in {Path(source).name}"


def _example(crm: str, value_set: ValueSet) -> str:
    base = "lifecycle_stage" if value_set.is_stages else value_set.id
    return {
        "salesforce": f"for example `{{object: Lead, field: {pascal_field(base)}}}`",
        "hubspot": f"for example `{{object: contacts, property: {base}}}`",
        "dynamics": f"for example `{{global_option_set: new_{base.replace('_', '')}}}`",
        "pipedrive": "for example `{object: deal}`",
    }[crm]


# --- LS502 -----------------------------------------------------------------------------


def _claims(home: object) -> list[tuple[str, str]]:
    """What a home occupies in its CRM, so two value sets cannot write the same thing."""
    if isinstance(home, SalesforceHome):
        claims = []
        if home.name:
            claims.append((f"{home.kind}:{home.name}", f"the {home.kind.replace('_', ' ')} `{home.name}`"))
        if home.field and home.object:
            claims.append(
                (f"field:{home.object}.{home.field}".casefold(), f"the field `{home.object}.{home.field}`")
            )
        return claims
    if isinstance(home, HubSpotHome):
        return [(f"{home.object}.{home.property}", f"the property `{home.property}` on {home.object}")]
    if isinstance(home, DynamicsHome):
        claims = (
            [(f"set:{home.option_set}".casefold(), f"the global choice `{home.option_set}`")]
            if home.option_set
            else []
        )
        if home.entity and home.attribute:
            claims.append(
                (f"column:{home.entity}.{home.attribute}", f"the column `{home.entity}.{home.attribute}`")
            )
        return claims
    if isinstance(home, PipedriveHome):
        api_object = "deal" if home.object == "lead" else home.object
        claims = [(f"name:{api_object}:{home.name}".casefold(), f"a {api_object} field named `{home.name}`")]
        if home.field:
            claims.append((f"key:{home.field}", f"the field `{home.field}`"))
        return claims
    return []


def names(model: Model, crms: Sequence[str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    claimed: dict[tuple[str, str], ValueSet] = {}
    for value_set in value_sets(model):
        for crm in crms:
            home = resolve(value_set, crm)
            if home is None:
                continue
            for claim, shown in _claims(home):
                first = claimed.setdefault((crm, claim), value_set)
                if first is not value_set:
                    found.append(
                        diagnostic(
                            "LS502",
                            f"{value_set.where} and {first.where} both live in {shown} in {NAMES[crm]}; "
                            "the export would write one over the other",
                            _crm_span(value_set, model, crm),
                            hint="give each picklist its own place",
                            related=[
                                Related(_crm_span(first, model, crm) or _set_span(first, model), "also here")
                            ]
                            if _crm_span(first, model, crm) or _set_span(first, model)
                            else [],
                        )
                    )
            for key, message, hint in _name_problems(home):
                found.append(
                    diagnostic(
                        "LS502",
                        f"{value_set.where} in {NAMES[crm]}: {message}",
                        _crm_span(value_set, model, crm, key),
                        hint=hint,
                    )
                )
    return found


def _sf_developer_name(name: str) -> str | None:
    if not _SF_NAME.fullmatch(name):
        return "use letters, digits and single underscores, start with a letter"
    if name.endswith("_"):
        return "it may not end with an underscore"
    return None


def _name_problems(home: object) -> Iterable[tuple[str | None, str, str]]:
    if isinstance(home, SalesforceHome):
        yield from _salesforce_names(home)
    elif isinstance(home, HubSpotHome):
        yield from _hubspot_names(home)
    elif isinstance(home, DynamicsHome):
        yield from _dynamics_names(home)
    elif isinstance(home, PipedriveHome):
        if home.object not in PIPEDRIVE_OBJECTS:
            close = closest(home.object, PIPEDRIVE_OBJECTS)
            yield (
                "object",
                f"Pipedrive has no fields API for `{home.object}`",
                f"did you mean `{close}`?" if close else "use one of: " + ", ".join(PIPEDRIVE_OBJECTS),
            )
        if home.field is not None and not re.fullmatch(r"[A-Za-z0-9_]+", home.field):
            yield (
                "field",
                f"`{home.field}` is not a Pipedrive field key",
                "copy the key from the field's settings",
            )


def _salesforce_names(home: SalesforceHome) -> Iterable[tuple[str | None, str, str]]:
    if home.kind == "standard_value_set":
        name = home.name or ""
        if name not in STANDARD_VALUE_SETS:
            close = closest(name, STANDARD_VALUE_SETS)
            yield (
                "standard_value_set",
                f"Salesforce has no standard value set named `{name}`",
                f"did you mean `{close}`?" if close else "use `global_value_set` for a value set of your own",
            )
    if home.kind == "global_value_set":
        name = home.name or ""
        if name.endswith("__gvs"):
            yield (
                "global_value_set",
                f"`{name}`: the Metadata API names a global value set without `__gvs`",
                f"write `{name[:-5]}`",
            )
        else:
            problem = _sf_developer_name(name)
            if problem is None and len(name) > SF_MAX_DEVELOPER_NAME:
                problem = f"it has {len(name)} characters, Salesforce allows {SF_MAX_DEVELOPER_NAME}"
            if problem:
                yield (
                    "global_value_set",
                    f"`{name}` is not a valid global value set name: {problem}",
                    "for example `Rejection_Reasons`",
                )
    if home.object is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", home.object):
        yield (
            "object",
            f"`{home.object}` is not a Salesforce object API name",
            "for example `Lead` or `Opportunity`",
        )
    if home.field is not None:
        field = home.field
        if not field.endswith("__c"):
            yield (
                "field",
                f"`{field}` is a standard field: leadspec writes custom fields (ending in `__c`), "
                "and a standard picklist's values are its standard value set",
                "use `standard_value_set` (such as `LeadStatus`), or a custom field name ending in `__c`",
            )
        else:
            stem = field[:-3]
            problem = _sf_developer_name(stem)
            if problem is None and len(stem) > SF_MAX_FIELD_NAME:
                problem = (
                    f"the name before `__c` has {len(stem)} characters, Salesforce allows {SF_MAX_FIELD_NAME}"
                )
            if problem:
                yield (
                    "field",
                    f"`{field}` is not a valid custom field name: {problem}",
                    "for example `Rejection_Reason__c`",
                )


def _hubspot_names(home: HubSpotHome) -> Iterable[tuple[str | None, str, str]]:
    if not _HS_OBJECT.fullmatch(home.object):
        yield ("object", f"`{home.object}` is not a HubSpot object type", "for example `contacts` or `deals`")
    name = home.property
    key = (home.object, name)
    if key in HUBSPOT_NOT_DROPDOWNS:
        yield (
            "property",
            f"HubSpot's own `{name}` is {HUBSPOT_NOT_DROPDOWNS[key]}, so it cannot hold these options",
            "map the picklist to a custom property of your own, such as `loss_reason`",
        )
    elif key in HUBSPOT_DROPDOWNS:
        return
    elif name.startswith("hs_"):
        yield (
            "property",
            f"`{name}`: names starting with `hs_` are reserved for HubSpot's own properties",
            "name the custom property without the `hs_` prefix",
        )
    elif not _HS_NAME.fullmatch(name) or len(name) > HS_MAX_NAME:
        yield (
            "property",
            f"`{name}` is not a valid HubSpot internal name: use lowercase letters, digits and "
            f"underscores, start with a letter, at most {HS_MAX_NAME} characters",
            "for example `rejection_reason`",
        )


def _dynamics_names(home: DynamicsHome) -> Iterable[tuple[str | None, str, str]]:
    if home.option_set is None:
        yield (
            None,
            "no `global_option_set` is given, and leadspec writes Dynamics choices as global choices",
            "add `global_option_set: new_rejectionreason` (your publisher prefix, an underscore, a name)",
        )
    else:
        match = _DV_SCHEMA.fullmatch(home.option_set)
        if match is None or match.group(1).lower() == "mscrm":
            yield (
                "global_option_set",
                f"`{home.option_set}` is not a valid Dataverse name: start with your publisher's "
                "customization prefix (2 to 8 letters or digits, not `mscrm`) and an underscore, "
                "then letters, digits and underscores",
                "for example `new_rejectionreason`",
            )
    if home.entity is not None and not _DV_LOGICAL.fullmatch(home.entity):
        yield ("entity", f"`{home.entity}` is not a Dataverse table logical name", "for example `lead`")
    if home.attribute is not None:
        match = _DV_SCHEMA.fullmatch(home.attribute)
        if match is None or not _DV_LOGICAL.fullmatch(home.attribute):
            yield (
                "attribute",
                f"`{home.attribute}` is not a valid new column name: lowercase, your publisher prefix and an underscore first",
                "for example `new_rejectionreason`",
            )
        if home.entity is None:
            yield (
                "attribute",
                "an `attribute` needs the `entity` (table) it belongs to",
                "add `entity: lead`",
            )


# --- LS503 -----------------------------------------------------------------------------


def api_values(model: Model, crms: Sequence[str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for value_set in value_sets(model):
        for value in value_set.values:
            shared = value.api_value
            if shared != shared.strip() or not shared.strip():
                found.append(
                    diagnostic(
                        "LS503",
                        f"the API value {_show(shared)} of `{value.id}` in {value_set.where} "
                        "starts or ends with a space, or is blank; CRMs trim it, so it would not match",
                        _value_key_span(value, "api_name"),
                        hint="remove the surrounding spaces",
                    )
                )
        for crm in crms:
            home = resolve(value_set, crm)
            if home is None:
                continue
            for value in value_set.values:
                for message, hint in _api_problems(home, value, crm):
                    found.append(
                        diagnostic(
                            "LS503",
                            f"the {NAMES[crm]} value of `{value.id}` in {value_set.where} {message}",
                            _api_span(value, crm),
                            hint=hint,
                        )
                    )
    return found


def _api_problems(home: object, value: Value, crm: str) -> Iterable[tuple[str, str]]:
    text = value.api_for(crm)
    if isinstance(home, SalesforceHome) and len(text) > SF_MAX_VALUE_TEXT:
        yield (f"has {len(text)} characters; Salesforce allows {SF_MAX_VALUE_TEXT}", "shorten `api_name`")
    if isinstance(home, HubSpotHome) and ";" in text:
        yield (f"{_show(text)} contains `;`, which HubSpot uses to separate values", "remove the semicolon")
    if isinstance(home, DynamicsHome) and "dynamics" in value.crm:
        declared = value.crm["dynamics"]
        low = home.prefix_number * 10000
        if not re.fullmatch(r"-?\d+", declared):
            yield (
                f"{_show(declared)} is not a whole number; Dataverse option values are numbers",
                f"write a number from {low} to {low + 9999}",
            )
        elif not low <= int(declared) <= low + 9999:
            yield (
                f"{declared} is outside the option value range of the publisher prefix "
                f"{home.prefix_number} ({low} to {low + 9999})",
                f"write a number from {low} to {low + 9999}, or set `option_value_prefix`",
            )


def _show(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


# --- LS504 -----------------------------------------------------------------------------


def duplicates(model: Model, crms: Sequence[str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for value_set in value_sets(model):
        found.extend(_duplicates_of(value_set, None, None))
        for crm in crms:
            home = resolve(value_set, crm)
            if home is not None:
                found.extend(_duplicates_of(value_set, crm, home))
    unique: dict[tuple[str, Span | None], Diagnostic] = {}
    for item in found:
        unique.setdefault((item.message, item.span), item)
    return list(unique.values())


def _duplicates_of(value_set: ValueSet, crm: str | None, home: object) -> list[Diagnostic]:
    found: list[Diagnostic] = []

    def check(kind: str, key_of, span_of, fold: bool) -> None:  # type: ignore[no-untyped-def]
        seen: dict[object, Value] = {}
        for value in value_set.values:
            key = key_of(value)
            if fold and isinstance(key, str):
                key = key.casefold()
            first = seen.get(key)
            if first is None:
                seen[key] = value
                continue
            if fold and key_of(first) == key_of(value) and value.api_for(crm or "") == value.api_value:
                continue  # the same text exactly: already reported as a shared API value
            where = f" in {NAMES[crm]}" if crm else ""
            found.append(
                diagnostic(
                    "LS504",
                    f"`{value.id}` and `{first.id}` in {value_set.where} have the same {kind}{where} "
                    f"({_show(str(key_of(value)))}), so the CRM cannot tell them apart",
                    span_of(value),
                    hint="give each value its own; to retire a value, mark it `deprecated` with `replaced_by`",
                    related=[Related(span_of(first), f"`{first.id}` has it too")],
                )
            )

    if crm is None:
        check("API value", lambda v: v.api_value, lambda v: _value_key_span(v, "api_name"), False)
    elif isinstance(home, SalesforceHome):
        check(
            "API value (Salesforce ignores case)",
            lambda v: v.api_for("salesforce"),
            lambda v: _api_span(v, "salesforce"),
            True,
        )
    elif isinstance(home, HubSpotHome):
        if any("hubspot" in v.crm for v in value_set.values):
            check("API value", lambda v: v.api_for("hubspot"), lambda v: _api_span(v, "hubspot"), False)
            # the shared check already covers values without a HubSpot override
        check(
            "label (HubSpot needs unique labels)",
            lambda v: v.label,
            lambda v: _value_key_span(v, "label"),
            False,
        )
    elif isinstance(home, DynamicsHome):
        check("option value", home.option_value, lambda v: _api_span(v, "dynamics"), False)
    elif isinstance(home, PipedriveHome):
        check(
            "option label (Pipedrive tells options apart by label)",
            _pipedrive_label,
            lambda v: _api_span(v, "pipedrive") if "pipedrive" in v.crm else _value_key_span(v, "label"),
            False,
        )
    return found


def _pipedrive_label(value: Value) -> str:
    return value.crm.get("pipedrive", value.label)


# --- LS505 -----------------------------------------------------------------------------


def _bad_character(text: str, allow_breaks: bool) -> int | None:
    # Every character looked for is one Python does not print (Cc, Cf, Zl, Zp, or unassigned as
    # noncharacters are), so ordinary text, nearly all of it, is passed without a loop in Python.
    if (text.replace("\n", "") if allow_breaks else text).isprintable():
        return None
    for index, char in enumerate(text):
        code = ord(char)
        if allow_breaks and char in "\n":
            continue
        if unicodedata.category(char) == "Cc" or code in _INVISIBLE or _noncharacter(code):
            return index
    return None


def _describe(char: str) -> str:
    names = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return", "\x00": "a NUL character"}
    if _noncharacter(ord(char)):
        return f"the Unicode noncharacter U+{ord(char):04X}"
    return names.get(char, f"the invisible control character U+{ord(char):04X}")


def control_characters(model: Model) -> list[Diagnostic]:
    found: list[Diagnostic] = []

    def look(text: str | None, span: Span | None, what: str, allow_breaks: bool, *keys: str) -> None:
        if text is None or span is None:
            return
        trimmed = text.rstrip("\n") if allow_breaks else text
        index = _bad_character(trimmed, allow_breaks)
        if index is None:
            return
        # Only a finding pays for re-reading the file to find the nested key.
        span = inner(span, *keys) if keys else span
        found.append(
            diagnostic(
                "LS505",
                f"{what} contains {_describe(trimmed[index])}, which CRMs show as garbage or reject",
                character(span, index),
                hint="retype the text without it (in double quotes, escapes such as \\t or \\a make one)",
            )
        )

    for stage in model.stages:
        look(stage.label, stage.spans.get("label"), f"the label of stage `{stage.id}`", False)
        look(stage.api_name, stage.spans.get("api_name"), f"the API name of stage `{stage.id}`", False)
        look(stage.definition, stage.spans.get("definition"), f"the definition of stage `{stage.id}`", True)
        for crm, text in sorted(stage.crm.items()):
            if crm in NAMES and "crm" in stage.spans:
                look(text, stage.spans["crm"], f"the {NAMES[crm]} value of stage `{stage.id}`", False, crm)
    for ident in sorted(model.picklists):
        picklist = model.picklists[ident]
        look(picklist.label, picklist.spans.get("label"), f"the label of the picklist `{ident}`", False)
        look(
            picklist.description,
            picklist.spans.get("description"),
            f"the description of the picklist `{ident}`",
            True,
        )
        for value in picklist.values:
            where = f"`{value.id}` in the picklist `{ident}`"
            look(value.label, value.spans.get("label"), f"the label of {where}", False)
            look(value.api_name, value.spans.get("api_name"), f"the API name of {where}", False)
            look(value.description, value.spans.get("description"), f"the description of {where}", True)
            for crm, text in sorted(value.crm.items()):
                if crm in NAMES and "crm" in value.spans:
                    look(text, value.spans["crm"], f"the {NAMES[crm]} value of {where}", False, crm)
    return found


# --- LS506 -----------------------------------------------------------------------------


def limits(model: Model, crms: Sequence[str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for value_set in value_sets(model):
        for crm in crms:
            home = resolve(value_set, crm)
            if isinstance(home, SalesforceHome):
                found.extend(_salesforce_limits(value_set, home, model))
            elif isinstance(home, PipedriveHome):
                for value in value_set.values:
                    if len(_pipedrive_label(value)) > PD_MAX_LABEL:
                        found.append(_too_long(value_set, value, "label", PD_MAX_LABEL, "Pipedrive"))
    return found


def _too_long(value_set: ValueSet, value: Value, key: str, limit: int, crm: str) -> Diagnostic:
    text = getattr(value, key) or ""
    return diagnostic(
        "LS506",
        f"the {key} of `{value.id}` in {value_set.where} has {len(text)} characters; {crm} allows {limit}",
        _value_key_span(value, "definition" if key == "description" and value_set.is_stages else key),
        hint=f"shorten the {key}",
    )


def _salesforce_limits(value_set: ValueSet, home: SalesforceHome, model: Model) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    span = _set_span(value_set, model)
    if len(value_set.values) > SF_MAX_VALUES:
        found.append(
            diagnostic(
                "LS506",
                f"{value_set.where} has {len(value_set.values)} values; Salesforce allows "
                f"{SF_MAX_VALUES}, inactive ones included",
                span,
                hint="split the picklist, or move old deprecated values out of it after a data clean-up",
            )
        )
    if (
        home.kind == "global_value_set"
        and value_set.description
        and len(value_set.description) > SF_MAX_VALUE_TEXT
    ):
        found.append(
            diagnostic(
                "LS506",
                f"the description of {value_set.where} becomes the global value set's description, which "
                f"allows {SF_MAX_VALUE_TEXT} characters; it has {len(value_set.description)}",
                value_set.spans.get("description", span),
                hint="shorten the description",
            )
        )
    writes_field = home.kind == "field" or (home.kind == "global_value_set" and home.field)
    if writes_field and len(value_set.label) > SF_MAX_FIELD_LABEL:
        found.append(
            diagnostic(
                "LS506",
                f"the label of {value_set.where} becomes the Salesforce field label, which allows "
                f"{SF_MAX_FIELD_LABEL} characters; it has {len(value_set.label)}",
                value_set.spans.get("label", span),
                hint="shorten the label",
            )
        )
    if writes_field and value_set.description and len(value_set.description) > SF_MAX_FIELD_DESCRIPTION:
        found.append(
            diagnostic(
                "LS506",
                f"the description of {value_set.where} becomes the Salesforce field description, which "
                f"allows {SF_MAX_FIELD_DESCRIPTION} characters; it has {len(value_set.description)}",
                value_set.spans.get("description", span),
                hint="shorten the description",
            )
        )
    for value in value_set.values:
        if len(value.label) > SF_MAX_VALUE_TEXT:
            found.append(_too_long(value_set, value, "label", SF_MAX_VALUE_TEXT, "Salesforce"))
        if value.description and len(value.description) > SF_MAX_VALUE_TEXT and not value_set.is_stages:
            found.append(_too_long(value_set, value, "description", SF_MAX_VALUE_TEXT, "Salesforce"))
    return found


# --- LS507 -----------------------------------------------------------------------------


def settings(model: Model, crms: Sequence[str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for value_set in value_sets(model):
        ids = [value.id for value in value_set.values]
        active = {value.id for value in value_set.values if value.active}
        for crm in crms:
            home = resolve(value_set, crm)
            where = f"{value_set.where} in {NAMES[crm]}"

            def add(
                key: str | None,
                message: str,
                hint: str,
                where: str = where,
                vs: ValueSet = value_set,
                crm: str = crm,
            ) -> None:
                span = _crm_span(vs, model, crm, key)
                found.append(diagnostic("LS507", f"{where}: {message}", span, hint=hint))

            if isinstance(home, SalesforceHome):
                is_lead_status = home.kind == "standard_value_set" and home.name == "LeadStatus"
                for key in ("converted", "default"):
                    chosen = getattr(home, key)
                    if chosen is None:
                        continue
                    if chosen not in ids:
                        close = closest(chosen, ids)
                        add(
                            key,
                            f"`{key}: {chosen}` names no value of it",
                            f"did you mean `{close}`?" if close else "use the id of one of its values",
                        )
                    elif chosen not in active:
                        add(key, f"`{key}: {chosen}` names a deprecated value", "choose an active value")
                if home.converted is not None and not is_lead_status:
                    add(
                        "converted",
                        "`converted` means something only for the `LeadStatus` standard value set",
                        "remove `converted`",
                    )
                if is_lead_status and home.converted is None:
                    add(
                        None,
                        "Salesforce needs to know which lead status marks a converted lead",
                        "add `converted: <value id>` next to `standard_value_set: LeadStatus`",
                    )
                if home.kind == "standard_value_set" and home.name in NEEDS_EXTRA:
                    add(
                        "standard_value_set",
                        f"Salesforce needs {NEEDS_EXTRA[home.name]} for every value of `{home.name}`, "
                        "which the definitions cannot express yet",
                        "keep this value set out of leadspec, or use a custom field",
                    )
            elif isinstance(home, DynamicsHome):
                prefix = home.prefix
                if not prefix.isdigit() or not 10000 <= int(prefix) <= 99999:
                    add(
                        "option_value_prefix",
                        f"the option value prefix `{prefix}` is not a number from 10000 to 99999",
                        "copy it from your publisher's settings (the default publisher's is 10000)",
                    )
                if not home.language.isdigit():
                    add(
                        "language_code",
                        f"the language code `{home.language}` is not a number",
                        "use a Windows language code such as 1033 for English",
                    )
    return found

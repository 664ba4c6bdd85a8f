"""Sentences the pages show: SLAs, example leads, field updates, criteria.

Each returns `Md`: the user's text escaped, leadspec's links kept as links.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from leadspec.context import Context
from leadspec.expr.render import number_text, to_words
from leadspec.model import Criterion, Field, Model, Sla
from leadspec.site.links import Links
from leadspec.site.markup import Md, inline

CRM_NAMES = {
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "dynamics": "Microsoft Dynamics 365",
    "pipedrive": "Pipedrive",
}
DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def join(parts: list[Md], word: str = "and") -> Md:
    if not parts:
        return Md("")
    if len(parts) == 1:
        return parts[0]
    return Md(", ".join(parts[:-1]) + f" {word} " + parts[-1])


def crm_name(key: str) -> str:
    return CRM_NAMES.get(key, key.replace("_", " ").title())


def sla_sentence(sla: Sla, links: Links, model: Model) -> Md:
    """ "[Sales development] acts within 1 business day ([Chicago office hours]); escalated to ... after ..."."""
    text = Md(f"{links.team(sla.owner)} acts within **{inline(sla.within.text)}**")
    if sla.calendar:
        calendar = model.calendars.get(sla.calendar)
        zone = f", {inline(calendar.timezone)}" if calendar else ""
        text = Md(f"{text}, counted on {links.calendar(sla.calendar)}{zone}")
    if sla.escalate is not None:
        text = Md(
            f"{text}; if not, it is escalated to {links.team(sla.escalate.to)} "
            f"after {inline(sla.escalate.after.text)}"
        )
    return Md(text + ".")


def value_words(field: Field | None, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, Decimal)):
        return number_text(value)
    if value is None:
        return "blank"
    text = str(value)
    if field is not None and text in field.value_labels:
        return field.value_labels[text]
    return text


def lead_words(lead: Mapping[str, Any], model: Model) -> Md:
    """An example lead as people read it: "Lead score 72; Seniority Manager; Demo requested no"."""
    order = [field_id for field_id in model.fields if field_id in lead]
    order += sorted(field_id for field_id in lead if field_id not in model.fields)
    parts = []
    for field_id in order:
        field = model.fields.get(field_id)
        label = field.label if field else field_id
        parts.append(f"{inline(label)}: {inline(value_words(field, lead[field_id]))}")
    return Md("; ".join(parts))


def set_words(updates: Mapping[str, Any], links: Links, model: Model) -> Md:
    parts = [
        Md(f"{links.field(field_id)} becomes {inline(value_words(model.fields.get(field_id), value))}")
        for field_id, value in updates.items()
    ]
    return join(parts)


def criterion_words(criterion: Criterion | None, context: Context) -> str | None:
    """The condition as a sentence with field labels, or None when it could not be read."""
    expr = context.expr(criterion)
    if expr is None:
        return None
    text = to_words(expr, context.model.fields)
    return text[:1].upper() + text[1:]


def first_sentence(text: str | None, limit: int = 160) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    cuts = [(flat.find(stop), stop) for stop in (". ", ": ") if stop in flat]
    if cuts:
        at, stop = min(cuts)
        flat = flat[:at] + ("." if stop == ". " else "")
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"

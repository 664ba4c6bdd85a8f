"""Hover: what an id or a criterion word means, from the model of the last check."""

from __future__ import annotations

from leadspec.expr.render import field_kind, to_words
from leadspec.lsp import places
from leadspec.lsp.view import View
from leadspec.model import Criterion, Field, Stage


def hover(view: View, shown: str, index: int) -> str | None:
    """Markdown for the id under the cursor at `index` of file `shown`, or None."""
    document = view.documents.get(shown)
    if document is None:
        return None
    place = places.at_index(places.places(document), index)
    if place is None:
        return None
    kind = places.resolve(place, places.definitions(view.documents))
    return describe(view, kind, place.ident)


def describe(view: View, kind: str, ident: str) -> str | None:
    model = view.model
    if kind == "field" and ident in model.fields:
        return _field(model.fields[ident])
    if kind == places.VALUE:
        field_id, _, value = ident.partition(".")
        field = model.fields.get(field_id)
        if field is None or value not in field.values:
            return None
        label = field.value_labels.get(value)
        said = f" — {label}" if label else ""
        return f'`"{value}"`{said}\n\na value of **{field.label}** (`{field.id}`), {field_kind(field)}'
    if kind == "stage" and (stage := model.stage(ident)) is not None:
        return _stage(view, stage)
    if kind == "team" and ident in model.teams:
        team = model.teams[ident]
        return _titled(team.label, ident, "team", team.description)
    if kind == "calendar" and ident in model.calendars:
        calendar = model.calendars[ident]
        hours = f"{', '.join(calendar.days)}, {calendar.start} to {calendar.end} ({calendar.timezone})"
        return _titled(calendar.label, ident, "calendar", hours)
    if kind == "picklist" and ident in model.picklists:
        picklist = model.picklists[ident]
        values = "\n".join(f"- `{value.id}`: {value.label}" for value in picklist.values)
        return _titled(picklist.label, ident, "picklist", picklist.description) + f"\n\n{values}"
    if kind == "term" and ident in model.terms:
        term = model.terms[ident]
        return _titled(term.term, ident, "term", term.definition)
    if kind == "condition" and ident in (conditions := model.conditions):
        condition = conditions[ident]
        text = _titled(condition.label, ident, "named condition", condition.description)
        return text + _criterion(view, "When", condition.when)
    if kind == "code":
        return _code(ident)
    return None


def _titled(label: str, ident: str, what: str, body: str | None) -> str:
    text = f"**{label}** (`{ident}`, {what})"
    return f"{text}\n\n{body.strip()}" if body else text


def _field(field: Field) -> str:
    text = f"**{field.label}** (`{field.id}`): {field_kind(field, max_values=20)}"
    if field.optional:
        text += ", may be blank"
    if field.description:
        text += f"\n\n{field.description.strip()}"
    labelled = [
        f"- `{value}`: {field.value_labels[value]}" for value in field.values if value in field.value_labels
    ]
    if labelled:
        text += "\n\n" + "\n".join(labelled)
    return text


def _stage(view: View, stage: Stage) -> str:
    model = view.model
    names = ", ".join(part for part in (stage.abbr, f"`{stage.id}`") if part)
    text = f"**{stage.label}** ({names}, stage"
    if stage.owner:
        owner = model.teams.get(stage.owner)
        text += f", owned by {owner.label if owner else stage.owner}"
    text += ")"
    if stage.definition:
        text += f"\n\n{stage.definition.strip()}"
    if stage.entry is not None:
        text += _criterion(view, "In this stage", stage.entry)
    for exit_ in stage.exits:
        target = model.stage(exit_.to)
        text += _criterion(view, f"To {target.label if target else exit_.to}", exit_.when)
    return text


def _criterion(view: View, title: str, criterion: Criterion) -> str:
    """A criterion in words where the last check understood it, else as written."""
    tree = view.checked.loaded.context.expr(criterion)
    said = to_words(tree, view.model.fields) if tree is not None else f"`{' '.join(criterion.text.split())}`"
    return f"\n\n*{title}:* {said}"


def _code(code: str) -> str | None:
    from leadspec.rules import registry

    if not registry.known(code):
        return None
    rule = registry.get(code)
    return f"**{rule.code}** {rule.name} ({rule.severity.value})\n\n{registry.doc(code)}"

"""The lifecycle stages and every picklist as one kind of thing: a set of values to export.

API values are stable by construction: a value's API value is its `api_name`, or its id
when it has none, and both are frozen by the governance rules (format.md). A label is never
used to make an API value, so relabelling a value can never move data in a CRM.
"""

from __future__ import annotations

from collections.abc import Mapping

from leadspec.diagnostics import Span
from leadspec.flow import ordered_stages
from leadspec.model import Model
from leadspec.structs import field, struct

STAGES = "stages"  # the id the stages go by in exports (the YAML section's name)


@struct
class Value:
    """One value to export."""

    id: str
    label: str
    api_value: str
    order: int  # 1-based position: in the lifecycle for stages, in the definitions for a picklist
    active: bool
    span: Span
    description: str | None = None
    next_stage: str | None = None  # for a reason: the stage the lead goes to
    replaced_by: str | None = None
    crm: Mapping[str, str] = field(default_factory=dict)  # per-CRM API values
    spans: Mapping[str, Span] = field(default_factory=dict)

    def api_for(self, crm: str) -> str:
        """The value stored in `crm`: its per-CRM override, else the shared API value."""
        return self.crm.get(crm, self.api_value)


@struct
class ValueSet:
    id: str
    label: str
    values: tuple[Value, ...]
    crm: Mapping[str, Mapping[str, str]]
    span: Span | None
    description: str | None = None
    is_stages: bool = False
    spans: Mapping[str, Span] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return "the lifecycle stages" if self.is_stages else f"the picklist `{self.id}`"


_last: tuple[Model, tuple[ValueSet, ...]] | None = None  # the model last asked about, and its value sets


def value_sets(model: Model) -> list[ValueSet]:
    """The stages first (in lifecycle order, as the site lists them), then the picklists by id.

    Worked out once per model: LS501-LS507 each read them all, and a check of 10,000 stages
    made 60,000 values where 10,000 do.
    """
    global _last
    last = _last  # read once: another thread (the language server's) may replace it meanwhile
    if last is None or last[0] is not model:
        last = _last = (model, tuple(_value_sets(model)))
    return list(last[1])


def _value_sets(model: Model) -> list[ValueSet]:
    found: list[ValueSet] = []
    if model.stages:
        lifecycle = model.lifecycle
        found.append(
            ValueSet(
                id=STAGES,
                label="Lifecycle stage",
                values=tuple(
                    Value(
                        id=stage.id,
                        label=stage.label,
                        api_value=stage.api_name if stage.api_name is not None else stage.id,
                        order=index,
                        active=not stage.deprecated,
                        span=stage.span,
                        description=_clean(stage.definition),
                        replaced_by=stage.replaced_by,
                        crm=dict(stage.crm),
                        spans=dict(stage.spans),
                    )
                    for index, stage in enumerate(ordered_stages(model), start=1)
                ),
                crm={key: dict(value) for key, value in lifecycle.crm.items()},
                span=lifecycle.span,
                is_stages=True,
                spans=dict(lifecycle.spans),
            )
        )
    for ident in sorted(model.picklists):
        picklist = model.picklists[ident]
        found.append(
            ValueSet(
                id=ident,
                label=picklist.label,
                values=tuple(
                    Value(
                        id=value.id,
                        label=value.label,
                        api_value=value.api_name if value.api_name is not None else value.id,
                        order=index,
                        active=not value.deprecated,
                        span=value.span,
                        description=_clean(value.description),
                        next_stage=value.then,
                        replaced_by=value.replaced_by,
                        crm=dict(value.crm),
                        spans=dict(value.spans),
                    )
                    for index, value in enumerate(picklist.values, start=1)
                ),
                crm={key: dict(value) for key, value in picklist.crm.items()},
                span=picklist.span,
                description=_clean(picklist.description),
                spans=dict(picklist.spans),
            )
        )
    return found


def _clean(text: str | None) -> str | None:
    """Text as a CRM shows it: YAML's folded scalars end in a line break nobody wants there."""
    if text is None:
        return None
    text = text.strip()
    return text or None

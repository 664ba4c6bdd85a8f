"""A reference to a stage, team, calendar, picklist or field that is not defined.

## What it means

Definitions refer to each other by id: an exit goes `to` a stage, an SLA has an
`owner` team and a `calendar`, an exit names the `reason` picklist, a rejection
reason says which stage the lead goes to (`then`), a deprecated entry names what
`replaced_by` it, targets name stages and teams. An id that is defined nowhere
breaks that link: the lead would go nowhere, the SLA would bind nobody.

## Example

```yaml
leadspec: 1
fields:
  sdr_status: {label: SDR status, type: enum, values: [new, accepted]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: sdr_status == "new"
    exits:
      - to: sales_accepted
        when: sdr_status == "accepted"
```

## How to fix

Use the id the hint suggests, or define the missing stage, team, calendar or
picklist (it may live in another file under `definitions/`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Edit, Fix, Severity, Span, diagnostic
from leadspec.model import Calendar, Model, Picklist, Sla, Team
from leadspec.rules import Rule
from leadspec.suggest import certain, closest, closest_id

RULE = Rule(
    code="LS202",
    name="unknown-reference",
    severity=Severity.ERROR,
    summary="a reference to something that is not defined",
    needs_complete_model=True,
)


def _names(model: Model, kind: str) -> dict[str, tuple[str | None, ...]]:
    """The ids of one kind, each with the names people call it by (label, abbreviation)."""
    if kind == "stage":
        return {stage.id: (stage.label, stage.abbr) for stage in model.stages}
    if kind == "term":
        return {term.id: (term.term, term.abbr) for term in model.terms.values()}
    table: dict[str, Team | Calendar | Picklist] = {
        "team": model.teams,
        "calendar": model.calendars,
        "picklist": model.picklists,
    }[kind]
    return {ident: (entry.label,) for ident, entry in table.items()}


def _report(model: Model, kind: str, ident: str, span: Span | None, where: str) -> Iterator[Diagnostic]:
    if model.exists(kind, ident):
        return
    names = _names(model, kind)
    close = closest_id(ident, names)
    hint = f"did you mean `{close}`?" if close else f"define the {kind} `{ident}`, or use an existing id"
    meant = certain(ident, names)
    fix = Fix(f"write `{meant}`", (Edit(span, ident, meant),)) if meant and span is not None else None
    yield diagnostic(
        "LS202", f"{where} names the {kind} `{ident}`, which is not defined", span, hint=hint, fix=fix
    )


def _sla_refs(model: Model, sla: Sla | None, where: str) -> Iterator[Diagnostic]:
    if sla is None:
        return
    yield from _report(model, "team", sla.owner, sla.spans.get("owner"), f"the SLA of {where}")
    if sla.calendar is not None:
        yield from _report(model, "calendar", sla.calendar, sla.spans.get("calendar"), f"the SLA of {where}")
    if sla.escalate is not None:
        yield from _report(
            model, "team", sla.escalate.to, sla.escalate.spans.get("to"), f"the escalation of {where}"
        )


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    for stage in model.stages:
        here = f"the stage `{stage.id}`"
        if stage.owner is not None:
            yield from _report(model, "team", stage.owner, stage.spans.get("owner"), here)
        if stage.replaced_by is not None:
            yield from _report(model, "stage", stage.replaced_by, stage.spans.get("replaced_by"), here)
        yield from _sla_refs(model, stage.sla, here)
        for exit_ in stage.exits:
            there = f"the exit from `{stage.id}` to `{exit_.to}`"
            yield from _report(model, "stage", exit_.to, exit_.to_span, f"an exit of `{stage.id}`")
            if exit_.reason is not None:
                yield from _report(model, "picklist", exit_.reason, exit_.spans.get("reason"), there)
            yield from _sla_refs(model, exit_.sla, there)
    for picklist in model.picklists.values():
        ids = [value.id for value in picklist.values]
        for value in picklist.values:
            here = f"the value `{value.id}` of the picklist `{picklist.id}`"
            if value.then is not None:
                yield from _report(model, "stage", value.then, value.spans.get("then"), here)
            if value.replaced_by is not None and value.replaced_by not in ids:
                close = closest(value.replaced_by, ids)
                yield diagnostic(
                    "LS202",
                    f"{here} is replaced by `{value.replaced_by}`, which is not a value of `{picklist.id}`",
                    value.spans.get("replaced_by"),
                    hint=f"did you mean `{close}`?" if close else "name a value of the same picklist",
                )
    for term in model.terms.values():
        if term.replaced_by is not None:
            yield from _report(
                model, "term", term.replaced_by, term.spans.get("replaced_by"), f"the term `{term.id}`"
            )
    targets = model.targets
    if targets is not None:
        for (source, target), span in targets.conversion_spans.items():
            for ident in (source, target):
                yield from _report(model, "stage", ident, span, f"the conversion rate `{source}->{target}`")
        for capacity in targets.capacity:
            yield from _report(model, "team", capacity.team, capacity.span, "the capacity")
            yield from _report(
                model, "stage", capacity.stage, capacity.span, f"the capacity of `{capacity.team}`"
            )

"""Plain data from every definitions file -> one typed `Model`.

Files are merged section by section (a section may be spread over files, one
file per team being the common layout), so this is where an id defined twice is
caught, naming both places. Entries that failed the schema are skipped but
remembered, so references to them are not reported as unknown.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import cached_property, partial
from typing import Any

from leadspec.diagnostics import Diagnostic, Related, Span, diagnostic
from leadspec.model import (
    Calendar,
    Capacity,
    Condition,
    Criterion,
    Duration,
    Escalation,
    Example,
    Exit,
    Field,
    Holiday,
    Lifecycle,
    Model,
    Picklist,
    PicklistValue,
    Sla,
    Stage,
    Targets,
    Team,
    Term,
    Waiver,
)
from leadspec.sla import EXAMPLES as DURATION_EXAMPLES
from leadspec.sla import DurationError, parse_duration
from leadspec.source import Document
from leadspec.structs import struct

DataPath = tuple[str | int, ...]

_MAPPED_SECTIONS = {
    "teams": "team",
    "calendars": "calendar",
    "fields": "field",
    "conditions": "condition",
    "picklists": "picklist",
    "terms": "term",
}


# Where each kind's ids must be unique. Criteria name fields and conditions alike, and
# the glossary site gives terms, stages and conditions one page each, so a condition's
# id may clash with either.
_NAMESPACES: dict[str, tuple[str, ...]] = {
    "team": ("team",),
    "calendar": ("calendar",),
    "field": ("field",),
    "condition": ("field", "glossary"),
    "picklist": ("picklist",),
    "term": ("glossary",),
}


# Keys an entry cannot be built without; the schema requires them too, but an entry
# whose required value failed the schema is left out and remembered as unchecked.
REQUIRED: dict[str, tuple[str, ...]] = {
    "team": ("label",),
    "calendar": ("label", "timezone", "working_days", "hours"),
    "field": ("label", "type"),
    "condition": ("label", "when"),
    "picklist": ("label", "values"),
    "term": ("term", "definition"),
    "stage": ("id", "label", "entry"),
    "exit": ("to", "when"),
    "value": ("id", "label"),
}


@struct
class Source:
    """One readable file and the data paths the schema rejected in it."""

    document: Document
    failed: frozenset[DataPath] = frozenset()

    @cached_property
    def data(self) -> dict[str, Any]:
        """The file's data without the values the schema rejected.

        Rejected mapping entries are dropped and rejected list items become None,
        so every remaining value keeps its path (and so its place in the file).
        """
        if not self.failed:
            return self.document.data
        pruned = copy.deepcopy(self.document.data)
        for path in sorted(self.failed, key=len, reverse=True):
            parent: Any = pruned
            for key in path[:-1]:
                parent = _child(parent, key)
            last = path[-1]
            if isinstance(parent, dict):
                parent.pop(last, None)
            elif isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
                parent[last] = None
        return pruned


def _child(node: Any, key: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def _complete(raw: Any, kind: str) -> bool:
    return isinstance(raw, dict) and all(key in raw for key in REQUIRED[kind])


class _Builder:
    """What building gathers across the files: findings, waivers, entries left out, ids taken.

    A plain class: it has no use for the equality and repr a struct would give it.
    """

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.waivers: list[Waiver] = []
        self.unchecked: set[tuple[str, str]] = set()
        # id -> where it was first defined and as what, per namespace, for "also defined here".
        self.defined: dict[tuple[str, str], tuple[Span, str]] = {}

    def claim(self, namespace: str, kind: str, ident: str, span: Span) -> bool:
        """Record an id; report LS201 if it was already taken. True when it is new."""
        first = self.defined.get((namespace, ident))
        if first is not None:
            where, first_kind = first
            if "condition" in (kind, first_kind) and kind != first_kind:
                message = f"`{ident}` is the id of a {first_kind} and of a {kind}"
                hint = (
                    "criteria use fields and conditions by id, and the glossary gives "
                    "conditions, stages and terms a page each: rename one of the two"
                )
            else:
                message = f"the {kind} id `{ident}` is defined twice"
                hint = "ids must be unique across all definition files: rename one, or merge the two entries"
            self.diagnostics.append(
                diagnostic(
                    "LS201",
                    message,
                    span,
                    hint=hint,
                    related=[Related(where, f"`{ident}` first defined here")],
                )
            )
            return False
        self.defined[(namespace, ident)] = (span, kind)
        return True


def build(sources: Sequence[Source], *, complete: bool = True) -> tuple[Model, list[Diagnostic]]:
    """Merge every readable file into one model; return it with LS201/LS211 findings."""
    builder = _Builder()
    teams: dict[str, Team] = {}
    calendars: dict[str, Calendar] = {}
    fields: dict[str, Field] = {}
    conditions: dict[str, Condition] = {}
    picklists: dict[str, Picklist] = {}
    terms: dict[str, Term] = {}
    stages: list[Stage] = []
    lifecycle: Lifecycle | None = None
    lifecycle_span: Span | None = None
    targets: Targets | None = None
    targets_span: Span | None = None

    makers = {
        "team": _team,
        "calendar": _calendar,
        "field": _field,
        "condition": _condition,
        "picklist": _picklist,
        "term": _term,
    }
    tables: dict[str, dict[str, Any]] = {
        "team": teams,
        "calendar": calendars,
        "field": fields,
        "condition": conditions,
        "picklist": picklists,
        "term": terms,
    }

    for source in sources:
        doc = source.document
        data = source.data
        for section, kind in _MAPPED_SECTIONS.items():
            entries = data.get(section)
            if not isinstance(entries, dict):
                continue
            for ident, raw in entries.items():
                path: DataPath = (section, ident)
                if not all(
                    builder.claim(namespace, kind, ident, doc.key_span(path))
                    for namespace in _NAMESPACES[kind]
                ):
                    continue
                if not _complete(raw, kind):
                    builder.unchecked.add((kind, ident))
                    continue
                tables[kind][ident] = makers[kind](builder, doc, path, ident, raw)
        raw_stages = data.get("stages")
        if isinstance(raw_stages, list):
            for index, raw in enumerate(raw_stages):
                path = ("stages", index)
                ident = raw.get("id") if isinstance(raw, dict) else None
                if not isinstance(ident, str):
                    continue
                if not builder.claim("glossary", "stage", ident, doc.span((*path, "id"))):
                    continue
                if not _complete(raw, "stage"):
                    builder.unchecked.add(("stage", ident))
                    continue
                stages.append(_stage(builder, doc, path, raw))
        for single in ("lifecycle", "targets"):
            raw = data.get(single)
            if raw is None:
                continue
            span = doc.key_span((single,))
            first = lifecycle_span if single == "lifecycle" else targets_span
            if first is not None:
                builder.diagnostics.append(
                    diagnostic(
                        "LS201",
                        f"`{single}` is defined twice",
                        span,
                        hint=f"keep one `{single}` section for the whole lifecycle",
                        related=[Related(first, f"`{single}` first defined here")],
                    )
                )
                continue
            if single == "lifecycle":
                lifecycle_span = span
                if isinstance(raw, dict):
                    lifecycle = _lifecycle(builder, doc, raw)
            else:
                targets_span = span
                if isinstance(raw, dict) and "revenue" in raw and "average_deal_size" in raw:
                    targets = _targets(builder, doc, raw)

    model = Model(
        teams=teams,
        calendars=calendars,
        fields=fields,
        stages=tuple(stages),
        picklists=picklists,
        terms=terms,
        lifecycle=lifecycle or Lifecycle(),
        targets=targets,
        waivers=tuple(builder.waivers),
        complete=complete,
        unchecked=frozenset(builder.unchecked),
        conditions=conditions,
    )
    return model, builder.diagnostics


# --- entries -------------------------------------------------------------------------


def _spans(doc: Document, path: DataPath, raw: dict[str, Any], prefix: str = "") -> dict[str, Span]:
    """Where each entry of the mapping at `path` was written, by key (after `prefix`)."""
    spans = doc.spans_in(path, raw)
    if prefix:
        return {f"{prefix}{key}": span for key, span in zip(raw, spans, strict=True)}
    return dict(zip(raw, spans, strict=True))


def _text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) else None


def _mapping(raw: dict[str, Any], key: str) -> dict[Any, Any]:
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def _strings(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key) or ()
    return tuple(item for item in value if isinstance(item, str))


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    return None


def _waivers(builder: _Builder, doc: Document, path: DataPath, raw: dict[str, Any]) -> None:
    scope = doc.span(path)
    for index, item in enumerate(raw.get("waivers") or ()):
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            builder.waivers.append(
                Waiver(
                    code=item["code"],
                    reason=str(item.get("reason", "")),
                    span=doc.span((*path, "waivers", index)),
                    scope=scope,
                )
            )


def _criterion(doc: Document, path: DataPath, text: Any) -> Criterion:
    return Criterion(text=str(text), span=doc.span(path), where=partial(doc.scalar_offsets, path))


def _team(builder: _Builder, doc: Document, path: DataPath, ident: str, raw: dict[str, Any]) -> Team:
    _waivers(builder, doc, path, raw)
    return Team(
        id=ident,
        label=raw["label"],
        span=doc.span(path),
        description=_text(raw, "description"),
        codeowners=_strings(raw, "codeowners"),
        spans=_spans(doc, path, raw),
    )


def _calendar(builder: _Builder, doc: Document, path: DataPath, ident: str, raw: dict[str, Any]) -> Calendar:
    _waivers(builder, doc, path, raw)
    hours = raw.get("hours") or {}
    holidays = tuple(
        Holiday(
            date=str(item["date"]),
            name=_text(item, "name"),
            span=doc.span((*path, "holidays", index)),
            spans=_spans(doc, (*path, "holidays", index), item),
        )
        for index, item in enumerate(raw.get("holidays") or ())
        if isinstance(item, dict) and "date" in item
    )
    return Calendar(
        id=ident,
        label=raw["label"],
        timezone=raw["timezone"],
        days=_strings(raw, "working_days"),
        start=str(hours.get("start", "")),
        end=str(hours.get("end", "")),
        holidays=holidays,
        span=doc.span(path),
        spans=_spans(doc, path, raw),
    )


def _field(builder: _Builder, doc: Document, path: DataPath, ident: str, raw: dict[str, Any]) -> Field:
    _waivers(builder, doc, path, raw)
    crm = raw.get("crm") or {}
    return Field(
        id=ident,
        label=raw.get("label") or ident,
        type=raw["type"],
        span=doc.span(path),
        description=_text(raw, "description"),
        minimum=_decimal(raw["above"] if "above" in raw else raw.get("min")),
        maximum=_decimal(raw["below"] if "below" in raw else raw.get("max")),
        minimum_open="above" in raw,
        maximum_open="below" in raw,
        values=_strings(raw, "values"),
        optional=bool(raw.get("optional", False)),
        crm={str(k): str(v) for k, v in crm.items()},
        value_labels={str(k): str(v) for k, v in _mapping(raw, "value_labels").items()},
        spans=_spans(doc, path, raw),
    )


def _condition(
    builder: _Builder, doc: Document, path: DataPath, ident: str, raw: dict[str, Any]
) -> Condition:
    _waivers(builder, doc, path, raw)
    return Condition(
        id=ident,
        label=raw["label"],
        when=_criterion(doc, (*path, "when"), raw["when"]),
        span=doc.span(path),
        description=_text(raw, "description"),
        spans=_spans(doc, path, raw),
    )


def _duration(builder: _Builder, doc: Document, path: DataPath, text: Any) -> Duration | None:
    try:
        return parse_duration(str(text))
    except DurationError as error:
        builder.diagnostics.append(
            diagnostic(
                "LS211",
                f"{error}",
                doc.span(path),
                hint=f"write a duration such as {DURATION_EXAMPLES}",
            )
        )
        return None


def _sla(builder: _Builder, doc: Document, path: DataPath, raw: Any) -> Sla | None:
    if not isinstance(raw, dict):
        return None
    if "within" not in raw or "owner" not in raw:
        return None
    within = _duration(builder, doc, (*path, "within"), raw["within"])
    escalation = None
    escalate = raw.get("escalate")
    if isinstance(escalate, dict) and "after" in escalate and "to" in escalate:
        after = _duration(builder, doc, (*path, "escalate", "after"), escalate.get("after"))
        if after is not None:
            escalation = Escalation(
                after=after,
                to=str(escalate.get("to")),
                span=doc.span((*path, "escalate")),
                spans=_spans(doc, (*path, "escalate"), escalate),
            )
    if within is None:
        return None
    return Sla(
        within=within,
        owner=str(raw.get("owner")),
        span=doc.span(path),
        calendar=_text(raw, "calendar"),
        escalate=escalation,
        spans=_spans(doc, path, raw),
    )


def _examples(doc: Document, path: DataPath, raw: Any) -> tuple[Example, ...]:
    found = []
    for index, item in enumerate(raw or ()):
        if isinstance(item, dict):
            where = (*path, index)
            found.append(
                Example(
                    name=str(item.get("name", f"example {index + 1}")),
                    lead=dict(item.get("lead") or {}),
                    span=doc.span(where),
                    spans=_spans(doc, (*where, "lead"), item.get("lead") or {}, "lead."),
                )
            )
    return tuple(found)


def _exit(builder: _Builder, doc: Document, path: DataPath, raw: dict[str, Any]) -> Exit:
    _waivers(builder, doc, path, raw)
    return Exit(
        to=raw["to"],
        when=_criterion(doc, (*path, "when"), raw["when"]),
        span=doc.span(path),
        sla=_sla(builder, doc, (*path, "sla"), raw.get("sla")),
        reason=_text(raw, "reason"),
        set=dict(raw.get("set") or {}),
        examples=_examples(doc, (*path, "examples"), raw.get("examples")),
        to_span=doc.span((*path, "to")),
        description=_text(raw, "description"),
        spans={
            **_spans(doc, path, raw),
            **_spans(doc, (*path, "set"), raw.get("set") or {}, "set."),
        },
    )


def _stage(builder: _Builder, doc: Document, path: DataPath, raw: dict[str, Any]) -> Stage:
    _waivers(builder, doc, path, raw)
    exits = tuple(
        _exit(builder, doc, (*path, "exits", index), item)
        for index, item in enumerate(raw.get("exits") or ())
        if _complete(item, "exit")
    )
    return Stage(
        id=raw["id"],
        label=raw["label"],
        span=doc.span(path),
        owner=_text(raw, "owner"),
        abbr=_text(raw, "abbr"),
        definition=_text(raw, "definition"),
        entry=_criterion(doc, (*path, "entry"), raw["entry"]),
        exits=exits,
        terminal=bool(raw.get("terminal", False)),
        start=bool(raw.get("start", False)),
        sla=_sla(builder, doc, (*path, "sla"), raw.get("sla")),
        examples=_examples(doc, (*path, "examples"), raw.get("examples")),
        api_name=_text(raw, "api_name"),
        aliases=_strings(raw, "aliases"),
        see_also=_strings(raw, "see_also"),
        deprecated=bool(raw.get("deprecated", False)),
        replaced_by=_text(raw, "replaced_by"),
        crm=_crm_values(raw),
        spans=_spans(doc, path, raw),
    )


def _crm_values(raw: dict[str, Any]) -> dict[str, str]:
    """A stage's or value's per-CRM API values; numbers (Dynamics option values) as text."""
    crm = raw.get("crm")
    if not isinstance(crm, dict):
        return {}
    return {str(k): str(v) for k, v in crm.items() if isinstance(v, (str, int)) and not isinstance(v, bool)}


def _crm_homes(raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Where a picklist (or the stages) lives in each CRM: crm name -> {key: value}."""
    crm = raw.get("crm")
    if not isinstance(crm, dict):
        return {}
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in crm.items() if isinstance(v, dict)}


def _picklist(builder: _Builder, doc: Document, path: DataPath, ident: str, raw: dict[str, Any]) -> Picklist:
    _waivers(builder, doc, path, raw)
    values: list[PicklistValue] = []
    seen: dict[str, Span] = {}
    for index, item in enumerate(raw.get("values") or ()):
        if not _complete(item, "value"):
            continue
        where = (*path, "values", index)
        value_id = item["id"]
        id_span = doc.span((*where, "id"))
        if value_id in seen:
            builder.diagnostics.append(
                diagnostic(
                    "LS201",
                    f"the value id `{value_id}` appears twice in the picklist `{ident}`",
                    id_span,
                    hint="each value of a picklist needs its own id",
                    related=[Related(seen[value_id], f"`{value_id}` first defined here")],
                )
            )
            continue
        seen[value_id] = id_span
        _waivers(builder, doc, where, item)
        values.append(
            PicklistValue(
                id=value_id,
                label=item["label"],
                span=doc.span(where),
                api_name=_text(item, "api_name"),
                description=_text(item, "description"),
                deprecated=bool(item.get("deprecated", False)),
                replaced_by=_text(item, "replaced_by"),
                then=_text(item, "then"),
                crm=_crm_values(item),
                spans=_spans(doc, where, item),
            )
        )
    return Picklist(
        id=ident,
        label=raw["label"],
        values=tuple(values),
        span=doc.span(path),
        description=_text(raw, "description"),
        crm=_crm_homes(raw),
        spans=_spans(doc, path, raw),
    )


def _term(builder: _Builder, doc: Document, path: DataPath, ident: str, raw: dict[str, Any]) -> Term:
    _waivers(builder, doc, path, raw)
    return Term(
        id=ident,
        term=raw["term"],
        span=doc.span(path),
        abbr=_text(raw, "abbr"),
        aliases=_strings(raw, "aliases"),
        definition=_text(raw, "definition"),
        see_also=_strings(raw, "see_also"),
        deprecated=bool(raw.get("deprecated", False)),
        replaced_by=_text(raw, "replaced_by"),
        spans=_spans(doc, path, raw),
    )


def _lifecycle(builder: _Builder, doc: Document, raw: dict[str, Any]) -> Lifecycle:
    path: DataPath = ("lifecycle",)
    _waivers(builder, doc, path, raw)
    return Lifecycle(
        policy=raw.get("policy", "exclusive"),
        scope=_criterion(doc, (*path, "scope"), raw["scope"]) if "scope" in raw else None,
        span=doc.span(path),
        description=_text(raw, "description"),
        crm=_crm_homes(raw),
        spans=_spans(doc, path, raw),
    )


def _targets(builder: _Builder, doc: Document, raw: dict[str, Any]) -> Targets:
    path: DataPath = ("targets",)
    _waivers(builder, doc, path, raw)
    conversion: dict[tuple[str, str], Decimal] = {}
    conversion_spans: dict[tuple[str, str], Span] = {}
    for key, rate in (raw.get("conversion") or {}).items():
        source, _, target = str(key).partition("->")
        conversion[(source, target)] = Decimal(rate)
        conversion_spans[(source, target)] = doc.key_span((*path, "conversion", key))
    capacity = tuple(
        Capacity(
            team=team,
            reps=int(entry["reps"]),
            per_rep=Decimal(entry["per_rep"]),
            stage=str(entry["stage"]),
            span=doc.span((*path, "capacity", team)),
        )
        for team, entry in (raw.get("capacity") or {}).items()
        if isinstance(entry, dict) and all(key in entry for key in ("reps", "per_rep", "stage"))
    )
    return Targets(
        period=str(raw.get("period", "quarter")),
        revenue=Decimal(raw["revenue"]),
        average_deal_size=Decimal(raw["average_deal_size"]),
        conversion=conversion,
        capacity=capacity,
        span=doc.span(path),
        conversion_spans=conversion_spans,
        currency=_text(raw, "currency"),
        spans=_spans(doc, path, raw),
    )


def iter_criteria(model: Model) -> Iterator[tuple[str, Criterion]]:
    """Every criterion in the model with a few words on where it stands (named conditions first)."""
    for condition in model.conditions.values():
        yield f"the condition `{condition.id}`", condition.when
    if model.lifecycle.scope is not None:
        yield "the lifecycle scope", model.lifecycle.scope
    for stage in model.stages:
        if stage.entry is not None:
            yield f"the entry of stage `{stage.id}`", stage.entry
        for exit_ in stage.exits:
            yield f"the exit from `{stage.id}` to `{exit_.to}`", exit_.when

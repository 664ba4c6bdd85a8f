"""One lead, explained: which stage it is in and why, criterion by criterion.

The answer comes from `membership.Membership` (the rule every tool shares);
this module reads the lead a person typed or saved, and says the verdicts in
words (field labels, `to_words`) and in code (`to_code`), with the lead's own
values next to each comparison: "Lead score is at least 50: no (45)".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from leadspec.classify import column_names, read_json, read_text
from leadspec.expr.ast import Expr, Not, Ref
from leadspec.expr.render import to_code, to_words
from leadspec.flow import ordered_stages
from leadspec.membership import (
    Membership,
    Part,
    Placement,
    StageVerdict,
    alternatives,
    fields_of,
    lifecycle_criteria,
    needs,
    parts,
)
from leadspec.model import Exit, Field, Model, Stage
from leadspec.structs import struct
from leadspec.values import domain_words, value_problem


class LeadError(Exception):
    """The lead cannot be read: an unknown field, or a value outside its field's domain (exit code 2)."""


# -- reading the lead ---------------------------------------------------------------------


def resolve_field(model: Model, name: str) -> Field:
    """The field a name means: its id, or one of its CRM API names (also ignoring case)."""
    from leadspec.suggest import closest

    key = name.strip()
    if key in model.fields:
        return model.fields[key]
    names: dict[str, Field] = {}
    for field in model.fields.values():
        for candidate in column_names(field):
            names.setdefault(candidate, field)
    if key in names:
        return names[key]
    folded = {candidate.casefold(): field for candidate, field in names.items()}
    if key.casefold() in folded:
        return folded[key.casefold()]
    hint = closest(key, model.fields) or closest(key, names)
    more = f"; did you mean `{hint}`?" if hint else ""
    raise LeadError(
        f"the definitions have no field `{key}`{more} (the fields are: {', '.join(model.fields)})"
    )


def _checked(field: Field, value: Any, shown: str) -> Any:
    """The value, or LeadError saying in plain words why it cannot be one of the field's."""
    problem = value_problem(field, value)
    if problem is None:
        return value
    if value is None:
        raise LeadError(f"{problem}; leave it out to see what the criteria make of a blank value")
    hint = ""
    if field.type == "enum" and isinstance(value, str):
        from leadspec.suggest import closest

        near = closest(value, field.values)
        hint = f" (did you mean {near}?)" if near else ""
    # values.value_problem says the same, but shows the value read; this shows it as the person typed it
    raise LeadError(f"`{field.id}` ({field.label}) is {domain_words(field)}, not {shown}{hint}")


def parse_lead_text(model: Model, text: str) -> dict[str, Any]:
    """`lead_score=45,country=US,email_verified=yes` -> {field id: value}; an empty value means blank."""
    lead: dict[str, Any] = {}
    for piece in text.split(","):
        if not piece.strip():
            continue
        if "=" not in piece:
            raise LeadError(f"{piece.strip()!r} should be written name=value, like lead_score=45")
        name, _, raw = piece.partition("=")
        field = resolve_field(model, name)
        if field.id in lead:
            raise LeadError(f"`{field.id}` is given twice")
        reading = read_text(field, raw, ignore_case=False)
        value = reading.value
        if reading.problem == "encoding":
            raise LeadError(f"the value of `{field.id}` is not readable text")
        shown = raw.strip() if isinstance(value, Decimal) else json.dumps(raw.strip(), ensure_ascii=False)
        lead[field.id] = _checked(field, value, shown)
    return lead


def parse_lead_json(model: Model, text: str, source: str = "the lead file") -> dict[str, Any]:
    """A JSON object {field: value}: JSON true/false and numbers, or text read as on the command line."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise LeadError(
            f"{source} is not valid JSON: {error.msg} (line {error.lineno}, character {error.colno})"
        ) from None
    except RecursionError:
        raise LeadError(f"{source} is nested too deeply to be a lead") from None
    if not isinstance(data, dict):
        raise LeadError(f'{source} should hold one JSON object, like {{"lead_score": 45, "country": "US"}}')
    lead: dict[str, Any] = {}
    for name, raw in data.items():
        field = resolve_field(model, str(name))
        if field.id in lead:
            raise LeadError(f"`{field.id}` is given twice in {source}")
        reading = read_json(field, raw, ignore_case=False)
        shown = json.dumps(raw, default=str, ensure_ascii=False)
        lead[field.id] = _checked(field, reading.value, shown)
    return lead


# -- the explanation ------------------------------------------------------------------------


@struct
class Explanation:
    """Everything `explain` says about one lead."""

    membership: Membership
    model: Model
    lead: dict[str, Any]
    not_given: tuple[str, ...]  # fields the criteria read that the lead leaves out (blank)
    full: dict[str, Any]  # every field, None where blank
    placement: Placement
    scope: tuple[Part, ...]
    verdicts: tuple[StageVerdict, ...]
    open_exits: tuple[tuple[Stage, Exit, tuple[Part, ...]], ...]


def explain(membership: Membership, lead: Mapping[str, Any]) -> Explanation:
    model = membership.model
    full = {name: lead.get(name) for name in model.fields}
    read: dict[str, None] = {}
    for _, criterion in lifecycle_criteria(model):
        read.update(dict.fromkeys(fields_of(membership.tree(criterion))))
    not_given = tuple(name for name in model.fields if name in read and name not in lead)
    placement = membership.placement(full)
    open_exits = tuple(
        (stage, exit_, lacking)
        for stage in placement.stages
        for exit_, lacking in membership.open_exits(stage, full)
    )
    return Explanation(
        membership=membership,
        model=model,
        lead=dict(lead),
        not_given=not_given,
        full=full,
        placement=placement,
        scope=membership.scope_parts(full),
        verdicts=_in_lifecycle_order(membership.verdicts(full), model),
        open_exits=open_exits,
    )


def _in_lifecycle_order(verdicts: tuple[StageVerdict, ...], model: Model) -> tuple[StageVerdict, ...]:
    """The verdicts as the site lists the stages (SAL before Disqualified), not in file order."""
    position = {id(stage): index for index, stage in enumerate(ordered_stages(model))}
    return tuple(sorted(verdicts, key=lambda verdict: position[id(verdict.stage)]))


# -- words ------------------------------------------------------------------------------------


def _value_text(value: Any) -> str:
    if value is None:
        return "blank"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value, "f") if value.is_finite() and -30 <= value.adjusted() <= 30 else str(value)
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _values(part: Part, explanation: Explanation) -> str:
    shown = []
    for name in part.fields:
        value = explanation.lead.get(name)
        text = _value_text(value)
        if name in explanation.not_given:
            text = "blank, not given"
        shown.append(text if len(part.fields) == 1 else f"{name}={text}")
    return ", ".join(shown)


def _sentence(expr: Expr, model: Model) -> str:
    words = to_words(expr, model.fields)
    return words[:1].upper() + words[1:]


def part_line(part: Part, explanation: Explanation) -> str:
    """ "Lead score is at least 50: no (45)   [lead_score >= 50]"."""
    answer = "yes" if part.met else "no"
    values = "" if _named(part) is not None else _values(part, explanation)
    shown = f" ({values})" if values else ""
    return f"{_sentence(part.expr, explanation.model)}: {answer}{shown}   [{to_code(part.expr)}]"


def _named(part: Part) -> Expr | None:
    """For a part that is a named condition (or `not` one), what it stands for; else None."""
    expr, negated = part.expr, False
    while isinstance(expr, Not):
        expr, negated = expr.operand, not negated
    if not isinstance(expr, Ref):
        return None
    return Not(expr.expr, expr.start, expr.end) if negated else expr.expr


def decided_by(part: Part, explanation: Explanation) -> tuple[Part, ...]:
    """What decided a named condition for this lead (its own parts); empty for any other part."""
    inner = _named(part)
    return () if inner is None else parts(inner, explanation.full)


def _part_lines(part: Part, explanation: Explanation, indent: str) -> list[str]:
    """A part, and under a named condition the parts that decided it."""
    lines = [f"{indent}- {part_line(part, explanation)}"]
    for inner in decided_by(part, explanation):
        lines += _part_lines(inner, explanation, indent + "    ")
    return lines


def need_line(part: Part, explanation: Explanation) -> str:
    """ "SDR status is accepted (now working)   [sdr_status == "accepted"]"."""
    values = _values(part, explanation)
    now = f" (now {values})" if values else ""
    return f"{_sentence(part.expr, explanation.model)}{now}   [{to_code(part.expr)}]"


def _need_lines(part: Part, explanation: Explanation, indent: str, depth: int = 0) -> list[str]:
    """A need; one that can be met in several ways is shown as "one of:" with what each way lacks.

    A named condition is shown by its name, with what the lead lacks to meet it under it.
    """
    inner = _named(part)
    if inner is not None:
        lines = [f"{indent}- {_sentence(part.expr, explanation.model)}   [{to_code(part.expr)}]:"]
        for item in needs(inner, explanation.full):
            lines += _need_lines(item, explanation, indent + "    ", depth)
        return lines
    choices = alternatives(part.expr) if depth < 3 else None
    if not choices:
        return [f"{indent}- {need_line(part, explanation)}"]
    lines = [f"{indent}- one of:"]
    for choice in choices:
        lacking = needs(choice, explanation.full)
        if len(lacking) == 1:
            lines += _need_lines(lacking[0], explanation, indent + "    ", depth + 1)
        else:
            lines.append(f"{indent}    - all of:")
            for item in lacking:
                lines += _need_lines(item, explanation, indent + "        ", depth + 1)
    return lines


def _stage_name(stage: Stage) -> str:
    return f"{stage.label} ({stage.id})" if stage.label and stage.label != stage.id else stage.id


def headline(explanation: Explanation) -> str:
    placement = explanation.placement
    if not placement.in_scope:
        return "The lead is outside the lifecycle's scope, so it is in no stage (and that is no gap)."
    if not placement.stages:
        return "The lead is in no stage: a gap in the definitions (`leadspec check` reports gaps as LS302)."
    if len(placement.stages) == 1:
        return f"The lead is in {_stage_name(placement.stages[0])}."
    names = " and ".join(_stage_name(stage) for stage in placement.stages)
    return (
        f"The lead is in {len(placement.stages)} stages at once, {names}: an overlap in the definitions "
        "(`leadspec check` reports overlaps as LS301)."
    )


def _target(model: Model, exit_: Exit) -> str:
    stage = model.stage(exit_.to)
    return _stage_name(stage) if stage is not None else exit_.to


def render_text(explanation: Explanation) -> str:
    model = explanation.model
    lines = [headline(explanation), ""]
    given = ", ".join(f"{name}={_value_text(value)}" for name, value in explanation.lead.items())
    lines.append(f"Lead: {given or '(no values)'}")
    if explanation.not_given:
        lines.append("Not given, so blank: " + ", ".join(explanation.not_given))
    scope = model.lifecycle.scope
    if scope is not None:
        met = explanation.placement.in_scope
        lines += ["", f"Lifecycle scope: {'inside' if met else 'outside'}"]
        lines += [line for part in explanation.scope for line in _part_lines(part, explanation, "  ")]
    lines += ["", "Stage by stage:"]
    for verdict in explanation.verdicts:
        lines.append("")
        lines.extend(_stage_lines(verdict, explanation))
    if explanation.placement.stages:
        lines += [""]
        for stage in explanation.placement.stages:
            exits = [(exit_, lacking) for s, exit_, lacking in explanation.open_exits if s is stage]
            if not stage.exits:
                lines.append(f"{_stage_name(stage)} is a final stage: no exits.")
                continue
            lines.append(f"Open exits from {stage.label}:")
            for exit_, lacking in exits:
                lines.append(
                    f"  -> {_target(model, exit_)} when {_sentence(_when(exit_, explanation), model)}"
                )
                lines.append("     still needs:")
                for part in lacking:
                    lines += _need_lines(part, explanation, "       ")
    return "\n".join(lines) + "\n"


def _when(exit_: Exit, explanation: Explanation) -> Expr:
    return explanation.membership.tree(exit_.when)


def _stage_lines(verdict: StageVerdict, explanation: Explanation) -> list[str]:
    stage = verdict.stage
    model = explanation.model
    name = _stage_name(stage)
    if verdict.why == "scope":
        return [f"{name}: no, the lead is outside the lifecycle's scope"]
    lines: list[str] = []
    if verdict.why == "entry":
        lines.append(f"{name}: no, the entry is not met")
    elif verdict.why == "exit":
        targets = ", ".join(_target(model, v.exit) for v in verdict.leaving)
        lines.append(f"{name}: no, the entry is met but so is the exit to {targets}")
    elif verdict.why == "earlier":
        first = explanation.placement.stages[0]
        lines.append(
            f"{name}: its criteria are met, but {first.label} comes first (the policy is first_match)"
        )
    else:
        lines.append(f"{name}: YES, the lead is here")
    lines.append(f"  entry: {'met' if verdict.entry_met else 'not met'}")
    lines += [line for part in verdict.entry_parts for line in _part_lines(part, explanation, "    ")]
    for exit_verdict in verdict.exits:
        target = _target(model, exit_verdict.exit)
        if exit_verdict.met:
            lines.append(f"  exit to {target}: met")
            lines += [line for part in exit_verdict.parts for line in _part_lines(part, explanation, "    ")]
        elif verdict.why is None:
            lines.append(f"  exit to {target}: not met")
    return lines


# -- JSON -----------------------------------------------------------------------------------------


def _part_document(part: Part, explanation: Explanation) -> dict[str, Any]:
    from leadspec.reporters._common import json_value

    found = {
        "words": _sentence(part.expr, explanation.model),
        "code": to_code(part.expr),
        "met": part.met,
        "values": {name: json_value(explanation.lead.get(name)) for name in part.fields},
    }
    inner = decided_by(part, explanation)
    if inner:
        found["decided_by"] = [_part_document(item, explanation) for item in inner]
    return found


def _need_document(part: Part, explanation: Explanation, depth: int = 0) -> dict[str, Any]:
    """A need; one that can be met in several ways also lists, per way, what it lacks (`one_of`)."""
    found = _part_document(part, explanation)
    inner = _named(part)
    if inner is not None:
        found["needs"] = [_need_document(item, explanation, depth) for item in needs(inner, explanation.full)]
        return found
    choices = alternatives(part.expr) if depth < 3 else None
    if choices:
        found["one_of"] = [
            [_need_document(item, explanation, depth + 1) for item in needs(choice, explanation.full)]
            for choice in choices
        ]
    return found


def document(explanation: Explanation) -> dict[str, Any]:
    """The explanation as plain data (Decimals exact), for `--format json`."""
    from leadspec.reporters._common import json_value

    model = explanation.model
    membership = explanation.membership
    placement = explanation.placement
    if not placement.in_scope:
        result = "outside_scope"
    else:
        result = {0: "none", 1: "one"}.get(len(placement.stages), "several")

    def criterion(expr: Expr, met: bool, parts: Sequence[Part]) -> dict[str, Any]:
        return {
            "code": to_code(expr),
            "words": _sentence(expr, model),
            "met": met,
            "parts": [_part_document(part, explanation) for part in parts],
        }

    scope = model.lifecycle.scope
    return {
        "lead": json_value(explanation.lead),
        "not_given": list(explanation.not_given),
        "result": result,
        "stages": [stage.id for stage in placement.stages],
        "in_scope": placement.in_scope,
        "scope": None
        if scope is None
        else criterion(membership.tree(scope), placement.in_scope, explanation.scope),
        "checks": [
            {
                "stage": verdict.stage.id,
                "label": verdict.stage.label,
                "inside": verdict.inside,
                "why_not": verdict.why,
                "entry": criterion(
                    membership.tree(verdict.stage.entry), verdict.entry_met, verdict.entry_parts
                )
                if verdict.stage.entry is not None
                else None,
                "exits": [
                    {"to": v.exit.to, **criterion(membership.tree(v.exit.when), v.met, v.parts)}
                    for v in verdict.exits
                ],
            }
            for verdict in explanation.verdicts
        ],
        "open_exits": [
            {
                "from": stage.id,
                "to": exit_.to,
                "code": to_code(membership.tree(exit_.when)),
                "words": _sentence(membership.tree(exit_.when), model),
                "needs": [_need_document(part, explanation) for part in lacking],
            }
            for stage, exit_, lacking in explanation.open_exits
        ],
    }


__all__ = [
    "Explanation",
    "LeadError",
    "document",
    "explain",
    "headline",
    "parse_lead_json",
    "parse_lead_text",
    "render_text",
    "resolve_field",
]

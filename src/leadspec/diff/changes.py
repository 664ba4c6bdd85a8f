"""What changed between two models, apart from lead movement.

Breaking changes (LS431-LS437) are the ones format.md's Governance forbids,
because they break data already in the CRM or links people already use: a
stage or picklist value removed or renamed without `deprecated` and
`replaced_by`, a CRM API value changed, a field's domain narrowed or its type
changed. They are diagnostics, pointing at the head's definition where there
is one (at the base's where the thing is gone).

Everything else people will want to hear about before merging (SLA, owners,
targets, wording of stages, values and glossary terms, criteria, calendars)
is a `Change`: one plain sentence with the value before and after.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from leadspec import structs
from leadspec.analysis.domains import MISSING
from leadspec.analysis.words import mask_words, value_text
from leadspec.diagnostics import Diagnostic, diagnostic
from leadspec.diff.sides import Side
from leadspec.diff.space import field_domain, side_mask
from leadspec.exports.picklists import ValueSet, value_sets
from leadspec.expr.conditions import refs_in
from leadspec.model import Calendar, Criterion, Exit, Field, Model, Sla, Stage, Targets
from leadspec.structs import struct
from leadspec.values import domain_words


@struct
class Change:
    """One plain change: `kind` groups them (sla, owner, target, wording, criteria, ...)."""

    kind: str
    subject: str
    text: str
    before: str | None = None
    after: str | None = None


@struct(frozen=False)
class Changes:
    breaking: list[Diagnostic]
    changes: list[Change]
    notes: list[str]


def _short(text: str | None, limit: int = 80) -> str:
    """A long text (a definition) on one line, cut with an ellipsis."""
    if text is None:
        return "(none)"
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Decimal) and value == value.to_integral_value() and abs(value) >= 1000:
        return f"{int(value):,}"
    if isinstance(value, int) and abs(value) >= 1000:
        return f"{value:,}"
    return value_text(value)


class _Differ:
    def __init__(self, base: Side, head: Side) -> None:
        self.base = base
        self.head = head
        self.old: Model = base.model
        self.new: Model = head.model
        self.breaking: list[Diagnostic] = []
        self.changes: list[Change] = []
        self.notes: list[str] = []

    # -- helpers ---------------------------------------------------------------------

    def change(self, kind: str, subject: str, before: Any, after: Any, what: str = "") -> None:
        """Record `subject what: before → after` when the two differ."""
        if before == after:
            return
        shown_before = self.shown(before)
        shown_after = self.shown(after)
        label = f"{what} of {subject}" if what else subject
        self.changes.append(
            Change(kind, subject, f"{label}: {shown_before} → {shown_after}", shown_before, shown_after)
        )

    @staticmethod
    def shown(value: Any) -> str:
        if value is None or value == () or value == []:
            return "(none)"
        if isinstance(value, (tuple, list)):
            return ", ".join(str(item) for item in value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (Decimal, int)):
            return _number(value)
        return _short(str(value))

    def team(self, ident: str | None) -> str | None:
        if ident is None:
            return None
        team = self.new.teams.get(ident) or self.old.teams.get(ident)
        return team.label if team is not None else ident

    def stage_word(self, ident: str) -> str:
        stage = self.new.stage(ident) or self.old.stage(ident)
        if stage is None:
            return ident
        return stage.abbr or stage.label

    # -- stages and picklist values: governance --------------------------------------

    def governance(self) -> None:
        old_sets = {vs.id: vs for vs in value_sets(self.old)}
        new_sets = {vs.id: vs for vs in value_sets(self.new)}
        for ident, old in old_sets.items():
            new = new_sets.get(ident)
            if new is None:
                self.removed_set(old)
                continue
            self.value_set(old, new)
        for ident, new in new_sets.items():
            if ident not in old_sets and new.is_stages:
                for value in new.values:
                    self.changes.append(
                        Change("added", value.label, f"new stage: {value.label} (`{value.id}`)")
                    )
            elif ident not in old_sets:
                names = ", ".join(value.id for value in new.values)
                self.changes.append(
                    Change("added", new.label, f"new picklist {new.label} ({names})", None, names)
                )

    def removed_set(self, old: ValueSet) -> None:
        if not self.head.complete:
            self.notes.append(f"{old.where} could not be compared: the head has problems (above)")
            return
        live = [value for value in old.values if value.active]
        if not live:
            self.changes.append(
                Change("removed", old.label, f"{old.where} removed (every value was deprecated)")
            )
            return
        names = ", ".join(f"`{value.id}`" for value in live)
        self.breaking.append(
            diagnostic(
                "LS432",
                f"{old.where} was removed, with its values {names}: records in the CRM still hold them",
                self.base.span(old.span),
                hint="keep the picklist and mark each value `deprecated: true` with `replaced_by`",
            )
        )

    def value_set(self, old: ValueSet, new: ValueSet) -> None:
        is_stage = old.is_stages
        code = "LS431" if is_stage else "LS432"
        noun = "stage" if is_stage else "value"
        where = "" if is_stage else f" of the picklist `{old.id}`"
        old_values = {value.id: value for value in old.values}
        new_values = {value.id: value for value in new.values}
        added = [value for ident, value in new_values.items() if ident not in old_values]
        for crm in sorted(set(old.crm) | set(new.crm)):
            self.change(
                "crm", f"where {old.where} live in {crm}", _home(old.crm.get(crm)), _home(new.crm.get(crm))
            )
        if not is_stage:
            self.change("wording", f"picklist {old.label}", old.label, new.label, "label")
            self.change("wording", f"picklist {new.label}", old.description, new.description, "description")
        for ident, value in old_values.items():
            current = new_values.get(ident)
            if current is None:
                if not self.head.complete:
                    self.notes.append(
                        f"whether {noun} `{ident}`{where} was removed could not be told: the head has problems"
                    )
                    continue
                renamed = next(
                    (
                        other
                        for other in added
                        if other.api_value == value.api_value
                        or other.label.casefold() == value.label.casefold()
                    ),
                    None,
                )
                if renamed is not None:
                    added.remove(renamed)
                    self.breaking.append(
                        diagnostic(
                            "LS433",
                            f"the {noun} `{ident}`{where} was renamed to `{renamed.id}`: ids are stable forever, "
                            "and records, links and other definitions still use the old one",
                            self.head.span(renamed.spans.get("id", renamed.span)),
                            hint=f"keep `{ident}` with `deprecated: true` and `replaced_by: {renamed.id}` "
                            f"next to the new `{renamed.id}`, or change the id back",
                        )
                    )
                elif not value.active:
                    self.changes.append(
                        Change(
                            "removed",
                            value.label,
                            f"deprecated {noun} {value.label} (`{ident}`){where} removed",
                        )
                    )
                else:
                    self.breaking.append(
                        diagnostic(
                            code,
                            f"the {noun} `{ident}` ({value.label}){where} was removed without a deprecation: "
                            f"records in the CRM still hold `{value.api_value}`",
                            self.base.span(value.span),
                            hint="put it back with `deprecated: true` and `replaced_by:` the "
                            f"{noun} its records move to; the exports then hide it instead of deleting it",
                        )
                    )
                continue
            self.api_values(noun, where, value, current)
            self.deprecation(noun, where, value, current)
            subject = current.label if is_stage else f"{old.label} value `{ident}`"
            self.change("wording", subject, value.label, current.label, "label")
            self.change("wording", subject, value.description, current.description, "definition")
            if not is_stage:
                self.change("routing", subject, value.next_stage, current.next_stage, "next stage")
        for value in added:
            what = "stage" if is_stage else f"value of {old.label}"
            self.changes.append(Change("added", value.label, f"new {what}: {value.label} (`{value.id}`)"))

    def api_values(self, noun: str, where: str, old: Any, new: Any) -> None:
        crms = sorted(set(old.crm) | set(new.crm))
        before = [("API value", old.api_value, new.api_value, "api_name")]
        before += [(f"{crm} value", old.api_for(crm), new.api_for(crm), "crm") for crm in crms]
        for what, was, now, key in before:
            if was == now:
                continue
            if key == "crm" and old.api_value != new.api_value:
                continue  # the shared value's change says it already
            self.breaking.append(
                diagnostic(
                    "LS434",
                    f"the {what} of {noun} `{new.id}`{where} changed from `{was}` to `{now}`: "
                    f"records in the CRM still hold `{was}`",
                    self.head.span(new.spans.get(key, new.span)),
                    hint=f"keep `{was}`; for a new CRM value add a new {noun} and mark this one "
                    "`deprecated: true` with `replaced_by`",
                )
            )

    def deprecation(self, noun: str, where: str, old: Any, new: Any) -> None:
        if new.active or (not old.active and old.replaced_by == new.replaced_by):
            return
        if new.replaced_by is None:
            if not old.active and old.replaced_by is None:
                return  # deprecated without a replacement already before: not this change's doing
            self.breaking.append(
                diagnostic(
                    "LS436",
                    f"the {noun} `{new.id}`{where} is now deprecated without `replaced_by`: "
                    "nobody can tell where its records should go",
                    self.head.span(new.spans.get("deprecated", new.span)),
                    hint=f"add `replaced_by:` the {noun} that takes its place",
                )
            )
            return
        self.changes.append(
            Change(
                "deprecated",
                new.label,
                f"{new.label} (`{new.id}`){where} is deprecated, replaced by `{new.replaced_by}`",
                None,
                new.replaced_by,
            )
        )

    # -- fields ------------------------------------------------------------------------

    def fields(self) -> None:
        for ident, old in self.old.fields.items():
            new = self.new.fields.get(ident)
            if new is None:
                if self.head.complete:
                    self.changes.append(
                        Change("removed", old.label, f"field {old.label} (`{ident}`) removed")
                    )
                continue
            subject = f"field {new.label}"
            if old.type != new.type:
                self.breaking.append(
                    diagnostic(
                        "LS437",
                        f"the field `{ident}` was {domain_words(old)} and is now {domain_words(new)}: "
                        "the values records hold may no longer fit, and every condition on it changes meaning",
                        self.head.span(new.spans.get("type", new.span)),
                        hint="keep the type; for data of another kind add a new field",
                    )
                )
                continue
            self.domain(old, new)
            self.change("wording", subject, old.label, new.label, "label")
            self.change("wording", subject, old.description, new.description, "description")
            for crm in sorted(set(old.crm) | set(new.crm)):
                self.change("crm", subject, old.crm.get(crm), new.crm.get(crm), f"{crm} name")
        for ident, new in self.new.fields.items():
            if ident not in self.old.fields:
                self.changes.append(
                    Change("added", new.label, f"new field {new.label} (`{ident}`): {domain_words(new)}")
                )

    def domain(self, old: Field, new: Field) -> None:
        joint = field_domain(old, new)
        before, after = side_mask(joint, old), side_mask(joint, new)
        if before == after:
            return
        lost = before & ~after
        text = f"{domain_words(old)}{', optional' if old.optional else ''} → {domain_words(new)}{', optional' if new.optional else ''}"
        if not lost:
            self.changes.append(Change("domain", new.label, f"field {new.label} widened: {text}"))
            return
        first = (lost & -lost).bit_length() - 1
        value = joint.representative(first)
        witness = {old.id: None if value is MISSING else value}
        key = next(
            (k for k in ("values", "min", "above", "max", "below", "optional") if k in new.spans), "type"
        )
        self.breaking.append(
            diagnostic(
                "LS435",
                f"the field `{new.id}` ({new.label}) no longer allows {mask_words(joint, lost)} "
                f"({text}): leads holding such values are no longer valid leads",
                self.head.span(new.spans.get(key, new.span)),
                hint="keep the old domain while records hold those values, or clean the data first and "
                "accept this change knowingly",
                witness=witness,
            )
        )

    # -- stages: owners, SLA, criteria, wording ---------------------------------------------

    def stages(self) -> None:
        for stage in self.new.stages:
            old = self.old.stage(stage.id)
            if old is None:
                continue
            name = stage.abbr or stage.label
            self.change("owner", f"{name}'s owner", self.team(old.owner), self.team(stage.owner))
            self.sla(f"{name}'s SLA", old.sla, stage.sla)
            self.criterion(f"{name}'s entry", old.entry, stage.entry)
            self.change("wording", name, old.abbr, stage.abbr, "abbreviation")
            self.change("wording", name, old.aliases, stage.aliases, "aliases")
            self.change("lifecycle", name, old.terminal, stage.terminal, "end stage")
            self.change("lifecycle", name, old.start, stage.start, "starting stage")
            self.exits(old, stage)
        if self.old.lifecycle.policy != self.new.lifecycle.policy:
            self.change(
                "lifecycle", "the lifecycle's policy", self.old.lifecycle.policy, self.new.lifecycle.policy
            )
        self.criterion("the lifecycle's scope", self.old.lifecycle.scope, self.new.lifecycle.scope)

    def criterion(self, subject: str, old: Criterion | None, new: Criterion | None) -> None:
        """A changed condition, shown by the words that changed (with a little context)."""
        before, after = _text(old), _text(new)
        if before == after:
            return
        if before is None or after is None:
            self.change("criteria", subject, before, after)
            return
        was, now = _changed_part(before, after)
        self.changes.append(Change("criteria", subject, f"{subject}: {was} → {now}", before, after))

    def conditions(self) -> None:
        """Named conditions: a changed one also lists the criteria it changes with it."""
        for condition in self.new.conditions.values():
            subject = f"the condition {condition.label} ({condition.id})"
            was = self.old.conditions.get(condition.id)
            if was is None:
                self.changes.append(
                    Change(
                        "criteria", subject, f"new condition {condition.id}: {_short(condition.when.text)}"
                    )
                )
                continue
            self.change("wording", subject, was.label, condition.label, "label")
            self.change("wording", subject, was.description, condition.description, "description")
            before = len(self.changes)
            self.criterion(subject, was.when, condition.when)
            if len(self.changes) > before:
                users = self.condition_users(condition.id)
                said = self.changes[-1]
                also = (
                    f"; used by {', '.join(users)}, which change with it"
                    if users
                    else "; no criterion uses it"
                )
                self.changes[-1] = structs.replace(said, text=said.text + also)
        for condition in self.old.conditions.values():
            if condition.id not in self.new.conditions:
                subject = f"the condition {condition.label} ({condition.id})"
                self.changes.append(Change("criteria", subject, f"condition {condition.id} removed"))

    def condition_users(self, ident: str) -> list[str]:
        """The criteria of the new side that rely on a named condition, named as the diff names them."""
        context = self.head.loaded.context
        found: list[str] = []

        def uses(criterion: Criterion | None) -> bool:
            tree = context.expr(criterion)
            return tree is not None and ident in refs_in(tree)

        if uses(self.new.lifecycle.scope):
            found.append("the lifecycle's scope")
        for stage in self.new.stages:
            name = stage.abbr or stage.label
            if uses(stage.entry):
                found.append(f"{name}'s entry")
            found += [f"exit {name} → {self.stage_word(e.to)}" for e in stage.exits if uses(e.when)]
        found += [
            f"the condition {c.id}" for c in self.new.conditions.values() if c.id != ident and uses(c.when)
        ]
        return found

    def exits(self, old: Stage, new: Stage) -> None:
        before = dict(_keyed_exits(old))
        after = dict(_keyed_exits(new))
        name = new.abbr or new.label
        for key, exit_ in after.items():
            subject = f"{name} → {self.stage_word(exit_.to)}"
            was = before.get(key)
            if was is None:
                self.changes.append(
                    Change("criteria", subject, f"new exit {subject} when {_short(exit_.when.text)}")
                )
                continue
            self.criterion(f"exit {subject}: when", was.when, exit_.when)
            self.sla(f"the SLA of {subject}", was.sla, exit_.sla)
            self.change("routing", f"exit {subject}", was.reason, exit_.reason, "reason picklist")
        for key, exit_ in before.items():
            if key not in after:
                subject = f"{name} → {self.stage_word(exit_.to)}"
                self.changes.append(Change("criteria", subject, f"exit {subject} removed"))

    def sla(self, subject: str, old: Sla | None, new: Sla | None) -> None:
        if old is None and new is None:
            return
        if old is None or new is None:
            self.change("sla", subject, self.sla_words(old), self.sla_words(new))
            return
        if (old.within.amount, old.within.unit) != (new.within.amount, new.within.unit):
            self.change("sla", subject, old.within.text, new.within.text)
        self.change("sla", subject, self.team(old.owner), self.team(new.owner), "owner")
        self.change("sla", subject, old.calendar, new.calendar, "calendar")
        self.change("sla", subject, self.escalation(old), self.escalation(new), "escalation")

    def sla_words(self, sla: Sla | None) -> str | None:
        if sla is None:
            return None
        return f"within {sla.within.text}, owned by {self.team(sla.owner)}"

    def escalation(self, sla: Sla) -> str | None:
        if sla.escalate is None:
            return None
        return f"after {sla.escalate.after.text} to {self.team(sla.escalate.to)}"

    # -- glossary, teams, calendars, targets --------------------------------------------------

    def terms(self) -> None:
        for ident, term in self.new.terms.items():
            old = self.old.terms.get(ident)
            if old is None:
                self.changes.append(Change("added", term.term, f"new glossary term {term.term}"))
                continue
            subject = f"glossary term {term.term}"
            self.change("wording", subject, old.term, term.term, "name")
            self.change("wording", subject, old.abbr, term.abbr, "abbreviation")
            self.change("wording", subject, old.aliases, term.aliases, "aliases")
            self.change("wording", subject, old.definition, term.definition, "definition")
            self.change("wording", subject, old.see_also, term.see_also, "see also")
        if self.head.complete:
            for ident, old in self.old.terms.items():
                if ident not in self.new.terms:
                    self.changes.append(Change("removed", old.term, f"glossary term {old.term} removed"))

    def teams(self) -> None:
        for ident, team in self.new.teams.items():
            old = self.old.teams.get(ident)
            if old is None:
                self.changes.append(Change("added", team.label, f"new team {team.label}"))
            else:
                self.change("wording", f"team {team.label}", old.label, team.label, "name")
        for ident, old in self.old.teams.items():
            if ident not in self.new.teams and self.head.complete:
                self.changes.append(Change("removed", old.label, f"team {old.label} removed"))

    def calendars(self) -> None:
        for ident, calendar in self.new.calendars.items():
            old = self.old.calendars.get(ident)
            if old is None:
                continue
            subject = f"calendar {calendar.label}"
            self.change("calendar", subject, old.timezone, calendar.timezone, "time zone")
            self.change("calendar", subject, _hours(old), _hours(calendar))
            self.change("calendar", subject, _holidays(old), _holidays(calendar), "holidays")

    def targets(self) -> None:
        old, new = self.old.targets, self.new.targets
        if old is None and new is None:
            return
        if old is None or new is None:
            self.change("target", "targets", _target_words(old), _target_words(new))
            return
        self.change("target", "target period", old.period, new.period)
        self.change("target", "target revenue", old.revenue, new.revenue)
        self.change("target", "average deal size", old.average_deal_size, new.average_deal_size)
        self.change("target", "currency", old.currency, new.currency)
        for pair in dict.fromkeys((*old.conversion, *new.conversion)):
            subject = f"conversion {self.stage_word(pair[0])} → {self.stage_word(pair[1])}"
            self.change("target", subject, old.conversion.get(pair), new.conversion.get(pair))
        old_capacity = {c.team: c for c in old.capacity}
        for capacity in new.capacity:
            was = old_capacity.pop(capacity.team, None)
            subject = f"capacity of {self.team(capacity.team)}"
            self.change("target", subject, _capacity(self, was), _capacity(self, capacity))
        for was in old_capacity.values():
            self.change("target", f"capacity of {self.team(was.team)}", _capacity(self, was), None)

    def run(self) -> Changes:
        self.governance()
        self.fields()
        self.conditions()
        self.stages()
        self.terms()
        self.teams()
        self.calendars()
        self.targets()
        return Changes(sorted(self.breaking, key=lambda d: d.sort_key), self.changes, self.notes)


def _text(criterion: Any) -> str | None:
    return None if criterion is None else " ".join(criterion.text.split())


def _changed_part(before: str, after: str, context: int = 3) -> tuple[str, str]:
    """The words of two texts that differ, with `context` words around them, `…` for the rest."""
    one, two = before.split(), after.split()
    start = 0
    while start < min(len(one), len(two)) and one[start] == two[start]:
        start += 1
    end = 0
    while end < min(len(one), len(two)) - start and one[-1 - end] == two[-1 - end]:
        end += 1
    first = max(start - context, 0)

    def cut(words: list[str]) -> str:
        stop = len(words) - max(end - context, 0)
        text = " ".join(words[first:stop]) or "(nothing)"
        return ("… " if first else "") + text + (" …" if stop < len(words) else "")

    return f"`{cut(one)}`", f"`{cut(two)}`"


def _keyed_exits(stage: Stage) -> Iterator[tuple[tuple[str, int], Exit]]:
    """Exits keyed by target and their place among exits to the same target."""
    seen: dict[str, int] = {}
    for exit_ in stage.exits:
        count = seen.get(exit_.to, 0)
        seen[exit_.to] = count + 1
        yield (exit_.to, count), exit_


def _home(home: Mapping[str, str] | None) -> str | None:
    return None if not home else ", ".join(f"{key} {value}" for key, value in sorted(home.items()))


def _hours(calendar: Calendar) -> str:
    return f"{', '.join(calendar.days)} {calendar.start}-{calendar.end}"


def _holidays(calendar: Calendar) -> tuple[str, ...]:
    return tuple(holiday.date for holiday in calendar.holidays)


def _target_words(targets: Targets | None) -> str | None:
    if targets is None:
        return None
    return f"{_number(targets.revenue)} revenue per {targets.period}"


def _capacity(differ: _Differ, capacity: Any) -> str | None:
    if capacity is None:
        return None
    return f"{capacity.reps} reps × {value_text(capacity.per_rep)} {differ.stage_word(capacity.stage)} each"


def compare(base: Side, head: Side) -> Changes:
    """Breaking and plain changes from `base` to `head`."""
    return _Differ(base, head).run()


def enabled(breaking: Iterable[Diagnostic], config: Any) -> list[Diagnostic]:
    """Breaking changes the head's configuration turns off are dropped, severities applied."""
    return [
        item.with_severity(config.severity_of(item.code, item.severity))
        for item in breaking
        if config.enabled(item.code, item.span.file if item.span else None)
    ]


__all__ = ["Change", "Changes", "compare", "enabled"]

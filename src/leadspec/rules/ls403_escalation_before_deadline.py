"""An escalation that always comes sooner than the SLA's deadline.

## What it means

An escalation tells another team that the owner missed the deadline, so it must
not come sooner than the deadline: `after` is counted from the same moment as
`within` (the hand-off, or the lead's arrival in the stage). One that comes sooner
reports a lead as late while the owner still has time, and people learn to ignore
escalations. Escalating at the deadline itself, the moment it is missed, is fine
and not reported.

Durations of one kind are compared exactly: business time on the SLA's calendar
(a business day is one working day of the calendar's hours), elapsed time (`4h`,
`PT90M`), or calendar days (`2 days`, `P1W`). When the two are of different kinds
(`1 business day` against `4h`), leadspec tries every opening, closing and noon
of the calendar over the years its holidays cover (for durations up to about a
year), and reports this code only when the escalation comes sooner than the
deadline at every one of them. When it does so only sometimes, that is LS404.

## Example

```yaml
leadspec: 1
teams:
  sdr: {label: Sales development}
  sales_leadership: {label: Sales leadership}
fields:
  sdr_status: {label: SDR status, type: enum, values: [new, accepted]}
calendars:
  office:
    label: Office hours
    timezone: America/Chicago
    working_days: [mon, tue, wed, thu, fri]
    hours: {start: "08:30", end: "17:30"}
stages:
  - id: mql
    label: Marketing Qualified Lead
    owner: sdr
    entry: "true"
    sla:
      within: 2 business days
      owner: sdr
      calendar: office
      escalate: {after: 1 business day, to: sales_leadership}
    exits:
      - to: sal
        when: sdr_status == "accepted"
  - id: sal
    label: Sales Accepted Lead
    owner: sdr
    entry: sdr_status == "accepted"
    terminal: true
```

## How to fix

Escalate at the deadline or after it (`after: 2 business days` or
`after: 3 business days` here), or shorten `within` if the owner really has less
time. Counting both in the same kind of time keeps them comparable.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.sla import escalation_timings

RULE = Rule(
    code="LS403",
    name="escalation-before-deadline",
    severity=Severity.ERROR,
    summary="an escalation that comes sooner than the SLA's deadline",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    for placed, timing in escalation_timings(ctx.model):
        if timing.verdict != "sooner":
            continue
        sla = placed.sla
        escalate = sla.escalate
        assert escalate is not None
        after, within = escalate.after.text, sla.within.text
        message = (
            f"the SLA of {placed.where} escalates after {after}, which is sooner than its deadline ({within})"
        )
        if not timing.exact:
            message += f" whenever the clock starts ({timing.example()})"
        yield diagnostic(
            "LS403",
            message,
            escalate.spans.get("after", escalate.span),
            hint="escalate no sooner than the deadline: a longer `after`, or a shorter `within`",
            related=[Related(sla.spans.get("within", sla.span), f"the deadline: within {within}")],
        )

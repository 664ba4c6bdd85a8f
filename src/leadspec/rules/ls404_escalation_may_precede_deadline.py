"""An escalation that comes before the SLA's deadline for some leads.

## What it means

The escalation and the deadline are counted in different kinds of time: one in
business time (working hours on the calendar), the other in clock time (`48h`,
`2 days`), or one in elapsed hours and the other in calendar days across a clock
change. Which comes first then depends on when the clock starts: `1 business day`
against an escalation `after: 2 days` is fine for a lead handed over on a Monday
morning, but a lead handed over on a Friday at noon is escalated on Sunday, before
it is due on Monday. leadspec tries every opening, closing and noon of the
calendar over the years its holidays cover (for durations up to about a year)
and shows the first start where the escalation comes sooner than the deadline.
Escalating at the deadline itself is fine and not reported. (When the escalation
comes sooner at every start, that is LS403.)

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
      within: 1 business day
      owner: sdr
      calendar: office
      escalate: {after: 2 days, to: sales_leadership}
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

Count both in the same kind of time, so the escalation never comes sooner than
the deadline: `escalate: {after: 1 business day}` (at the deadline) or
`escalate: {after: 2 business days}` here.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.sla import escalation_timings, kind_of

RULE = Rule(
    code="LS404",
    name="escalation-may-precede-deadline",
    severity=Severity.WARNING,
    summary="an escalation that comes before the SLA's deadline for some leads",
)

_KIND_WORDS = {"business": "business time", "elapsed": "elapsed hours", "calendar_days": "calendar days"}


def check(ctx: Context) -> Iterable[Diagnostic]:
    for placed, timing in escalation_timings(ctx.model):
        if timing.verdict != "sometimes":
            continue
        sla = placed.sla
        escalate = sla.escalate
        assert escalate is not None
        after, within = escalate.after, sla.within
        yield diagnostic(
            "LS404",
            f"the SLA of {placed.where} escalates after {after.text} ({_KIND_WORDS[kind_of(after)]}), "
            f"which for some leads is sooner than its deadline ({within.text}, "
            f"{_KIND_WORDS[kind_of(within)]}): {timing.example()}",
            escalate.spans.get("after", escalate.span),
            hint="count both in the same kind of time, so the escalation never comes sooner than the deadline",
            related=[Related(sla.spans.get("within", sla.span), f"the deadline: within {within.text}")],
        )

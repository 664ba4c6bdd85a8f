"""Business time without a calendar.

## What it means

`8 business hours` and `2 business days` count only working time, and which time
is working time (the hours, the time zone, the weekends and holidays) is what a
calendar says. An SLA in business time without a `calendar` has no deadline
anyone can compute: is a lead handed over on Friday evening due Monday, or
Saturday?

## Example

```yaml
leadspec: 1
teams:
  sdr: {label: Sales development}
fields:
  sdr_status: {label: SDR status, type: enum, values: [new, accepted]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: "true"
    sla: {within: 1 business day, owner: sdr}
    exits:
      - to: sal
        when: sdr_status == "accepted"
  - id: sal
    label: Sales Accepted Lead
    entry: sdr_status == "accepted"
    terminal: true
```

## How to fix

Name the calendar the time is counted on (`calendar: us_office`, defined under
`calendars:`), or write clock time (`24h`, `1 day`) if nights and weekends count.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.sla import placed_slas

RULE = Rule(
    code="LS405",
    name="business-time-without-calendar",
    severity=Severity.ERROR,
    summary="an SLA in business time with no calendar to count it on",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    for placed in placed_slas(model):
        sla = placed.sla
        if sla.calendar is not None:
            continue
        business = [(sla.within, sla.spans.get("within"))]
        if sla.escalate is not None:
            business.append((sla.escalate.after, sla.escalate.spans.get("after")))
        for duration, span in business:
            if not duration.business:
                continue
            known = ", ".join(f"`{ident}`" for ident in model.calendars)
            yield diagnostic(
                "LS405",
                f"the SLA of {placed.where} counts {duration.text}, which is business time, but names no calendar",
                span or sla.span,
                hint=f"add `calendar:` ({known})"
                if known
                else "define a calendar under `calendars:` and name it",
            )

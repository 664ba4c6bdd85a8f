"""A reason that must be given on an exit, with no stage for the lead to go to.

## What it means

When an exit names a `reason` picklist (for example SDRs rejecting an MQL must
pick a rejection reason), every value of that picklist is a decision about the
lead's future: back to nurture, or disqualified. The source material is clear
that a rejected lead belongs in nurture, not the bin, so each such value must say
with `then:` which stage the lead goes to.

## Example

```yaml
leadspec: 1
fields:
  sdr_status: {label: SDR status, type: enum, values: [working, rejected]}
picklists:
  rejection_reason:
    label: Rejection reason
    values:
      - {id: no_budget, label: No budget this year}
stages:
  - id: mql
    label: Marketing Qualified Lead
    entry: "true"
    exits:
      - to: nurture
        when: sdr_status == "rejected"
        reason: rejection_reason
  - id: nurture
    label: Nurture
    entry: sdr_status == "rejected"
    terminal: true
```

An SDR rejecting an MQL must pick a reason, but `no_budget` does not say where
the lead goes.

## How to fix

Add `then:` with the stage a lead given this reason goes to.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS213",
    name="reason-without-destination",
    severity=Severity.ERROR,
    summary="an exit reason with no stage for the lead to go to",
    needs_complete_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    model = ctx.model
    first_use = {}
    for stage in model.stages:
        for exit_ in stage.exits:
            if exit_.reason is not None:
                first_use.setdefault(exit_.reason, (stage, exit_))
    for picklist_id, (stage, exit_) in sorted(first_use.items()):
        picklist = model.picklists.get(picklist_id)
        if picklist is None:
            continue
        for value in picklist.values:
            if value.then is None and not value.deprecated:
                yield diagnostic(
                    "LS213",
                    f"`{picklist_id}.{value.id}` ({value.label}) is a reason for leaving "
                    f"`{stage.id}`, but does not say where the lead goes",
                    value.span,
                    hint="add `then:` with the stage for leads given this reason, "
                    "e.g. the nurture or disqualified stage",
                    related=[Related(exit_.spans.get("reason", exit_.span), "the reason is required here")],
                )

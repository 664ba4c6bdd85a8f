"""An SLA on a hand-off owned by the team letting go of the lead.

## What it means

An SLA on an exit is the receiving team's promise to act on the lead within the
time. The team that owns the stage the lead leaves has just let go of it: it
cannot keep a promise about a lead that is no longer in its hands, and the team
that now has the lead has promised nothing.

## Example

```yaml
leadspec: 1
teams:
  marketing: {label: Marketing}
  sdr: {label: Sales development}
fields:
  sdr_status: {label: SDR status, type: enum, values: [new, accepted]}
stages:
  - id: mql
    label: Marketing Qualified Lead
    owner: marketing
    entry: "true"
    exits:
      - to: sal
        when: sdr_status == "accepted"
        sla: {within: 4h, owner: marketing}
  - id: sal
    label: Sales Accepted Lead
    owner: sdr
    entry: sdr_status == "accepted"
    terminal: true
```

## How to fix

Make the receiving team (the owner of the stage the exit goes to) the SLA's
`owner`. If marketing must do something before letting go, that is an SLA on
marketing's own stage (the time a lead may stay there).
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Related, Severity, diagnostic
from leadspec.rules import Rule
from leadspec.sla import handoffs

RULE = Rule(
    code="LS402",
    name="sla-owned-by-sender",
    severity=Severity.ERROR,
    summary="an SLA on a hand-off owned by the team letting go",
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    for source, exit_, target in handoffs(ctx.model):
        sla = exit_.sla
        if sla is None or sla.owner != source.owner:
            continue
        yield diagnostic(
            "LS402",
            f"the SLA of the exit from `{source.id}` to `{target.id}` is owned by `{sla.owner}`, "
            f"the team letting go of the lead; `{target.owner}` receives it",
            sla.spans.get("owner", sla.span),
            hint=f"make `{target.owner}` the owner: the receiving team acts on a hand-off",
            related=[
                Related(source.spans.get("owner", source.span), f"`{source.id}` is owned by `{source.owner}`")
            ],
        )

"""Two values of one picklist would be stored as the same thing in a CRM.

## What it means

A CRM tells the values of a picklist apart by their API value: two values with the same
API value (Salesforce also ignores case: `Fake` and `fake` are the same there) are one
value in the CRM, and reports mix them up. HubSpot also needs a different label for every
option, Pipedrive tells options apart by label, and a Dynamics 365 option value (a number)
must be unique; leadspec derives it from the value's id unless `crm: {dynamics: N}` gives it.

## Example

```yaml
leadspec: 1
picklists:
  disqualification_reason:
    label: Disqualification reason
    values:
      - {id: spam, label: Spam, api_name: Fake}
      - {id: fake_name, label: Fake name, api_name: Fake}
```

## How to fix

Give each value its own API value. To retire a value, keep it with `deprecated: true`
and `replaced_by:` the value that takes over; never reuse its API value.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS504",
    name="duplicate-api-value",
    severity=Severity.ERROR,
    summary="two values of one picklist share an API value (or a label where the CRM needs unique ones)",
    needs_complete_model=False,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    from leadspec.exports import crmrules

    return crmrules.duplicates(ctx.model, crmrules.crms_checked(ctx.model, ctx.config))

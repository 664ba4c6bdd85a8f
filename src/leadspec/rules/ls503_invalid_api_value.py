"""A value's API value cannot be stored in a CRM.

## What it means

The API value is what a CRM stores on each record: `api_name`, or the value's id when it
has no `api_name`, or a per-CRM value under the value's `crm:`. It must survive the trip:

- no spaces at the start or end (CRMs trim them, and the stored value no longer matches);
- Salesforce: at most 255 characters;
- HubSpot: no `;`, which separates the values of a multi-select property;
- Dynamics 365: the option value is a whole number inside the publisher's option value
  range (10000 times the `option_value_prefix`, plus 0 to 9999).

## Example

```yaml
leadspec: 1
picklists:
  rejection_reason:
    label: Rejection reason
    crm:
      hubspot: {object: contacts, property: rejection_reason}
    values:
      - {id: no_budget, label: No budget, api_name: "budget;timing"}
```

## How to fix

Change the API value, if no record uses it yet. If records do, deprecate the value with
`replaced_by` and add a new one with a valid API value.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS503",
    name="invalid-api-value",
    severity=Severity.ERROR,
    summary="an API value is too long, has forbidden characters or is outside the CRM's range",
    needs_complete_model=False,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    from leadspec.exports import crmrules

    return crmrules.api_values(ctx.model, crmrules.crms_checked(ctx.model, ctx.config))

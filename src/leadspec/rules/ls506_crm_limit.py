"""A picklist is bigger or wordier than a CRM allows.

## What it means

Salesforce allows at most 1,000 values in a picklist (inactive ones included), labels and
API values of 255 characters, value descriptions of 255 characters, and, for a picklist
written as a custom field, a field label of 40 characters and a field description of
1,000; a global value set's description has at most 255. Pipedrive allows option labels
of 255 characters. A deployment with more fails as
a whole.

## Example

```yaml
leadspec: 1
picklists:
  rejection_reason:
    label: Reason the sales development team rejected the lead
    crm:
      salesforce: {object: Lead, field: Rejection_Reason__c}
    values:
      - {id: no_budget, label: No budget, api_name: No Budget}
```

## How to fix

Shorten the text as the message says: here the picklist's label, which becomes the
Salesforce field label. A long explanation belongs in `description`.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS506",
    name="crm-limit",
    severity=Severity.ERROR,
    summary="a picklist has more values or longer texts than the CRM allows",
    needs_complete_model=False,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    from leadspec.exports import crmrules

    return crmrules.limits(ctx.model, crmrules.crms_checked(ctx.model, ctx.config))

"""Where a picklist lives in a CRM is a name that CRM does not accept.

## What it means

The names under a picklist's `crm:` must follow each CRM's rules, or the export cannot be
loaded:

- Salesforce: a custom field name ends in `__c`, uses letters, digits and single
  underscores, starts with a letter and has at most 40 characters before `__c`; a standard
  picklist (such as the lead's Status) is written as its standard value set, and
  `standard_value_set` must be one of the names Salesforce defines (`LeadStatus`,
  `LeadSource`, `Industry`...); a global value set is named without `__gvs`.
- HubSpot: an internal name uses lowercase letters, digits and underscores, starts with a
  letter and has at most 100 characters; `hs_` names are HubSpot's own; HubSpot's
  `closed_lost_reason` and `closed_won_reason` are text, not dropdowns, and deal stages
  belong to pipelines.
- Dynamics 365: a global choice and a new column start with the publisher's prefix and an
  underscore (`new_rejectionreason`).
- Pipedrive: fields exist for `deal` (also used by leads: `lead`), `person`,
  `organization` and `product`.

Two picklists in the same place (one field, property, value set or choice) would
overwrite each other and are reported too.

## Example

```yaml
leadspec: 1
picklists:
  lead_status:
    label: Lead status
    crm:
      salesforce: {standard_value_set: LeadStatuses}
    values:
      - {id: open, label: Open, api_name: Open}
```

## How to fix

Correct the name as the message says (here `LeadStatus`). For a HubSpot text property,
map the picklist to a custom property of your own instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS502",
    name="invalid-crm-name",
    severity=Severity.ERROR,
    summary="a field, property or value set name breaks the CRM's naming rules",
    needs_complete_model=False,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    from leadspec.exports import crmrules

    return crmrules.names(ctx.model, crmrules.crms_checked(ctx.model, ctx.config))

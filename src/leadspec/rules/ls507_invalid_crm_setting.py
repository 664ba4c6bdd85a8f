"""A CRM setting of a picklist is missing, or names no value of it.

## What it means

Some CRM homes need more than a name:

- Salesforce's `LeadStatus` needs to know which status marks a converted lead:
  `converted: <value id>` next to `standard_value_set: LeadStatus`. `default:` picks the
  value selected by default. Both must name an active value of the picklist.
- `OpportunityStage`, `CaseStatus` and `TaskStatus` need settings on every value
  (probabilities, closed flags) that the definitions cannot express yet.
- Dynamics 365: `option_value_prefix` is the publisher's option value prefix, a number
  from 10000 to 99999; `language_code` is a number such as 1033.

## Example

```yaml
leadspec: 1
picklists:
  lead_status:
    label: Lead status
    crm:
      salesforce: {standard_value_set: LeadStatus}
    values:
      - {id: open, label: Open, api_name: Open}
      - {id: converted, label: Converted, api_name: Converted}
```

## How to fix

Add the setting the message names, here `converted: converted` in the Salesforce mapping,
or correct the value id it names.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS507",
    name="invalid-crm-setting",
    severity=Severity.ERROR,
    summary="a CRM setting of a picklist (converted status, default, option value prefix) is missing or wrong",
    needs_complete_model=False,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    from leadspec.exports import crmrules

    return crmrules.settings(ctx.model, crmrules.crms_checked(ctx.model, ctx.config))

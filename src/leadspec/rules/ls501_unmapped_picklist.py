"""A picklist (or the lifecycle stages) has no place in a CRM the definitions use or export to.

## What it means

Each picklist says under `crm:` where it lives in each CRM: a Salesforce object and field
or value set, a HubSpot property, a Dynamics 365 global choice, a Pipedrive field. When the
definitions use a CRM somewhere (any `crm:` entry names it) but a picklist says nothing
about that CRM, its values would silently be missing there: `leadspec export` refuses to
write the CRM's files until every picklist has a place.

List the CRMs the project exports to in `pyproject.toml`, and `leadspec check` warns about
a picklist with no place in one of them even when no `crm:` entry names that CRM yet, so
the first sign is not a failed export:

```toml
[tool.leadspec]
exports = ["salesforce", "hubspot", "dynamics", "pipedrive"]
```

The lifecycle stages have defaults: a `Lifecycle_Stage__c` field on the Salesforce lead,
HubSpot's own `lifecyclestage` property and a Pipedrive deal field. For Dynamics 365 say
where they go with `crm:` under `lifecycle:`.

## Example

```yaml
leadspec: 1
picklists:
  rejection_reason:
    label: Rejection reason
    crm:
      salesforce: {object: Lead, field: Rejection_Reason__c}
    values:
      - {id: no_budget, label: No budget this year, api_name: No Budget}
  loss_reason:
    label: Loss reason
    values:
      - {id: price, label: Price, api_name: Price}
```

## How to fix

Add the missing CRM under the picklist's `crm:`, for example
`crm: {salesforce: {object: Opportunity, field: Loss_Reason__c}}`. If the company does not
use that CRM any more, remove its entries everywhere (and take it out of `exports`) instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS501",
    name="unmapped-picklist",
    severity=Severity.ERROR,
    summary="a picklist has no place in a CRM the definitions use or the project exports to",
    needs_complete_model=True,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    from leadspec.exports import crmrules

    return crmrules.unmapped(ctx.model, crmrules.crms_checked(ctx.model, ctx.config), config=ctx.config)

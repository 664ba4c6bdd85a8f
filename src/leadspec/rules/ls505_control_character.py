r"""A label, API name or description contains an invisible control character.

## What it means

Labels and descriptions end up in CRM dropdowns, XML and JSON files and spreadsheets. A
control character (a tab, a bell, an escape, a right-to-left override, a zero-width
no-break space) is invisible in the definitions but shows as garbage in a CRM, breaks
matching on the stored value, or makes an import reject the file. So does a Unicode
noncharacter (U+FFFE, U+FFFF, U+FDD0 to U+FDEF, and the last two code points of every
plane), which XML cannot hold at all. They usually come from copy and paste, or from an
escape such as `\t`, `\a` or `\uFFFE` inside double quotes. The finding points at the
exact line and column of the character. Descriptions may have line breaks.

## Example

```yaml
leadspec: 1
picklists:
  rejection_reason:
    label: Rejection reason
    values:
      - {id: no_budget, label: "No budget\tthis year", api_name: No Budget}
```

## How to fix

Retype the text without the character (here, a space instead of `\t`).
"""

from __future__ import annotations

from collections.abc import Iterable

from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS505",
    name="control-character",
    severity=Severity.ERROR,
    summary="a label, API name or description contains an invisible control character",
    needs_complete_model=False,
)


def check(ctx: Context) -> Iterable[Diagnostic]:
    from leadspec.exports import crmrules

    return crmrules.control_characters(ctx.model)

"""A definitions file that holds nothing, or only comments.

## What it means

Every file under `definitions/` is part of the model. An empty file is usually
a placeholder that was forgotten, or a file whose content was lost in a merge;
either way it defines nothing, which is worth knowing.

## Example

A file whose whole content is a comment:

```yaml
# definitions for the partner channel: to do
```

## How to fix

Add `leadspec: 1` and the definitions the file was meant to hold, or delete
the file.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS009",
    name="empty-file",
    severity=Severity.ERROR,
    summary="a definitions file with nothing in it",
    needs_complete_model=False,
)

"""A definitions file larger than the configured limit (2,000,000 bytes unless configured).

## What it means

Definitions are a few hundred lines per file. A file of several megabytes is
almost always a mistake (a data export saved into `definitions/`, a generated
file), and reading it would make every commit slow. leadspec checks the size
before reading and does not read the file.

## Example

A 5 MB export of every lead saved as `definitions/leads.yaml`; too big to show
here.

## How to fix

Move the file out of `definitions/`, or split real definitions into several
files (one per team or topic is a good split). If you really need larger
files, raise the limit in `pyproject.toml`:

```toml
[tool.leadspec]
max-file-size = 5000000
```
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS008",
    name="file-too-large",
    severity=Severity.ERROR,
    summary="a definitions file larger than the limit",
    needs_complete_model=False,
)

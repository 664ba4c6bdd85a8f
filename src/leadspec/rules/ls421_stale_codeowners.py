"""CODEOWNERS no longer says who owns the definitions.

## What it means

`leadspec owners --write` keeps a block of lines in the repository's CODEOWNERS file
(between `# BEGIN leadspec owners` and `# END leadspec owners`) that asks the right teams
to review each definitions file: the team of every stage in it, both teams of every
hand-off, the team that acts on each SLA, and the teams whose stages use the shared
fields and picklists. Since the block was written, the definitions changed (a stage got
another owner, a hand-off now goes to another team's stage, a file was added or a team's
handle changed), so GitHub would ask the wrong people, or nobody, to review.

`leadspec check` compares only when CODEOWNERS has the leadspec block and it checks the
configured definitions (a check of one file says nothing about the whole block). The
finding points at the first line of CODEOWNERS that differs.

## Example

```yaml
leadspec: 1
teams:
  marketing: {label: Marketing, codeowners: ["@acme/marketing"]}
  sales: {label: Sales, codeowners: ["@acme/sales"]}
fields:
  qualified: {label: Qualified, type: boolean}
stages:
  - id: mql
    label: Marketing Qualified Lead
    owner: marketing
    entry: qualified or not qualified
    exits:
      - {to: sql, when: qualified}
  - id: sql
    label: Sales Qualified Lead
    owner: sales
    terminal: true
    entry: qualified
```

with a `.github/CODEOWNERS` written before sales received the hand-off:

```codeowners
# BEGIN leadspec owners
/definitions/example.yaml @acme/marketing
# END leadspec owners
```

## How to fix

Run `leadspec owners --write` and commit CODEOWNERS with the definitions. Put your own
lines outside the block: it is rewritten whole. To see what would change first, run
`leadspec owners --check`.
"""

from __future__ import annotations

from collections.abc import Iterator

from leadspec import owners
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Edit, Fix, Severity, Span, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS421",
    name="stale-codeowners",
    severity=Severity.ERROR,
    summary="CODEOWNERS no longer says who owns the definitions",
    needs_complete_model=True,
)

_HINT = "run `leadspec owners --write` and commit CODEOWNERS"


def check(ctx: Context) -> Iterator[Diagnostic]:
    found = owners.block_in_use(ctx)
    if found is None:
        return
    try:
        wanted = owners.expected(ctx, ctx.files, found.path)
    except owners.BlockError as error:
        yield diagnostic(
            "LS421",
            f"the leadspec block in CODEOWNERS is damaged: {error}",
            Span(found.display, error.line, 1),
            hint="put the marker lines back as they were (or delete the whole block), "
            "then run `leadspec owners --write`",
        )
        return
    except ValueError as error:
        yield diagnostic(
            "LS421", f"CODEOWNERS cannot list the definitions: {error}", Span(found.display, 1, 1)
        )
        return
    if not wanted.stale or wanted.current is None:
        return
    line, how = owners.first_stale(wanted.current, wanted.text)
    current = wanted.current
    whole = Span(found.display, 1, 1, current.count("\n") + 1, len(current) - current.rfind("\n"))
    yield diagnostic(
        "LS421",
        f"CODEOWNERS is out of date with the definitions: {how}",
        Span(found.display, line, 1),
        hint=_HINT,
        fix=Fix("rewrite the leadspec block of CODEOWNERS", (Edit(whole, current, wanted.text),)),
    )

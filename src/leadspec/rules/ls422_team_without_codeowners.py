"""A team that must agree to changes has no code owner handle.

## What it means

The repository's CODEOWNERS has a leadspec block, so reviews of the definitions are
requested from the teams' `codeowners` handles. This team owns a stage, receives a
hand-off, acts on an SLA or uses the shared fields in some definitions file, but has no
handle: CODEOWNERS cannot ask it to review, and a change it should agree to can be merged
without it. `leadspec owners --required` still names the team, with no handle to match.

## Example

```yaml
leadspec: 1
teams:
  marketing: {label: Marketing}
fields:
  engaged: {label: Engaged, type: boolean}
stages:
  - id: mql
    label: Marketing Qualified Lead
    owner: marketing
    terminal: true
    entry: engaged or not engaged
```

with a `.github/CODEOWNERS` that has the leadspec block:

```codeowners
# BEGIN leadspec owners
# END leadspec owners
```

## How to fix

Add the team's GitHub (or GitLab) team, user or email to its entry, then run
`leadspec owners --write`:

```text
teams:
  marketing: {label: Marketing, codeowners: ["@acme/marketing"]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from leadspec import owners
from leadspec.context import Context
from leadspec.diagnostics import Diagnostic, Severity, diagnostic
from leadspec.rules import Rule

RULE = Rule(
    code="LS422",
    name="team-without-codeowners",
    severity=Severity.WARNING,
    summary="a team that must agree to changes has no code owner handle",
    needs_complete_model=True,
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    if owners.block_in_use(ctx) is None:
        return
    files_of: dict[str, list[str]] = {}
    for file, claims in owners.ownership(ctx, ctx.files).items():
        for claim in claims:
            files_of.setdefault(claim.team, [])
            if file not in files_of[claim.team]:
                files_of[claim.team].append(file)
    for team_id, files in files_of.items():
        team = ctx.model.teams.get(team_id)
        if team is None or team.codeowners:
            continue
        more = f" (and {len(files) - 1} more)" if len(files) > 1 else ""
        yield diagnostic(
            "LS422",
            f"the team `{team_id}` must agree to changes of {files[0]}{more} but has no code owner "
            "handle, so CODEOWNERS cannot ask it to review",
            team.span,
            hint=f'add `codeowners: ["@your-org/{team_id.replace("_", "-")}"]` to the team, '
            "then run `leadspec owners --write`",
        )

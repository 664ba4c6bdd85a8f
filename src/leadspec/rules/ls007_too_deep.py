"""Lists and mappings nested more than 64 levels deep.

## What it means

The deepest real definition (a stage, its exit, the exit's SLA, its escalation)
is less than ten levels deep. Nesting deeper than 64 levels only happens by
accident (a runaway indentation, unbalanced brackets) or on purpose to make
tools crash, so leadspec stops reading the file at the value that crossed the
limit, instead of risking a crash. An alias that puts a deep value inside
another deep value counts too.

## Example

A file containing `value:` followed by 65 opening brackets `[[[[...` and their
closing brackets; too long to show here usefully.

## How to fix

Look at the place reported: usually the indentation or the brackets ran away
there. Restructure the data so it is no deeper than it needs to be.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS007",
    name="too-deep",
    severity=Severity.ERROR,
    summary="data nested more than 64 levels deep",
    needs_complete_model=False,
)

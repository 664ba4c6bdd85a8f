"""Reports built by hand for the reporter tests, and the rules their codes stand for.

Rule modules are written by other people at the same time; the reporters only need
a code's name, summary, severity and documentation, so the tests install a small
registry of their own instead of depending on which modules exist.

Test modules import the fixtures from here (`from reporter_cases import fake_registry,
report`) rather than from a conftest.py: tests/ has its own conftest module, and a
second one of the same name would shadow it for the other test files.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import leadspec.rules
from leadspec.diagnostics import Diagnostic, Related, Report, Severity, Span
from leadspec.rules import Registry, Rule, RuleModule

LS207_DOC = """Unknown field in a criterion.

## What it means
A criterion names a field that no definitions file declares.

## Example
```yaml
leadspec: 1
```

## How to fix
Correct the spelling or declare the field under `fields:`."""

FAKE_RULES = {
    "LS004": (Rule("LS004", "duplicate-key", Severity.ERROR, "A key appears twice in one mapping."), "Duplicate key."),
    "LS207": (Rule("LS207", "unknown-field", Severity.ERROR, "A criterion names an undeclared field."), LS207_DOC),
    "LS301": (Rule("LS301", "overlap", Severity.ERROR, "A lead can be in two stages at once."), "Overlap."),
    "LS302": (Rule("LS302", "gap", Severity.ERROR, "A lead can be in no stage."), "Gap."),
    "LS305": (Rule("LS305", "dead-criterion", Severity.WARNING, "No lead can ever meet a criterion."), ""),
    "LS901": (Rule("LS901", "unused-waiver", Severity.INFO, "A waiver matches no finding."), "Unused waiver."),
    "LS902": (Rule("LS902", "waiver-unknown-code", Severity.WARNING, "A waiver names an unknown code."), ""),
}


SALES = """leadspec: 1
stages:
  mql:
    entry: lead_scor >= 50 and country in ["US", "CA"]
    exits:
      - to: sal
"""

FIELDS = """leadspec: 1
fields:
  lead_score: {type: integer, min: 0, max: 100}
"""


def d(code: str, message: str, span: Span | None = None, **kw: object) -> Diagnostic:
    severity = kw.pop("severity", None) or FAKE_RULES[code][0].severity
    return Diagnostic(code=code, severity=severity, message=message, span=span, **kw)  # type: ignore[arg-type]


def make_report() -> Report:
    """A small run: three files, one clean, with errors, a warning and an info finding."""
    return Report(
        files=["definitions/sales.yaml", "definitions/fields.yaml", "definitions/clean.yaml"],
        sources={"definitions/sales.yaml": SALES, "definitions/fields.yaml": FIELDS},
        diagnostics=[
            d(
                "LS301",
                'stages "mql" and "sal" overlap',
                Span("definitions/sales.yaml", 3, 3, 3, 6),
                related=(Related(Span("definitions/sales.yaml", 6, 13, 6, 16), 'stage "sal" is entered here'),),
                witness={"lead_score": 45, "email_verified": True, "annual_revenue": Decimal("0.10")},
            ),
            d(
                "LS207",
                'unknown field "lead_scor"',
                Span("definitions/sales.yaml", 4, 12, 4, 21),
                hint='did you mean "lead_score"?',
                related=(Related(Span("definitions/fields.yaml", 3, 3, 3, 13), '"lead_score" is declared here'),),
            ),
            d("LS305", "this exit can never be taken", Span("definitions/fields.yaml", 2, 1)),
            d("LS901", 'the waiver for LS302 on "nurture" matches no finding'),
        ],
    )


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> Registry:
    registry = Registry()
    registry._modules = {
        code: RuleModule(rule=rule, doc=doc, check=None) for code, (rule, doc) in FAKE_RULES.items()
    }
    monkeypatch.setattr(leadspec.rules, "registry", registry)
    return registry


@pytest.fixture
def report() -> Report:
    return make_report()

"""`--select` and `--ignore` change which findings are shown, never what a shown finding says.

`leadspec check` does not run (or even import) a rule whose code is switched off,
and knows the codes from the rule modules' file names; these tests hold the
output of a narrowed run to the full run's, finding for finding.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from conftest import run_cli
from leadspec.rules import PHASE_CODES, registry

CASES = sorted(path for path in (Path(__file__).parent / "cases").iterdir() if path.is_dir())
_CODE = re.compile(r"\b(?:error|warning|info) (LS\d{3}) ")


@functools.cache  # the full run of a case is compared with each narrowed one
def _findings(case: Path, *options: str) -> tuple[list[str], int]:
    args = ["check", "--format", "concise", "--color", "never", *options]
    if (case / "pyproject.toml").is_file():
        args += ["--config", "pyproject.toml"]
    result = run_cli([*args, "definitions"], cwd=case)
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if _CODE.search(line)], result.exit_code


def _code(line: str) -> str:
    found = _CODE.search(line)
    assert found is not None
    return found.group(1)


def _waived(line: str) -> str:
    """For an unused waiver (LS901), the code it waives: a waiver of a code switched off is no finding."""
    found = re.search(r" LS901 this waiver for (LS\d{3}) ", line)
    return found.group(1) if found else _code(line)


@pytest.mark.parametrize(
    ("option", "shown"),
    [
        ("--select=LS0,LS1,LS2", lambda code: code[:3] in ("LS0", "LS1", "LS2")),
        ("--select=LS3", lambda code: code.startswith("LS3")),
        ("--select=LS4,LS5", lambda code: code[:3] in ("LS4", "LS5")),
        ("--select=LS207,LS301", lambda code: code in ("LS207", "LS301")),
        ("--ignore=LS3", lambda code: not code.startswith("LS3")),
    ],
)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_narrowed_run_shows_the_full_runs_findings_of_its_codes(case: Path, option: str, shown) -> None:  # type: ignore[no-untyped-def]
    everything, _ = _findings(case)
    narrowed, exit_code = _findings(case, option)
    assert narrowed == [line for line in everything if shown(_code(line)) and shown(_waived(line))]
    assert exit_code == (1 if any(": error " in line for line in narrowed) else 0)


def test_selecting_the_early_codes_never_runs_the_lifecycle_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--select LS0,LS1,LS2` is the quick check an editor or a pre-commit hook runs: no analysis at all."""

    def no_analysis(*args: object) -> None:
        raise AssertionError("the lifecycle analysis ran")

    monkeypatch.setattr("leadspec.analysis.lifecycle.analyze", no_analysis)
    case = Path(__file__).parent / "cases" / "LS202-unknown-references"
    found, exit_code = _findings.__wrapped__(case, "--select", "LS0,LS1,LS2")  # run now, not from the cache
    assert {_code(line) for line in found} == {"LS202"} and exit_code == 1
    monkeypatch.undo()
    analysed, _ = _findings.__wrapped__(case, "--select", "LS3")
    assert [_code(line) for line in analysed] == ["LS302"]  # the same case, analysed, has a gap


def test_every_rule_module_is_named_after_its_code() -> None:
    """The codes are read from the file names; a module defining another code is refused."""
    assert [module.rule.code for module in registry] == list(registry.codes())


def test_the_phase_codes_are_the_rules_without_a_check() -> None:
    """A rule listed as a phase's would never run; one not listed is imported for nothing."""
    without_check = {module.rule.code for module in registry if module.check is None}
    assert PHASE_CODES & set(registry.codes()) == without_check

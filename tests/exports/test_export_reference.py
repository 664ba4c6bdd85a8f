"""The committed reference exports of the bundled definitions are up to date.

This is the drift guard a company runs in CI (`leadspec export TARGET --out DIR --check`),
run on this repository's own definitions. It also pins the exporters' exact output: a
change to either shows here as a diff. To accept a change, regenerate:

    leadspec export TARGET definitions --out tests/exports/reference/TARGET
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, run_cli

REFERENCE = Path(__file__).parent / "reference"


@pytest.mark.parametrize("target", ["salesforce", "hubspot", "csv"])
def test_reference_export_is_up_to_date(target: str) -> None:
    out = REFERENCE / target
    result = run_cli(["export", target, str(REPO / "definitions"), "--out", str(out), "--check"], cwd=REPO)
    assert result.exit_code == 0, (
        f"{result.stdout}{result.stderr}\nIf the change is intended, run: "
        f"leadspec export {target} definitions --out tests/exports/reference/{target}"
    )

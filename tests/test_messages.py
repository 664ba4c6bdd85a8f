"""Messages a marketing-ops person can act on: one slip in the bundled definitions, one finding.

Each test makes the slip a person makes in a copy of the bundled definitions and
reads `leadspec check` as they would: the finding names the real cause, its hint is
the fix, and nothing that merely follows from the slip is reported beside it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, Result, run_cli


@pytest.fixture
def definitions(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    return tmp_path / "definitions"


def change(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(definitions: Path) -> Result:
    return run_cli(["check", "--color", "never", "definitions"], cwd=definitions.parent)


MQL_TO_SAL_SLA = "          within: 1 business day\n          owner: sdr\n          calendar: us_office\n"


def errors(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error " in line]


def test_an_under_indented_key_says_the_lines_do_not_line_up(definitions: Path) -> None:
    change(definitions / "marketing.yaml", MQL_TO_SAL_SLA, MQL_TO_SAL_SLA.replace("  within", "within", 1))
    result = check(definitions)
    assert result.exit_code == 1
    assert "does not line up with line" in result.stdout
    assert "`owner:` starts in column 11 and `within:` in column 9" in result.stdout
    assert "put the whole value in quotes" not in result.stdout


def test_a_mistyped_field_type_is_one_finding(definitions: Path) -> None:
    change(
        definitions / "shared.yaml",
        "    label: Lead score\n    type: integer",
        "    label: Lead score\n    type: interger",
    )
    result = check(definitions)
    assert [line.split(" error ")[1][:5] for line in errors(result)] == ["LS104"]
    assert "hint: did you mean `integer`?" in result.stdout
    assert "there is no field" not in result.stdout


def test_an_unquoted_value_is_said_to_be_a_value_of_its_field(definitions: Path) -> None:
    change(
        definitions / "marketing.yaml",
        'when: sdr_status == "accepted" and',
        "when: sdr_status == accepted and",
    )
    result = check(definitions)
    assert "`accepted` is a value of `sdr_status` (SDR status), not a field" in result.stdout
    assert 'hint: write sdr_status == "accepted"' in result.stdout
    assert "both field names" not in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "said", "hint"),
    [
        (
            "calendar: us_office",
            "calendar: us-office",
            "names the calendar `us-office`, which is not defined",
            "did you mean `us_office`?",
        ),
        (
            "owner: sdr\n          calendar",
            "owner: sales_development\n          calendar",
            "names the team `sales_development`, which is not defined",
            "did you mean `sdr`?",  # the team labelled "Sales development", not `sales`
        ),
    ],
)
def test_a_reference_is_matched_against_its_own_kind_and_labels(
    definitions: Path, old: str, new: str, said: str, hint: str
) -> None:
    change(definitions / "marketing.yaml", MQL_TO_SAL_SLA, MQL_TO_SAL_SLA.replace(old, new))
    result = check(definitions)
    assert result.exit_code == 1
    assert len(errors(result)) == 1, result.stdout
    assert said in errors(result)[0]
    assert f"hint: {hint}" in result.stdout
    assert "names no calendar" not in result.stdout
    assert "warning" not in result.stdout

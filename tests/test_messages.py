"""Messages a marketing-ops person can act on: one slip in the bundled definitions, one finding.

Each test makes the slip a person makes in a copy of the bundled definitions and
reads `leadspec check` as they would: the finding names the real cause, its hint is
the fix, and nothing that merely follows from the slip is reported beside it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, Result, run_cli
from leadspec.diagnostics import Diagnostic, Report, Severity, Span


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
    assert (
        "hint: line the keys up: if `owner:` and `within:` belong together, start both in the same column"
        in (result.stdout)
    )
    assert "there is a `: ` inside a value" not in result.stdout


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


def without_the_mql_to_sal_exit(definitions: Path) -> None:
    path = definitions / "marketing.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith("      - to: sal"))
    end = next(n for n in range(start + 1, len(lines)) if lines[n].startswith("      - to:"))
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


def test_a_deleted_exit_is_said_first_and_what_follows_from_it_after_it(definitions: Path) -> None:
    without_the_mql_to_sal_exit(definitions)
    result = check(definitions)
    blocks = result.stdout.split("\n\n")
    assert blocks[0].startswith("definitions/shared.yaml:")
    assert (
        "error LS411 Marketing Qualified Lead has no exit to Sales Accepted Lead, but the targets count on one"
        in blocks[0]
    )
    consequences = blocks[1:-1]
    assert len(consequences) >= 8
    for block in consequences:
        assert "note: this follows from the LS" in block, block
    unreachable = [block for block in consequences if " LS307 " in block.splitlines()[0]]
    assert "Sales Accepted Lead" in unreachable[0].splitlines()[0]
    assert "note: this follows from the LS411 finding above (definitions/shared.yaml:" in unreachable[0]
    assert "note: this follows from the LS307 finding above (definitions/sdr.yaml:" in unreachable[1]


def test_every_format_puts_the_cause_first_and_json_names_it(definitions: Path) -> None:
    without_the_mql_to_sal_exit(definitions)
    concise = run_cli(["check", "--format", "concise", "definitions"], cwd=definitions.parent)
    assert " LS411 " in concise.stdout.splitlines()[0]
    document = json.loads(
        run_cli(["check", "--format", "json", "definitions"], cwd=definitions.parent).stdout
    )
    first, *rest = document["diagnostics"]
    assert first["code"] == "LS411" and first["follows"] is None
    assert rest and all(item["follows"] is not None for item in rest)
    assert rest[0]["follows"] == {
        "code": "LS411",
        "file": first["file"],
        "line": first["line"],
        "column": first["column"],
    }


def test_findings_that_name_each_other_as_cause_are_each_shown_once() -> None:
    def made(code: str, line: int, about: str, follows: str) -> Diagnostic:
        return Diagnostic(
            code, Severity.WARNING, code, Span("f.yaml", line, 1), about=about, follows=(follows,)
        )

    first, second, alone = made("LS307", 1, "a", "b"), made("LS307", 2, "b", "a"), made("LS301", 3, "c", "x")
    report = Report(diagnostics=[alone, second, first])
    grouped = report.grouped()
    assert sorted(id(found) for found, _ in grouped) == sorted(map(id, [first, second, alone]))
    assert grouped == [(second, None), (first, second), (alone, None)]

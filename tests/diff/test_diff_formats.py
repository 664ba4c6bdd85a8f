"""The three outputs of `leadspec diff`: text, JSON and a pull-request comment in Markdown."""

from __future__ import annotations

import json
import re
from pathlib import Path

from diff_support import BASE, diff_folders

from leadspec.diff.render import COMMENT_LIMIT, MARKER

AFTER = (
    BASE.replace("lead_score >= 45", "lead_score >= 50")
    .replace("within: 1 business day", "within: 4 business hours")
    .replace("api_name: No Budget", "api_name: No budget")
    .replace("definition: Someone whose fit", "definition: A person whose fit")
)


def test_text_orders_breaking_then_movement_then_the_rest(tmp_path: Path) -> None:
    result = diff_folders(tmp_path, BASE, AFTER)
    assert result.exit_code == 1
    out = result.stdout
    assert out.index("Breaking changes (1)") < out.index("Lead movement (1)") < out.index("Other changes (4)")
    assert "head/lifecycle.yaml:33:53:" in out and "error LS434 the API value of value `no_budget`" in out
    assert "      - {id: no_budget, label: No budget, api_name: No budget}" in out  # the line is quoted
    assert "  - the SLA of Valid Response → MQL: 1 business day → 4 business hours" in out
    assert (
        "  - definition of Marketing Qualified Lead: Someone whose fit and engagement meet the bar. → " in out
    )
    assert out.endswith("1 breaking change, 1 lead movement, 4 other changes.\n")


def test_json_document(tmp_path: Path) -> None:
    document = json.loads(diff_folders(tmp_path, BASE, AFTER, "--format", "json").stdout)
    assert document["version"] == 1
    assert document["summary"] == {
        "breaking": 1,
        "moves": 1,
        "changes": 4,
        "text": "1 breaking change, 1 lead movement, 4 other changes",
    }
    assert document["base"]["kind"] == "folder" and document["base"]["exact"] is True
    [item] = document["breaking"]
    assert (item["code"], item["name"], item["severity"]) == ("LS434", "api-value-changed", "error")
    assert document["movement"]["moves"][0]["leads"] == "leads with Lead score 45 to 49"
    sla = next(c for c in document["changes"] if c["kind"] == "sla")
    assert (sla["before"], sla["after"]) == ("1 business day", "4 business hours")


def test_markdown_is_a_pull_request_comment(tmp_path: Path) -> None:
    result = diff_folders(tmp_path, BASE, AFTER, "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == MARKER
    assert lines[1] == "### ❌ leadspec diff: 1 breaking change, 1 lead movement, 4 other changes"
    out = result.stdout
    assert out.index("#### Breaking changes (1)") < out.index("#### Lead movement") < out.index("<details>")
    assert "| Marketing Qualified Lead | Valid Response | leads with Lead score 45 to 49 | " in out
    assert "<summary>Other changes (4)</summary>" in out and out.rstrip().endswith("</details>")
    assert (
        "- **LS434** <code>head/lifecycle.yaml:33:53</code> the API value of value <code>no\\_budget</code>"
        in out
    )


def test_markdown_without_changes(tmp_path: Path) -> None:
    out = diff_folders(tmp_path, BASE, BASE, "--format", "markdown").stdout
    assert out.splitlines()[1] == "### leadspec diff: no changes"
    assert "No lead changes stage." in out and "<details>" not in out


def test_markdown_stays_under_the_comment_limit(tmp_path: Path) -> None:
    values = "".join(
        f"      - {{id: reason_{i}, label: Reason number {i} {'x' * 200}}}\n" for i in range(600)
    )
    before = BASE.replace(
        "      - {id: bad_timing, label: Bad timing}\n",
        "      - {id: bad_timing, label: Bad timing}\n" + values,
    )
    result = diff_folders(tmp_path, before, BASE, "--format", "markdown")
    assert result.exit_code == 1
    assert len(result.stdout) <= COMMENT_LIMIT
    assert "#### Breaking changes (600)" in result.stdout
    assert "more, left out to fit a comment: run `leadspec diff` to see them all." in result.stdout
    assert "#### Lead movement" in result.stdout  # later sections still have their heading


def test_output_file(tmp_path: Path) -> None:
    result = diff_folders(tmp_path, BASE, AFTER, "--format", "markdown", "--output", "diff.md")
    assert result.exit_code == 1 and result.stdout == ""
    assert (tmp_path / "diff.md").read_text(encoding="utf-8").startswith(MARKER + "\n")


def test_user_text_cannot_inject_markup(tmp_path: Path) -> None:
    after = BASE.replace("label: Bad timing}", "label: '<img src=x onerror=alert(1)> | bad'}")
    out = diff_folders(tmp_path, BASE, after, "--format", "markdown").stdout
    assert re.search(r"(?<!\\)<img", out) is None  # only as escaped, literal text
    assert "\\<img src=x onerror=alert\\(1\\)\\> \\| bad" in out

"""Breaking changes (LS431-LS437): each one, what the user reads, and that a proper deprecation is fine."""

from __future__ import annotations

import json
from pathlib import Path

from diff_support import BASE, diff_folders


def breaking(tmp_path: Path, after: str, before: str = BASE) -> list[dict[str, object]]:
    result = diff_folders(tmp_path, before, after, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    found = json.loads(result.stdout)["breaking"]
    assert result.exit_code == (1 if found else 0)
    return found


def test_no_change_is_clean(tmp_path: Path) -> None:
    result = diff_folders(tmp_path, BASE, BASE)
    assert result.exit_code == 0
    assert "No changes." in result.stdout
    assert "no lead changes stage" in result.stdout


def test_stage_removed(tmp_path: Path) -> None:
    [item] = breaking(tmp_path, without_mql(BASE))
    assert item["code"] == "LS431"
    assert "the stage `mql` (Marketing Qualified Lead) was removed without a deprecation" in item["message"]
    assert item["file"] == "base/lifecycle.yaml"  # it lives only in the base now
    assert "deprecated: true" in item["hint"]


def test_stage_deprecated_with_replacement_is_not_breaking(tmp_path: Path) -> None:
    after = BASE.replace(
        "    abbr: MQL\n", "    abbr: MQL\n    deprecated: true\n    replaced_by: valid_response\n"
    )
    result = diff_folders(tmp_path, BASE, after)
    assert result.exit_code == 0, result.stdout
    assert "Marketing Qualified Lead (`mql`) is deprecated, replaced by `valid_response`" in result.stdout


def without_mql(text: str) -> str:
    text = text.replace(
        """      - to: mql
        when: lead_score >= 45
        sla: {within: 1 business day, owner: marketing, calendar: office}
""",
        "",
    )
    return text[: text.index("  - id: mql\n")] + text[text.index("picklists:") :]


def test_removing_what_was_deprecated_before_is_not_breaking(tmp_path: Path) -> None:
    before = BASE.replace(
        "    abbr: MQL\n", "    abbr: MQL\n    deprecated: true\n    replaced_by: valid_response\n"
    )
    before = before.replace(
        "{id: bad_timing, label: Bad timing}",
        "{id: bad_timing, label: Bad timing, deprecated: true, replaced_by: no_budget}",
    )
    after = without_mql(before).replace(
        "      - {id: bad_timing, label: Bad timing, deprecated: true, replaced_by: no_budget}\n", ""
    )
    result = diff_folders(tmp_path, before, after)
    assert result.exit_code == 0, result.stdout
    assert "deprecated stage Marketing Qualified Lead (`mql`) removed" in result.stdout
    assert (
        "deprecated value Bad timing (`bad_timing`) of the picklist `rejection_reason` removed"
        in result.stdout
    )


def test_picklist_value_removed(tmp_path: Path) -> None:
    [item] = breaking(tmp_path, BASE.replace("      - {id: bad_timing, label: Bad timing}\n", ""))
    assert item["code"] == "LS432"
    assert item["message"].startswith(
        "the value `bad_timing` (Bad timing) of the picklist `rejection_reason` was removed"
    )
    assert "records in the CRM still hold `bad_timing`" in item["message"]


def test_whole_picklist_removed(tmp_path: Path) -> None:
    after = BASE[: BASE.index("picklists:")] + BASE[BASE.index("teams:") :]
    [item] = breaking(tmp_path, after)
    assert item["code"] == "LS432"
    assert (
        "the picklist `rejection_reason` was removed, with its values `no_budget`, `bad_timing`"
        in item["message"]
    )


def test_id_renamed(tmp_path: Path) -> None:
    after = BASE.replace("{id: no_budget, label: No budget", "{id: budget, label: No budget")
    [item] = breaking(tmp_path, after)
    assert item["code"] == "LS433"
    assert (
        "the value `no_budget` of the picklist `rejection_reason` was renamed to `budget`" in item["message"]
    )
    assert item["file"] == "head/lifecycle.yaml"
    assert "replaced_by: budget" in item["hint"]


def test_api_value_changed(tmp_path: Path) -> None:
    [item] = breaking(tmp_path, BASE.replace("api_name: No Budget", "api_name: No budget yet"))
    assert item["code"] == "LS434"
    assert "changed from `No Budget` to `No budget yet`" in item["message"]
    assert (
        item["line"]
        == BASE.splitlines().index(next(line for line in BASE.splitlines() if "No Budget" in line)) + 1
    )


def test_label_change_is_only_wording(tmp_path: Path) -> None:
    result = diff_folders(tmp_path, BASE, BASE.replace("label: No budget,", "label: No budget this year,"))
    assert result.exit_code == 0
    assert "label of Rejection reason value `no_budget`: No budget → No budget this year" in result.stdout


def test_domain_narrowed_with_a_witness(tmp_path: Path) -> None:
    [item] = breaking(tmp_path, BASE.replace("min: 0, max: 100}", "min: 0, max: 90}"))
    assert item["code"] == "LS435"
    assert "no longer allows 91 to 100" in item["message"]
    assert item["witness"] == {"lead_score": 91}


def test_optional_made_required_is_narrowing(tmp_path: Path) -> None:
    before = BASE.replace("type: boolean}", "type: boolean, optional: true}")
    [item] = breaking(tmp_path, BASE, before=before)
    assert item["code"] == "LS435"
    assert "no longer allows not filled in" in item["message"]


def test_domain_widened_is_a_plain_change(tmp_path: Path) -> None:
    result = diff_folders(tmp_path, BASE, BASE.replace("max: 100}", "max: 120}"))
    assert result.exit_code == 0
    assert (
        "field Lead score widened: a whole number from 0 to 100 → a whole number from 0 to 120"
        in result.stdout
    )


def test_deprecated_without_replacement(tmp_path: Path) -> None:
    after = BASE.replace(
        "{id: bad_timing, label: Bad timing}", "{id: bad_timing, label: Bad timing, deprecated: true}"
    )
    [item] = breaking(tmp_path, after)
    assert item["code"] == "LS436"
    assert "is now deprecated without `replaced_by`" in item["message"]


def test_field_type_changed(tmp_path: Path) -> None:
    result = diff_folders(
        tmp_path, BASE, BASE.replace("type: integer, min: 0", "type: number, min: 0"), "--format", "json"
    )
    document = json.loads(result.stdout)
    assert [item["code"] for item in document["breaking"]] == ["LS437"]
    assert "the type of `lead_score` changed" in document["movement"]["skipped"]


def test_ignore_accepts_a_breaking_change_knowingly(tmp_path: Path) -> None:
    after = BASE.replace("min: 0, max: 100}", "min: 0, max: 90}")
    assert diff_folders(tmp_path, BASE, after).exit_code == 1  # breaking without --ignore
    result = diff_folders(tmp_path, BASE, after, "--ignore", "LS435")
    assert result.exit_code == 0
    assert "LS435" not in result.stdout


def test_unknown_ignore_code_is_a_usage_error(tmp_path: Path) -> None:
    result = diff_folders(tmp_path, BASE, BASE, "--ignore", "LS999")
    assert result.exit_code == 2
    assert "LS999 is no leadspec code" in result.stderr

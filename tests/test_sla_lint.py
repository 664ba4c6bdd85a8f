"""SLA lint as a user reads it: hints, waivers, and the bundled definitions staying clean."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, run_cli, write_definitions

CASES = REPO / "tests" / "cases"


def check_text(cwd: Path) -> str:
    return run_cli(["check", "--format", "text", "--color", "never", "definitions"], cwd=cwd).stdout


def test_an_unknown_calendar_is_ls202_with_a_did_you_mean() -> None:
    out = check_text(CASES / "LS408-calendars-time-cannot-be-counted-on")
    assert (
        "LS202 the SLA of the exit from `sal` to `nurture` names the calendar `ofice`, which is not defined"
        in out
    )
    assert "did you mean `office`?" in out
    assert "did you mean `America/Chicago`?" in out  # the misspelt time zone (LS408)


def test_the_receiving_team_is_named_in_the_fix(tmp_path: Path) -> None:
    out = check_text(CASES / "LS401-handoffs-without-sla")
    assert "add `sla: {within: ..., owner: ops}` to the exit (the receiving team acts)" in out


def test_a_hand_off_left_without_sla_on_purpose_can_be_waived(tmp_path: Path) -> None:
    source = (CASES / "LS401-handoffs-without-sla" / "definitions" / "lifecycle.yaml").read_text()
    waived = source.replace(
        '        when: sdr_status == "spam"\n',
        '        when: sdr_status == "spam"\n'
        "        waivers: [{code: LS401, reason: spam is suppressed automatically, nobody acts on it}]\n",
    )
    assert waived != source
    write_definitions(tmp_path, {"lifecycle.yaml": waived})
    out = run_cli(["check", "--format", "concise", "definitions"], cwd=tmp_path).stdout
    assert "`mql` to `junk`" not in out
    assert "`sal` to `nurture`" in out


def test_the_bundled_definitions_have_no_sla_findings() -> None:
    result = run_cli(["check", "--format", "concise", "definitions"], cwd=REPO)
    assert " LS40" not in result.stdout


def test_escalating_the_moment_the_deadline_is_missed_is_fine(tmp_path: Path) -> None:
    """Only an escalation sooner than the deadline is a mistake: at the deadline is common practice."""
    source = (CASES / "LS403-escalation-before-the-deadline" / "definitions" / "lifecycle.yaml").read_text()
    line = "    sla: {within: PT4H, owner: sdr, escalate: {after: 90 minutes, to: leadership}}\n"
    assert line in source
    for after, reported in (("4h", False), ("240 minutes", False), ("239 minutes", True)):
        write_definitions(
            tmp_path, {"lifecycle.yaml": source.replace(line, line.replace("90 minutes", after))}
        )
        out = run_cli(["check", "--format", "concise", "definitions"], cwd=tmp_path).stdout
        said = f"the SLA of the stage `sal` escalates after {after}, which is sooner than its deadline (PT4H)"
        assert (said in out) is reported, out


def test_a_holiday_mistake_points_at_that_holiday() -> None:
    out = check_text(CASES / "LS409-holiday-mistakes")
    assert "lifecycle.yaml:20:16: warning LS409 the calendar `office` lists 2026-11-26 twice" in out
    assert '  20 |       - {date: "2026-11-26", name: Day after Thanksgiving}' in out
    assert "lifecycle.yaml:19:16: note: Thanksgiving Day (2026-11-26) is listed here first" in out


def test_holidays_in_far_off_years_neither_crash_nor_stall_the_check(tmp_path: Path) -> None:
    """A mistyped year (2906 for 2026) or the last year a date can have (9999) in the holidays.

    Mixed kinds are compared by trying the starts of each year with a holiday: such a year
    is one more year to try, not nine centuries, and a clock running past 9999 is no crash.
    """
    source = CASES / "LS404-escalation-before-the-deadline-for-some-leads" / "definitions" / "lifecycle.yaml"
    text = source.read_text()
    listed = '      - {date: "2026-11-27", name: Day after Thanksgiving}\n'
    assert listed in text
    far = (
        listed
        + '      - {date: "2906-12-25", name: Christmas}\n      - {date: "9999-12-31", name: The end}\n'
    )
    write_definitions(tmp_path, {"lifecycle.yaml": text.replace(listed, far)})
    started = time.perf_counter()
    result = run_cli(["check", "--format", "concise", "definitions"], cwd=tmp_path)
    assert time.perf_counter() - started < 20
    assert "internal error" not in result.stdout + result.stderr
    assert "LS404 the SLA of the exit from `mql` to `sal` escalates after 2 days" in result.stdout


@pytest.mark.parametrize("today", [date(2026, 12, 4), date(2027, 1, 4), date(2027, 12, 31)])
def test_the_bundled_calendars_stay_clean_through_2027(monkeypatch: pytest.MonkeyPatch, today: date) -> None:
    # Both bundled offices list their holidays up to 2028, so a user checking them any day of
    # 2027 gets no LS410 (a warning on the day the project is cloned is not a first impression).
    monkeypatch.setattr("leadspec.calendars.today", lambda: today)
    assert "LS410" not in check_text(REPO)


def test_the_bundled_calendars_warn_in_the_last_year_they_list_holidays_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("leadspec.calendars.today", lambda: date(2028, 1, 3))
    out = check_text(REPO)
    for calendar in ("us_office", "emea_office"):
        assert (
            f"warning LS410 the calendar `{calendar}` lists holidays up to 2028 only (this year): SLA "
            "deadlines after 2028 count every holiday as a working day" in out
        )
    assert "hint: add the holidays of 2029 to `holidays:`" in out
    assert '{date: "2028-12-25", name: Christmas Day}' in out  # the line of the last holiday listed
    result = run_cli(["check", "definitions"], cwd=REPO)
    assert result.exit_code == 0  # a warning: the commit still goes through

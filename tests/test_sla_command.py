"""`leadspec sla due` and `leadspec sla list` on the bundled definitions, as a user runs them.

The bundled Chicago office works Monday to Friday, 08:30 to 17:30, and is closed on
Thanksgiving (Thursday 26 November 2026) and the day after. MQL -> SAL gives the SDRs
1 business day, escalated to revenue leadership after 2 business days.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import REPO, run_cli, write_definitions

DEFINITIONS = str(REPO / "definitions")


def sla(*args: str, cwd: Path = REPO) -> tuple[int, str, str]:
    result = run_cli(["sla", *args], cwd=cwd)
    return result.exit_code, result.stdout, result.stderr


def test_the_hand_off_on_the_day_after_thanksgiving_is_due_monday_evening() -> None:
    code, out, err = sla("due", DEFINITIONS, "--exit", "mql->sal", "--at", "2026-11-27T16:30")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Hand-off from Marketing Qualified Lead (mql) to Sales Accepted Lead (sal)",
        "  Who acts:     Sales development (sdr), within 1 business day",
        "  Calendar:     Chicago office hours (us_office): Mon-Fri 08:30-17:30 America/Chicago, 30 holidays",
        "  Handed over:  Fri 27 Nov 2026 16:30 CST (Fri 27 Nov 22:30 UTC)",
        "  Clock starts: Mon 30 Nov 2026 08:30 CST (Mon 30 Nov 14:30 UTC): "
        "Fri 27 Nov 2026 is a holiday (Day after Thanksgiving)",
        "  Due:          Mon 30 Nov 2026 17:30 CST (Mon 30 Nov 23:30 UTC)",
        "  Escalated:    Tue 01 Dec 2026 17:30 CST (Tue 01 Dec 23:30 UTC) to Revenue leadership "
        "(revenue_leadership), after 2 business days",
    ]


def test_json_gives_the_same_times_with_offsets_and_in_utc() -> None:
    code, out, _ = sla(
        "due", DEFINITIONS, "--exit", "mql:sal", "--at", "2026-11-20T22:30Z", "--format", "json"
    )
    assert code == 0
    document = json.loads(out)
    assert document["stage"] == "mql" and document["to"] == "sal"
    assert document["owner"] == {"id": "sdr", "label": "Sales development"}
    assert document["calendar"]["timezone"] == "America/Chicago"
    assert document["start"] == "2026-11-20T16:30:00-06:00"  # the same instant, in the office's zone
    assert document["clock_starts"] == document["start"]
    assert document["due"] == "2026-11-23T16:30:00-06:00"  # Friday 16:30 + 1 business day: Monday 16:30
    assert document["due_utc"] == "2026-11-23T22:30:00Z"
    assert document["escalation"]["at"] == "2026-11-24T16:30:00-06:00"
    assert document["escalation"]["to"]["id"] == "revenue_leadership"


def test_a_stage_sla_across_the_clock_change() -> None:
    # SAL: 10 business days. Friday 30 October 16:30 CDT -> Friday 13 November 16:30 CST.
    code, out, _ = sla("due", DEFINITIONS, "--stage", "sal", "--at", "2026-10-30T16:30", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["start"] == "2026-10-30T16:30:00-05:00"
    assert document["due"] == "2026-11-13T16:30:00-06:00"
    assert document["escalation"]["at"] == "2026-11-20T16:30:00-06:00"  # 15 business days


def test_the_clock_starts_at_the_next_opening_after_hours_and_on_weekends() -> None:
    _, out, _ = sla("due", DEFINITIONS, "--stage", "response", "--at", "2026-11-21T10:00")
    assert (
        "Clock starts: Mon 23 Nov 2026 08:30 CST (Mon 23 Nov 14:30 UTC): Saturday is not a working day" in out
    )
    assert "Due:          Mon 23 Nov 2026 16:30 CST" in out  # 8 business hours
    _, out, _ = sla("due", DEFINITIONS, "--stage", "response", "--at", "2026-11-23T18:00")
    assert "after closing (17:30)" in out
    assert "Due:          Tue 24 Nov 2026 16:30 CST" in out


def test_without_at_the_clock_starts_now() -> None:
    code, out, _ = sla("due", DEFINITIONS, "--stage", "sal", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert datetime.fromisoformat(document["due"]) > datetime.fromisoformat(document["start"])
    assert datetime.fromisoformat(document["start"]) <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exit", "mql->sall"], "`mql` has no exit to `sall`: did you mean `mql->sal`?"),
        (["--exit", "mq->sal"], "there is no stage `mq`: did you mean `mql`?"),
        (["--stage", "SAL"], "there is no stage `SAL`: did you mean `sal`?"),
        (["--exit", "mql-"], "a shell reads an unquoted > as 'write to a file'"),
        (["--exit", "valid_response->mql"], "the hand-off from `valid_response` to `mql` has no SLA"),
        (
            ["--stage", "customer"],
            "the stage `customer` has no SLA of its own (stages with one: response, sal)",
        ),
        (["--exit", "customer->sql"], "no lead can leave `customer`: it has no exits"),
        (["--stage", "sal", "--at", "tomorrow"], '--at "tomorrow" is not a date and time'),
        (["--stage", "sal", "--at", "2026-02-30T09:00"], "is not a date and time"),
        (["--stage", "sal", "--at", "2026-03-08T02:30"], "does not exist in America/Chicago"),
        (
            ["--stage", "sal", "--at", "9999-12-31T23:59"],
            "is too close to the first or last year a date can have",
        ),
        (
            ["--stage", "sal", "--at", "0001-01-01T00:00-05:00"],
            "is too close to the first or last year a date can have",
        ),
    ],
)
def test_what_cannot_be_computed_is_said_plainly(args: list[str], message: str) -> None:
    code, out, err = sla("due", DEFINITIONS, *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err and "Error:" not in err


def test_definitions_with_errors_are_refused(tmp_path: Path) -> None:
    write_definitions(
        tmp_path,
        {
            "defs.yaml": "leadspec: 1\nteams:\n  sdr: {label: SDR}\n"
            "fields:\n  s: {label: S, type: enum, values: [a, b]}\n"
            'stages:\n  - id: mql\n    label: MQL\n    entry: "true"\n    terminal: true\n'
            "    sla: {within: 1 business day, owner: sdr}\n",
        },
    )
    code, out, err = sla("due", "definitions", "--stage", "mql", "--at", "2026-11-20T10:00", cwd=tmp_path)
    assert code == 1
    assert "LS405" in out
    assert "cannot compute the deadline: the definitions have errors" in err


def test_clock_time_without_a_calendar_runs_in_the_zone_of_at(tmp_path: Path) -> None:
    write_definitions(
        tmp_path,
        {
            "defs.yaml": "leadspec: 1\nteams:\n  sdr: {label: SDR}\n  lead: {label: Leadership}\n"
            "fields:\n  s: {label: S, type: enum, values: [a, b]}\n"
            'stages:\n  - id: mql\n    label: MQL\n    entry: "true"\n'
            "    sla: {within: 2 days, owner: sdr, escalate: {after: 72h, to: lead}}\n"
            '    exits:\n      - {to: sal, when: s == "b"}\n'
            '  - id: sal\n    label: SAL\n    entry: s == "b"\n    terminal: true\n',
        },
    )
    code, out, _ = sla("due", "definitions", "--stage", "mql", "--at", "2026-10-31T12:00-05:00", cwd=tmp_path)
    assert code == 0
    assert "Calendar:     none (clock time, in the time zone of --at)" in out
    assert "Due:          Mon 02 Nov 2026 12:00 UTC-05:00 (Mon 02 Nov 17:00 UTC)" in out
    code, out, _ = sla("due", "definitions", "--stage", "mql", "--at", "2026-10-31T12:00", cwd=tmp_path)
    assert "Due:          Mon 02 Nov 2026 12:00 UTC" in out  # no offset and no calendar: UTC


def test_sla_list_in_lifecycle_order() -> None:
    code, out, _ = sla("list", DEFINITIONS)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["SLA", "Who", "acts", "Within", "Calendar", "Escalated"]
    where = [line.split()[0] for line in lines[1:]]
    assert where[:4] == ["response", "response->disqualified", "mql->sal", "mql->nurture"]
    assert "sql->customer" in where and where.index("sql->customer") > where.index("sal->sql")
    code, out, _ = sla("list", DEFINITIONS, "--format", "json")
    rows = json.loads(out)["slas"]
    assert rows[2] == {
        "stage": "mql",
        "to": "sal",
        "owner": "sdr",
        "within": "1 business day",
        "calendar": "us_office",
        "escalation": {"after": "2 business days", "to": "revenue_leadership"},
    }


def test_a_deadline_past_the_calendars_last_holidays_is_said_to_be_doubtful() -> None:
    # The bundled office lists holidays up to 2028: Christmas Day 2029 looks like a working day.
    code, out, err = sla("due", DEFINITIONS, "--exit", "mql->sal", "--at", "2029-12-24T16:30")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[-3] == "  Due:          Tue 25 Dec 2029 16:30 CST (Tue 25 Dec 22:30 UTC)"
    assert lines[-1] == (
        "  Warning:      the calendar `us_office` lists holidays up to 2028 only, and this deadline is in "
        "2029: a holiday then is counted as a working day; add the holidays of 2029"
    )
    code, out, _ = sla(
        "due", DEFINITIONS, "--exit", "mql->sal", "--at", "2030-01-10T09:00", "--format", "json"
    )
    assert code == 0
    (warning,) = json.loads(out)["warnings"]
    assert (
        "up to 2028 only, and this deadline is in 2030" in warning and "holidays of 2029 to 2030" in warning
    )


def test_a_deadline_within_the_listed_years_has_no_warning() -> None:
    code, out, _ = sla(
        "due", DEFINITIONS, "--exit", "mql->sal", "--at", "2028-12-22T16:30", "--format", "json"
    )
    assert code == 0 and json.loads(out)["warnings"] == []


def test_clock_time_does_not_use_holidays_so_it_has_no_warning(tmp_path: Path) -> None:
    write_definitions(
        tmp_path,
        {
            "a.yaml": """leadspec: 1
teams:
  sdr: {label: SDRs}
calendars:
  office:
    label: Office
    timezone: Europe/Berlin
    working_days: [mon, tue, wed, thu, fri]
    hours: {start: "09:00", end: "17:00"}
    holidays: [{date: "2026-12-25", name: Christmas Day}]
stages:
  - id: lead
    label: Lead
    owner: sdr
    entry: "true"
    terminal: true
    sla: {within: 4h, owner: sdr, calendar: office}
"""
        },
    )
    code, out, err = sla("due", "--stage", "lead", "--at", "2031-03-03T10:00", cwd=tmp_path)
    assert code == 0, err
    assert "Warning" not in out and "Due:          Mon 03 Mar 2031 14:00 CET" in out

"""SLA compliance, velocity and open breaches from a hand-built history, every figure worked out by hand.

The bundled definitions: MQL -> SAL is owed by the SDR team within 1 business day on the
Chicago office calendar (Mon-Fri 08:30-17:30, closed Thanksgiving 26 and 27 November 2026),
escalated to revenue leadership after 2 business days; MQL -> Nurture (marketing) within 1
business day and MQL -> Disqualified (revenue operations) within 2, neither escalated. A
lead is acted on when it leaves MQL by any exit. The clocks in Chicago go back in the night
to Sunday 1 November 2026.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
import sqlglot

from leadspec.api import load
from leadspec.config import Config
from leadspec.funnel.sla import (
    BREACHES_SQL,
    CLOCKS_SQL,
    COMPLIANCE_SQL,
    VELOCITY_SQL,
    Window,
    compliance,
    open_breaches,
    prepare,
    velocity,
    verdicts,
)
from leadspec.model import Model

REPO = Path(__file__).resolve().parents[2]
CHICAGO = ZoneInfo("America/Chicago")
STAYS = (
    "CREATE TEMP TABLE leadspec_stays (lead_id VARCHAR, stage VARCHAR, visit INTEGER, "
    "entered_at TIMESTAMPTZ, left_at TIMESTAMPTZ, next_stage VARCHAR, reason VARCHAR, owner VARCHAR)"
)


def chicago(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHICAGO)


# (lead, stage, visit, entered, left or None, next stage)
HISTORY = [
    # Thanksgiving: in Wed 25 Nov 16:30, due Mon 30 Nov 16:30 (Wed 1 h + Mon 8 h).
    ("thanks-met", "mql", 1, "2026-11-25T16:30", "2026-11-30T16:00", "sal"),  # met; 8 h 30 min of work
    ("thanks-late", "mql", 1, "2026-11-25T16:30", "2026-11-30T17:00", "nurture"),  # missed; 9 h 30 min
    # The clock change: in Fri 30 Oct 16:30 CDT, due Mon 2 Nov 16:30 CST (Fri 1 h + Mon 8 h).
    ("fall-back", "mql", 1, "2026-10-30T16:30", "2026-11-02T16:15", "disqualified"),  # met; 8 h 45 min
    # A missing exit time: still in MQL. In Fri 30 Oct 17:00 CDT, due Mon 2 Nov 17:00 CST,
    # escalated Tue 3 Nov 17:00 CST (Fri 30 min + Mon 9 h + Tue 8 h 30 min).
    ("still-open", "mql", 1, "2026-10-30T17:00", None, None),
    # Recycled twice: MQL, nurture, MQL again, nurture, MQL a third time.
    ("recycled", "mql", 1, "2026-10-05T09:00", "2026-10-05T10:00", "nurture"),  # met; 1 h
    ("recycled", "nurture", 1, "2026-10-05T10:00", "2026-10-19T09:00", "mql"),
    # In Mon 19 Oct 09:00, due Tue 20 Oct 09:00; left Wed 21 Oct 09:00: missed, escalation
    # (due Wed 21 Oct 09:00) exactly when acted on: not due; 18 h of work.
    ("recycled", "mql", 2, "2026-10-19T09:00", "2026-10-21T09:00", "nurture"),
    ("recycled", "nurture", 2, "2026-10-21T09:00", "2026-12-01T09:00", "mql"),
    # In Tue 1 Dec 09:00, left 09:30: met, but in December, outside the October-November windows.
    ("recycled", "mql", 3, "2026-12-01T09:00", "2026-12-01T09:30", "sal"),
    # Entered Thu 3 Dec 10:00, not acted on as of Fri 4 Dec 09:00: due Fri 10:00, pending.
    ("fresh", "mql", 1, "2026-12-03T10:00", None, None),
]
AS_OF = chicago("2026-12-04T09:00")
Q4 = Window("2026-Q4", chicago("2026-10-01T00:00"), chicago("2027-01-01T00:00"))
OCTOBER = Window("2026-10", chicago("2026-10-01T00:00"), chicago("2026-11-01T00:00"))
NOVEMBER = Window("2026-11", chicago("2026-11-01T00:00"), chicago("2026-12-01T00:00"))


@pytest.fixture(scope="module")
def model() -> Model:
    return load([REPO / "definitions"], Config()).model


@pytest.fixture
def con(model: Model) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(STAYS)
    connection.executemany(
        "INSERT INTO leadspec_stays VALUES (?, ?, ?, ?, ?, ?, NULL, 'pat')",
        [
            (lead, stage, visit, chicago(entered), chicago(left) if left else None, to)
            for lead, stage, visit, entered, left, to in HISTORY
        ],
    )
    prepare(connection, model, AS_OF)
    return connection


def test_each_mql_clock_checked_by_hand(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    found = {
        (v.lead_id, v.visit): (v.due_at.astimezone(CHICAGO).isoformat(timespec="minutes"), v.verdict)
        for v in verdicts(con, model, AS_OF)
        if v.sla.key == "mql->sal"
    }
    assert found == {
        ("thanks-met", 1): ("2026-11-30T16:30-06:00", "met"),
        ("thanks-late", 1): ("2026-11-30T16:30-06:00", "missed"),
        ("fall-back", 1): ("2026-11-02T16:30-06:00", "met"),
        ("still-open", 1): ("2026-11-02T17:00-06:00", "overdue"),
        ("recycled", 1): ("2026-10-06T09:00-05:00", "met"),
        ("recycled", 2): ("2026-10-20T09:00-05:00", "missed"),
        ("recycled", 3): ("2026-12-02T09:00-06:00", "met"),
        ("fresh", 1): ("2026-12-04T10:00-06:00", "pending"),
    }


def test_compliance_per_window(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    rows = {(c.sla.key, c.window): c for c in compliance(con, model, [Q4, OCTOBER, NOVEMBER], AS_OF)}
    quarter = rows[("mql->sal", "2026-Q4")]
    assert (quarter.entered, quarter.met, quarter.missed, quarter.overdue, quarter.pending) == (8, 4, 2, 1, 1)
    assert quarter.share == Fraction(4, 7)  # the pending lead is not decided yet
    assert quarter.escalations_due == 1  # still-open, escalated Tue 3 Nov 17:00
    october = rows[("mql->sal", "2026-10")]
    assert (october.entered, october.met, october.missed, october.overdue) == (4, 2, 1, 1)
    november = rows[("mql->sal", "2026-11")]
    assert (november.entered, november.met, november.missed, november.share) == (2, 1, 1, Fraction(1, 2))
    # Two business days to disqualify: the late Thanksgiving lead (acted on Mon 17:00) is in time.
    assert rows[("mql->disqualified", "2026-11")].met == 2
    # A stage nobody entered: nothing decided, no share.
    assert rows[("sal->sql", "2026-Q4")].entered == 0 and rows[("sal->sql", "2026-Q4")].share is None


def test_open_breaches_oldest_first_with_the_team_that_owes(
    con: duckdb.DuckDBPyConnection, model: Model
) -> None:
    breaches = open_breaches(con, model, AS_OF)
    assert [(b.lead_id, b.sla.key, b.sla.owner) for b in breaches] == [
        ("still-open", "mql->sal", "sdr"),
        ("still-open", "mql->nurture", "marketing"),
        ("still-open", "mql->disqualified", "revenue_operations"),
    ]
    first = breaches[0]
    assert first.due_at == chicago("2026-11-02T17:00")
    assert first.escalated_at == chicago("2026-11-03T17:00") and first.sla.escalate_to == "revenue_leadership"
    assert first.overdue_by == AS_OF - chicago("2026-11-02T17:00")
    assert breaches[2].due_at == chicago("2026-11-03T17:00")  # two business days
    # As of the Monday evening only the two one-day SLAs had run out; a week before, none.
    assert len(open_breaches(con, model, chicago("2026-11-02T17:01"))) == 2
    assert open_breaches(con, model, chicago("2026-10-26T09:00")) == []


def test_velocity_in_business_time(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    rows = {(v.stage, v.window): v for v in velocity(con, model, [Q4, NOVEMBER], AS_OF)}
    mql = rows[("mql", "2026-Q4")]
    assert (mql.basis, mql.calendar, mql.day_length) == ("business", "us_office", timedelta(hours=9))
    # Worked times: 30 min (recycled 3), 1 h, 8 h 30, 8 h 45, 9 h 30, 18 h; two still in MQL.
    assert (mql.left, mql.still_in) == (6, 2)
    assert mql.median == timedelta(hours=8, minutes=37, seconds=30)  # between 8 h 30 and 8 h 45
    assert mql.p90 == timedelta(hours=13, minutes=45)  # halfway from 9 h 30 to 18 h
    november = rows[("mql", "2026-11")]
    assert (november.left, november.median) == (2, timedelta(hours=9))
    nurture = rows[("nurture", "2026-Q4")]
    assert nurture.basis == "elapsed"  # no SLA counts business time in Nurture
    # Elapsed: 13 days 23 h, and 41 days 1 h over the night the clocks go back.
    assert nurture.left == 2 and nurture.median == timedelta(days=27, hours=12)


def test_as_of_in_the_past_sees_what_was_known_then(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    # As of Mon 30 Nov 16:45 the late Thanksgiving lead was still in MQL, past its deadline.
    found = {
        v.lead_id: v.verdict
        for v in verdicts(con, model, chicago("2026-11-30T16:45"))
        if v.sla.key == "mql->sal" and v.lead_id.startswith("thanks")
    }
    assert found == {"thanks-met": "met", "thanks-late": "overdue"}


@pytest.mark.parametrize("dialect", ["postgres", "snowflake"])
def test_the_sql_parses_for_warehouses(dialect: str) -> None:
    for sql in (CLOCKS_SQL, COMPLIANCE_SQL, BREACHES_SQL, VELOCITY_SQL):
        text = sqlglot.transpile(sql, read="duckdb", write=dialect)[0]
        assert sqlglot.parse_one(text, read=dialect) is not None


def test_a_history_past_the_calendar_holidays_is_warned(model: Model) -> None:
    connection = duckdb.connect()
    connection.execute(STAYS)
    connection.execute(
        "INSERT INTO leadspec_stays VALUES ('late', 'mql', 1, ?, NULL, NULL, NULL, NULL)",
        [chicago("2029-12-24T10:00")],
    )
    warnings = prepare(connection, model, chicago("2029-12-27T09:00"))
    assert any("`us_office` lists holidays up to 2028 only" in warning for warning in warnings)
    # Christmas 2029 is not listed, so the lead's deadline is counted as if the office were open.
    due = {v.sla.key: v.due_at for v in verdicts(connection, model, chicago("2029-12-27T09:00"))}
    assert due["mql->sal"] == chicago("2029-12-25T10:00")

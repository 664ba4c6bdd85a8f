"""A big history in bounded memory: funnel's engine spills to disk under --memory-limit and says the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARGS = ["--period", "2026-Q3", "--as-of", "2026-12-31T00:00Z", "--format", "json"]


@pytest.fixture(scope="module")
def big_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400,000 stage entries of 40,000 leads (each walks response -> ... -> sql, recycled through nurture)."""
    import duckdb

    path = tmp_path_factory.mktemp("funnel-memory") / "history.parquet"
    stages = "['response', 'valid_response', 'mql', 'nurture', 'mql', 'sal', 'nurture', 'mql', 'sal', 'sql']"
    duckdb.connect().execute(
        f"""
        COPY (
            SELECT printf('L%07d', lead) AS lead_id, ({stages})[1 + step] AS stage,
                TIMESTAMPTZ '2026-07-01 00:00:00+00' + to_seconds(CAST(hash(lead) % (80 * 86400) AS BIGINT))
                    + to_seconds(CAST(step * 108000 + hash(lead, step) % 108000 AS BIGINT)) AS entered_at,
                CASE WHEN step IN (3, 6) THEN 'timing' END AS reason, 'owner_' || (lead % 50) AS owner
            FROM range(40000) AS l(lead), range(10) AS s(step)
        ) TO '{path}' (FORMAT PARQUET)
        """
    )
    return path


def test_a_memory_limit_far_below_the_history_gives_the_same_report(big_history: Path, cli) -> None:
    """Flat memory: with --memory-limit 64MB and one thread the engine spills and every figure stays."""
    free = cli(["funnel", str(big_history), *ARGS], cwd=REPO)
    assert free.exit_code == 0, free.stderr
    bounded = cli(["funnel", str(big_history), *ARGS, "--memory-limit", "64MB", "--threads", "1"], cwd=REPO)
    assert bounded.exit_code == 0, bounded.stderr
    document = json.loads(bounded.stdout)
    assert document["history"]["stage_entries"] == 400_000
    assert document == json.loads(free.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--memory-limit", "lots"], "--memory-limit must be an amount of memory like 2GB"),
        (["--threads", "0"], "--threads must be 1 or more"),
    ],
)
def test_engine_options_are_checked_in_words(big_history: Path, cli, args: list[str], message: str) -> None:
    result = cli(["funnel", str(big_history), *args], cwd=REPO)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr

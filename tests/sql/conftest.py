"""Fixtures for the SQL engines: one DuckDB, PostgreSQL server and Spark session per test run.

A server is started only when a test asks for it, and stopped (its folder deleted) at the end.
Where its program is missing the tests skip with what to install, except in CI (the CI
environment variable set): `.ci/run` installs PostgreSQL and Java, so a missing one there is a
broken CI machine, and the tests fail rather than pass by skipping.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from sql.engines import (
    DuckDBEngine,
    Engine,
    EngineUnavailable,
    PostgresEngine,
    PostgresServer,
    SparkEngine,
    postgres_bindir,
    spark_session,
)

ENGINES = ("duckdb", "postgres", "spark")
T = TypeVar("T")


def _available(make: Callable[[], T]) -> T:
    """`make()`, or a skip saying what to install (a failure under CI) when its program is missing."""
    try:
        return make()
    except EngineUnavailable as error:
        missing = str(error)
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test, but {missing}", pytrace=False)
    pytest.skip(missing)


@pytest.fixture(scope="session")
def duckdb_engine() -> DuckDBEngine:
    return DuckDBEngine()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[PostgresEngine]:
    server = _available(lambda: PostgresServer(postgres_bindir()))
    try:
        server.start()
        with server.connect() as connection:
            yield PostgresEngine(connection)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def spark_engine() -> Iterator[SparkEngine]:
    session = _available(spark_session)
    with session as started:
        yield SparkEngine(started)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn (a test using it runs three times)."""
    return request.getfixturevalue(f"{request.param}_engine")

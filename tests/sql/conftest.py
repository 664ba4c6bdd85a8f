"""Fixtures for the SQL engines: one DuckDB, PostgreSQL server and Spark session per test run.

A server is started only when a test asks for it, and stopped (its folder deleted) at the end.
Where its program is missing the tests skip with what to install, except in CI (the CI
environment variable set): `.ci/run` installs PostgreSQL and Java, so a missing one there is a
broken CI machine, and the tests fail rather than pass by skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import NoReturn

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


def _unavailable(error: EngineUnavailable) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test, but {error}", pytrace=False)
    pytest.skip(str(error))


@pytest.fixture(scope="session")
def duckdb_engine() -> DuckDBEngine:
    return DuckDBEngine()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[PostgresEngine]:
    try:
        server = PostgresServer(postgres_bindir())
    except EngineUnavailable as error:
        _unavailable(error)
    try:
        server.start()
        with server.connect() as connection:
            yield PostgresEngine(connection)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def spark_engine() -> Iterator[SparkEngine]:
    try:
        with spark_session() as session:
            yield SparkEngine(session)
    except EngineUnavailable as error:
        _unavailable(error)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn (a test using it runs three times)."""
    return request.getfixturevalue(f"{request.param}_engine")

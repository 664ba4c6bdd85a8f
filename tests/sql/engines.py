"""Real SQL engines for the tests: DuckDB in-process, a throw-away PostgreSQL server, a local Spark.

Why: the SQL leadspec compiles is only right if the engines users run it on give every record
the stage `membership.py` gives it, and each engine has its own NULL, cast and decimal rules. So
the tests run the same records through all three, each behind one interface:

    engine.run(sql, rows, columns) -> list[dict]

`rows` are records (column name -> value; a missing key or None is SQL NULL); `columns` gives
each column's Python type: `str` (text, as a CSV export has it), `bool`, `int` or `Decimal`
(typed, as a warehouse has it; DECIMAL(38, 10), so a value with more places is refused rather
than rounded). `sql` may be several statements on DuckDB and PostgreSQL (the last one's rows come
back), one on Spark. The records are loaded into table `leads` (or `table=`) with an extra column
ROW_COLUMN numbering them from 0; `sql` is run over it and its rows come back in record order
(by ROW_COLUMN when the query returns it, else in the order of a plain scan, which every runner
keeps: one thread, one partition).

Starting the servers is done here too (the fixtures in conftest.py only decide skip or fail):
PostgreSQL from Debian's binaries in a temporary folder on a private Unix socket, run as the
`postgres` user when we are root (PostgreSQL refuses to run as root); Spark as a `local[1]`
session with little memory. A missing program raises `EngineUnavailable` with what to install.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

ROW_COLUMN = "leadspec_row"
DECIMAL_PRECISION = 38
DECIMAL_SCALE = 10
TABLE = "leads"

Rows = Sequence[Mapping[str, Any]]
Columns = Mapping[str, type]


class EngineUnavailable(Exception):
    """The engine's program is not on this machine; the message says what to install."""


class Engine:
    """One SQL engine: load records into a table, run a query over it, read the rows back."""

    name: str  # how tests name it
    dialect: str  # the dialect name `leadspec sql --dialect` takes for it

    def run(self, sql: str, rows: Rows, columns: Columns, table: str = TABLE) -> list[dict[str, Any]]:
        raise NotImplementedError


def _sql_type(kind: type, dialect: str) -> str:
    """The column type a warehouse would give a field of this Python type."""
    if kind is str:
        return {"spark": "STRING"}.get(dialect, "TEXT")
    if kind is bool:
        return "BOOLEAN"
    if kind is int:
        return "BIGINT"
    if kind is Decimal:
        return f"DECIMAL({DECIMAL_PRECISION}, {DECIMAL_SCALE})"
    raise TypeError(f"no SQL column type for {kind!r}: use str, bool, int or Decimal")


def _cells(rows: Rows, columns: Columns) -> list[tuple[Any, ...]]:
    """The records as tuples (row number first), each value checked against its column's type."""
    found = []
    for number, row in enumerate(rows):
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"record {number} has columns not in `columns`: {sorted(unknown)}")
        cells: list[Any] = [number]
        for name, kind in columns.items():
            value = row.get(name)
            if value is not None:
                if type(value) is not kind and not (kind is Decimal and type(value) is int):
                    raise TypeError(f"record {number}, column {name!r}: {value!r} is not a {kind.__name__}")
                if kind is Decimal:
                    value = Decimal(value)
                    exponent = value.as_tuple().exponent
                    if isinstance(exponent, int) and -exponent > DECIMAL_SCALE:
                        raise ValueError(
                            f"record {number}, column {name!r}: {value} has more than {DECIMAL_SCALE} places"
                        )
            cells.append(value)
        found.append(tuple(cells))
    return found


def _in_order(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows by record number when the query kept ROW_COLUMN (which is then dropped)."""
    if results and ROW_COLUMN in results[0]:
        results = sorted(results, key=lambda row: row[ROW_COLUMN])
        for row in results:
            del row[ROW_COLUMN]
    return results


def _quoted(name: str, quote: str = '"') -> str:
    """An identifier, quoted so any column name a CRM export has is taken as written."""
    return quote + name.replace(quote, quote * 2) + quote


# -- DuckDB -----------------------------------------------------------------------------------------


class DuckDBEngine(Engine):
    """DuckDB in-process, a fresh in-memory database per run (nothing to start or clean)."""

    name = "duckdb"
    dialect = "duckdb"

    def run(self, sql: str, rows: Rows, columns: Columns, table: str = TABLE) -> list[dict[str, Any]]:
        with duckdb.connect(":memory:") as connection:
            connection.execute("SET threads = 1")  # a plain scan then keeps the records' order
            names = [ROW_COLUMN, *columns]
            types = ["BIGINT", *(_sql_type(kind, "duckdb") for kind in columns.values())]
            connection.execute(
                f"CREATE TABLE {_quoted(table)} ("
                + ", ".join(f"{_quoted(n)} {t}" for n, t in zip(names, types, strict=True))
                + ")"
            )
            cells = _cells(rows, columns)
            if cells:
                marks = ", ".join("?" for _ in names)
                connection.executemany(f"INSERT INTO {_quoted(table)} VALUES ({marks})", cells)
            cursor = connection.execute(sql)
            heads = [item[0] for item in cursor.description or ()]
            return _in_order([dict(zip(heads, row, strict=True)) for row in cursor.fetchall()])


# -- PostgreSQL -------------------------------------------------------------------------------------


def postgres_bindir() -> Path:
    """The newest PostgreSQL server's bin folder (Debian keeps each major under /usr/lib/postgresql)."""
    found = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        major = initdb.parents[1].name
        found.append((int(major) if major.isdigit() else 0, initdb.parent))
    on_path = shutil.which("initdb")
    if on_path:
        found.append((0, Path(on_path).parent))
    found = [(major, folder) for major, folder in found if (folder / "postgres").is_file()]
    if not found:
        raise EngineUnavailable(
            "no PostgreSQL server here (no /usr/lib/postgresql/*/bin/initdb): "
            "install Debian's `postgresql` package (apt-get install postgresql)"
        )
    return max(found)[1]


class PostgresServer:
    """A throw-away PostgreSQL cluster in a temporary folder, on a Unix socket only (no TCP).

    As root the cluster belongs to the `postgres` system user and its programs run as that user
    (setpriv, which execs, so the server's pid is ours to signal); otherwise as ourselves.
    """

    def __init__(self, bindir: Path) -> None:
        try:
            import psycopg  # noqa: F401
        except ImportError as error:
            raise EngineUnavailable("psycopg is not installed: pip install -e '.[test]'") from error
        self.bindir = bindir
        self._as_user: list[str] = []
        owner = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as error:
                raise EngineUnavailable(
                    "running as root, and PostgreSQL refuses to: the `postgres` system user that "
                    "Debian's postgresql package creates is missing"
                ) from error
            self._as_user = ["setpriv", f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}", "--init-groups"]
        elif shutil.which("setpriv"):
            self._as_user = ["setpriv"]
        if self._as_user:
            # The server goes when the test run dies, even by kill -9 (its folder stays then).
            self._as_user += ["--pdeathsig=INT", "--"]
        self.root = Path(tempfile.mkdtemp(prefix="leadspec-pg-"))  # short: socket paths max ~100 chars
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self.log = self.root / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.socket.mkdir()
        if owner is not None:
            for path in (self.root, self.socket):
                os.chown(path, owner.pw_uid, owner.pw_gid)

    def _command(self, program: str, *args: str) -> list[str]:
        return [*self._as_user, str(self.bindir / program), *args]

    def start(self, timeout: float = 60.0) -> None:
        made = subprocess.run(
            self._command(
                "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
            ),
            cwd=self.root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if made.returncode != 0:
            raise RuntimeError(f"initdb failed ({made.returncode}):\n{made.stdout}\n{made.stderr}")
        settings = {
            "listen_addresses": "",  # the Unix socket only
            "unix_socket_directories": str(self.socket),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "16MB",
            "max_connections": "10",
            "log_min_messages": "warning",
        }
        options = [item for key, value in settings.items() for item in ("-c", f"{key}={value}")]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self._command("postgres", "-D", str(self.data), *options),
                cwd=self.root, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not (self.socket / ".s.PGSQL.5432").exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log_text = self.log.read_text(errors="replace")
                self.stop()
                raise RuntimeError(f"the PostgreSQL server did not start; its log:\n{log_text}")
            time.sleep(0.05)

    def connect(self) -> Any:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                return psycopg.connect(
                    host=str(self.socket), user="postgres", dbname="postgres", autocommit=True
                )
            except psycopg.OperationalError:  # the socket is there a moment before connections are taken
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then delete the folder; a server that hangs is killed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


class PostgresEngine(Engine):
    """Runs each query in a transaction that is rolled back, so every run starts from nothing."""

    name = "postgres"
    dialect = "postgres"

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def run(self, sql: str, rows: Rows, columns: Columns, table: str = TABLE) -> list[dict[str, Any]]:
        from psycopg import sql as pgsql

        names = [ROW_COLUMN, *columns]
        types = ["BIGINT", *(_sql_type(kind, "postgres") for kind in columns.values())]
        table_name = pgsql.Identifier(table)
        create = pgsql.SQL("CREATE TABLE {} ({})").format(
            table_name,
            pgsql.SQL(", ").join(
                pgsql.SQL("{} {}").format(pgsql.Identifier(n), pgsql.SQL(t))
                for n, t in zip(names, types, strict=True)
            ),
        )
        cells = _cells(rows, columns)
        with self.connection.transaction(force_rollback=True), self.connection.cursor() as cursor:
            cursor.execute(create)
            if cells:
                copy = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
                    table_name, pgsql.SQL(", ").join(pgsql.Identifier(n) for n in names)
                )
                with cursor.copy(copy) as loading:
                    for record in cells:
                        loading.write_row(record)
            cursor.execute(sql.encode())  # bytes: taken as written, never as a psycopg template
            while cursor.nextset():  # several statements (CREATE VIEW ...; SELECT ...): the last one's rows
                pass
            heads = [item.name for item in cursor.description or ()]
            return _in_order([dict(zip(heads, row, strict=True)) for row in cursor.fetchall()])


# -- Spark --------------------------------------------------------------------------------------------

_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def java_program() -> str:
    java_home = os.environ.get("JAVA_HOME")
    found = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not found or not os.access(found, os.X_OK):
        raise EngineUnavailable("no Java here for Spark: install Debian's `default-jre-headless`")
    return found


def spark_session() -> AbstractContextManager[Any]:
    """A `local[1]` Spark session tuned to start fast and stay small; stopped and cleaned after.

    Java and pyspark are looked for now (EngineUnavailable), the session started on entering.
    """
    java_program()
    try:
        import pyspark  # noqa: F401
    except ImportError as error:
        raise EngineUnavailable("pyspark is not installed: pip install -e '.[test]'") from error
    return _spark_session()


@contextmanager
def _spark_session() -> Iterator[Any]:
    """The session; at the end the JVM is shut down too (pyspark leaves it running until Python
    exits), so a later session in the same process starts from nothing."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    workdir = Path(tempfile.mkdtemp(prefix="leadspec-spark-"))
    (workdir / "log4j2.properties").write_text(_LOG4J)
    java_options = " ".join(
        [
            f"-Dlog4j2.configurationFile=file:{workdir / 'log4j2.properties'}",
            "-XX:+UseSerialGC",  # one small heap, no GC threads competing for the two cores
            "-XX:TieredStopAtLevel=1",  # C1 only: the queries are tiny, start-up time is what counts
            f"-Djava.io.tmpdir={workdir}",
        ]
    )
    settings = {
        "spark.driver.memory": "512m",
        "spark.driver.extraJavaOptions": java_options,
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "1",
        "spark.default.parallelism": "1",
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.local.dir": str(workdir),
        "spark.sql.warehouse.dir": str(workdir / "warehouse"),
    }
    builder = SparkSession.builder.master("local[1]").appName("leadspec-tests")
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    try:
        session.sparkContext.setLogLevel("ERROR")
        yield session
    finally:
        session.stop()
        gateway = SparkContext._gateway
        if gateway is not None:
            process = getattr(gateway, "proc", None)
            gateway.shutdown()
            SparkContext._gateway = None
            SparkContext._jvm = None
            if process is not None:
                process.stdin.close()  # the JVM exits when its stdin closes
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


class SparkEngine(Engine):
    """Spark SQL over a temporary view of the records, built as an inline table (Spark's LocalRelation).

    Why inline: Spark then evaluates the query in the driver (its ConvertToLocalRelation rule)
    instead of starting a job per query, several times faster for a few records; the same
    expressions, interpreted rather than compiled to Java code, which Spark's own tests hold to
    the same answers. The values go in as bound parameters (never pasted into the SQL text).
    """

    name = "spark"
    dialect = "spark"

    def __init__(self, session: Any) -> None:
        self.session = session

    def run(self, sql: str, rows: Rows, columns: Columns, table: str = TABLE) -> list[dict[str, Any]]:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table):
            raise ValueError(f"a Spark view needs a plain name, not {table!r}")
        names = [ROW_COLUMN, *columns]
        types = ["BIGINT", *(_sql_type(kind, "spark") for kind in columns.values())]
        cells = _cells(rows, columns)
        values: dict[str, Any] = {}
        tuples = []
        for number, record in enumerate(cells or [tuple(None for _ in names)]):
            marks = []
            for index, (value, type_) in enumerate(zip(record, types, strict=True)):
                values[f"v{number}_{index}"] = value
                marks.append(f"CAST(:v{number}_{index} AS {type_})")
            tuples.append(f"({', '.join(marks)})")
        heads = ", ".join(_quoted(name, "`") for name in names)
        inline = f"SELECT * FROM VALUES {', '.join(tuples)} AS records({heads})"
        if not cells:
            inline += " WHERE FALSE"
        self.session.sql(inline, args=values).createOrReplaceTempView(table)
        try:
            found = self.session.sql(sql).collect()
        finally:
            self.session.catalog.dropTempView(table)
        return _in_order([row.asDict() for row in found])

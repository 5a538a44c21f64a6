"""Connecting to the central database (PostgreSQL via psycopg 3, or a SQLite file) and migrating it.

Writers are serialised: on PostgreSQL by locking the `change` counter row first (so change
numbers become visible in the order they were handed out and a pull never skips one); on SQLite
by `BEGIN IMMEDIATE`. Readers never wait for writers (PostgreSQL MVCC, SQLite WAL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    any_,
    bindparam,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from asb_central.tables import counters

ENV_DB = "ASB_CENTRAL_DB"
DEFAULT_DB_FILE = "asb-central.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")
POOL_SIZE, POOL_OVERFLOW = 5, 5  # PostgreSQL connections per worker: at most 10


class SetupError(Exception):
    """The service cannot run as configured; the message says what to do."""


def utcnow() -> datetime:
    """Naive UTC, the form every timestamp column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def database_url(raw: str | None) -> str:
    """A SQLAlchemy URL from `--db`/ASB_CENTRAL_DB: a URL as given, or a path to a SQLite file."""
    value = raw or os.environ.get(ENV_DB) or DEFAULT_DB_FILE
    if "://" in value:
        url = make_url(value)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() not in ("postgresql", "sqlite"):
            raise SetupError(
                f"unsupported database {url.get_backend_name()!r}: use PostgreSQL or SQLite"
            )
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get("asb_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


class Database:
    """One engine per process; `read()` and `write()` hand out a connection inside a transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url)
        else:
            # Per worker process (`serve --workers N`). A request waits for a free connection
            # (pool_timeout) rather than opening one PostgreSQL refuses: 4 workers of 30 each
            # passed its default max_connections of 100, and 200 laptops at once got 500s.
            # Pushes queue on the writers' lock anyway, so more would only wait there.
            self.engine = create_engine(
                url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_timeout=60,
                pool_pre_ping=True,
            )  # fmt: skip

    def among(self, column: Any, values: Sequence[Any]) -> Any:
        """`column IN (values)`: on PostgreSQL `column = ANY(:array)`, one parameter however many
        values (an IN list of a few hundred is rendered, sent and parsed value by value)."""
        if self.is_sqlite:
            return column.in_(values)
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))

    def insert(self, table: Any) -> Any:
        """The dialect's INSERT, which has `on_conflict_do_nothing/do_update` on both backends."""
        return (sqlite if self.is_sqlite else postgresql).insert(table)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def glance(self) -> Iterator[Connection]:
        """`read()` for a few plain statements (authenticating a device, a pull): on PostgreSQL
        outside a transaction, which READ COMMITTED makes no different for a reader (each
        statement has a snapshot of its own either way), and which spares the BEGIN and COMMIT
        round trips (two of a one-statement read's four, with the pool's ping). Not for a
        server-side cursor (`yield_per`), which needs a transaction. SQLite: `read()`."""
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn.execution_options(isolation_level="AUTOCOMMIT")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(asb_write=True)
            with conn.begin():
                yield conn

    def lock_changes(self, conn: Connection) -> int:
        """Take the writers' lock (see module doc) and return the last change number."""
        query = select(counters.c.value).where(counters.c.name == "change")
        if not self.is_sqlite:
            query = query.with_for_update()
        return int(conn.execute(query).scalar_one())

    @staticmethod
    def set_last_change(conn: Connection, value: int) -> None:
        conn.execute(update(counters).where(counters.c.name == "change").values(value=value))

    def dispose(self) -> None:
        self.engine.dispose()


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """New rows of one table, every row with the same keys: PostgreSQL's COPY, which has no
    statement of a few thousand parameters to build, send and parse for each batch; a many-row
    INSERT on SQLite. A row whose key is taken fails the whole transaction."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    columns = ", ".join(table.c[name].name for name in names)  # our own column names only
    driver: Any = conn.connection.driver_connection
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[name] for name in names])


def _alembic_config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def upgrade(url: str, target: str = "head") -> str:
    """Create or migrate the schema (to the newest revision unless told); returns the revision."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), target)
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    assert current is not None
    return current


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def check_schema(db: Database) -> None:
    """Refuse to serve a database that `init-db` has not made current."""
    try:
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception as exc:  # the server cannot be reached or opened
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        detail = f": {reason[0][:300]}" if reason else ""
        raise SetupError(
            f"cannot open the central database ({type(exc).__name__}){detail}"
        ) from None
    if current != head_revision():
        raise SetupError(
            f"the central database is at schema {current or 'none'}, expected "
            f"{head_revision()}: run `asb-central init-db` first"
        )

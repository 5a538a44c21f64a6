"""One SQLCipher engine per store: the key, the pragmas, and a plain sentence for a wrong key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from asb_desktop.store.integrity import file_identity, wal_path
from asb_desktop.store.keys import DatabaseKey
from asb_desktop.store.sqlcipher_connect import (
    CONNECTION_PRAGMAS,
    WAL_IDENTITY,
    WRONG_KEY_MESSAGE,
    WrongKeyError,
    apply_pragmas,
)

# The pragmas, the wrong key's sentence and the log's identity are the driver connection's
# (store/sqlcipher_connect.py, free of SQLAlchemy): named here too, as before.
__all__ = [
    "CONNECTION_PRAGMAS",
    "WAL_IDENTITY",
    "WRONG_KEY_MESSAGE",
    "WrongKeyError",
    "create_plain_engine",
    "create_sqlcipher_engine",
    "sqlcipher_url",
]


def sqlcipher_url(path: Path, key: DatabaseKey) -> URL:
    return URL.create("sqlite+pysqlcipher", password=key.pragma_value, database=str(path))


def _begin_immediate(conn: Any) -> None:
    # Writers take the write lock at BEGIN, so two writers never deadlock mid-transaction.
    # Sent on the driver's connection: SQLAlchemy's statement machinery cost several times
    # what SQLite does for a BEGIN, on every transaction (its errors are the driver's, which
    # store/faults.py reads as well).
    conn.connection.driver_connection.execute(
        "BEGIN IMMEDIATE" if conn.info.get("writer") else "BEGIN"
    )


def create_sqlcipher_engine(path: Path, key: DatabaseKey, *, pool_size: int = 4) -> Engine:
    # A queue pool (not the dialect's per-thread default) so the UI's worker threads share a few
    # keyed connections instead of paying the key setup once per thread.
    engine = create_engine(
        sqlcipher_url(path, key),
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=2,
        connect_args={"check_same_thread": False},
        # The connection used last is handed out next, so a reading meets the pages the one
        # before it left in that connection's cache (first in, first out would pick the coldest).
        pool_use_lifo=True,
    )
    _configure(engine, path)
    return engine


def create_plain_engine(path: Path) -> Engine:
    """An unencrypted SQLite engine with the same pragmas: only for benchmark comparisons."""
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=2,
        connect_args={"check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in CONNECTION_PRAGMAS[1:]:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        _begin_immediate(conn)

    return engine


def _configure(engine: Engine, path: Path) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection, CONNECTION_PRAGMAS)  # looked up here: tests add one
        # The log this connection has open (opened by the read above), for JournalWatch.
        record.info[WAL_IDENTITY] = file_identity(wal_path(path))

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        _begin_immediate(conn)

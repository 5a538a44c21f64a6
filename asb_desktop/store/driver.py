"""The driver's own cursor, for the few statements a save runs: through SQLAlchemy each costs
about 25 µs of Python, on the driver's cursor about 3 µs (a save is a handful of one-row
statements, so that overhead was much of its CPU time)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection


@contextmanager
def driver_cursor(conn: Connection) -> Iterator[Any]:
    """A cursor inside `conn`'s transaction (begun here as SQLAlchemy begins one on a first
    statement, when none is). Its errors are the driver's, which `store.faults` also reads."""
    if not conn.in_transaction():
        conn.begin()
    cursor = conn.connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def insert_sql(table: str, names: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{name}"' for name in names)
    return f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})"

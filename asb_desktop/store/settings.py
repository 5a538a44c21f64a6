"""Small settings and the staff directory, kept in the encrypted store like everything else."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from asb_desktop.domain.directory import EMPTY_DIRECTORY, Directory, parse_directory
from asb_desktop.store.db_time import to_db
from asb_desktop.store.driver import driver_cursor
from asb_desktop.store.tables import directory, settings


def get_setting(conn: Connection, key: str) -> str | None:
    # The driver's cursor (store/driver.py): a sync reads several settings every run, and
    # through SQLAlchemy each such read cost several times what SQLite does for it.
    with driver_cursor(conn) as cursor:
        row = cursor.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_setting(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(settings).where(settings.c.key == key))
    conn.execute(insert(settings), {"key": key, "value": value})


def load_directory(conn: Connection) -> Directory:
    raw = conn.execute(select(directory.c.document).where(directory.c.id == 1)).scalar()
    return parse_directory(json.loads(raw)) if raw else EMPTY_DIRECTORY


def save_directory(conn: Connection, document: dict[str, Any], *, now: datetime) -> None:
    conn.execute(delete(directory))
    conn.execute(
        insert(directory),
        {"id": 1, "document": json.dumps(document, ensure_ascii=False), "imported_at": to_db(now)},
    )

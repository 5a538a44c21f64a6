"""The window's first page, read on the driver's own connection before SQLAlchemy is loaded
(issue 17: SQLAlchemy's import alone cost a third of a start). It reads only what the first
screen shows: the caseload's first page in its starting order (open cases, response due
soonest first: the same rows, in the same order, as `store.cases.list_cases` gives for
`FIRST_FILTER`), the staff directory that names their officers and places, the bank holidays'
nation their deadlines are counted in, and whether a PIN is set.

A store whose schema is not at head is not read here (None): it takes the full path, which
migrates it. Any error is the caller's to send down that path too, whose messages say it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from asb_desktop.domain.calendar import Nation
from asb_desktop.domain.case_states import CaseState
from asb_desktop.domain.directory import EMPTY_DIRECTORY, Directory, parse_directory
from asb_desktop.store.caseload_page import ROW_COLUMN_NAMES, CaseFilter, CaseRow, case_row
from asb_desktop.store.migrations import HEAD_REVISION

FIRST_FILTER = CaseFilter(state=CaseState.OPEN.value)
"""The caseload's filter and order when the window opens (tests/ui check the screen's)."""
FIRST_PAGE_ROWS = 200
# The settings the first screen needs; their keys as services/casework.py and services/lock.py
# keep them (a test checks they are the same).
NATION_SETTING = "bank_holiday_nation"
PIN_SETTING = "lock_pin_hash"

_NAMES = (*ROW_COLUMN_NAMES, "sort_value")
_PAGE_SQL = (
    f"SELECT {', '.join(ROW_COLUMN_NAMES)}, response_due_at AS sort_value FROM cases "
    "WHERE state = ? ORDER BY response_due_at ASC, id ASC LIMIT ?"
)


@dataclass(frozen=True)
class FirstPage:
    rows: list[CaseRow]
    directory: Directory
    nation: Nation
    has_pin: bool


def schema_is_current(cursor: Any) -> bool:
    """The schema is at head (store/migrate.py's `is_current`, asked on the driver)."""
    found = cursor.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if found is None:
        return False
    revision = cursor.execute("SELECT version_num FROM alembic_version").fetchone()
    return revision is not None and revision[0] == HEAD_REVISION


def read_first_page(connection: Any, limit: int = FIRST_PAGE_ROWS) -> FirstPage | None:
    """The first screen's facts in one read transaction on a keyed driver connection
    (store/sqlcipher_connect.py); None when the schema is not at head."""
    cursor = connection.cursor()
    try:
        cursor.execute("BEGIN")
        try:
            if not schema_is_current(cursor):
                return None
            settings = dict(
                cursor.execute(
                    "SELECT key, value FROM settings WHERE key IN (?, ?)",
                    (NATION_SETTING, PIN_SETTING),
                ).fetchall()
            )
            stored = cursor.execute("SELECT document FROM directory WHERE id = 1").fetchone()
            found = cursor.execute(_PAGE_SQL, (FIRST_FILTER.state, limit)).fetchall()
        finally:
            cursor.execute("COMMIT")
    finally:
        cursor.close()
    nation = settings.get(NATION_SETTING)
    return FirstPage(
        rows=[case_row(SimpleNamespace(**dict(zip(_NAMES, v, strict=True)))) for v in found],
        directory=parse_directory(json.loads(stored[0]))
        if stored and stored[0]
        else EMPTY_DIRECTORY,
        nation=Nation(nation) if nation else Nation.ENGLAND_AND_WALES,
        has_pin=settings.get(PIN_SETTING) is not None,
    )

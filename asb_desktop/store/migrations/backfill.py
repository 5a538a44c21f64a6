"""Filling new columns of `cases` from each row's stored document, for migrations: a thousand
rows at a time (a 100,000-case store never holds them all in memory), through the function
today's code uses for a new row; a document today's reader refuses keeps its row as it was."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from asb_desktop.domain.errors import InputError

BATCH = 1000
Fill = Callable[[dict[str, Any]], dict[str, str | None]]


def fill_from_documents(conn: sa.Connection, columns: Sequence[str], fill: Fill) -> None:
    """Set `columns` of every case row to what `fill(document)` gives for them."""
    read = sa.text(
        "SELECT rowid, document FROM cases WHERE rowid > :after ORDER BY rowid LIMIT :batch"
    )
    assignments = ", ".join(f"{column} = :{column}" for column in columns)
    write = sa.text(f"UPDATE cases SET {assignments} WHERE rowid = :row")
    after = 0
    while True:
        rows = conn.execute(read, {"after": after, "batch": BATCH}).all()
        if not rows:
            break
        filled = []
        for row, document in rows:
            try:
                found = fill(json.loads(document))
            except (InputError, ValueError, AttributeError, TypeError):
                continue  # a document today's reader would refuse: left as it is
            filled.append({"row": row, **{column: found[column] for column in columns}})
        if filled:
            conn.execute(write, filled)
        after = rows[-1][0]

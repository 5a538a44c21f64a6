"""Removing cases this laptop may no longer hold, so that their bytes are gone from its files.

Which cases: those the central store names in a pull (`gone`: reassigned, now involving an
employee, access removed) and closed cases past the organisation's period. Until a case is
removed it waits in the setting `REMOVALS` ({case id: reason}), written in the same transaction
as the pull's checkpoint: the central store stops naming a case once the laptop has stored that
checkpoint, so the laptop must not forget it before it is gone.

A case with changes the central store has not taken (waiting or refused) is not removed: the
officer sees its changes on the Sync page and it goes once they are sent or given up.

`remove_cases` deletes, in the caller's one transaction with `secure_delete` on (freed pages
zeroed), the case row, its search entry (and the search index is built again from what stays,
so no earlier version's terms stay behind a delete marker), its drafts, outbox entries, changes
in flight and conflicts; the audit keeps the case id, the reason and who, no personal data. `checkpoint_log` then copies the write-ahead log into
cases.db and truncates it (`wal_checkpoint(TRUNCATE)`), so the log keeps no old page either.

The case's earlier audit rows lose their before/after documents (`audit.redact_case`); they keep
when, who and what was done, and the chain still verifies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, text

from asb_desktop.store.attachments import remove_for_cases as remove_attachments
from asb_desktop.store.audit import REMOVED_ACTION, AuditWriter, redact_case
from asb_desktop.store.database import Store
from asb_desktop.store.db_time import from_db
from asb_desktop.store.settings import get_setting, set_setting
from asb_desktop.store.tables import cases, drafts, outbox, sync_conflicts, sync_inflight

REMOVALS = "sync.removals"  # {case id: reason}: cases to remove once nothing of theirs is unsent
CLOSED = "closed"  # a reason of our own: closed longer ago than the organisation's period
_UNSENT = ("pending", "failed")
_CHUNK = 500


def waiting_removals(conn: Connection) -> dict[str, str]:
    raw = get_setting(conn, REMOVALS)
    found = json.loads(raw) if raw else {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def save_removals(conn: Connection, removals: dict[str, str]) -> None:
    set_setting(conn, REMOVALS, json.dumps(removals, sort_keys=True))


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def held(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Which of these cases this laptop holds."""
    found: set[str] = set()
    for chunk in _chunks(list(ids)):
        found.update(conn.execute(select(cases.c.id).where(cases.c.id.in_(chunk))).scalars())
    return found


def with_unsent(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Which of these cases have changes the central store has not taken (or in flight)."""
    found: set[str] = set()
    for chunk in _chunks(list(ids)):
        query = select(outbox.c.case_id).where(
            outbox.c.case_id.in_(chunk), outbox.c.state.in_(_UNSENT)
        )
        found.update(conn.execute(query).scalars())
        flying = select(sync_inflight.c.case_id).where(sync_inflight.c.case_id.in_(chunk))
        found.update(conn.execute(flying).scalars())
    return found


# The closing time read by SQLite from each document, not each document decoded here: a sync
# asks this every run, of every closed case held (the statement built once, for the same reason).
_CLOSED_AT = select(
    cases.c.id, func.json_extract(cases.c.document, "$.status.at").label("at"), cases.c.updated_at
).where(cases.c.state == "closed")


def closed_before(conn: Connection, cutoff: datetime) -> list[str]:
    """Closed cases whose closing (the status's `at`, else the row's last change) is before
    `cutoff`."""
    rows = conn.execute(_CLOSED_AT)
    old = []
    for row in rows:
        try:
            moment = datetime.fromisoformat(row.at.replace("Z", "+00:00")) if row.at else None
        except (AttributeError, ValueError):
            moment = None
        if moment is None or moment.tzinfo is None:
            moment = from_db(row.updated_at)
        if moment < cutoff:
            old.append(row.id)
    return old


def closed_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


_SEARCH_KEYS = select(cases.c.search_key).where(cases.c.id.in_(bindparam("ids", expanding=True)))
_DELETE_SEARCH = text("DELETE FROM case_search WHERE rowid = :key")
_REBUILD_SEARCH = text("INSERT INTO case_search (case_search) VALUES ('rebuild')")


def remove_cases(
    conn: Connection, audit: AuditWriter, removals: dict[str, str], *, now: datetime
) -> list[str]:
    """Remove these cases and everything of theirs, in the caller's transaction; the ids of
    those that were here."""
    ids = sorted(held(conn, removals))
    if not ids:
        return []
    conn.exec_driver_sql("PRAGMA secure_delete = ON")
    for chunk in _chunks(ids):
        keys = [k for k in conn.execute(_SEARCH_KEYS, {"ids": chunk}).scalars() if k is not None]
        if keys:
            conn.execute(_DELETE_SEARCH, [{"key": key} for key in keys])
        for table, column in (
            (outbox, outbox.c.case_id),
            (sync_inflight, sync_inflight.c.case_id),
            (sync_conflicts, sync_conflicts.c.case_id),
            (drafts, drafts.c.id),  # a new report's draft has its case's id
            (cases, cases.c.id),
        ):
            conn.execute(delete(table).where(column.in_(chunk)))
        remove_attachments(conn, chunk)  # and their bytes, unless another case holds them
    # The index keeps a deleted entry's terms (each edit and pull rewrote the case's entry)
    # behind delete markers in its segments, and merging leaves a removed term's bytes in a
    # rewritten block: the index is built again from what stays, its old blocks freed (zeroed).
    conn.execute(_REBUILD_SEARCH)
    changes: list[tuple[str | None, Any, Any]] = []
    for case_id in ids:
        seqs = redact_case(conn, case_id)
        changes.append((case_id, None, {"reason": removals[case_id], "redacted": seqs}))
    audit.append_many(at=now, action=REMOVED_ACTION, changes=changes)
    return ids


def checkpoint_log(store: Store) -> bool:
    """Copy the write-ahead log into cases.db and truncate it; True when all of it went (False
    when a reader held it: the next checkpoint copies the rest)."""
    raw: Any = store.engine.raw_connection()
    try:
        busy, _logged, _copied = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    return int(busy) == 0

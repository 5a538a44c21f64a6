"""Sync's own rows in the encrypted store: checkpoint and retry state, ops awaiting an answer,
and field conflicts waiting for the officer.

Kept beside the cases so that applying a pulled batch and moving the checkpoint, or recording a
server's acknowledgement and marking the op sent, happen in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from asb_desktop.store.db_time import from_db, to_db
from asb_desktop.store.driver import driver_cursor
from asb_desktop.store.tables import outbox

# Sync's tables are described in tables.py with the others (one MetaData); re-exported here.
from asb_desktop.store.tables import sync_bases as sync_bases
from asb_desktop.store.tables import sync_conflicts as sync_conflicts
from asb_desktop.store.tables import sync_inflight as sync_inflight
from asb_desktop.store.tables import sync_state as sync_state

# Outbox states. `pending` waits to be sent; `sent` was acknowledged; `superseded` was covered by
# a later op of the same case (each op carries the whole document); `failed` was refused.
PENDING, SENT, SUPERSEDED, FAILED = "pending", "sent", "superseded", "failed"
UNSENT = (PENDING, FAILED)  # local edits the server has not taken


@dataclass(frozen=True)
class SyncState:
    checkpoint: int
    directory_version: int
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    error_kind: str | None
    failures: int
    next_attempt_at: datetime | None


def _when(value: str | None) -> datetime | None:
    return from_db(value) if value else None


# The state row and the counts every sync reads (a sync with nothing to do is little else) go
# through the driver's cursor (store/driver.py): through SQLAlchemy each such statement cost
# several times what SQLite does for it.
_STATE_COLUMNS = (
    "checkpoint",
    "directory_version",
    "last_attempt_at",
    "last_success_at",
    "last_error",
    "error_kind",
    "failures",
    "next_attempt_at",
)
_LOAD_STATE = f"SELECT {', '.join(_STATE_COLUMNS)} FROM sync_state WHERE id = 1"
_SAVED_COLUMNS = frozenset(c.name for c in sync_state.c) - {"id"}


def load_state(conn: Connection) -> SyncState:
    with driver_cursor(conn) as cursor:
        rows = cursor.execute(_LOAD_STATE).fetchall()
    if len(rows) != 1:
        raise LookupError(f"the sync state row is missing ({len(rows)} rows)")
    checkpoint, version, attempt, success, error, kind, failures, next_at = rows[0]
    return SyncState(
        checkpoint=checkpoint,
        directory_version=version,
        last_attempt_at=_when(attempt),
        last_success_at=_when(success),
        last_error=error,
        error_kind=kind,
        failures=failures,
        next_attempt_at=_when(next_at),
    )


def save_state(conn: Connection, **values: Any) -> None:
    """Change some of the state row's columns; datetimes are stored as UTC text."""
    unknown = set(values) - _SAVED_COLUMNS
    if unknown:
        raise TypeError(f"sync_state has no column {', '.join(sorted(unknown))}")
    if not values:
        return
    stored = [to_db(v) if isinstance(v, datetime) else v for v in values.values()]
    assignments = ", ".join(f'"{name}" = ?' for name in values)  # our own column names only
    with driver_cursor(conn) as cursor:
        cursor.execute(f"UPDATE sync_state SET {assignments} WHERE id = 1", stored)


def stored_token(conn: Connection) -> str | None:
    return conn.execute(select(sync_state.c.device_token).where(sync_state.c.id == 1)).scalar()


# --- the outbox, as sync sees it --------------------------------------------------------------


@dataclass(frozen=True)
class QueuedOp:
    seq: int
    op_id: str
    case_id: str
    payload: str
    created_at: datetime
    attempts: int
    last_error: str | None
    state: str


def _queued(row: Any) -> QueuedOp:
    return QueuedOp(
        seq=row.seq,
        op_id=row.op_id,
        case_id=row.case_id,
        payload=row.payload,
        created_at=from_db(row.created_at),
        attempts=row.attempts,
        last_error=row.last_error,
        state=row.state,
    )


def latest_pending(conn: Connection, limit: int, *, skip: set[str] | None = None) -> list[QueuedOp]:
    """The newest pending op of up to `limit` cases not awaiting an answer (nor in `skip`),
    the cases with the oldest changes first. Older pending ops of a case are covered by its
    newest (each carries the whole case). Reads a window of the queue by the state index, so
    the cost does not grow with the length of the queue."""
    waiting = {row.case_id for row in conn.execute(select(sync_inflight.c.case_id))}
    waiting |= skip or set()
    window = conn.execute(
        select(outbox.c.case_id)
        .where(outbox.c.state == PENDING)
        .order_by(outbox.c.seq)
        .limit(limit * 4 + len(waiting))
    ).scalars()
    chosen: dict[str, None] = {}  # ordered, and quick to test
    for case_id in window:
        if case_id not in waiting and case_id not in chosen:
            chosen[case_id] = None
            if len(chosen) == limit:
                break
    if not chosen:
        return []
    newest = (
        select(func.max(outbox.c.seq))
        .where(outbox.c.state == PENDING, outbox.c.case_id.in_(list(chosen)))
        .group_by(outbox.c.case_id)
    )
    rows = conn.execute(select(outbox).where(outbox.c.seq.in_(newest)).order_by(outbox.c.seq))
    return [_queued(r) for r in rows]


def ops_in_state(conn: Connection, states: Iterable[str], *, limit: int = 500) -> list[QueuedOp]:
    rows = conn.execute(
        select(outbox).where(outbox.c.state.in_(list(states))).order_by(outbox.c.seq).limit(limit)
    )
    return [_queued(r) for r in rows]


_COUNT_WAITING = (
    "SELECT (SELECT count(DISTINCT case_id) FROM outbox WHERE state = ?),"
    " (SELECT count(*) FROM outbox WHERE state = ?)"
)


def count_waiting(conn: Connection) -> tuple[int, int]:
    """(cases with changes waiting to be sent, ops refused by the server)."""
    with driver_cursor(conn) as cursor:
        waiting, failed = cursor.execute(_COUNT_WAITING, (PENDING, FAILED)).fetchone()
    return int(waiting), int(failed)


def cases_with_unsent(conn: Connection, case_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        query = select(outbox.c.case_id).where(
            outbox.c.case_id.in_(chunk), outbox.c.state.in_(UNSENT)
        )
        found.update(conn.execute(query).scalars())
    return found


def note_attempt(conn: Connection, seqs: list[int], error: str, next_at: datetime) -> None:
    """A batch went unanswered: count the attempt and say why, per op (survives restarts)."""
    if seqs:
        conn.execute(
            update(outbox)
            .where(outbox.c.seq.in_(seqs))
            .values(
                attempts=outbox.c.attempts + 1, last_error=error, next_attempt_at=to_db(next_at)
            )
        )


def settle_ops(conn: Connection, settled: list[tuple[str, int, str, str | None]]) -> None:
    """Per (case_id, seq, state, error): that op takes `state`; when it was applied, every
    earlier unsent op of the case is covered by it (each op carries the whole document)."""
    if not settled:
        return
    conn.execute(
        update(outbox)
        .where(outbox.c.seq == bindparam("b_seq"))
        .values(state=bindparam("b_state"), last_error=bindparam("b_error"), next_attempt_at=None),
        [{"b_seq": seq, "b_state": state, "b_error": error} for _, seq, state, error in settled],
    )
    covered = [
        {"b_case": case_id, "b_seq": seq} for case_id, seq, state, _ in settled if state == SENT
    ]
    if covered:
        conn.execute(
            update(outbox)
            .where(
                outbox.c.case_id == bindparam("b_case"),
                outbox.c.seq < bindparam("b_seq"),
                or_(outbox.c.state == PENDING, outbox.c.state == FAILED),
            )
            .values(state=SUPERSEDED, next_attempt_at=None),
            covered,
        )


# --- ops sent and not yet answered ------------------------------------------------------------


@dataclass(frozen=True)
class InflightOp:
    op_id: str
    outbox_seq: int
    case_id: str
    body: dict[str, Any]
    # The body as JSON text, encoded once: what is frozen and what is sent ("" : encode `body`).
    text: str = ""

    def encoded(self) -> str:
        return self.text or json.dumps(self.body, ensure_ascii=False, separators=(",", ":"))


def inflight_for(conn: Connection, case_ids: list[str]) -> dict[str, InflightOp]:
    found: dict[str, InflightOp] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        rows = conn.execute(select(sync_inflight).where(sync_inflight.c.case_id.in_(chunk)))
        for r in rows:
            found[r.case_id] = _inflight(r)
    return found


def any_inflight(conn: Connection) -> bool:
    """Is any op sent and not yet answered?"""
    with driver_cursor(conn) as cursor:
        return cursor.execute("SELECT 1 FROM sync_inflight LIMIT 1").fetchone() is not None


def all_inflight(conn: Connection, limit: int, *, skip: set[str] | None = None) -> list[InflightOp]:
    query = select(sync_inflight).order_by(sync_inflight.c.outbox_seq).limit(limit)
    if skip:
        query = query.where(sync_inflight.c.case_id.not_in(list(skip)))
    rows = conn.execute(query)
    return [_inflight(r) for r in rows]


def _inflight(r: Any) -> InflightOp:
    return InflightOp(r.op_id, r.outbox_seq, r.case_id, json.loads(r.body), r.body)


def freeze(conn: Connection, ops: list[InflightOp], now: datetime) -> None:
    """Record exactly what is about to be sent, so a retry sends the same op id and body."""
    if ops:
        conn.execute(
            insert(sync_inflight),
            [
                {
                    "op_id": op.op_id,
                    "outbox_seq": op.outbox_seq,
                    "case_id": op.case_id,
                    "body": op.encoded(),
                    "first_sent_at": to_db(now),
                }
                for op in ops
            ],
        )


def thaw(conn: Connection, op_ids: list[str]) -> None:
    for start in range(0, len(op_ids), 500):
        conn.execute(delete(sync_inflight).where(sync_inflight.c.op_id.in_(op_ids[start:start + 500])))  # fmt: skip


def base_ops(conn: Connection, case_ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(case_ids), 500):
        query = select(sync_bases).where(sync_bases.c.case_id.in_(case_ids[start : start + 500]))
        found.update({row.case_id: row.base_op_id for row in conn.execute(query)})
    return found


def set_bases(conn: Connection, bases: dict[str, str | None]) -> None:
    """Per case, the op its next op builds on, or None: build on the server revision."""
    ids = list(bases)
    for start in range(0, len(ids), 500):
        conn.execute(delete(sync_bases).where(sync_bases.c.case_id.in_(ids[start : start + 500])))
    rows = [{"case_id": c, "base_op_id": op_id} for c, op_id in bases.items() if op_id]
    if rows:
        conn.execute(insert(sync_bases), rows)


# --- field conflicts --------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredConflict:
    id: int
    case_id: str
    field: str
    server_value: Any
    device_value: Any
    user_id: str
    at: str
    choice: str | None
    # Who set each value, on which device (ids and the central store's names; None: not known),
    # and whether this officer may choose between them.
    device_id: str | None = None
    user_name: str | None = None
    device_name: str | None = None
    server_user_id: str | None = None
    server_user_name: str | None = None
    server_device_id: str | None = None
    server_device_name: str | None = None
    may_settle: bool = True


PEOPLE_COLUMNS = (
    "device_id",
    "user_name",
    "device_name",
    "server_user_id",
    "server_user_name",
    "server_device_id",
    "server_device_name",
    "may_settle",
)


def upsert_conflicts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Add conflicts the server reported; one already known keeps the officer's choice and
    takes the server's newer names and right to settle."""
    if not rows:
        return
    known = set(
        conn.execute(
            select(sync_conflicts.c.id).where(sync_conflicts.c.id.in_([r["id"] for r in rows]))
        ).scalars()
    )
    fresh = [r for r in rows if r["id"] not in known]
    if fresh:
        conn.execute(insert(sync_conflicts), fresh)
    for row in rows:
        if row["id"] in known:
            people = {k: row[k] for k in PEOPLE_COLUMNS if k in row}
            if people:
                conn.execute(
                    update(sync_conflicts).where(sync_conflicts.c.id == row["id"]).values(people)
                )


def drop_conflicts_except(conn: Connection, open_ids: dict[str, list[int]]) -> None:
    """Per case, the server says only these conflicts are still open: the rest were resolved."""
    known: list[tuple[int, str]] = []
    case_ids = list(open_ids)
    for start in range(0, len(case_ids), 500):
        query = select(sync_conflicts.c.id, sync_conflicts.c.case_id).where(
            sync_conflicts.c.case_id.in_(case_ids[start : start + 500])
        )
        known += [(row.id, row.case_id) for row in conn.execute(query)]
    gone = [i for i, case_id in known if i not in open_ids[case_id]]
    drop_conflicts(conn, gone)


def drop_conflicts(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(delete(sync_conflicts).where(sync_conflicts.c.id.in_(ids)))


def chosen_conflicts(conn: Connection, case_ids: list[str]) -> dict[str, list[int]]:
    """Per case, the conflicts the officer has settled and the server has not yet closed."""
    found: dict[str, list[int]] = {}
    for start in range(0, len(case_ids), 500):
        query = (
            select(sync_conflicts.c.case_id, sync_conflicts.c.id)
            .where(
                sync_conflicts.c.case_id.in_(case_ids[start : start + 500]),
                sync_conflicts.c.choice.is_not(None),
            )
            .order_by(sync_conflicts.c.id)
        )
        for row in conn.execute(query):
            found.setdefault(row.case_id, []).append(row.id)
    return found


def choose(conn: Connection, choices: dict[int, str], now: datetime) -> None:
    for conflict_id, choice in choices.items():
        conn.execute(
            update(sync_conflicts)
            .where(sync_conflicts.c.id == conflict_id)
            .values(choice=choice, chosen_at=to_db(now))
        )


def list_conflicts(conn: Connection, case_id: str | None = None) -> list[StoredConflict]:
    query = select(sync_conflicts).order_by(sync_conflicts.c.case_id, sync_conflicts.c.id)
    if case_id is not None:
        query = query.where(sync_conflicts.c.case_id == case_id)
    return [
        StoredConflict(
            id=r.id,
            case_id=r.case_id,
            field=r.field,
            server_value=json.loads(r.server_value),
            device_value=json.loads(r.device_value),
            user_id=r.user_id,
            at=r.at,
            choice=r.choice,
            device_id=r.device_id,
            user_name=r.user_name,
            device_name=r.device_name,
            server_user_id=r.server_user_id,
            server_user_name=r.server_user_name,
            server_device_id=r.server_device_id,
            server_device_name=r.server_device_name,
            may_settle=bool(r.may_settle),
        )
        for r in conn.execute(query)
    ]


def count_open_conflicts(conn: Connection) -> int:
    with driver_cursor(conn) as cursor:
        [count] = cursor.execute(
            "SELECT count(*) FROM sync_conflicts WHERE choice IS NULL"
        ).fetchone()
    return int(count)

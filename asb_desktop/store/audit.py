"""The audit log: every change, who made it and when, before and after, hash-chained.

Each row's hash covers the previous row's hash and the row's own content, so editing, deleting or
inserting a row anywhere breaks the chain from that row on, and `verify` says where.

A case removed from the laptop (`store/purge.py`) takes its documents out of its earlier rows:
their before and after become `REDACTED` and the removal's own row lists their seqs (`redacted`).
`verify` then takes such a row's stored hash as it is, but only for a seq that a later removal
row of the same case names, and that row's content is checked like any other; the chain's links
are checked for every row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from asb_desktop.store.db_time import to_db
from asb_desktop.store.driver import driver_cursor, insert_sql
from asb_desktop.store.tables import audit_log

GENESIS = "0" * 64
REDACTED = '"removed from this laptop"'  # a redacted row's before and after (JSON text)
REMOVED_ACTION = "case.removed_from_laptop"
# A person erased from a case (store/erasure.py): its earlier rows are redacted the same way.
ERASED_ACTION = "case.person_erased"


def _digest(
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    case_id: str | None,
    before: str | None,
    after: str | None,
) -> str:
    body = json.dumps([prev_hash, at, actor, action, case_id, before, after], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_LAST_HASH = "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1"
_COLUMNS = ("at", "actor", "action", "case_id", "before", "after", "prev_hash", "hash")
_INSERT = insert_sql("audit_log", _COLUMNS)


class AuditWriter:
    """Appends to the chain inside the caller's write transaction."""

    def __init__(self, conn: Connection, *, actor: str) -> None:
        self.conn = conn
        self.actor = actor
        with driver_cursor(conn) as cursor:
            last = cursor.execute(_LAST_HASH).fetchone()
        self.head: str = (last[0] if last else None) or GENESIS

    def append(
        self,
        *,
        at: datetime,
        action: str,
        case_id: str | None = None,
        before: Any = None,
        after: Any = None,
    ) -> None:
        self.append_many(at=at, action=action, changes=[(case_id, before, after)])

    def append_many(
        self, *, at: datetime, action: str, changes: list[tuple[str | None, Any, Any]]
    ) -> None:
        """One row per (case_id, before, after), chained in order, written in one statement."""
        stamp = to_db(at)
        rows = []
        for case_id, before, after in changes:
            row = {
                "at": stamp,
                "actor": self.actor,
                "action": action,
                "case_id": case_id,
                "before": _dump(before),
                "after": _dump(after),
                "prev_hash": self.head,
            }
            self.head = row["hash"] = _digest(
                self.head, stamp, self.actor, action, case_id, row["before"], row["after"]
            )
            rows.append(tuple(row[name] for name in _COLUMNS))
        if rows:
            with driver_cursor(self.conn) as cursor:
                cursor.executemany(_INSERT, rows)


@dataclass(frozen=True)
class AuditCheck:
    rows: int
    broken_at: int | None = None  # the seq of the first row that does not fit the chain
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    case_id: str | None


def redact_case(conn: Connection, case_id: str) -> list[int]:
    """Take the documents out of this case's rows (a removal follows, naming these seqs). The
    rows of earlier removals and erasures hold no documents, and name what they redacted: kept."""
    query = select(audit_log.c.seq).where(
        audit_log.c.case_id == case_id,
        audit_log.c.action.not_in([REMOVED_ACTION, ERASED_ACTION]),
        or_(audit_log.c.before.is_not(None), audit_log.c.after.is_not(None)),
        or_(audit_log.c.before.is_(None), audit_log.c.before != REDACTED),
    )
    seqs = [int(seq) for seq in conn.execute(query).scalars()]
    if seqs:
        conn.execute(
            update(audit_log)
            .where(audit_log.c.seq.in_(seqs))
            .values(before=REDACTED, after=REDACTED)
        )
    return seqs


def _redactions(conn: Connection) -> dict[int, str]:
    """seq -> case id of every row a removal row says it redacted."""
    named: dict[int, str] = {}
    query = select(audit_log.c.case_id, audit_log.c.after).where(
        audit_log.c.action.in_([REMOVED_ACTION, ERASED_ACTION])
    )
    for case_id, after in conn.execute(query):
        try:
            seqs = json.loads(after).get("redacted", []) if after else []
        except (ValueError, AttributeError):
            continue
        for seq in seqs if isinstance(seqs, list) else []:
            if isinstance(seq, int):
                named[seq] = case_id
    return named


def verify(conn: Connection) -> AuditCheck:
    prev = GENESIS
    count = 0
    redacted = _redactions(conn)
    for row in conn.execute(select(audit_log).order_by(audit_log.c.seq)).mappings():
        count += 1
        if row["prev_hash"] != prev:
            return AuditCheck(
                count,
                row["seq"],
                "it does not follow the row before it (a row was removed or inserted)",
            )
        if (
            row["before"] == REDACTED
            and row["after"] == REDACTED
            and redacted.get(row["seq"]) == row["case_id"]
        ):
            prev = row["hash"]  # its documents were taken out when the case was removed
            continue
        expected = _digest(
            prev,
            row["at"],
            row["actor"],
            row["action"],
            row["case_id"],
            row["before"],
            row["after"],
        )
        if row["hash"] != expected:
            return AuditCheck(count, row["seq"], "its content was changed after it was written")
        prev = row["hash"]
    return AuditCheck(count)


def entries_for_case(conn: Connection, case_id: str) -> list[AuditEntry]:
    """The history of one case without the before/after bodies (for screens and summaries)."""
    query = (
        select(
            audit_log.c.seq,
            audit_log.c.at,
            audit_log.c.actor,
            audit_log.c.action,
            audit_log.c.case_id,
        )
        .where(audit_log.c.case_id == case_id)
        .order_by(audit_log.c.seq)
    )
    return [AuditEntry(*row) for row in conn.execute(query)]

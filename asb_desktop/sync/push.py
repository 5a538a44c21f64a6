"""Pushing the outbox: choose and freeze a batch, then record the server's answers.

An op is frozen (its exact body stored in `sync_inflight`) before it is first sent, and stays
frozen until an answer for it is committed locally. Until then its case sends nothing newer, and
every retry sends the same op id with the same body, so a lost answer never becomes a second
change or a false conflict with ourselves. Each op carries the whole case, so the newest pending
op of a case covers the older ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from asb_desktop.domain.document import COMPUTED_KEYS, without_computed
from asb_desktop.store.acknowledged import Acknowledged, only_named, store_acknowledged
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.cases import (
    ServerCopy,
    server_revisions,
    set_server_revisions,
    store_server_copies,
)
from asb_desktop.store.database import Store
from asb_desktop.store.sync_state import (
    FAILED,
    PENDING,
    SENT,
    InflightOp,
    all_inflight,
    base_ops,
    chosen_conflicts,
    drop_conflicts,
    freeze,
    latest_pending,
    set_bases,
    settle_ops,
    thaw,
    upsert_conflicts,
)
from asb_desktop.store.tables import cases, outbox
from asb_desktop.sync import protocol as p

MAX_BATCH_BYTES = 3 * 1024 * 1024  # under the server's 4 MiB body limit, with room to spare
NOT_COMPARED = COMPUTED_KEYS | {"recorded_by"}


@dataclass
class PushTally:
    sent: int = 0
    references: int = 0
    refused: int = 0
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)
    # The change numbers of the cases these answers created centrally, as this laptop now holds
    # them (see `created_centrally`): a pull after this push need not bring them back.
    created: list[int] = field(default_factory=list)


def _outgoing(document: dict[str, Any]) -> dict[str, Any]:
    """A case recorded under the laptop's local account goes up as the enrolled user's: the
    server fills `recorded_by` in with the user the device belongs to."""
    recorded_by = document.get("recorded_by")
    if recorded_by is None or str(recorded_by).startswith("local:"):
        return {**document, "recorded_by": None}
    return document


def _size(text: str) -> int:
    """Bytes this op takes in the request (UTF-8, with its comma)."""
    return len(text.encode()) + 1


def next_batch(
    store: Store, *, size: int, now: datetime, skip: set[str] | None = None
) -> list[InflightOp]:
    """Ops already sent and unanswered first (same id, same body), then new ones, frozen.
    Cases in `skip` (a request for them is on its way now) are left out."""
    with store.write() as conn:
        return choose_batch(conn, size=size, now=now, skip=skip)


def choose_batch(
    conn: Connection, *, size: int, now: datetime, skip: set[str] | None = None
) -> list[InflightOp]:
    """`next_batch` in the caller's write transaction: the batch may be sent once it commits.
    Each op's body is encoded once, as compact JSON: that text is measured, frozen and sent."""
    batch = all_inflight(conn, size, skip=skip)
    room = size - len(batch)
    used = sum(_size(op.encoded()) for op in batch)
    fresh: list[InflightOp] = []
    if room > 0:
        queued = latest_pending(conn, room, skip=skip)
        revisions = server_revisions(conn, [q.case_id for q in queued])
        bases = base_ops(conn, [q.case_id for q in queued])
        settled = chosen_conflicts(conn, [q.case_id for q in queued])
        for q in queued:
            base_op = bases.get(q.case_id)
            body = {
                "op_id": q.op_id,
                "case_id": q.case_id,
                "base_revision": None if base_op else revisions.get(q.case_id),
                "base_op_id": base_op,
                "document": _outgoing(json.loads(q.payload)),
                "resolves": settled.get(q.case_id, []),
            }
            text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            used += _size(text)
            if (batch or fresh) and used > MAX_BATCH_BYTES:
                break
            fresh.append(InflightOp(q.op_id, q.seq, q.case_id, body, text))
        freeze(conn, fresh, now)
    return batch + fresh


def created_centrally(op: InflightOp, result: p.OpResult) -> int | None:
    """The change number of a case this op created on the central store, or None. The op had no
    base (the laptop had never had the case from the server) and the answer is the case's first
    revision: the case's row there, at that number, is the answer, which is stored here. (A case
    changed since has a newer number, which a pull brings; a case's first revision has no
    conflicts, which only a merge makes, at a revision after it.)"""
    if (
        result.status == "applied"
        and result.revision == 1
        and result.change_number is not None
        and op.body.get("base_revision") is None
        and op.body.get("base_op_id") is None
    ):
        return result.change_number
    return None


def _facts(document: dict[str, Any] | None) -> dict[str, Any]:
    facts = without_computed(document or {})
    return {k: v for k, v in facts.items() if k not in NOT_COMPARED}


def _newer_local(conn: Connection, batch: list[InflightOp]) -> set[str]:
    """Cases edited again on this laptop after the op being answered was frozen."""
    newest = dict(
        conn.execute(
            select(outbox.c.case_id, func.max(outbox.c.seq))
            .where(outbox.c.case_id.in_([op.case_id for op in batch]))
            .where(outbox.c.state == PENDING)
            .group_by(outbox.c.case_id)
        ).all()
    )
    return {op.case_id for op in batch if newest.get(op.case_id, 0) > op.outbox_seq}


def _local_rows(conn: Connection, ids: list[str]) -> dict[str, tuple[str, int | None]]:
    """Per case: its stored document (text) and its search entry's key."""
    query = select(cases.c.id, cases.c.document, cases.c.search_key).where(cases.c.id.in_(ids))
    return {row.id: (row.document, row.search_key) for row in conn.execute(query)}


def conflict_rows(conflicts: list[p.FieldConflict]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "case_id": str(c.case_id),
            "field": c.field,
            "server_value": json.dumps(c.server_value, ensure_ascii=False),
            "device_value": json.dumps(c.device_value, ensure_ascii=False),
            "op_id": str(c.op_id),
            "user_id": c.user_id,
            "at": c.at,
            "device_id": c.device_id,
            "user_name": c.user_name,
            "device_name": c.device_name,
            "server_user_id": c.server_user_id,
            "server_user_name": c.server_user_name,
            "server_device_id": c.server_device_id,
            "server_device_name": c.server_device_name,
            "may_settle": int(c.may_settle),
        }
        for c in conflicts
        if not c.resolved
    ]


def record_answers(
    store: Store,
    batch: list[InflightOp],
    results: list[p.OpResult],
    *,
    actor: str,
    now: datetime,
) -> PushTally:
    """Commit the server's answers: ops sent or refused, cases updated, conflicts kept."""
    with store.write() as conn:
        return record_in(conn, batch, results, actor=actor, now=now)


def record_in(
    conn: Connection,
    batch: list[InflightOp],
    results: list[p.OpResult],
    *,
    actor: str,
    now: datetime,
) -> PushTally:
    """`record_answers` in the caller's write transaction."""
    tally = PushTally()
    answers = {str(r.op_id): r for r in results}
    answered = [op for op in batch if op.op_id in answers]
    if not answered:
        return tally
    newer = _newer_local(conn, answered)
    local = _local_rows(conn, [op.case_id for op in answered])
    copies: list[ServerCopy] = []
    named: list[Acknowledged] = []
    marks: list[tuple[str, str, int | None]] = []
    settled: list[tuple[str, int, str, str | None]] = []
    conflicts: list[dict[str, Any]] = []
    resolved: list[int] = []
    bases: dict[str, str | None] = {}
    for op in answered:
        result = answers[op.op_id]
        if result.status != "applied":
            reason = result.error.message if result.error else result.status
            settled.append((op.case_id, op.outbox_seq, FAILED, reason))
            tally.refused += 1
            continue
        assert result.reference is not None and result.revision is not None
        settled.append((op.case_id, op.outbox_seq, SENT, None))
        tally.sent += 1
        number = created_centrally(op, result)
        if number is not None:
            tally.created.append(number)
        text, search_key = local.get(op.case_id, (None, None))
        stored = json.loads(text) if text is not None else None
        if stored is not None and stored.get("reference") is None:
            tally.references += 1
        if op.case_id in newer:
            # Keep the newer local edits. They were made on what we sent: if the server's
            # merge is exactly that, the next op builds on this revision; else on this op,
            # so a value that lost a conflict here is not sent again as a change.
            same = _facts(result.document) == _facts(op.body["document"])
            marks.append((op.case_id, result.reference, result.revision))
            bases[op.case_id] = None if same else op.op_id
        else:
            bases[op.case_id] = None
            answer = result.document
            if answer is None or answer == stored:
                marks.append((op.case_id, result.reference, result.revision))
            elif (
                stored is not None
                and search_key is not None
                and only_named(stored, answer, result.reference)
            ):
                named.append(
                    Acknowledged(
                        op.case_id, search_key, stored, answer, result.reference, result.revision
                    )
                )
            else:
                copies.append(ServerCopy(answer, result.reference, result.revision))
        conflicts += conflict_rows(result.conflicts)
        resolved += op.body.get("resolves") or []
    settle_ops(conn, settled)
    thaw(conn, [op.op_id for op in answered])
    audit = AuditWriter(conn, actor=actor)
    store_acknowledged(conn, audit, named, now=now, action="case.synced")
    store_server_copies(conn, audit, copies, now=now, action="case.synced")
    set_server_revisions(conn, marks)
    set_bases(conn, bases)
    drop_conflicts(conn, resolved)
    upsert_conflicts(conn, conflicts)
    tally.conflicts = len(conflicts)
    return tally

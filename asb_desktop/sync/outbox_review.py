"""What the Sync page shows and what the officer can do there: changes waiting, changes refused
(and why), field conflicts to settle one field at a time, and retrying refused changes.

Settling a conflict stores a new version of the case (audited, queued) whose op lists the
conflicts it resolves, so the server closes them only when it has the officer's choice.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from asb_desktop.domain.document import case_from_document
from asb_desktop.services.casework import Casework
from asb_desktop.store import cases as case_table
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.sync_state import (
    FAILED,
    PENDING,
    StoredConflict,
    choose,
    list_conflicts,
    ops_in_state,
)
from asb_desktop.store.tables import cases, outbox

SERVER, DEVICE = "server", "device"


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    case_id: str
    label: str  # the reference, or "Local XXXX" before the case has one
    queued_at: datetime
    attempts: int
    reason: str | None


@dataclass(frozen=True)
class CaseConflicts:
    case_id: str
    label: str
    fields: list[StoredConflict]


@dataclass(frozen=True)
class SyncOverview:
    waiting: list[OutboxItem]
    failed: list[OutboxItem]
    conflicts: list[CaseConflicts]


def _label(reference: str | None, case_id: str) -> str:
    return reference or f"Local {case_id.split('-')[0].upper()}"


def overview(casework: Casework, *, limit: int = 500) -> SyncOverview:
    with casework.store.read() as conn:
        pending = ops_in_state(conn, [PENDING], limit=limit)
        failed = ops_in_state(conn, [FAILED], limit=limit)
        conflicts = list_conflicts(conn)
        ids = {op.case_id for op in pending + failed} | {c.case_id for c in conflicts}
        references = dict(
            conn.execute(
                select(cases.c.id, cases.c.reference).where(cases.c.id.in_(list(ids)))
            ).all()
        )
    newest: dict[str, OutboxItem] = {}
    for op in pending:  # one line per case: its newest change is the one that goes
        newest[op.case_id] = OutboxItem(
            op.seq, op.case_id, _label(references.get(op.case_id), op.case_id),
            op.created_at, op.attempts, op.last_error,
        )  # fmt: skip
    refused = [
        OutboxItem(
            o.seq,
            o.case_id,
            _label(references.get(o.case_id), o.case_id),
            o.created_at,
            o.attempts,
            o.last_error,
        )
        for o in failed
    ]
    grouped: dict[str, list[StoredConflict]] = {}
    for conflict in conflicts:
        if conflict.choice is None:
            grouped.setdefault(conflict.case_id, []).append(conflict)
    return SyncOverview(
        waiting=sorted(newest.values(), key=lambda item: item.seq),
        failed=refused,
        conflicts=[
            CaseConflicts(case_id, _label(references.get(case_id), case_id), fields)
            for case_id, fields in grouped.items()
        ],
    )


def _apply_choice(document: dict[str, Any], conflict: StoredConflict) -> None:
    """Put the laptop's value back into the field the conflict names: a top-level field, or
    one entry of a list by id (`incidents[<id>]`, and likewise for any list of entries)."""
    name = conflict.field
    if "[" in name and name.endswith("]"):
        list_name, entry_id = name[:-1].split("[", 1)
        entries = document.setdefault(list_name, [])
        for i, entry in enumerate(entries):
            if isinstance(entry, dict) and entry.get("id") == entry_id:
                entries[i] = conflict.device_value
                return
        entries.append(conflict.device_value)
        return
    document[name] = conflict.device_value


def resolve(casework: Casework, case_id: str, choices: dict[int, str]) -> None:
    """Keep the server's value or restore this laptop's, per conflicting field; queued for sync.

    Raises KeyError for a conflict not open on this case, ValueError for a choice not known."""
    with casework.store.read() as conn:
        open_conflicts = {c.id: c for c in list_conflicts(conn, case_id)}
        document = case_table.load_document(conn, case_id)
        reference = case_table.load_reference(conn, case_id)
    if document is None:
        raise KeyError(case_id)
    for conflict_id, choice in choices.items():
        if conflict_id not in open_conflicts:
            raise KeyError(conflict_id)
        if choice not in (SERVER, DEVICE):
            raise ValueError(f"choose {SERVER!r} or {DEVICE!r}, not {choice!r}")
    changed = copy.deepcopy(document)
    for conflict_id, choice in choices.items():
        if choice == DEVICE:
            _apply_choice(changed, open_conflicts[conflict_id])
    case = replace(case_from_document(changed), reference=reference)
    outcome = casework.preview(case)
    now = casework.clock()
    with casework.store.write() as conn:
        audit = AuditWriter(conn, actor=casework.actor)
        case_table.replace_case(
            conn, audit, case, outcome, now=now, action="case.conflict_resolved"
        )
        choose(conn, choices, now)


def retry_refused(casework: Casework, seqs: list[int]) -> int:
    """Send refused changes again (after the account or the case was put right), as new ops."""
    with casework.store.write() as conn:
        count = 0
        for seq in seqs:
            result = conn.execute(
                update(outbox)
                .where(outbox.c.seq == seq, outbox.c.state == FAILED)
                .values(state=PENDING, op_id=str(uuid.uuid4()), attempts=0, last_error=None)
            )
            count += int(result.rowcount)
        if count:
            AuditWriter(conn, actor=casework.actor).append(
                at=casework.clock(), action="sync.retry_refused", after={"changes": count}
            )
    return count


def value_in_words(value: Any) -> str:
    """A field's value for the side-by-side view: text as is, yes/no, entries one per line."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list):
        return "\n".join(value_in_words(item) for item in value)
    if isinstance(value, dict):
        parts = [f"{k.replace('_', ' ')}: {value_in_words(v)}" for k, v in value.items() if v]
        return "; ".join(parts) or "(empty)"
    return json.dumps(value, ensure_ascii=False)

"""What the Sync page shows and what the officer can do there: changes waiting, changes refused
(and why), field conflicts to settle one field at a time, retrying refused changes, and giving
up a refused change of a case that must leave this laptop (which lets it go).

Settling a conflict stores a new version of the case (audited, queued) whose op lists the
conflicts it resolves, so the server closes them only when it has the officer's choice.

Each value of a conflict says who set it and on which device (the central store's names for its
users and devices; "you" and "this laptop" only for this officer and this laptop), and the choice
is offered only to whoever the central store says may make it (asb_central.access.may_settle).
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from asb_desktop.domain.directory import Directory
from asb_desktop.domain.document import case_from_document
from asb_desktop.services.casework import Casework
from asb_desktop.store import cases as case_table
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.purge import (
    CLOSED,
    checkpoint_log,
    closed_before,
    closed_cutoff,
    remove_cases,
    save_removals,
    waiting_removals,
    with_unsent,
)
from asb_desktop.store.sync_state import (
    FAILED,
    PENDING,
    StoredConflict,
    choose,
    list_conflicts,
    ops_in_state,
)
from asb_desktop.store.tables import cases, outbox
from asb_desktop.sync.enrolment import ServerSettings, load_settings

SERVER, DEVICE = "server", "device"
GIVEN_UP_ACTION = "sync.change_given_up"


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    case_id: str
    label: str  # the reference, or "Local XXXX" before the case has one
    queued_at: datetime
    attempts: int
    reason: str | None
    leaving: str | None = None  # why the case must leave this laptop (purge reasons), if it must


@dataclass(frozen=True)
class ValueSource:
    """Who set one value of a conflict and on which device, as the Sync page says it."""

    person: str  # "You", "Hugo Bell", or "Someone (not known)"
    device: str  # "this laptop", "LAPTOP-7", "the central store", "a device not known"
    yours: bool  # set by the officer signed in to this laptop
    this_laptop: bool

    def words(self) -> str:
        """Who, where: `Set by you, on this laptop`, `Set by Hugo Bell, on LAPTOP-7`."""
        who = "you" if self.yours else self.person
        return f"Set by {who}, on {self.device}"

    def owner(self) -> str:
        """Whose value, for a choice: "yours (this laptop)", "Hugo Bell's (LAPTOP-7)"."""
        if self.yours:
            return "yours (this laptop)" if self.this_laptop else f"yours (from {self.device})"
        return f"{self.person}'s ({self.device})"


@dataclass(frozen=True)
class FieldChoice:
    """One conflicting field: the value the central store kept and the other one, each with
    who set it; `may_settle` says whether this officer may choose."""

    conflict: StoredConflict
    kept: ValueSource
    other: ValueSource

    @property
    def may_settle(self) -> bool:
        return self.conflict.may_settle


@dataclass(frozen=True)
class CaseConflicts:
    case_id: str
    label: str
    fields: list[StoredConflict]
    choices: list[FieldChoice] = field(default_factory=list)
    who_settles: str = ""  # who may choose, in words, for a case this officer may not settle

    @property
    def may_settle(self) -> bool:
        return all(c.may_settle for c in self.choices)


@dataclass(frozen=True)
class SyncOverview:
    waiting: list[OutboxItem]
    failed: list[OutboxItem]
    conflicts: list[CaseConflicts]


def _label(reference: str | None, case_id: str) -> str:
    return reference or f"Local {case_id.split('-')[0].upper()}"


@dataclass(frozen=True)
class _Me:
    user_id: str | None
    device_id: str | None


def _person(user_id: str | None, name: str | None, directory: Directory) -> str:
    if name:
        return name
    member = directory.member(user_id) if user_id else None
    if member is not None:
        return member.name
    return f"Someone ({user_id})" if user_id else "Someone (not known)"


def _source(
    me: _Me,
    user_id: str | None,
    user_name: str | None,
    device_id: str | None,
    device_name: str | None,
    directory: Directory,
) -> ValueSource:
    this_laptop = device_id is not None and device_id == me.device_id
    if this_laptop:
        device = "this laptop"
    elif device_name:
        device = device_name
    else:
        device = "a device not known"
    return ValueSource(
        person=_person(user_id, user_name, directory),
        device=device,
        yours=user_id is not None and user_id == me.user_id,
        this_laptop=this_laptop,
    )


def field_choice(conflict: StoredConflict, me: _Me, directory: Directory) -> FieldChoice:
    kept = _source(
        me, conflict.server_user_id, conflict.server_user_name, conflict.server_device_id,
        conflict.server_device_name, directory,
    )  # fmt: skip
    other = _source(
        me, conflict.user_id, conflict.user_name, conflict.device_id, conflict.device_name,
        directory,
    )  # fmt: skip
    return FieldChoice(conflict, kept, other)


def who_settles(document: dict[str, Any] | None) -> str:
    """Who may choose, in words (access.may_settle on the central store)."""
    officer = (document or {}).get("assigned_to_name") or (document or {}).get("assigned_to")
    first = f"{officer}, the case's officer," if officer else "whoever recorded the case"
    return f"Only {first} or a team leader or manager for its estate can choose."


def _me(store_settings: ServerSettings | None) -> _Me:
    if store_settings is None:
        return _Me(None, None)
    return _Me(store_settings.user.id, store_settings.device_id)


def must_leave(conn: Connection, casework: Casework) -> dict[str, str]:
    """The cases this laptop may no longer hold, kept only for their unsent changes: named by
    the central store, or closed longer ago than the organisation's period ({id: reason})."""
    days = casework.policy().closed_days_on_laptop
    due = dict.fromkeys(closed_before(conn, closed_cutoff(casework.clock(), days)), CLOSED)
    due.update(waiting_removals(conn))
    return due


def overview(casework: Casework, *, limit: int = 500) -> SyncOverview:
    me = _me(load_settings(casework.store))
    directory = casework.directory()
    with casework.store.read() as conn:
        leaving = must_leave(conn, casework)
        pending = ops_in_state(conn, [PENDING], limit=limit)
        failed = ops_in_state(conn, [FAILED], limit=limit)
        conflicts = list_conflicts(conn)
        ids = {op.case_id for op in pending + failed} | {c.case_id for c in conflicts}
        references = dict(
            conn.execute(
                select(cases.c.id, cases.c.reference).where(cases.c.id.in_(list(ids)))
            ).all()
        )
        unsettled = {c.case_id for c in conflicts if c.choice is None and not c.may_settle}
        documents = {case_id: case_table.load_document(conn, case_id) for case_id in unsettled}
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
            leaving.get(o.case_id),
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
            CaseConflicts(
                case_id,
                _label(references.get(case_id), case_id),
                fields,
                [field_choice(c, me, directory) for c in fields],
                who_settles(documents[case_id]) if case_id in documents else "",
            )
            for case_id, fields in grouped.items()
        ],
    )


def _apply_choice(document: dict[str, Any], conflict: StoredConflict) -> None:
    """Put the laptop's value back into the field the conflict names: a top-level field, or
    one entry of a list by id (`incidents[<id>]`, and likewise for any list of entries)."""
    name = conflict.field
    entry_id = None
    if "[" in name and name.endswith("]"):
        name, entry_id = name[:-1].split("[", 1)
    *parents, key = name.split(".")  # a part of an object: `action_plan.actions[<id>]`
    holder = document
    for part in parents:
        if not isinstance(holder.get(part), dict):
            holder[part] = {}
        holder = holder[part]
    if entry_id is None:
        holder[key] = conflict.device_value
        return
    entries = holder.get(key)
    if not isinstance(entries, list):
        entries = holder[key] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            entries[i] = conflict.device_value
            return
    entries.append(conflict.device_value)


class NotYoursToSettle(ValueError):
    """This officer may not choose between the values (the central store would refuse it)."""


def resolve(casework: Casework, case_id: str, choices: dict[int, str]) -> None:
    """Keep the value the central store kept (SERVER) or the other one (DEVICE: the value that
    op sent, whichever laptop it came from), per conflicting field; queued for sync.

    Raises KeyError for a conflict not open on this case, ValueError for a choice not known,
    NotYoursToSettle for a conflict this officer may not settle."""
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
        if not open_conflicts[conflict_id].may_settle:
            raise NotYoursToSettle(who_settles(document))
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


@dataclass(frozen=True)
class GivenUp:
    changes: int  # refused changes given up
    removed: int  # cases that could then leave this laptop, and did


def give_up_refused(casework: Casework, seqs: list[int]) -> GivenUp:
    """The officer gives up refused changes of cases that must leave this laptop: the changes
    are dropped (audited: which case, which change, who; no content) and each case with nothing
    else unsent is removed at once, bytes and all (store/purge.py), the log then checkpointed.
    A refused change of a case that may stay is left alone (send it again once put right)."""
    now = casework.clock()
    with casework.store.write() as conn:
        leaving = must_leave(conn, casework)
        rows = [
            row
            for row in conn.execute(
                select(outbox.c.seq, outbox.c.case_id).where(
                    outbox.c.seq.in_(seqs), outbox.c.state == FAILED
                )
            )
            if row.case_id in leaving
        ]
        if not rows:
            return GivenUp(0, 0)
        conn.execute(delete(outbox).where(outbox.c.seq.in_([row.seq for row in rows])))
        cases_of = {row.case_id for row in rows}
        still = with_unsent(conn, cases_of)
        audit = AuditWriter(conn, actor=casework.actor)
        ready = {k: leaving[k] for k in cases_of if k not in still}
        removed = remove_cases(conn, audit, ready, now=now)
        named = waiting_removals(conn)
        if any(k in named for k in removed):
            save_removals(conn, {k: v for k, v in named.items() if k not in removed})
        audit.append_many(
            at=now,
            action=GIVEN_UP_ACTION,
            changes=[(row.case_id, None, {"change": row.seq}) for row in rows],
        )
    if removed:
        checkpoint_log(casework.store)
    return GivenUp(len(rows), len(removed))


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

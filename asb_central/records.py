"""Small shared pieces of the sync service: JSON text, case rows, conflicts, the read log, and the
directory/calendar the computed fields are worked out with."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import Connection, delete, select, text

from asb_central import people
from asb_central.access import Caller, CaseFacts, may_settle
from asb_central.db import insert_rows, utcnow
from asb_central.tables import case_audit, case_conflicts, case_reads, device_cases
from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import Case
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.document import case_to_document, without_computed
from asb_desktop.domain.procedure import Assignment, AssignmentRule, Outcome
from asb_desktop.sync.protocol import CaseState, FieldConflict


class Refused(Exception):
    """A request the caller may not make (403) or that names nothing (404)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def dumps(value: Any) -> str:
    """Compact JSON in the document's own key order (the contract's order): orjson's text, the
    same as the standard library's (`separators`, `ensure_ascii=False`) for what documents hold,
    at a third of the time; the standard library for what orjson refuses (an integer beyond
    64 bits, a key that is not a string)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def strip_computed(document: Mapping[str, Any]) -> dict[str, Any]:
    return without_computed(document)


def facts_of(case: Case) -> dict[str, Any]:
    """The recorded facts in normal form: the document minus the computed keys."""
    placeholder = Outcome(Assignment(AssignmentRule.UNASSIGNED, None), case.received_at, None)
    return strip_computed(case_to_document(case, placeholder))


def case_facts(row: Mapping[Any, Any]) -> CaseFacts:
    return CaseFacts(
        assigned_to=row["assigned_to"],
        recorded_by=row["recorded_by"],
        estate=row["estate"],
        supported_scheme=row["supported_scheme"],
        involves_employee=bool(row["involves_employee"]),
    )


ADMIN_DEVICE = "central"  # the device and user of changes the administrator's commands make
ADMIN_USER = "asb-central-admin"


def conflict_of(row: Mapping[Any, Any]) -> FieldConflict:
    """A stored conflict as the wire has it, without names or the caller's right to settle it
    (`describe_conflicts` adds those)."""
    return FieldConflict(
        id=row["id"],
        case_id=UUID(row["case_id"]),
        field=row["field"],
        server_value=json.loads(row["server_value"]),
        device_value=json.loads(row["device_value"]),
        op_id=UUID(row["op_id"]),
        user_id=row["user_id"],
        at=iso(row["at"]),
        resolved=row["resolved_at"] is not None,
        device_id=row.get("device_id"),
        server_user_id=row.get("server_user_id"),
        server_device_id=row.get("server_device_id"),
    )


def describe_conflicts(
    conn: Connection,
    caller: Caller,
    conflicts: list[FieldConflict],
    facts: Mapping[str, CaseFacts],
) -> list[FieldConflict]:
    """Conflicts with the names of who set each value and on which device (the central users
    and devices, as they are now), and whether `caller` may choose between them."""
    if not conflicts:
        return conflicts
    users, kit = people.names(
        conn,
        {c.user_id for c in conflicts} | {c.server_user_id or "" for c in conflicts},
        {c.device_id or "" for c in conflicts} | {c.server_device_id or "" for c in conflicts},
    )
    users[ADMIN_USER], kit[ADMIN_DEVICE] = "the administrator", "the central store"
    out = []
    for c in conflicts:
        case = facts.get(str(c.case_id))
        out.append(
            c.model_copy(
                update={
                    "user_name": users.get(c.user_id),
                    "device_name": kit.get(c.device_id or ""),
                    "server_user_name": users.get(c.server_user_id or ""),
                    "server_device_name": kit.get(c.server_device_id or ""),
                    "may_settle": case is not None and may_settle(caller, case),
                }
            )
        )
    return out


def _value_in(document: Mapping[str, Any], field: str) -> Any:
    """A conflict's field in a document: a top-level key, or one entry of a list by id."""
    if "[" in field and field.endswith("]"):
        name, entry_id = field[:-1].split("[", 1)
        for entry in _value_in(document, name) or []:
            if isinstance(entry, dict) and entry.get("id") == entry_id:
                return entry
        return None
    if "." in field:  # a part of an object: `action_plan.agreed_at`, `action_plan.actions`
        parent, key = field.split(".", 1)
        inner = document.get(parent)
        return _value_in(inner, key) if isinstance(inner, Mapping) else None
    return document.get(field)


def who_set(
    conn: Connection, case_id: str, field: str, value: Any, revision: int
) -> tuple[str, str] | None:
    """(user, device) that gave `field` the `value` it has at `revision`: the author of the
    earliest revision, going back from `revision`, from which the field has held that value
    (the case's audit keeps each revision's document). None if the audit cannot tell."""
    found: tuple[str, str] | None = None
    page_size, offset = 16, 0
    while True:
        page = conn.execute(
            select(case_audit.c.user_id, case_audit.c.device_id, case_audit.c.document)
            .where(case_audit.c.case_id == case_id, case_audit.c.revision <= revision)
            .order_by(case_audit.c.revision.desc())
            .limit(page_size)
            .offset(offset)
        ).all()
        for entry in page:
            if _value_in(json.loads(entry.document), field) != value:
                return found
            found = (entry.user_id, entry.device_id)
        if len(page) < page_size:
            return found
        offset += page_size


def open_conflicts(
    conn: Connection, caller: Caller, rows: Sequence[Mapping[Any, Any]]
) -> dict[str, list[FieldConflict]]:
    """The open conflicts of these case rows, described for `caller`, by case id."""
    found: dict[str, list[FieldConflict]] = {}
    if not rows:
        return found
    facts = {row["id"]: case_facts(row) for row in rows}
    query = (
        select(case_conflicts)
        .where(case_conflicts.c.case_id.in_(list(facts)), case_conflicts.c.resolved_at.is_(None))
        .order_by(case_conflicts.c.id)
    )
    listed = [conflict_of(row) for row in conn.execute(query).mappings()]
    for conflict in describe_conflicts(conn, caller, listed, facts):
        found.setdefault(str(conflict.case_id), []).append(conflict)
    return found


def case_state(row: Mapping[Any, Any], conflicts: dict[str, list[FieldConflict]]) -> CaseState:
    return CaseState(
        case_id=UUID(row["id"]),
        reference=row["reference"],
        revision=row["revision"],
        change_number=row["change_number"],
        document=json.loads(row["document"]),
        conflicts=conflicts.get(row["id"], []),
    )


def log_reads(
    conn: Connection, caller: Caller, case_ids: list[str], via: str, *, refused: bool = False
) -> None:
    """Every case served to a device is logged centrally: who, from which device, when, how;
    and so is every attempt the access rules refused (`refused`)."""
    if case_ids:
        now = utcnow()
        who = {"user_id": caller.user_id, "device_id": caller.device_id, "at": now, "via": via,
               "refused": refused}  # fmt: skip
        insert_rows(conn, case_reads, [{"case_id": c, **who} for c in case_ids])
        if not refused:
            note_held(conn, caller.device_id, case_ids)


_HELD_AGAIN = text(
    "INSERT INTO device_cases (device_id, case_id, told) "
    "SELECT :device, unnest(CAST(:cases AS varchar[])), NULL "
    "ON CONFLICT (device_id, case_id) DO UPDATE SET told = NULL "
    "WHERE device_cases.told IS NOT NULL"
)


def note_held(conn: Connection, device_id: str, case_ids: list[str]) -> None:
    """The device now holds these cases (and has not been told they are gone). On PostgreSQL
    one statement, a lookup in the key per case (a DELETE naming the cases read every row the
    device holds, filtered by the list: a push's cost grew with all the device had)."""
    held = sorted(set(case_ids))
    if conn.dialect.name == "postgresql":
        if held:
            conn.execute(_HELD_AGAIN, {"device": device_id, "cases": held})
        return
    for start in range(0, len(held), 500):
        chunk = held[start : start + 500]
        conn.execute(
            delete(device_cases).where(
                device_cases.c.device_id == device_id, device_cases.c.case_id.in_(chunk)
            )
        )
        insert_rows(
            conn,
            device_cases,
            [{"device_id": device_id, "case_id": c, "told": None} for c in chunk],
        )


_rules_cache: dict[tuple[int, str], tuple[Directory, WorkingDayCalendar]] = {}
_rules_lock = threading.Lock()


def central_rules(conn: Connection) -> tuple[Directory, WorkingDayCalendar]:
    """The directory and calendar to evaluate cases with, cached per directory version."""
    key = (int(people.get_setting(conn, "directory_version")), people.get_setting(conn, "nation"))
    with _rules_lock:
        found = _rules_cache.get(key)
    if found is None:
        found = (people.load_directory(conn), WorkingDayCalendar(people.nation(conn)))
        with _rules_lock:
            _rules_cache.clear()
            _rules_cache[key] = found
    return found

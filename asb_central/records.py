"""Small shared pieces of the sync service: JSON text, case rows, conflicts, the read log, and the
directory/calendar the computed fields are worked out with."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, insert, select

from asb_central import people
from asb_central.access import Caller, CaseFacts
from asb_central.db import utcnow
from asb_central.tables import case_conflicts, case_reads
from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import Case
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.document import COMPUTED_KEYS, case_to_document
from asb_desktop.domain.procedure import Assignment, AssignmentRule, Outcome
from asb_desktop.sync.protocol import CaseState, FieldConflict


class Refused(Exception):
    """A request the caller may not make (403) or that names nothing (404)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def dumps(value: Any) -> str:
    """Compact JSON in the document's own key order (the contract's order)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def strip_computed(document: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in COMPUTED_KEYS}


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


def conflict_of(row: Mapping[Any, Any]) -> FieldConflict:
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
    )


def open_conflicts(conn: Connection, case_ids: list[str]) -> dict[str, list[FieldConflict]]:
    found: dict[str, list[FieldConflict]] = {}
    if not case_ids:
        return found
    query = (
        select(case_conflicts)
        .where(case_conflicts.c.case_id.in_(case_ids), case_conflicts.c.resolved_at.is_(None))
        .order_by(case_conflicts.c.id)
    )
    for row in conn.execute(query).mappings():
        found.setdefault(row["case_id"], []).append(conflict_of(row))
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


def log_reads(conn: Connection, caller: Caller, case_ids: list[str], via: str) -> None:
    """Every case served to a device is logged centrally: who, from which device, when, how."""
    if case_ids:
        now = utcnow()
        who = {"user_id": caller.user_id, "device_id": caller.device_id, "at": now, "via": via}
        conn.execute(insert(case_reads), [{"case_id": c, **who} for c in case_ids])


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

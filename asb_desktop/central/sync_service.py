"""Push and pull: storing each op once, merging, numbering, recomputing, and serving changes.

A push is one transaction. It first takes the writers' lock (`Database.lock_changes`), so ops
from concurrent batches are applied one batch at a time and change numbers commit in order:
a pull that has seen change N has seen every change up to N. Inside the batch, each op:

1. is looked up by `op_id`: a repeat with the same body (and user) gets the stored first answer;
   a different body, or another user's op, gets `op_id_reused` (409);
2. is checked (document valid, `document.id` = `case_id`, incidents carry ids, access);
3. creates the case — permanent reference `ASB-YYYY-NNNNNN`, where YYYY is the year of the
   case's `received_at` in Europe/London and NNNNNN a per-year counter bumped with an atomic
   upsert inside the same transaction (so no gaps, no duplicates) — or merges into it
   (see merge.py), recording conflicts;
4. has the contract's computed fields recomputed against the central directory and nation;
5. is appended to the audit and stored in `ops` (INSERT … ON CONFLICT DO NOTHING on op_id).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, insert, select, update

from asb_desktop.central import people
from asb_desktop.central.access import Caller, CaseFacts, may_see, visible_clause
from asb_desktop.central.db import Database, utcnow
from asb_desktop.central.merge import merge
from asb_desktop.central.schema import (
    case_audit,
    case_conflicts,
    case_reads,
    cases,
    counters,
    ops,
    reference_counters,
)
from asb_desktop.domain.calendar import LONDON, WorkingDayCalendar
from asb_desktop.domain.case import Case
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.document import COMPUTED_KEYS, case_from_document, case_to_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import Assignment, AssignmentRule, Outcome, evaluate
from asb_desktop.sync.protocol import (
    CaseOp,
    CaseState,
    ChangesResponse,
    ErrorDetail,
    FieldConflict,
    OpResult,
    check_json_value,
    op_body_hash,
)


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


def facts_of(case: Case) -> dict[str, Any]:
    """The recorded facts in normal form: the document minus the computed keys."""
    placeholder = Outcome(Assignment(AssignmentRule.UNASSIGNED, None), case.received_at, None)
    document = case_to_document(case, placeholder)
    return {k: v for k, v in document.items() if k not in COMPUTED_KEYS}


def _strip(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in COMPUTED_KEYS}


_directory_cache: dict[tuple[int, str], tuple[Directory, WorkingDayCalendar]] = {}
_cache_lock = threading.Lock()


def central_rules(conn: Connection) -> tuple[Directory, WorkingDayCalendar]:
    """The directory and calendar to evaluate cases with, cached per directory version."""
    key = (int(people.get_setting(conn, "directory_version")), people.get_setting(conn, "nation"))
    with _cache_lock:
        found = _directory_cache.get(key)
    if found is None:
        found = (people.load_directory(conn), WorkingDayCalendar(people.nation(conn)))
        with _cache_lock:
            _directory_cache.clear()
            _directory_cache[key] = found
    return found


@dataclass
class _Prepared:
    op: CaseOp
    body_hash: str
    case: Case | None = None
    error: ErrorDetail | None = None


def _prepare(op: CaseOp) -> _Prepared:
    """Everything that needs no database: done before the writers' lock is taken."""
    try:
        check_json_value(op.document)
    except ValueError as exc:
        field = str(exc).split(":", 1)[0].removesuffix(" (a key)")
        return _Prepared(op=op, body_hash="", error=ErrorDetail(message=str(exc), field=field))
    prepared = _Prepared(op=op, body_hash=op_body_hash(op))
    try:
        document = op.document
        for i, incident in enumerate(document.get("incidents") or []):
            if isinstance(incident, dict) and not incident.get("id"):
                raise InputError(f"incidents[{i}].id", "is required when syncing")
        prepared.case = case_from_document(document)
        if prepared.case.id != str(op.case_id):
            raise InputError("id", "must equal the op's case_id")
    except InputError as exc:
        prepared.error = ErrorDetail(message=f"document.{exc}", field=f"document.{exc.field}")
    return prepared


def _facts_row(row: Any) -> CaseFacts:
    return CaseFacts(
        assigned_to=row.assigned_to,
        recorded_by=row.recorded_by,
        estate=row.estate,
        supported_scheme=row.supported_scheme,
        involves_employee=bool(row.involves_employee),
    )


def _conflict(row: Any) -> FieldConflict:
    return FieldConflict(
        id=row.id,
        case_id=UUID(row.case_id),
        field=row.field,
        server_value=json.loads(row.server_value),
        device_value=json.loads(row.device_value),
        op_id=UUID(row.op_id),
        user_id=row.user_id,
        at=iso(row.at),
        resolved=row.resolved_at is not None,
    )


class _Batch:
    """One push transaction: the writers' lock is held for its whole life."""

    def __init__(self, db: Database, conn: Connection, caller: Caller) -> None:
        self.db, self.conn, self.caller = db, conn, caller
        self.now = utcnow()
        self.first_change = self.last_change = db.lock_changes(conn)
        self.directory, self.calendar = central_rules(conn)
        self.rows: dict[str, Any] = {}
        self.stored: dict[str, tuple[str, str, str]] = {}
        self.read_cases: list[str] = []

    def load_ops(self, op_ids: list[str]) -> None:
        query = select(ops.c.op_id, ops.c.user_id, ops.c.body_hash, ops.c.result)
        for row in self.conn.execute(query.where(ops.c.op_id.in_(op_ids))):
            self.stored[row.op_id] = (row.user_id, row.body_hash, row.result)

    def handle(self, p: _Prepared) -> OpResult:
        op_id, case_id = str(p.op.op_id), str(p.op.case_id)
        done = {"op_id": p.op.op_id, "case_id": p.op.case_id}
        prior = self.stored.get(op_id)
        if prior is not None:
            user_id, body_hash, result = prior
            if user_id == self.caller.user_id and body_hash == p.body_hash:
                return OpResult.model_validate_json(result)
            message = "this op_id was already used for a different change"
            error = ErrorDetail(message=message, field="op_id")
            return OpResult(**done, status="op_id_reused", code=409, error=error)
        if p.error is not None:
            return OpResult(**done, status="invalid", code=422, error=p.error)
        assert p.case is not None
        row = self._case_row(case_id)
        try:
            result = self._create(p, p.case) if row is None else self._update(p, p.case, row)
        except InputError as exc:
            error = ErrorDetail(message=str(exc), field=exc.field)
            return OpResult(**done, status="invalid", code=422, error=error)
        except Refused as exc:
            error = ErrorDetail(message=exc.message, field=None)
            return OpResult(**done, status="forbidden", code=403, error=error)
        text = result.model_dump_json()
        stored = self.conn.execute(
            self.db.insert(ops)
            .values(
                op_id=op_id,
                case_id=case_id,
                device_id=self.caller.device_id,
                user_id=self.caller.user_id,
                body_hash=p.body_hash,
                result=text,
                received_at=self.now,
            )
            .on_conflict_do_nothing(index_elements=["op_id"])
            .returning(ops.c.op_id)
        ).first()
        if stored is None:  # impossible under the writers' lock; never answer twice
            raise RuntimeError("op stored concurrently")
        self.stored[op_id] = (self.caller.user_id, p.body_hash, text)
        self.read_cases.append(case_id)
        return result

    def _case_row(self, case_id: str) -> Any:
        if case_id not in self.rows:
            self.rows[case_id] = self.conn.execute(
                select(cases).where(cases.c.id == case_id)
            ).first()
        return self.rows[case_id]

    def _next_reference(self, year: int) -> str:
        upsert = self.db.insert(reference_counters).values(year=year, last=1)
        upsert = upsert.on_conflict_do_update(
            index_elements=["year"], set_={"last": reference_counters.c.last + 1}
        ).returning(reference_counters.c.last)
        number = int(self.conn.execute(upsert).scalar_one())
        return f"ASB-{year:04d}-{number:06d}"

    def _evaluate(self, case: Case) -> dict[str, Any]:
        return case_to_document(case, evaluate(case, self.directory, self.calendar))

    def _create(self, p: _Prepared, case: Case) -> OpResult:
        if case.recorded_by is None:
            case = replace(case, recorded_by=self.caller.user_id)
        elif case.recorded_by != self.caller.user_id:
            raise Refused(403, "a new case must be recorded under your own user id (recorded_by)")
        if p.op.resolves:
            raise InputError("resolves", "a new case has no conflicts to resolve")
        reference = self._next_reference(case.received_at.astimezone(LONDON).year)
        document = self._evaluate(replace(case, reference=reference))
        number = self.last_change = self.last_change + 1
        values = self._columns(document, case, number, 1)
        self.conn.execute(insert(cases).values(id=case.id, created_at=self.now, **values))
        self._audit(p, case.id, 1, number, "create", sorted(_strip(document)), document)
        self.rows[case.id] = self.conn.execute(select(cases).where(cases.c.id == case.id)).first()
        return self._applied(p, reference, 1, number, document, [])

    def _update(self, p: _Prepared, case: Case, row: Any) -> OpResult:
        if not may_see(self.caller, _facts_row(row)):
            raise Refused(403, "you may not see or change this case")
        if case.recorded_by is not None and case.recorded_by != row.recorded_by:
            raise InputError("document.recorded_by", "cannot change once the case is stored")
        base_revision = p.op.base_revision
        if base_revision is not None and base_revision > row.revision:
            raise InputError("base_revision", f"is ahead of the server's revision {row.revision}")
        server_document = json.loads(row.document)
        server = _strip(server_document)
        device = facts_of(replace(case, recorded_by=row.recorded_by))
        base = self._base(row, base_revision, server)
        result = merge(base, server, device)
        resolved = self._check_resolves(row.id, p.op.resolves)
        merged = case_from_document(result.facts)
        document = self._evaluate(replace(merged, reference=row.reference))
        if document == server_document and not result.conflicts and not resolved:
            return self._applied(p, row.reference, row.revision, row.change_number, document, [])
        number = self.last_change = self.last_change + 1
        revision = row.revision + 1
        values = self._columns(document, merged, number, revision)
        self.conn.execute(update(cases).where(cases.c.id == row.id).values(**values))
        self._audit(p, row.id, revision, number, "update", result.changed, document)
        conflicts = [self._record_conflict(p, row.id, c) for c in result.conflicts]
        if resolved:
            self.conn.execute(
                update(case_conflicts)
                .where(case_conflicts.c.id.in_(resolved))
                .values(resolved_at=self.now, resolved_by_op=str(p.op.op_id))
            )
        self.rows[row.id] = self.conn.execute(select(cases).where(cases.c.id == row.id)).first()
        return self._applied(p, row.reference, revision, number, document, conflicts)

    def _base(self, row: Any, base_revision: int | None, server: dict[str, Any]) -> Any:
        if base_revision is None:
            return None
        if base_revision == row.revision:
            return server
        text = self.conn.execute(
            select(case_audit.c.document).where(
                case_audit.c.case_id == row.id, case_audit.c.revision == base_revision
            )
        ).scalar()
        return _strip(json.loads(text)) if text else None

    def _check_resolves(self, case_id: str, wanted: list[int]) -> list[int]:
        if not wanted:
            return []
        query = select(case_conflicts.c.id).where(
            case_conflicts.c.case_id == case_id,
            case_conflicts.c.resolved_at.is_(None),
            case_conflicts.c.id.in_(wanted),
        )
        open_ids = set(self.conn.execute(query).scalars())
        for i, conflict_id in enumerate(wanted):
            if conflict_id not in open_ids:
                raise InputError(f"resolves[{i}]", f"no open conflict {conflict_id} on this case")
        return sorted(open_ids)

    def _record_conflict(self, p: _Prepared, case_id: str, conflict: Any) -> FieldConflict:
        values = {
            "case_id": case_id,
            "field": conflict.field,
            "server_value": dumps(conflict.server_value),
            "device_value": dumps(conflict.device_value),
            "op_id": str(p.op.op_id),
            "device_id": self.caller.device_id,
            "user_id": self.caller.user_id,
            "at": self.now,
        }
        new_id = self.conn.execute(
            insert(case_conflicts).values(**values).returning(case_conflicts.c.id)
        ).scalar_one()
        return _conflict(_Row(id=new_id, resolved_at=None, **values))

    def _columns(self, document: dict[str, Any], case: Case, number: int, revision: int) -> Any:
        return {
            "reference": document["reference"],
            "revision": revision,
            "change_number": number,
            "document": dumps(document),
            "assigned_to": document["assigned_to"],
            "recorded_by": case.recorded_by,
            "estate": case.estate,
            "supported_scheme": case.supported_scheme,
            "involves_employee": case.involves_employee,
            "updated_at": self.now,
        }

    def _audit(self, p: _Prepared, case_id: str, revision: int, number: int, action: str,
               changed: list[str], document: dict[str, Any]) -> None:  # fmt: skip
        self.conn.execute(
            insert(case_audit).values(
                case_id=case_id,
                revision=revision,
                change_number=number,
                op_id=str(p.op.op_id),
                device_id=self.caller.device_id,
                user_id=self.caller.user_id,
                at=self.now,
                action=action,
                changed_fields=dumps(changed),
                document=dumps(document),
            )
        )

    @staticmethod
    def _applied(p: _Prepared, reference: str, revision: int, number: int,
                 document: dict[str, Any], conflicts: list[FieldConflict]) -> OpResult:  # fmt: skip
        return OpResult(
            op_id=p.op.op_id,
            case_id=p.op.case_id,
            status="applied",
            code=200,
            revision=revision,
            reference=reference,
            change_number=number,
            document=document,
            conflicts=conflicts,
        )


class _Row:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _log_reads(conn: Connection, caller: Caller, case_ids: list[str], via: str) -> None:
    if case_ids:
        now = utcnow()
        rows = [
            {
                "case_id": c,
                "user_id": caller.user_id,
                "device_id": caller.device_id,
                "at": now,
                "via": via,
            }
            for c in case_ids
        ]
        conn.execute(insert(case_reads), rows)


def push(db: Database, caller: Caller, batch: list[CaseOp]) -> list[OpResult]:
    prepared = [_prepare(op) for op in batch]
    with db.write() as conn:
        work = _Batch(db, conn, caller)
        work.load_ops([str(p.op.op_id) for p in prepared])
        results = [work.handle(p) for p in prepared]
        if work.last_change != work.first_change:
            db.set_last_change(conn, work.last_change)
        _log_reads(conn, caller, work.read_cases, "push")
    return results


def _open_conflicts(conn: Connection, case_ids: list[str]) -> dict[str, list[FieldConflict]]:
    found: dict[str, list[FieldConflict]] = {}
    if not case_ids:
        return found
    query = (
        select(case_conflicts)
        .where(case_conflicts.c.case_id.in_(case_ids), case_conflicts.c.resolved_at.is_(None))
        .order_by(case_conflicts.c.id)
    )
    for row in conn.execute(query):
        found.setdefault(row.case_id, []).append(_conflict(row))
    return found


def _state(row: Any, conflicts: dict[str, list[FieldConflict]]) -> CaseState:
    return CaseState(
        case_id=UUID(row.id),
        reference=row.reference,
        revision=row.revision,
        change_number=row.change_number,
        document=json.loads(row.document),
        conflicts=conflicts.get(row.id, []),
    )


def pull(db: Database, caller: Caller, since: int, limit: int) -> ChangesResponse:
    columns = (
        cases.c.id,
        cases.c.reference,
        cases.c.revision,
        cases.c.change_number,
        cases.c.document,
    )
    with db.read() as conn:
        top = int(
            conn.execute(select(counters.c.value).where(counters.c.name == "change")).scalar_one()
        )
        rows = conn.execute(
            select(*columns)
            .where(cases.c.change_number > since, cases.c.change_number <= top)
            .where(visible_clause(caller, cases))
            .order_by(cases.c.change_number)
            .limit(limit + 1)
        ).all()
        more = len(rows) > limit
        rows = rows[:limit]
        conflicts = _open_conflicts(conn, [r.id for r in rows])
        version = int(people.get_setting(conn, "directory_version"))
        directory = people.directory_document(conn) if version > since else None
    if rows:
        with db.write() as conn:
            _log_reads(conn, caller, [r.id for r in rows], "pull")
    return ChangesResponse(
        checkpoint=rows[-1].change_number if more else top,
        more=more,
        cases=[_state(r, conflicts) for r in rows],
        directory=directory,
        directory_version=version,
    )


def read_case(db: Database, caller: Caller, case_id: str) -> CaseState:
    with db.read() as conn:
        row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
        if row is None:
            raise Refused(404, "no case has this id")
        if not may_see(caller, _facts_row(row)):
            raise Refused(403, "you may not see this case")
        conflicts = _open_conflicts(conn, [row.id])
    with db.write() as conn:
        _log_reads(conn, caller, [row.id], "read")
    return _state(row, conflicts)

"""Cases in the store: the document kept whole, the columns the caseload needs, the search index,
the audit row and the outbox entry, all written in one transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Select, func, insert, select, text, update

from asb_desktop.domain.case import Case, CaseState
from asb_desktop.domain.document import case_to_document
from asb_desktop.domain.procedure import Outcome
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.tables import cases, outbox
from asb_desktop.store.timestamps import from_db, to_db


class DuplicateCaseError(ValueError):
    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"a case with id {case_id} is already stored")


@dataclass(frozen=True)
class CaseRow:
    """One line of the caseload: no personal data, just what the list shows and sorts by."""

    id: str
    reference: str | None
    received_at: datetime
    severity: str
    state: str
    assignment_rule: str
    assigned_to: str | None
    response_due_at: datetime
    responded_at: datetime | None
    supported_scheme: str | None
    estate: str | None


class SortKey(StrEnum):
    REFERENCE = "reference"
    RECEIVED = "received_at"
    SEVERITY = "severity"
    ASSIGNED_TO = "assigned_to"
    RESPONSE_DUE = "response_due_at"
    STATE = "state"


@dataclass(frozen=True)
class CaseFilter:
    assigned_to: str | None = None
    overdue_at: datetime | None = None  # overdue as of this moment: open, unanswered, past due
    severity: str | None = None
    supported_scheme: str | None = None
    state: str | None = None
    search: str | None = None
    sort: SortKey = SortKey.RESPONSE_DUE
    descending: bool = False


def _columns(case: Case, outcome: Outcome, document: dict[str, Any]) -> dict[str, Any]:
    due = outcome.staff_risk_assessment_due_at
    return {
        "reference": case.reference,
        "received_at": to_db(case.received_at),
        "severity": case.severity.value,
        "state": case.status.state.value,
        "assignment_rule": outcome.assignment.rule.value,
        "assigned_to": document["assigned_to"],
        "response_due_at": to_db(outcome.response_due_at),
        "responded_at": to_db(case.first_response.at) if case.first_response else None,
        "staff_risk_assessment_due_at": to_db(due) if due else None,
        "estate": case.estate,
        "supported_scheme": case.supported_scheme,
        "anonymous": int(case.complainant.anonymous),
        "involves_employee": int(case.involves_employee),
        "document": json.dumps(document, ensure_ascii=False),
    }


def search_text(case: Case) -> str:
    """The words the caseload search finds a case by: names, addresses, places, descriptions."""
    c = case.complainant
    parts: list[str | None] = [
        case.reference,
        c.name,
        c.address,
        case.estate,
        case.supported_scheme,
    ]
    for person in case.involved:
        parts += [person.name, person.address, person.description]
    for witness in case.witnesses:
        parts += [witness.name, witness.address]
    for incident in case.incidents:
        parts += [incident.location, incident.description]
    return "\n".join(p for p in parts if p)


def _outbox_row(case_id: str, document: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "case_id": case_id,
        "kind": "case.put",
        "payload": json.dumps(document, ensure_ascii=False),
        "created_at": to_db(now),
        "state": "pending",
        "attempts": 0,
    }


_INSERT_SEARCH = text("INSERT INTO case_search (case_id, body) VALUES (:case_id, :body)")


def existing_ids(conn: Connection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(conn.execute(select(cases.c.id).where(cases.c.id.in_(chunk))).scalars())
    return found


def insert_cases(
    conn: Connection,
    audit: AuditWriter,
    items: list[tuple[Case, Outcome]],
    *,
    now: datetime,
    action: str = "case.recorded",
) -> list[dict[str, Any]]:
    """Store new cases; the caller's transaction makes a batch all-or-nothing. Each table gets
    one many-row statement, which is what makes importing thousands of cases quick."""
    clash = existing_ids(conn, [case.id for case, _ in items])
    if clash:
        raise DuplicateCaseError(sorted(clash)[0])
    stamp = to_db(now)
    documents, case_rows, search_rows, outbox_rows = [], [], [], []
    for case, outcome in items:
        document = case_to_document(case, outcome)
        documents.append(document)
        case_rows.append(
            {
                "id": case.id,
                **_columns(case, outcome, document),
                "revision": 1,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        search_rows.append({"case_id": case.id, "body": search_text(case)})
        outbox_rows.append(_outbox_row(case.id, document, now))
    if not items:
        return []
    conn.execute(insert(cases), case_rows)
    conn.execute(_INSERT_SEARCH, search_rows)
    audit.append_many(at=now, action=action, changes=[(d["id"], None, d) for d in documents])
    conn.execute(insert(outbox), outbox_rows)
    return documents


def replace_case(
    conn: Connection,
    audit: AuditWriter,
    case: Case,
    outcome: Outcome,
    *,
    now: datetime,
    action: str,
) -> dict[str, Any]:
    """Store a new version of an existing case, keeping the old one in the audit log."""
    before = load_document(conn, case.id)
    if before is None:
        raise KeyError(case.id)
    document = case_to_document(case, outcome)
    conn.execute(
        update(cases)
        .where(cases.c.id == case.id)
        .values(
            **_columns(case, outcome, document),
            revision=cases.c.revision + 1,
            updated_at=to_db(now),
        )
    )
    conn.execute(text("DELETE FROM case_search WHERE case_id = :id"), {"id": case.id})
    conn.execute(_INSERT_SEARCH, {"case_id": case.id, "body": search_text(case)})
    audit.append(at=now, action=action, case_id=case.id, before=before, after=document)
    conn.execute(insert(outbox), _outbox_row(case.id, document, now))
    return document


def load_reference(conn: Connection, case_id: str) -> str | None:
    return conn.execute(select(cases.c.reference).where(cases.c.id == case_id)).scalar()


def load_document(conn: Connection, case_id: str) -> dict[str, Any] | None:
    raw = conn.execute(select(cases.c.document).where(cases.c.id == case_id)).scalar()
    return json.loads(raw) if raw else None


def find_id(conn: Connection, id_or_reference: str) -> str | None:
    query = select(cases.c.id).where(
        (cases.c.id == id_or_reference) | (cases.c.reference == id_or_reference)
    )
    return conn.execute(query).scalar()


def iter_documents(conn: Connection, *, open_only: bool = False) -> Iterable[dict[str, Any]]:
    query = select(cases.c.document).order_by(cases.c.received_at, cases.c.id)
    if open_only:
        query = query.where(cases.c.state == CaseState.OPEN.value)
    for (raw,) in conn.execute(query):
        yield json.loads(raw)


def _filtered(query: Select[Any], where: CaseFilter) -> Select[Any]:
    if where.assigned_to is not None:
        query = query.where(cases.c.assigned_to == where.assigned_to)
    if where.overdue_at is not None:
        query = query.where(
            cases.c.state == CaseState.OPEN.value,
            cases.c.responded_at.is_(None),
            cases.c.response_due_at < to_db(where.overdue_at),
        )
    if where.state is not None:
        query = query.where(cases.c.state == where.state)
    if where.severity is not None:
        query = query.where(cases.c.severity == where.severity)
    if where.supported_scheme is not None:
        query = query.where(cases.c.supported_scheme == where.supported_scheme)
    if where.search:
        matches = text("SELECT case_id FROM case_search WHERE case_search MATCH :q").bindparams(
            q=fts_query(where.search)
        )
        query = query.where(cases.c.id.in_(matches.columns(case_id=cases.c.id.type)))
    return query


def fts_query(user_text: str) -> str:
    """Each word the user typed, quoted (so no FTS syntax leaks through), as a prefix match."""
    words = [w.replace('"', '""') for w in user_text.split()]
    return " ".join(f'"{w}"*' for w in words) or '""'


_ROW_COLUMNS = (
    cases.c.id,
    cases.c.reference,
    cases.c.received_at,
    cases.c.severity,
    cases.c.state,
    cases.c.assignment_rule,
    cases.c.assigned_to,
    cases.c.response_due_at,
    cases.c.responded_at,
    cases.c.supported_scheme,
    cases.c.estate,
)


def list_cases(
    conn: Connection, where: CaseFilter, *, offset: int = 0, limit: int = 100
) -> list[CaseRow]:
    column = cases.c[where.sort.value]
    order = column.desc() if where.descending else column.asc()
    query = _filtered(select(*_ROW_COLUMNS), where).order_by(order, cases.c.id)
    rows = conn.execute(query.offset(offset).limit(limit))
    return [
        CaseRow(
            id=r.id,
            reference=r.reference,
            received_at=from_db(r.received_at),
            severity=r.severity,
            state=r.state,
            assignment_rule=r.assignment_rule,
            assigned_to=r.assigned_to,
            response_due_at=from_db(r.response_due_at),
            responded_at=from_db(r.responded_at) if r.responded_at else None,
            supported_scheme=r.supported_scheme,
            estate=r.estate,
        )
        for r in rows
    ]


def count_cases(conn: Connection, where: CaseFilter) -> int:
    query = _filtered(select(func.count()).select_from(cases), where)
    return int(conn.execute(query).scalar_one())

"""Cases in the store: the document kept whole, the columns the caseload needs, the search index,
the audit row and the outbox entry, all written in one transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Select,
    and_,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError

from asb_desktop.domain.case import Case, CaseState
from asb_desktop.domain.case_line import complainant_name, latest_incident_line
from asb_desktop.domain.case_management import latest_risk_level
from asb_desktop.domain.case_review import complainant_key
from asb_desktop.domain.deadlines import DeadlineKind, case_deadlines, next_outstanding_due
from asb_desktop.domain.document import case_from_document, case_to_document, parse_timestamp
from asb_desktop.domain.procedure import Outcome, kept_outcome
from asb_desktop.domain.search_folding import fold_for_search
from asb_desktop.store.audit import AuditWriter
from asb_desktop.store.caseload_page import ROW_COLUMN_NAMES, case_row

# A caseload page's terms live in store/caseload_page.py (no SQLAlchemy); named here as before.
from asb_desktop.store.caseload_page import CaseFilter as CaseFilter
from asb_desktop.store.caseload_page import CaseRow as CaseRow
from asb_desktop.store.caseload_page import PageMark as PageMark
from asb_desktop.store.caseload_page import SortKey as SortKey
from asb_desktop.store.db_time import to_db
from asb_desktop.store.driver import driver_cursor, insert_sql
from asb_desktop.store.erasure import erase_copies, erasures_in, rebuild_search
from asb_desktop.store.tables import cases, outbox
from asb_desktop.store.team_columns import team_columns


class DuplicateCaseError(ValueError):
    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"a case with id {case_id} is already stored")


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
        **row_words(case),
        **due_columns(case, outcome),
        "document": json.dumps(document, ensure_ascii=False),
    }


def due_columns(case: Case, outcome: Outcome) -> dict[str, Any]:
    """The first outstanding deadline of any kind and of the action plan's actions (for the
    overdue filters) and the complainant's key (for their other cases), kept in the case's row;
    also what the team view counts (store/team_columns.py)."""
    deadlines = case_deadlines(case, outcome)
    due = next_outstanding_due(deadlines)
    actions = next_outstanding_due(tuple(d for d in deadlines if d.kind is DeadlineKind.ACTION))
    return {
        "next_due_at": to_db(due) if due else None,
        "actions_due_at": to_db(actions) if actions else None,
        "complainant_key": complainant_key(case.complainant),
        **team_columns(case, outcome, deadlines),
    }


def row_words(case: Case) -> dict[str, str | None]:
    """The caseload row's words about who and what, kept in the case's row (see case_line):
    also the latest risk level and the kinds of ASB ("|noise|drugs|", so one kind is a LIKE)."""
    level = latest_risk_level(case.risk_assessments)
    kinds = sorted(kind.value for kind in case.asb_types)
    return {
        "complainant_name": complainant_name(case),
        "latest_incident": latest_incident_line(case),
        "risk_level": level.value if level else None,
        "asb_types": f"|{'|'.join(kinds)}|" if kinds else None,
    }


def search_text(case: Case) -> str:
    """The words the caseload search finds a case by (names, addresses, places, descriptions),
    folded as the search folds what the officer types (domain/search_folding.py)."""
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
    return "\n".join(fold_for_search(p) for p in parts if p)


def _outbox_row(
    case_id: str, document: dict[str, Any], now: datetime, payload: str | None = None
) -> dict[str, Any]:
    """`payload`: the document already encoded as the case's row keeps it (the same text)."""
    return {
        "op_id": str(uuid.uuid4()),
        "case_id": case_id,
        "kind": "case.put",
        "payload": payload if payload is not None else json.dumps(document, ensure_ascii=False),
        "created_at": to_db(now),
        "state": "pending",
        "attempts": 0,
    }


def _insert_rows(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Rows with the same keys, in one statement on the driver's cursor (store/driver.py)."""
    names = tuple(rows[0])
    with driver_cursor(conn) as cursor:
        cursor.executemany(insert_sql(table, names), [tuple(r[n] for n in names) for r in rows])


# The search index is linked to cases by `cases.search_key` (the index's own rowid), so a search
# filters cases through an indexed integer instead of reading every match's case id.
_INSERT_SEARCH = text("INSERT INTO case_search (rowid, body) VALUES (:key, :body)")
_DELETE_SEARCH = text("DELETE FROM case_search WHERE rowid = :key")


def _next_search_key(conn: Connection) -> int:
    with driver_cursor(conn) as cursor:
        (highest,) = cursor.execute("SELECT coalesce(max(search_key), 0) FROM cases").fetchone()
    return int(highest) + 1


def _reindex(conn: Connection, bodies: dict[str, str]) -> None:
    """Rewrite the search entries of these stored cases (giving a key to any without one)."""
    keys: dict[str, int | None] = {}
    ids = list(bodies)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(cases.c.id, cases.c.search_key).where(cases.c.id.in_(chunk))
        keys.update({row.id: row.search_key for row in conn.execute(query)})
    unkeyed = [case_id for case_id in ids if keys.get(case_id) is None]
    if unkeyed:
        first = _next_search_key(conn)
        fresh = {case_id: first + n for n, case_id in enumerate(unkeyed)}
        conn.execute(
            update(cases)
            .where(cases.c.id == bindparam("b_id"))
            .values(search_key=bindparam("b_key")),
            [{"b_id": case_id, "b_key": key} for case_id, key in fresh.items()],
        )
        keys.update(fresh)
    rows = [{"key": keys[case_id], "body": body} for case_id, body in bodies.items()]
    conn.execute(_DELETE_SEARCH, [{"key": row["key"]} for row in rows])
    conn.execute(_INSERT_SEARCH, rows)


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
    queue: bool = True,
) -> list[dict[str, Any]]:
    """Store new cases; the caller's transaction makes a batch all-or-nothing. Each table gets
    one many-row statement, which is what makes importing thousands of cases quick. `queue`
    False stores without an outbox op (a case that came from the central store)."""
    stamp = to_db(now)
    key = _next_search_key(conn)
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
                "search_key": key,
            }
        )
        search_rows.append((key, search_text(case)))
        key += 1
        outbox_rows.append(_outbox_row(case.id, document, now, case_rows[-1]["document"]))
    if not items:
        return []
    names = tuple(case_rows[0])
    try:  # a stored id is refused by the primary key: no query to look for one first
        # Through SQLAlchemy's driver-level call (no compiling), so its events see it.
        conn.exec_driver_sql(
            insert_sql("cases", names), [tuple(r[n] for n in names) for r in case_rows]
        )
    except (IntegrityError, conn.dialect.loaded_dbapi.IntegrityError):
        clash = existing_ids(conn, [case.id for case, _ in items])
        if clash:
            raise DuplicateCaseError(sorted(clash)[0]) from None
        raise
    with driver_cursor(conn) as cursor:
        cursor.executemany("INSERT INTO case_search (rowid, body) VALUES (?, ?)", search_rows)
    audit.append_many(at=now, action=action, changes=[(d["id"], None, d) for d in documents])
    if queue:
        _insert_rows(conn, "outbox", outbox_rows)
    return documents


def replace_case(
    conn: Connection,
    audit: AuditWriter,
    case: Case,
    outcome: Outcome,
    *,
    now: datetime,
    action: str,
    queue: bool = True,
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
    _reindex(conn, {case.id: search_text(case)})
    audit.append(at=now, action=action, case_id=case.id, before=before, after=document)
    if queue:
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


def complainant_documents(
    conn: Connection, key: str | None, *, besides: str | None = None
) -> list[dict[str, Any]]:
    """The stored documents of every case of the complainant with this key (but `besides`)."""
    if key is None:
        return []
    query = select(cases.c.document).where(cases.c.complainant_key == key)
    if besides is not None:
        query = query.where(cases.c.id != besides)
    return [json.loads(raw) for raw in conn.execute(query).scalars()]


def place_documents(
    conn: Connection, estate: str | None, scheme: str | None, *, besides: str | None = None
) -> list[dict[str, Any]]:
    """The stored documents of every case about this place (domain case_review.place_of: the
    estate, else the scheme), but `besides`: for the same-place Case Review threshold."""
    if estate:
        query = select(cases.c.document).where(cases.c.estate == estate)
    elif scheme:
        query = select(cases.c.document).where(
            cases.c.estate.is_(None), cases.c.supported_scheme == scheme
        )
    else:
        return []
    if besides is not None:
        query = query.where(cases.c.id != besides)
    return [json.loads(raw) for raw in conn.execute(query).scalars()]


@dataclass(frozen=True)
class KeyedDocument:
    """A stored case found by its complainant's key: what the Case Review needs of it."""

    id: str
    reference: str | None
    complainant_key: str
    document: dict[str, Any]


def keyed_documents(conn: Connection, keys: Iterable[str]) -> list[KeyedDocument]:
    """The stored cases of these complainants, in one query per 500 keys (as `keyed_ids`
    orders them): an import asks once for all its complainants, not once a case."""
    wanted = sorted(set(keys))
    found: list[KeyedDocument] = []
    for start in range(0, len(wanted), 500):
        chunk = tuple(wanted[start : start + 500])
        # Written out (a save asks this for one key; building the IN through SQLAlchemy's
        # expressions cost more than the query), the same statement it would compile.
        query = (
            "SELECT cases.id, cases.reference, cases.complainant_key, cases.document FROM cases "
            f"WHERE cases.complainant_key IN ({', '.join('?' * len(chunk))})"
        )
        found.extend(
            KeyedDocument(row[0], row[1], row[2], json.loads(row[3]))
            for row in conn.exec_driver_sql(query, chunk)
        )
    return found


def keyed_pairs(conn: Connection, keys: Iterable[str]) -> list[tuple[str, str]]:
    """(id, complainant key) of the stored cases of these complainants, no document read."""
    wanted = sorted(set(keys))
    found: list[tuple[str, str]] = []
    for start in range(0, len(wanted), 500):
        query = select(cases.c.id, cases.c.complainant_key).where(
            cases.c.complainant_key.in_(wanted[start : start + 500])
        )
        found.extend((row.id, row.complainant_key) for row in conn.execute(query))
    return found


def keyed_ids(conn: Connection, keys: Iterable[str]) -> list[str]:
    """Ids of the stored cases of these complainants."""
    wanted = sorted(set(keys))
    found: list[str] = []
    for start in range(0, len(wanted), 500):
        query = select(cases.c.id).where(cases.c.complainant_key.in_(wanted[start : start + 500]))
        found.extend(conn.execute(query).scalars())
    return found


def iter_documents(conn: Connection, *, open_only: bool = False) -> Iterable[dict[str, Any]]:
    query = select(cases.c.document).order_by(cases.c.received_at, cases.c.id)
    if open_only:
        query = query.where(cases.c.state == CaseState.OPEN.value)
    for (raw,) in conn.execute(query):
        yield json.loads(raw)


def documents_received(
    conn: Connection, start: datetime, end: datetime
) -> Iterable[dict[str, Any]]:
    """The documents of the cases received in [start, end), read one at a time through the
    `received_at` column (the figures: a year of a large store is never held at once)."""
    query = select(cases.c.document).where(
        cases.c.received_at >= to_db(start), cases.c.received_at < to_db(end)
    )
    for (raw,) in conn.execute(query.execution_options(yield_per=500)):
        yield json.loads(raw)


# Up to this many matches, a search drives the query (a lookup per match through the search
# key); beyond it, walking the open cases through an index that carries the search key is
# cheaper. Measured on 100,000 cases: a lookup costs about 25 µs, the walk about 50 ms.
SEARCH_DRIVES_BELOW = 2_000


def _search_drives(conn: Connection, where: CaseFilter) -> bool:
    if not where.search:
        return False
    matches = conn.execute(
        text("SELECT count(*) FROM case_search WHERE case_search MATCH :q"),
        {"q": fts_query(where.search)},
    ).scalar_one()
    return int(matches) <= SEARCH_DRIVES_BELOW


def _filtered(query: Select[Any], where: CaseFilter, *, search_drives: bool) -> Select[Any]:
    # When the search drives, `column || ''` keeps the other filters off their indexes: left to
    # itself SQLite walks every open case by the state index even for a word that matches once.
    def col(column: Any) -> Any:
        return column.concat("") if search_drives else column

    if where.assigned_to is not None:
        query = query.where(col(cases.c.assigned_to) == where.assigned_to)
    if where.overdue_at is not None:
        query = query.where(
            col(cases.c.state) == CaseState.OPEN.value,
            col(cases.c.next_due_at) < to_db(where.overdue_at),
        )
    if where.actions_overdue_at is not None:
        query = query.where(
            col(cases.c.state) == CaseState.OPEN.value,
            col(cases.c.actions_due_at) < to_db(where.actions_overdue_at),
        )
    if where.asb_type is not None:
        query = query.where(col(cases.c.asb_types).contains(f"|{where.asb_type}|", autoescape=True))
    if where.risk_level is not None:
        query = query.where(col(cases.c.risk_level) == where.risk_level)
    if where.state is not None:
        query = query.where(col(cases.c.state) == where.state)
    if where.severity is not None:
        query = query.where(col(cases.c.severity) == where.severity)
    if where.supported_scheme is not None:
        query = query.where(col(cases.c.supported_scheme) == where.supported_scheme)
    if where.search:
        matches = text("SELECT rowid FROM case_search WHERE case_search MATCH :q").bindparams(
            q=fts_query(where.search)
        )
        query = query.where(cases.c.search_key.in_(matches.columns(rowid=cases.c.search_key.type)))
    return query


def fts_query(user_text: str) -> str:
    """Each word the user typed, folded as the index is, quoted (so no FTS syntax leaks
    through), as a prefix match."""
    words = [w.replace('"', '""') for w in fold_for_search(user_text).split()]
    return " ".join(f'"{w}"*' for w in words) or '""'


# The caseload row's columns, named once (store/first_page.py reads the same on the driver).
_ROW_COLUMNS = tuple(cases.c[name] for name in ROW_COLUMN_NAMES)


# The orders whose column may be NULL: a NULL sorts first going up, last going down (SQLite).
_NULLABLE = frozenset({SortKey.REFERENCE, SortKey.ASSIGNED_TO})


def list_cases(
    conn: Connection,
    where: CaseFilter,
    *,
    offset: int = 0,
    limit: int = 100,
    after: PageMark | None = None,
) -> list[CaseRow]:
    """A page of the caseload in `where`'s order (ties by id, the same way). `after`, the last
    row's mark of the page before, starts the page there through the order's index (keyset):
    a page deep in 100,000 cases costs what the first does. `offset` counts rows from there."""
    found = _keyset_rows(conn, where, _ROW_COLUMNS, offset=offset, limit=limit, after=after)
    return [case_row(r) for r in found]


def stored_documents(conn: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored documents of these cases, by id, one query per 500."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        query = select(cases.c.id, cases.c.document).where(cases.c.id.in_(ids[start : start + 500]))
        found.update({row.id: json.loads(row.document) for row in conn.execute(query)})
    return found


def _keyset_rows(
    conn: Connection,
    where: CaseFilter,
    columns: tuple[Any, ...],
    *,
    offset: int,
    limit: int,
    after: PageMark | None,
    plain: bool = False,
) -> list[Any]:
    """The page's rows; `plain`: as the driver's tuples (no SQLAlchemy Row made of each row,
    for columns that need no conversion: text and integers)."""
    drives = _search_drives(conn, where)
    base = _filtered(select(*columns, _sort_column(where)), where, search_drives=drives)
    rows: list[Any] = []
    for segment, null_run in _segments(where, after):
        query = _ordered(base.where(segment), where).offset(offset).limit(limit - len(rows))
        if null_run and where.state is None and not drives:
            # Left to itself SQLite reads a NULL run through the unique index on `reference`
            # (taking it for one row) and sorts every row of it by id; the order's own index
            # holds the run in order already.
            found = _indexed_by(conn, query, f"ix_cases_order_{where.sort.value}", plain=plain)
        else:
            found = _fetched(conn.execute(query), plain=plain)
        rows.extend(found)
        if len(rows) >= limit:
            break
        offset = max(offset - _skipped(conn, base, segment, offset, found), 0)
    return rows


def _indexed_by(
    conn: Connection, query: Select[Any], index: str, *, plain: bool = False
) -> Sequence[Any]:
    """`query` run through this index of `cases` (SQLite's INDEXED BY, which SQLAlchemy does
    not write for SQLite)."""
    compiled = query.compile(dialect=conn.dialect)
    sql = str(compiled).replace("FROM cases", f"FROM cases INDEXED BY {index}", 1)
    params = compiled.construct_params()
    result = conn.exec_driver_sql(sql, tuple(params[name] for name in compiled.positiontup or ()))
    return _fetched(result, plain=plain)


def _fetched(result: CursorResult[Any], *, plain: bool) -> Sequence[Any]:
    """Every row of `result`; `plain`: the driver cursor's own tuples, fetched from it
    directly."""
    if not plain:
        return result.all()
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _skipped(
    conn: Connection, base: Select[Any], segment: Any, offset: int, found: Sequence[Any]
) -> int:
    """How many of `offset` rows a segment held (only asked when a page crosses segments)."""
    if not offset or found:
        return offset
    counted = select(func.count()).select_from(base.where(segment).subquery())
    return int(conn.execute(counted).scalar_one())


def _sort_column(where: CaseFilter) -> Any:
    return cases.c[where.sort.value].label("sort_value")


def _ordered(query: Select[Any], where: CaseFilter) -> Select[Any]:
    column = cases.c[where.sort.value]
    if where.descending:
        return query.order_by(column.desc(), cases.c.id.desc())
    return query.order_by(column.asc(), cases.c.id.asc())


def _segments(where: CaseFilter, after: PageMark | None) -> list[tuple[Any, bool]]:
    """The order's runs still to list after `after`, each one range of the order's index: the
    rows with a value (from the mark on), and for a column that may be NULL, the NULL rows
    (ordered by id alone), first going up and last going down; each said with whether it is
    the NULL run."""
    column = cases.c[where.sort.value]
    nullable = where.sort in _NULLABLE
    down = where.descending
    valued: ColumnElement[bool] | None
    nulls: ColumnElement[bool] | None
    if after is None:
        valued = column.is_not(None) if nullable else true()
        nulls = column.is_(None) if nullable else None
    elif after.value is None:  # within the NULL run
        later = cases.c.id < after.id if down else cases.c.id > after.id
        valued = None if down else column.is_not(None)
        nulls = and_(column.is_(None), later)
    else:
        key, mark = tuple_(column, cases.c.id), tuple_(literal(after.value), literal(after.id))
        valued = key < mark if down else key > mark
        nulls = column.is_(None) if nullable and down else None
    runs = [(nulls, True), (valued, False)] if not down else [(valued, False), (nulls, True)]
    return [(run, null_run) for run, null_run in runs if run is not None]


def count_cases(conn: Connection, where: CaseFilter) -> int:
    drives = _search_drives(conn, where)
    query = _filtered(select(func.count()).select_from(cases), where, search_drives=drives)
    return int(conn.execute(query).scalar_one())


# --- copies from the central store -----------------------------------------------------------


@dataclass(frozen=True)
class ServerCopy:
    """A case as the central store holds it: its document (computed fields included)."""

    document: dict[str, Any]
    reference: str
    server_revision: int


def _server_columns(copy: ServerCopy) -> dict[str, Any]:
    """The caseload columns of a server's document: its computed fields are the server's own."""
    document = copy.document
    case = case_from_document(document)
    due = document.get("staff_risk_assessment_due_at")
    return {
        "reference": copy.reference,
        "received_at": to_db(case.received_at),
        "severity": case.severity.value,
        "state": case.status.state.value,
        "assignment_rule": document["assignment_rule"],
        "assigned_to": document.get("assigned_to"),
        "response_due_at": to_db(parse_timestamp(document["response_due_at"], "response_due_at")),
        "responded_at": to_db(case.first_response.at) if case.first_response else None,
        "staff_risk_assessment_due_at": (
            to_db(parse_timestamp(due, "staff_risk_assessment_due_at")) if due else None
        ),
        "estate": case.estate,
        "supported_scheme": case.supported_scheme,
        "anonymous": int(case.complainant.anonymous),
        "involves_employee": int(case.involves_employee),
        **row_words(case),
        **_server_due_columns(case, document),
        "document": json.dumps(document, ensure_ascii=False),
        "server_revision": copy.server_revision,
        "_search": search_text(replace(case, reference=copy.reference)),
    }


def _server_due_columns(case: Case, document: dict[str, Any]) -> dict[str, Any]:
    outcome = kept_outcome(document)
    if outcome is None:  # a server's document always carries its computed fields
        raise ValueError("the central store's document carries no computed deadlines")
    return due_columns(case, outcome)


def store_server_copies(
    conn: Connection, audit: AuditWriter, copies: list[ServerCopy], *, now: datetime, action: str
) -> None:
    """Store cases as the central store sent them (new or replacing the local copy), audited,
    never queued: they are already there. Raises InputError for a document the reader refuses."""
    if not copies:
        return
    ids = [c.document["id"] for c in copies]
    before: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        query = select(cases.c.id, cases.c.document).where(cases.c.id.in_(ids[start : start + 500]))
        before.update({row.id: row.document for row in conn.execute(query)})
    # A person the central store erased: out of every other copy here first (store/erasure.py).
    erased = erasures_in(before, [c.document for c in copies])
    erase_copies(conn, audit, erased, now=now)
    hidden = {e.case_id for e in erased}  # its audit row must not keep the old copy either
    stamp = to_db(now)
    new_rows, changed_rows, bodies = [], [], {}
    for copy in copies:
        columns = _server_columns(copy)
        case_id = copy.document["id"]
        bodies[case_id] = columns.pop("_search")
        if case_id in before:
            changed_rows.append({"b_id": case_id, **columns, "updated_at": stamp})
        else:
            new_rows.append(
                {"id": case_id, **columns, "revision": 1, "created_at": stamp, "updated_at": stamp}
            )
    if new_rows:
        conn.execute(insert(cases), new_rows)
    if changed_rows:
        conn.execute(
            update(cases)
            .where(cases.c.id == bindparam("b_id"))
            .values(revision=cases.c.revision + 1),
            changed_rows,
        )
    _reindex(conn, bodies)
    if erased:
        rebuild_search(conn)
    changes = []
    for c in copies:
        case_id = c.document["id"]
        changes.append(
            (case_id, None if case_id in hidden else _loaded(before.get(case_id)), c.document)
        )
    audit.append_many(at=now, action=action, changes=changes)


def _loaded(raw: str | None) -> Any:
    return json.loads(raw) if raw else None


def set_server_revisions(conn: Connection, marks: list[tuple[str, str, int | None]]) -> None:
    """Per (case_id, reference, server_revision): what the central store calls this case."""
    if marks:
        conn.execute(
            update(cases)
            .where(cases.c.id == bindparam("b_id"))
            .values(reference=bindparam("b_ref"), server_revision=bindparam("b_rev")),
            [{"b_id": i, "b_ref": ref, "b_rev": rev} for i, ref, rev in marks],
        )


def server_revisions(conn: Connection, ids: list[str]) -> dict[str, int | None]:
    """The server revision each of these local cases was last brought up to (None: never)."""
    found: dict[str, int | None] = {}
    for start in range(0, len(ids), 500):
        query = select(cases.c.id, cases.c.server_revision).where(
            cases.c.id.in_(ids[start : start + 500])
        )
        found.update({row.id: row.server_revision for row in conn.execute(query)})
    return found

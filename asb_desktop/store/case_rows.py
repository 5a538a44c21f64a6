"""Cases as the store holds them, for commands that go through all of them: the caseload's rows
(timestamps as UTC ISO text, the kinds of ASB as "|noise|drugs|") for `asb-desktop list`, a
plain tuple a row, and the documents' JSON text for an export. Building a `CaseRow` of each
row (its timestamps read, a frozen dataclass) cost more than reading the row from the
encrypted file, and so did SQLAlchemy's row objects and the standard library's JSON reader."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from sqlalchemy import Connection, Integer, LargeBinary, cast, literal_column

from asb_desktop.store.cases import _ROW_COLUMNS, CaseFilter, PageMark, _keyset_rows
from asb_desktop.store.tables import cases


class StoredRow(NamedTuple):
    """`cases.CaseRow`'s columns as stored, in its order, then the value the page is sorted by."""

    id: str
    reference: str | None
    received_at: str
    severity: str
    state: str
    assignment_rule: str
    assigned_to: str | None
    response_due_at: str
    responded_at: str | None
    supported_scheme: str | None
    estate: str | None
    anonymous: int
    complainant_name: str | None
    latest_incident: str | None
    risk_level: str | None
    asb_types: str | None
    sort_value: str | None

    @property
    def mark(self) -> PageMark:
        """Where the next page starts after this row (as `CaseRow.mark`)."""
        return PageMark(self.sort_value, self.id)


def stored_rows(
    conn: Connection, where: CaseFilter, *, after: PageMark | None, limit: int
) -> list[StoredRow]:
    """`cases.list_cases`'s page (the same rows, order and keyset), as stored."""
    found = _keyset_rows(conn, where, _ROW_COLUMNS, offset=0, limit=limit, after=after, plain=True)
    return list(map(StoredRow._make, found))


# --- documents for an export: the stored text, parsed by the caller ----------------------------


class TextPage(NamedTuple):
    """A page of stored documents: each one's rowid and its JSON text as UTF-8 bytes (the
    export writes bytes: no str made of it and encoded again)."""

    rowids: list[int]
    texts: list[bytes]


def document_text_pages(
    conn: Connection, where: CaseFilter | None, *, size: int
) -> Iterator[TextPage]:
    """The stored documents, `size` at a time: all of them by when they were received (one
    query, read a page at a time), or those `where` matches in its order, a keyset page at a
    time."""
    if where is None:
        cursor = conn.connection.cursor()  # the driver's rows: no SQLAlchemy row object each
        try:
            cursor.execute(
                "SELECT rowid, CAST(document AS BLOB) FROM cases ORDER BY received_at, id"
            )
            while rows := cursor.fetchmany(size):
                yield TextPage([r for r, _ in rows], [text for _, text in rows])
        finally:
            cursor.close()
        return
    columns = (cases.c.id, _ROWID, _DOCUMENT_BYTES)
    after: PageMark | None = None
    while True:
        found = _keyset_rows(conn, where, columns, offset=0, limit=size, after=after)
        if found:
            yield TextPage([r.row_key for r in found], [r.document_bytes for r in found])
        if len(found) < size:
            return
        after = PageMark(found[-1].sort_value, found[-1].id)


_ROWID = literal_column("cases.rowid", Integer).label("row_key")
_DOCUMENT_BYTES = cast(cases.c.document, LargeBinary).label("document_bytes")


def keyed_rowids(conn: Connection, keys: Iterable[str]) -> list[tuple[int, str]]:
    """(rowid, complainant key) of the cases of these complainants, from the key's index
    alone."""
    return _in_chunks(conn, "SELECT rowid, complainant_key FROM cases WHERE complainant_key", keys)


def texts_by_rowid(conn: Connection, rowids: Iterable[int]) -> list[tuple[int, bytes]]:
    """(rowid, stored JSON text as bytes) of these cases."""
    return _in_chunks(conn, "SELECT rowid, CAST(document AS BLOB) FROM cases WHERE rowid", rowids)


def _in_chunks(conn: Connection, query: str, values: Iterable[Any]) -> list[Any]:
    """`query IN (values)` on the driver's cursor, 500 values a statement, each value once."""
    wanted = sorted(set(values))
    found: list[Any] = []
    cursor = conn.connection.cursor()
    try:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            cursor.execute(f"{query} IN ({', '.join('?' * len(chunk))})", chunk)
            found.extend(cursor.fetchall())
    finally:
        cursor.close()
    return found


class PrettyRow(NamedTuple):
    """A stored document for an export, indented by SQLite (`json_pretty`, in C, no Python
    object made of it): its rowid and id, its text, its indented text (None unless it is
    strict JSON: NaN and Infinity, which the standard library writes, are not), and its
    top-level `status` and `case_review` as JSON text (None when absent or not strict)."""

    rowid: int
    id: str
    text: bytes
    pretty: bytes | None
    status: str | None
    case_review: str | None


_PRETTY_SQL = (
    "SELECT rowid, id, CAST(document AS BLOB), "
    "CASE WHEN json_valid(document, 1) THEN CAST(json_pretty(document, '  ') AS BLOB) END, "
    "CASE WHEN json_valid(document, 1) THEN document -> '$.status' END, "
    "CASE WHEN json_valid(document, 1) THEN document -> '$.case_review' END "
    "FROM cases ORDER BY received_at, id"
)


def pretty_document_pages(conn: Connection, *, size: int) -> Iterator[list[PrettyRow]]:
    """Every stored document by when it was received (one query, read `size` at a time)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(_PRETTY_SQL)
        while rows := cursor.fetchmany(size):
            yield list(map(PrettyRow._make, rows))
    finally:
        cursor.close()

"""Cases as the store holds them, for commands that go through all of them: the caseload's rows
(timestamps as UTC ISO text, the kinds of ASB as "|noise|drugs|") for `asb-desktop list`, a
plain tuple a row, and the documents' JSON text for an export. Building a `CaseRow` of each
row (its timestamps read, a frozen dataclass) cost more than reading the row from the
encrypted file, and so did SQLAlchemy's row objects and the standard library's JSON reader."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from sqlalchemy import Connection, select

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
    found = _keyset_rows(conn, where, _ROW_COLUMNS, offset=0, limit=limit, after=after)
    return [StoredRow._make(r) for r in found]


# --- documents for an export: the stored text, parsed by the caller ----------------------------


def document_text_pages(
    conn: Connection, where: CaseFilter | None, *, size: int
) -> Iterator[list[str]]:
    """The stored documents' JSON text, `size` at a time: all of them by when they were
    received (one query, read a page at a time), or those `where` matches in its order, a
    keyset page at a time."""
    if where is None:
        cursor = conn.connection.cursor()  # the driver's rows: no SQLAlchemy row object each
        try:
            cursor.execute("SELECT document FROM cases ORDER BY received_at, id")
            while rows := cursor.fetchmany(size):
                yield [text for (text,) in rows]
        finally:
            cursor.close()
        return
    columns = (cases.c.id, cases.c.document)
    after: PageMark | None = None
    while True:
        found = _keyset_rows(conn, where, columns, offset=0, limit=size, after=after)
        if found:
            yield [r.document for r in found]
        if len(found) < size:
            return
        after = PageMark(found[-1].sort_value, found[-1].id)


def keyed_document_texts(conn: Connection, keys: Iterable[str]) -> list[tuple[str, str, str]]:
    """(id, complainant key, stored JSON text) of the cases of these complainants, one query
    per 500 keys (as `cases.keyed_documents`, the text not parsed)."""
    wanted = sorted(set(keys))
    found: list[tuple[str, str, str]] = []
    columns = (cases.c.id, cases.c.complainant_key, cases.c.document)
    for start in range(0, len(wanted), 500):
        query = select(*columns).where(cases.c.complainant_key.in_(wanted[start : start + 500]))
        found.extend((r.id, r.complainant_key, r.document) for r in conn.execute(query))
    return found

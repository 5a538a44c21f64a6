"""Caseload pages by keyset: walking page after page from each page's last mark lists every case
once, in exactly the order one query gives, for every order the caseload offers, both ways, with
NULL references and officers, ties and filters; each page is read through its order's index
(never a temporary B-tree); and the indented JSON streamed a page at a time is the bytes
`json.dumps(indent=2)` writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from asb_desktop.app import open_services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store import cases as case_table
from asb_desktop.store.cases import CaseFilter, SortKey
from asb_desktop.store.tables import cases
from asb_desktop.support.json_text import indented_array
from asb_desktop.support.synthetic import synthetic_cases

ORDERS = [(key, down) for key in SortKey for down in (False, True)]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import keyring

    from tests.conftest import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    services = open_services(Path(tmp_path_factory.mktemp("keyset")) / "data")
    documents = synthetic_cases(130, seed=31)
    for document in documents[::9]:
        document["status"] = {"state": "closed", "reason": "Resolved"}
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(documents)]
    )
    with services.store.write() as conn:  # some references (a synced case), some unassigned
        ids = sorted(d["id"] for d in documents)
        marks = [(case_id, f"ASB-{n % 40:04d}-{n}", 1) for n, case_id in enumerate(ids[::3])]
        case_table.set_server_revisions(conn, marks)
        conn.execute(update(cases).where(cases.c.id.in_(ids[1::4])).values(assigned_to=None))
    yield services
    services.close()


def walked(services: Any, where: CaseFilter, size: int) -> list[str]:
    found: list[str] = []
    after = None
    while True:
        page = services.casework.list_cases(where, after=after, limit=size)
        found += [row.id for row in page]
        if len(page) < size:
            return found
        after = page[-1].mark


@pytest.mark.parametrize(("key", "down"), ORDERS)
@pytest.mark.parametrize("state", [None, "open"])
def test_pages_walked_by_mark_are_the_one_query_order(
    stored: Any, key: SortKey, down: bool, state: str | None
) -> None:
    where = CaseFilter(state=state, sort=key, descending=down)
    whole = [row.id for row in stored.casework.list_cases(where, limit=10_000)]
    column = cases.c[key.value]
    order = (column.desc(), cases.c.id.desc()) if down else (column.asc(), cases.c.id.asc())
    query = select(cases.c.id).order_by(*order)
    if state:
        query = query.where(cases.c.state == state)
    with stored.store.read() as conn:
        assert whole == list(conn.execute(query).scalars())
    for size in (1, 7, 50):
        assert walked(stored, where, size) == whole, size
    # An offset still counts from the mark, across the NULL run too.
    assert [r.id for r in stored.casework.list_cases(where, offset=40, limit=30)] == whole[40:70]


def test_a_filtered_walk_and_a_search_page_the_same_way(stored: Any) -> None:
    for where in (
        CaseFilter(state="open", severity="general", sort=SortKey.RECEIVED, descending=True),
        CaseFilter(state=None, search="Murphy", sort=SortKey.REFERENCE),
        CaseFilter(state="open", severity="serious", sort=SortKey.ASSIGNED_TO, descending=True),
    ):
        whole = [row.id for row in stored.casework.list_cases(where, limit=10_000)]
        assert whole, where
        assert walked(stored, where, 6) == whole


@pytest.mark.parametrize(("key", "down"), ORDERS)
@pytest.mark.parametrize("state", [None, "open"])
def test_every_page_is_read_through_its_orders_index(
    stored: Any, key: SortKey, down: bool, state: str | None
) -> None:
    where = CaseFilter(state=state, sort=key, descending=down)
    page = stored.casework.list_cases(where, limit=20)
    plans: list[str] = []
    with stored.store.read() as conn:

        def explain(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
            if statement.lstrip().upper().startswith("SELECT") and "FROM cases" in statement:
                rows = conn.connection.driver_connection.execute(
                    "EXPLAIN QUERY PLAN " + statement, params
                ).fetchall()
                plans.append(" / ".join(str(r[3]) for r in rows))

        from sqlalchemy import event

        event.listen(conn, "before_cursor_execute", explain)
        for after in (None, page[-1].mark):
            case_table.list_cases(conn, where, after=after, limit=20)
        event.remove(conn, "before_cursor_execute", explain)
    assert plans
    for plan in plans:
        assert "TEMP B-TREE" not in plan, plan
        assert "ix_cases_order_" in plan or "ix_cases_state_order_" in plan, plan


def test_streamed_json_is_the_bytes_of_one_indented_dump(stored: Any) -> None:
    documents = stored.casework.documents()
    streamed = "".join(indented_array(stored.casework.stream_documents()))
    assert streamed == json.dumps(documents, ensure_ascii=False, indent=2) + "\n"
    assert "".join(indented_array([])) == json.dumps([], indent=2) + "\n"
    odd = [{"n": 2**70, "s": 'Zoë \u2028 "q" \\', "f": 2.5, "e": [], "o": {}}]
    assert "".join(indented_array(odd)) == json.dumps(odd, ensure_ascii=False, indent=2) + "\n"


def test_a_filtered_stream_is_the_filters_documents_in_its_order(stored: Any) -> None:
    where = CaseFilter(state="open", sort=SortKey.RECEIVED, descending=True)
    ids = [row.id for row in stored.casework.list_cases(where, limit=10_000)]
    streamed = list(stored.casework.stream_documents(where))
    assert [d["id"] for d in streamed] == ids
    by_id = {d["id"]: d for d in stored.casework.documents()}
    assert streamed == [by_id[i] for i in ids]
    with stored.store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == len(by_id)

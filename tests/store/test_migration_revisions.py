"""Each migration in versions/, run on a real SQLCipher store left at the revision before it with
rows in it (rows today's code wrote, cut to the columns that revision had): the rows survive, the
new structure is there, and today's code then opens the store and reads its cases back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, insert, select, text, update

from asb_desktop.app import services_for
from asb_desktop.domain.search_folding import fold_for_search
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import DATABASE_FILE, Store
from asb_desktop.store.migrate import current_revision
from asb_desktop.store.migrations import HEAD_REVISION
from asb_desktop.store.tables import metadata
from tests.store.store_support import (
    SAMPLE_ACTOR,
    SAMPLE_CLOCK,
    SEARCH_INDEX,
    TEST_KEYS,
    alembic_config,
    column_names,
    engine_for,
    indexes,
    migrate_to,
    revisions,
    table_names,
    write_sample_content,
)


@dataclass(frozen=True)
class Written:
    """What today's code wrote into a store at head: every table's rows, the search index's
    entries by search key, and what a reader should find."""

    rows: dict[str, list[dict[str, Any]]]
    search: dict[int, str]
    expected: dict[str, Any]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    store = Store.open(tmp_path_factory.mktemp("today"), TEST_KEYS)
    services = services_for(store, actor=SAMPLE_ACTOR, clock=lambda: SAMPLE_CLOCK)
    try:
        expected = write_sample_content(services)
        with store.read() as conn:
            rows = {
                name: [dict(row) for row in conn.execute(select(table)).mappings()]
                for name, table in metadata.tables.items()
            }
            entries = conn.execute(text(f"SELECT rowid, body FROM {SEARCH_INDEX}"))
            search = {key: body for key, body in entries}
    finally:
        services.close()
    return Written(rows, search, expected)


def _put(conn: Connection, written: Written) -> dict[str, list[dict[str, Any]]]:
    """Today's rows into the tables this revision has, cut to its columns; returns what was put."""
    present = table_names(conn)
    put: dict[str, list[dict[str, Any]]] = {}
    for name, rows in written.rows.items():
        if name not in present or not rows:
            continue
        columns = set(column_names(conn, name))
        cut = [{k: v for k, v in row.items() if k in columns} for row in rows]
        table = metadata.tables[name]
        if name == "sync_state":  # its one row is made by the migration that makes the table
            conn.execute(update(table).where(table.c.id == 1).values(**cut[0]))
        else:
            conn.execute(insert(table), cut)
        put[name] = cut
    if SEARCH_INDEX in present:
        case_of = {row["search_key"]: row["id"] for row in written.rows["cases"]}
        if "case_id" in column_names(conn, SEARCH_INDEX):  # before 0004: keyed by the case's id
            entries = [{"id": case_of[key], "body": body} for key, body in written.search.items()]
            sql = f"INSERT INTO {SEARCH_INDEX} (case_id, body) VALUES (:id, :body)"
        else:
            entries = [{"id": key, "body": body} for key, body in written.search.items()]
            sql = f"INSERT INTO {SEARCH_INDEX} (rowid, body) VALUES (:id, :body)"
        conn.execute(text(sql), entries)
    return put


def _read(conn: Connection, name: str, columns: list[str]) -> list[dict[str, Any]]:
    table = metadata.tables[name]
    query = select(*[table.c[c] for c in columns]).order_by(*table.primary_key.columns)
    return [dict(row) for row in conn.execute(query).mappings()]


def _by_key(name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = [c.name for c in metadata.tables[name].primary_key.columns]
    return sorted(rows, key=lambda row: [row[k] for k in keys])


def _search_finds(conn: Connection, words: str) -> list[str]:
    if "case_id" in column_names(conn, SEARCH_INDEX):
        query = f"SELECT case_id FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH :q"
    else:
        query = (
            f"SELECT cases.id FROM {SEARCH_INDEX} JOIN cases ON cases.search_key = "
            f"{SEARCH_INDEX}.rowid WHERE {SEARCH_INDEX} MATCH :q"
        )
    return list(conn.execute(text(query), {"q": words}).scalars())


# --- what each revision adds ---------------------------------------------------------------------


def _first_schema(conn: Connection, written: Written) -> None:
    assert {"cases", "audit_log", "outbox", "directory", "settings", "drafts"} <= table_names(conn)
    assert column_names(conn, SEARCH_INDEX) == ["case_id", "body"]
    assert indexes(conn, "cases") == {
        "ix_cases_officer_due": ["assigned_to", "state", "response_due_at"],
        "ix_cases_state_due": ["state", "response_due_at"],
        "ix_cases_received": ["received_at"],
        "ix_cases_scheme": ["supported_scheme", "received_at"],
    }
    assert indexes(conn, "audit_log") == {"ix_audit_case": ["case_id", "seq"]}
    assert indexes(conn, "outbox") == {"ix_outbox_state": ["state", "seq"]}


def _sync_tables(conn: Connection, written: Written) -> None:
    state = conn.execute(text("SELECT * FROM sync_state")).mappings().one()
    assert dict(state) == {
        "id": 1,
        "checkpoint": 0,
        "directory_version": 0,
        "device_token": None,
        "last_attempt_at": None,
        "last_success_at": None,
        "last_error": None,
        "error_kind": None,
        "failures": 0,
        "next_attempt_at": None,
    }
    assert column_names(conn, "sync_inflight") == [
        "op_id",
        "outbox_seq",
        "case_id",
        "body",
        "first_sent_at",
    ]
    assert "choice" in column_names(conn, "sync_conflicts")
    assert indexes(conn, "sync_conflicts") == {"ix_sync_conflicts_case": ["case_id", "id"]}
    assert indexes(conn, "outbox")["ix_outbox_case"] == ["case_id", "state", "seq"]


def _sync_bases(conn: Connection, written: Written) -> None:
    assert column_names(conn, "sync_bases") == ["case_id", "base_op_id"]
    assert conn.execute(text("SELECT count(*) FROM sync_bases")).scalar_one() == 0


def _search_key(conn: Connection, written: Written) -> None:
    keys = conn.execute(text("SELECT rowid, search_key FROM cases")).all()
    assert keys and all(rowid == key for rowid, key in keys)
    assert indexes(conn, "cases")["ix_cases_search_key"] == ["search_key"]
    unique = {row[1]: row[2] for row in conn.execute(text("PRAGMA index_list(cases)"))}
    assert unique["ix_cases_search_key"] == 1
    assert column_names(conn, SEARCH_INDEX) == ["body"]
    entries = conn.execute(
        text(
            f"SELECT cases.id, {SEARCH_INDEX}.body FROM cases "
            f"JOIN {SEARCH_INDEX} ON {SEARCH_INDEX}.rowid = cases.search_key"
        )
    )
    case_of = {row["search_key"]: row["id"] for row in written.rows["cases"]}
    assert {case_id: body for case_id, body in entries} == {
        case_of[key]: body for key, body in written.search.items()
    }


def _indexes_carry_the_search_key(conn: Connection, written: Written) -> None:
    assert indexes(conn, "cases") == {
        "ix_cases_search_key": ["search_key"],
        "ix_cases_state_due_search": ["state", "response_due_at", "search_key"],
        "ix_cases_officer_due_search": ["assigned_to", "state", "response_due_at", "search_key"],
        "ix_cases_received": ["received_at"],
        "ix_cases_scheme": ["supported_scheme", "received_at"],
    }


def _row_words_back_filled(conn: Connection, written: Written) -> None:
    """Each row's complainant and latest incident, read from its document, are what today's
    code writes beside a new case (none for an anonymous complainant)."""
    columns = ("id", "anonymous", "complainant_name", "latest_incident")
    found = _read(conn, "cases", list(columns))
    expected = _by_key("cases", [{c: row[c] for c in columns} for row in written.rows["cases"]])
    assert found == expected
    assert all(row["latest_incident"] for row in found)
    assert any(row["complainant_name"] for row in found)
    assert all(row["complainant_name"] is None for row in found if row["anonymous"])


def _search_index_folded(conn: Connection, written: Written) -> None:
    entries = dict(conn.execute(text(f"SELECT rowid, body FROM {SEARCH_INDEX}")).all())
    assert entries == {key: fold_for_search(body) for key, body in written.search.items()}
    assert all(body == fold_for_search(body) for body in entries.values())
    assert column_names(conn, SEARCH_INDEX) == ["body"]


def _conflict_people(conn: Connection, written: Written) -> None:
    """Conflicts kept from before say no one (not known) and keep offering the choice."""
    columns = column_names(conn, "sync_conflicts")
    added = ["device_id", "user_name", "device_name", "server_user_id", "server_user_name",
             "server_device_id", "server_device_name", "may_settle"]  # fmt: skip
    assert columns[-len(added) :] == added
    rows = conn.execute(text("SELECT * FROM sync_conflicts")).mappings().all()
    assert [row["id"] for row in rows] == written.expected["conflicts"]
    for row in rows:
        assert row["may_settle"] == 1
        assert all(row[name] is None for name in added[:-1])


def _next_due_and_complainant_key(conn: Connection, written: Written) -> None:
    """Each row's first outstanding deadline and complainant key, from its document, are what
    today's code writes beside a new case; the overdue filter and the Case Review use them."""
    assert indexes(conn, "cases")["ix_cases_state_next_due"] == ["state", "next_due_at"]
    assert indexes(conn, "cases")["ix_cases_complainant_key"] == ["complainant_key"]
    columns = ("id", "anonymous", "next_due_at", "complainant_key")
    found = _read(conn, "cases", list(columns))
    expected = _by_key("cases", [{c: row[c] for c in columns} for row in written.rows["cases"]])
    assert found == expected
    assert any(row["next_due_at"] for row in found)
    assert all(row["complainant_key"] is None for row in found if row["anonymous"])


def _actions_risk_and_kinds(conn: Connection, written: Written) -> None:
    """Each row's first outstanding action, latest risk level and kinds of ASB, from its
    document, are what today's code writes beside a new case (the caseload's filters)."""
    assert indexes(conn, "cases")["ix_cases_state_actions_due"] == ["state", "actions_due_at"]
    columns = ("id", "actions_due_at", "risk_level", "asb_types")
    found = _read(conn, "cases", list(columns))
    expected = _by_key("cases", [{c: row[c] for c in columns} for row in written.rows["cases"]])
    assert found == expected
    assert [row["risk_level"] for row in found if row["risk_level"]] == ["high"]
    assert [row["asb_types"] for row in found if row["asb_types"]] == ["|drugs|noise|"]
    assert sum(1 for row in found if row["actions_due_at"]) == 1


def _attachment_tables(conn: Connection, written: Written) -> None:
    """Evidence starts empty beside the kept cases: chunks by hash and sequence, rows by case."""
    assert column_names(conn, "attachment_chunks") == ["sha256", "seq", "data"]
    assert column_names(conn, "attachments") == ["id", "case_id", "sha256", "size", "added_at"]
    assert indexes(conn, "attachments")["ix_attachments_case"] == ["case_id"]
    assert conn.execute(text("SELECT count(*) FROM attachments")).scalar() == 0
    assert len(_read(conn, "cases", ["id"])) == len(written.rows["cases"])


def _team_view_columns(conn: Connection, written: Written) -> None:
    """The team view's columns, from each row's document, are what today's code writes beside a
    new case; its two covering indexes are there."""
    found_indexes = indexes(conn, "cases")
    assert found_indexes["ix_cases_team_period"][0] == "assigned_to"
    assert found_indexes["ix_cases_team_months"][0] == "received_at"
    assert found_indexes["ix_cases_team_open"][:2] == ["state", "assigned_to"]
    columns = ("id", "nsir_category", "update_due_at", "review_eligible")
    found = _read(conn, "cases", list(columns))
    expected = _by_key("cases", [{c: row[c] for c in columns} for row in written.rows["cases"]])
    assert found == expected


def _evidence_uploads(conn: Connection, written: Written) -> None:
    """Nothing has been sent yet: every attachment kept here waits for the next sync."""
    assert column_names(conn, "evidence_uploads") == ["attachment_id", "state", "at", "last_error"]
    assert conn.execute(text("SELECT count(*) FROM evidence_uploads")).scalar() == 0
    hashes = ["sha256", "seq", "chunk_sha256"]
    assert column_names(conn, "attachment_chunk_hashes") == hashes
    assert len(_read(conn, "cases", ["id"])) == len(written.rows["cases"])


def _caseload_order_indexes(conn: Connection, written: Written) -> None:
    """Every order the caseload offers has its index, ties by id; the rows are untouched."""
    found = indexes(conn, "cases")
    assert found["ix_cases_order_state"] == ["state", "id"]
    for column in ("reference", "received_at", "severity", "assigned_to", "response_due_at"):
        assert found[f"ix_cases_order_{column}"] == [column, "id"]
        assert found[f"ix_cases_state_order_{column}"] == ["state", column, "id"]
    assert "ix_cases_received" not in found, "(received_at, id) serves what it did"
    assert len(_read(conn, "cases", ["id"])) == len(written.rows["cases"])


def _fewer_case_indexes(conn: Connection, written: Written) -> None:
    """Two indexes folded into the caseload orders' indexes that lead with the same columns:
    each order keeps its (column, id) lead, the rest after the id; the rows are untouched."""
    found = indexes(conn, "cases")
    for gone in ("ix_cases_state_due_search", "ix_cases_team_months"):
        assert gone not in found, gone
    assert found["ix_cases_state_order_response_due_at"] == [
        "state",
        "response_due_at",
        "id",
        "search_key",
    ]
    assert found["ix_cases_order_received_at"] == [
        "received_at",
        "id",
        "severity",
        "responded_at",
        "response_due_at",
    ]
    assert len(found) == 19  # and SQLite's own two: the id and the reference
    assert len(_read(conn, "cases", ["id"])) == len(written.rows["cases"])


NEW_STRUCTURE: dict[str, Callable[[Connection, Written], None]] = {
    "0001": _first_schema,
    "0002": _sync_tables,
    "0003": _sync_bases,
    "0004": _search_key,
    "0005": _indexes_carry_the_search_key,
    "0006": _row_words_back_filled,
    "0007": _search_index_folded,
    "0008": _conflict_people,
    "0009": _next_due_and_complainant_key,
    "0010": _actions_risk_and_kinds,
    "0011": _attachment_tables,
    "0012": _evidence_uploads,
    "0013": _team_view_columns,
    "0014": _caseload_order_indexes,
    "0015": _fewer_case_indexes,
}


def test_every_revision_in_versions_has_an_upgrade_test() -> None:
    assert [revision for revision, _ in revisions()] == list(NEW_STRUCTURE)


@pytest.mark.parametrize(("revision", "before"), revisions(), ids=[r for r, _ in revisions()])
def test_a_store_at_the_revision_before_keeps_its_rows_through_the_upgrade(
    revision: str, before: str | None, written: Written, tmp_path: Path
) -> None:
    engine = engine_for(tmp_path / DATABASE_FILE)
    try:
        with engine.begin() as conn:
            if before is not None:
                migrate_to(conn, before)
            put = _put(conn, written) if before is not None else {}
            found_before = _search_finds(conn, written.expected["search"]["text"]) if put else []
        with engine.begin() as conn:
            migrate_to(conn, revision)
        with engine.connect() as conn:
            assert current_revision(conn) == revision
            for name, rows in put.items():
                assert _read(conn, name, list(rows[0])) == _by_key(name, rows), name
            NEW_STRUCTURE[revision](conn, written)
            if put:
                found = _search_finds(conn, written.expected["search"]["text"])
                assert found == found_before == written.expected["search"]["finds"]
    finally:
        engine.dispose()

    store = Store.open(tmp_path, TEST_KEYS)  # today's code takes it the rest of the way
    services = services_for(store, actor=SAMPLE_ACTOR, clock=lambda: SAMPLE_CLOCK)
    try:
        with store.read() as conn:
            assert current_revision(conn) == HEAD_REVISION
        if put:
            expected = written.expected
            documents = {d["id"]: d for d in services.casework.documents()}
            assert documents == expected["cases"]
            check = services.casework.verify_audit()
            assert check.intact and check.rows == expected["audit_rows"]
            search = CaseFilter(search=expected["search"]["text"])
            assert [row.id for row in services.casework.list_cases(search)] == expected["search"][
                "finds"
            ]
    finally:
        services.close()


def test_0015_goes_back_to_the_indexes_0014_made(tmp_path: Path) -> None:
    """Its downgrade gives back exactly the indexes it folded, and the orders' narrow ones."""
    engine = engine_for(tmp_path / DATABASE_FILE)
    try:
        with engine.begin() as conn:
            migrate_to(conn, "0014")
            made_by_0014 = indexes(conn, "cases")
            migrate_to(conn, "0015")
            assert indexes(conn, "cases") != made_by_0014
            command.downgrade(alembic_config(conn), "0014")
            assert current_revision(conn) == "0014"
            assert indexes(conn, "cases") == made_by_0014
    finally:
        engine.dispose()

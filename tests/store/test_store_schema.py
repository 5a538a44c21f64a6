"""The migrations build exactly the tables store/tables.py describes, on a real SQLCipher file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Column, Index, MetaData, Text, text

from asb_desktop.store import sync_state, tables
from asb_desktop.store.database import Store
from asb_desktop.store.migrate import current_revision
from asb_desktop.store.migrations import HEAD_REVISION
from tests.store.store_support import (
    SEARCH_INDEX,
    TEST_KEYS,
    column_names,
    schema_differences,
    table_names,
)


def test_a_fresh_store_at_head_matches_the_tables_the_code_describes(tmp_path: Path) -> None:
    store = Store.open(tmp_path, TEST_KEYS)
    try:
        with store.read() as conn:
            assert current_revision(conn) == HEAD_REVISION
            assert schema_differences(conn) == []
    finally:
        store.close()


def test_the_one_table_left_out_of_the_comparison_is_the_search_index(tmp_path: Path) -> None:
    store = Store.open(tmp_path, TEST_KEYS)
    try:
        with store.read() as conn:
            on_disk = table_names(conn) - {"alembic_version", "sqlite_sequence"}
            left_out = on_disk - set(tables.metadata.tables)
            shadows = {
                f"{SEARCH_INDEX}_{part}" for part in ("data", "idx", "content", "docsize", "config")
            }
            assert left_out == {SEARCH_INDEX} | shadows
            sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": SEARCH_INDEX}
            ).scalar_one()
            assert "USING fts5" in sql
            assert column_names(conn, SEARCH_INDEX) == ["body"]  # keyed by rowid = cases.search_key
    finally:
        store.close()


def _kinds(differences: list[Any]) -> set[tuple[str, str]]:
    """(what autogenerate would do, to which table/column/index), flattened."""
    found: set[tuple[str, str]] = set()
    for difference in differences:
        if isinstance(difference, list):  # column modifications come grouped per column
            found |= {(d[0], f"{d[2]}.{d[3]}") for d in difference}
        elif difference[0].endswith("_column"):
            found.add((difference[0], f"{difference[2]}.{difference[3].name}"))
        else:
            found.add((difference[0], difference[1].name))
    return found


def test_the_comparison_sees_index_names_columns_types_and_nullability(tmp_path: Path) -> None:
    altered = MetaData()
    for table in tables.metadata.sorted_tables:
        table.to_metadata(altered)
    altered.tables["drafts"].c.payload.nullable = True
    altered.tables["outbox"].c.attempts.type = Text()
    altered.tables["settings"].append_column(Column("note", Text))
    outbox = altered.tables["outbox"]
    (index,) = [i for i in outbox.indexes if i.name == "ix_outbox_case"]
    outbox.indexes.remove(index)
    Index("ix_outbox_case_renamed", outbox.c.case_id, outbox.c.state, outbox.c.seq)
    store = Store.open(tmp_path, TEST_KEYS)
    try:
        with store.read() as conn:
            found = _kinds(schema_differences(conn, altered))
    finally:
        store.close()
    assert found == {
        ("modify_nullable", "drafts.payload"),
        ("modify_type", "outbox.attempts"),
        ("add_column", "settings.note"),
        ("add_index", "ix_outbox_case_renamed"),
        ("remove_index", "ix_outbox_case"),
    }


def test_sync_tables_are_on_the_same_metadata_as_the_cases() -> None:
    for table in (
        sync_state.sync_state,
        sync_state.sync_inflight,
        sync_state.sync_conflicts,
        sync_state.sync_bases,
    ):
        assert table.metadata is tables.metadata
        assert tables.metadata.tables[table.name] is table

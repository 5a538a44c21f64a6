"""A push larger than one write of new rows (`push_handler.SEND_EVERY`): every row is stored
once, in order, and what a later op of the same batch reads back (the audit for who set a value,
a case row to update) is there, although its rows were written while the batch went on.
`db.insert_rows` itself: a taken key fails the whole transaction, and the connection is usable
after. And an applied answer written as text (`push_handler.applied_text`) is the answer
pydantic would write."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg.errors import UniqueViolation
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from asb_central.db import Database, database_url, insert_rows
from asb_central.push_handler import SEND_EVERY, applied_text
from asb_central.records import dumps
from asb_central.tables import settings as settings_table
from asb_desktop.sync.protocol import OpResult
from tests.central.central_support import (
    BACKENDS,
    Device,
    Server,
    admin,
    case_document,
    fresh_database,
    op,
    query,
)


def test_a_batch_of_several_hand_offs_stores_every_row_once_and_in_order(central: Server) -> None:
    officer = Device(central, "s-ho", name="Laptop A")
    leader = Device(central, "s-tl", name="Laptop B")
    docs = [
        case_document(estate="EST-NORTH", frequency="weekly") for _ in range(2 * SEND_EVERY + 7)
    ]
    first = docs[0]
    [made] = officer.push(op(first))
    batch = [op(d) for d in docs[1:]]
    batch.append(op(dict(first, frequency="daily"), made["revision"]))  # after two hand-offs
    batch.append(op(dict(first, frequency="hourly")))  # no base: a conflict, read from the audit
    batch.append(op(dict(docs[1], frequency="monthly"), 1))  # made in this batch, already sent
    answers = leader.push(*batch)
    assert all(a["status"] == "applied" for a in answers), answers[0]
    assert [a["revision"] for a in answers[-3:]] == [2, 3, 2]
    assert answers[-1]["document"]["frequency"] == "monthly"
    [conflict] = answers[-2]["conflicts"]
    assert (conflict["server_value"], conflict["device_value"]) == ("daily", "hourly")
    assert (conflict["server_user_id"], conflict["server_device_id"]) == ("s-tl", leader.device_id)
    numbers = [a["change_number"] for a in answers]
    assert numbers == [made["change_number"] + 1 + n for n in range(len(batch))]
    references = sorted(a["reference"] for a in [made, *answers[:-3]])
    assert len(set(references)) == len(docs)
    ids = {d["id"] for d in docs}

    def stored() -> tuple[dict[str, tuple[int, int]], list[int], set[str]]:
        rows = query(central, "SELECT id, revision, change_number FROM cases")
        audit = query(central, "SELECT case_id, change_number FROM case_audit")
        held = {row[0] for row in query(central, "SELECT op_id FROM ops")}
        return (
            {row[0]: (row[1], row[2]) for row in rows if row[0] in ids},
            sorted(row[1] for row in audit if row[0] in ids),
            held,
        )

    case_rows, audit_numbers, held = stored()
    assert len(case_rows) == len(ids)
    assert case_rows[first["id"]] == (3, numbers[-2])
    assert case_rows[docs[1]["id"]] == (2, numbers[-1])
    [[text_stored]] = query(central, "SELECT document FROM cases WHERE id = :i", i=docs[1]["id"])
    assert json.loads(text_stored) == answers[-1]["document"]
    assert audit_numbers == [made["change_number"], *numbers]
    assert {o["op_id"] for o in batch} <= held
    assert leader.push(*batch) == answers  # each answer stored as it was given, stored once
    assert stored() == (case_rows, audit_numbers, held)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failed_write_is_raised_and_rolls_back_the_whole_transaction(
    backend: str, tmp_path: Path
) -> None:
    with fresh_database(backend, tmp_path) as db_url:
        admin(db_url, "init-db")
        db = Database(database_url(db_url))
        try:
            with pytest.raises((IntegrityError, UniqueViolation)), db.write() as conn:
                insert_rows(conn, settings_table, [{"key": "bench-a", "value": "1"}])
                insert_rows(conn, settings_table, [{"key": "bench-a", "value": "2"}])  # taken
            with db.write() as conn:  # rolled back whole; the connection is usable again
                insert_rows(conn, settings_table, [{"key": "bench-b", "value": "1"}])
            with db.read() as conn:
                keys = {row.key for row in conn.execute(settings_table.select())}
            assert "bench-b" in keys and "bench-a" not in keys
        finally:
            db.dispose()


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(
    document=st.dictionaries(st.text(), JSON_VALUES, max_size=6),
    revision=st.integers(1, 10**9),
    number=st.integers(1, 2**62),
)
def test_an_applied_answer_written_as_text_is_the_answer_pydantic_writes(
    document: dict[str, Any], revision: int, number: int
) -> None:
    op_id, case_id = uuid.uuid4(), uuid.uuid4()
    row = {"revision": revision, "reference": "ASB-2026-000042", "change_number": number,
           "document": dumps(document)}  # fmt: skip
    text = applied_text(str(op_id), str(case_id), row)
    model = OpResult(op_id=op_id, case_id=case_id, status="applied", code=200,
                     revision=revision, reference="ASB-2026-000042", change_number=number,
                     document=document)  # fmt: skip
    assert json.loads(text) == json.loads(model.model_dump_json())
    assert list(json.loads(text)) == list(json.loads(model.model_dump_json()))  # key order
    assert OpResult.model_validate_json(text) == model


@pytest.mark.postgres
def test_the_json_columns_are_compressed_with_lz4_on_postgresql(tmp_path: Path) -> None:
    """Migration 0012: pglz was a third of the database's CPU for a push; the text is the same."""
    with fresh_database("postgres", tmp_path) as db_url:
        admin(db_url, "init-db")
        db = Database(database_url(db_url))
        try:
            with db.read() as conn:
                found = conn.execute(
                    text(
                        "SELECT c.relname, a.attname, a.attcompression FROM pg_attribute a "
                        "JOIN pg_class c ON c.oid = a.attrelid WHERE (c.relname, a.attname) IN "
                        "(('cases', 'document'), ('case_audit', 'document'), ('ops', 'result'), "
                        "('ops', 'facts'))"
                    )
                ).all()
        finally:
            db.dispose()
    assert sorted(tuple(row) for row in found) == [
        ("case_audit", "document", "l"),
        ("cases", "document", "l"),
        ("ops", "facts", "l"),
        ("ops", "result", "l"),
    ]

"""A case the central store only named (its reference, the enrolled user as `recorded_by`) is
stored from the answer without being worked out again (store/acknowledged.py): what the laptop
then holds must be exactly what storing the server's copy in full gives."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select, text

from asb_desktop.store.audit import verify
from asb_desktop.store.cases import ServerCopy, _server_columns
from asb_desktop.store.tables import cases
from tests.sync.sync_support import Laptop, Server

Factory = Callable[..., Laptop]
NOT_FROM_THE_DOCUMENT = {"id", "revision", "created_at", "updated_at", "search_key"}


def test_a_case_only_named_by_the_answer_is_held_as_its_full_copy_would_be(
    central: Server, laptop_factory: Factory
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    laptop.sync.sync()  # the central directory first: the answers then only name the cases
    ids = laptop.record(3, estate="EST-NORTH")
    summary = laptop.sync.sync()
    assert summary.ok and summary.references == 3
    with laptop.store.read() as conn:
        rows = {r.id: r._asdict() for r in conn.execute(select(cases))}
        search = dict(conn.execute(text("SELECT rowid, body FROM case_search")).all())
        assert verify(conn).intact
    for case_id in ids:
        row = rows[case_id]
        document = json.loads(row["document"])
        assert document["reference"] == row["reference"] and document["recorded_by"] == "s-ho"
        full = _server_columns(ServerCopy(document, row["reference"], row["server_revision"]))
        assert search[row["search_key"]] == full.pop("_search")
        assert row["reference"].lower() in search[row["search_key"]].splitlines()[0]
        for column, value in full.items():
            if column not in NOT_FROM_THE_DOCUMENT:
                assert row[column] == value, column
        assert row["revision"] == 2  # recorded, then named by the central store


def test_a_named_case_is_found_by_its_reference(central: Server, laptop_factory: Factory) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    laptop.sync.sync()
    [case_id] = laptop.record(1, estate="EST-NORTH")
    laptop.sync.sync()
    reference, _revision, _document = laptop.local_cases()[case_id]
    assert reference is not None
    with laptop.store.read() as conn:
        found = (
            conn.execute(
                text(
                    "SELECT cases.id FROM case_search JOIN cases ON cases.search_key = case_search.rowid "
                    "WHERE case_search MATCH :q"
                ),
                {"q": f'"{reference.lower()}"'},
            )
            .scalars()
            .all()
        )
    assert found == [case_id]

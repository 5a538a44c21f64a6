"""The window's first page read on the driver alone (store/first_page.py, issue 17) is the page
SQLAlchemy's path reads: the same rows in the same order and, in words, the same lines, on a
varied store (accented and anonymous complainants, closed cases, responses met and missed,
overdue and future deadlines, ties at the page's edge, officers and places the directory does
not know, another nation's bank holidays). A store to migrate, a passphrase, a wrong key or a
new store take `Store.open`'s own path, with its words."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update

from asb_desktop.app import services_for
from asb_desktop.domain.calendar import Nation, WorkingDayCalendar
from asb_desktop.services import casework as casework_module
from asb_desktop.services import lock as lock_module
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store, StoreError
from asb_desktop.store.first_page import (
    FIRST_FILTER,
    FIRST_PAGE_ROWS,
    NATION_SETTING,
    PIN_SETTING,
)
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.store.sqlcipher_connect import WRONG_KEY_MESSAGE
from asb_desktop.store.tables import cases
from asb_desktop.support.synthetic import synthetic_cases
from asb_desktop.ui.caseload.caseload_model import PAGE_SIZE, describe, describe_row, places_of
from tests.paths import REPO
from tests.store.store_support import TEST_KEY, TEST_KEYS, engine_for, migrate_to

NOW = datetime(2026, 1, 15, 10, 30, tzinfo=UTC)
ACCENTED = ["Zoë Ångström-Núñez", "Siân Ó Ceallaigh", "Łukasz Żółć", "Renée Çelik"]


def _varied_documents() -> list[dict[str, Any]]:
    documents = synthetic_cases(320, seed=17)
    for n, document in enumerate(documents):
        received = datetime.fromisoformat(document["received_at"])
        if n % 7 == 0:
            document["status"] = {"state": "closed", "reason": "Resolved"}
        if n % 5 == 1:  # answered in time, or (every other) too late
            late = timedelta(days=40) if n % 10 == 1 else timedelta(hours=20)
            document["first_response"] = {
                "at": (received + late).isoformat(timespec="seconds"),
                "by": "s-ha",
                "summary": "Called the resident back",
            }
        if n % 11 == 2 and not document["complainant"]["anonymous"]:
            document["complainant"]["name"] = ACCENTED[n % len(ACCENTED)]
    return documents


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("first-page") / "data"
    services = services_for(Store.open(folder, TEST_KEYS), actor="test", clock=lambda: NOW)
    directory = json.loads((REPO / "resources" / "demo" / "directory.json").read_text())
    services.casework.import_directory(directory)
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(_varied_documents())]
    )
    services.lock.set_pin("2468")
    services.casework.set_nation(Nation.SCOTLAND)
    with services.store.write() as conn:
        ids = sorted(conn.execute(text("SELECT id FROM cases WHERE state = 'open'")).scalars())
        # An officer and a place the directory does not name, and cases awaiting assignment.
        conn.execute(update(cases).where(cases.c.id.in_(ids[::13])).values(assigned_to="s-zz"))
        conn.execute(update(cases).where(cases.c.id.in_(ids[5::17])).values(estate="ZZ-UNKNOWN"))
        conn.execute(update(cases).where(cases.c.id.in_(ids[3::19])).values(assigned_to=None))
        # A run of ties across the page's edge: there the order falls back on the id.
        ordered = list(
            conn.execute(
                text(
                    "SELECT id, response_due_at FROM cases WHERE state = 'open' "
                    "ORDER BY response_due_at, id"
                )
            )
        )
        edge_value = ordered[FIRST_PAGE_ROWS - 1][1]
        tied = [row[0] for row in ordered[FIRST_PAGE_ROWS - 12 : FIRST_PAGE_ROWS + 12]]
        conn.execute(update(cases).where(cases.c.id.in_(tied)).values(response_due_at=edge_value))
    services.close()
    return folder


def test_the_first_page_is_the_page_sqlalchemy_reads(varied: Path) -> None:
    store, first = Store.open_for_window(varied, TEST_KEYS)
    try:
        assert first is not None
        services = services_for(store, actor="test", clock=lambda: NOW)
        expected = services.casework.list_cases(FIRST_FILTER, limit=PAGE_SIZE)
        assert len(expected) == PAGE_SIZE == FIRST_PAGE_ROWS
        assert first.rows == expected  # every field, the page marks too
        assert first.directory == services.casework.directory()
        assert first.nation is Nation.SCOTLAND is services.casework.calendar().nation
        assert first.has_pin and services.lock.has_pin()

        directory = first.directory
        names, places = {s.id: s.name for s in directory.staff}, places_of(directory)
        calendar = WorkingDayCalendar(first.nation)
        raw = [describe_row(r, names, places, NOW, calendar, r.risk_level) for r in first.rows]
        full = [describe(r, names, places, NOW, services, r.risk_level) for r in expected]
        assert raw == full
        # The store really is varied where the words differ.
        dues = " ".join(line.cells[8] for line in raw)
        assert "overdue" in dues and "(met)" in dues and "(missed)" in dues
        assert any(line.cells[1] in ACCENTED for line in raw)
        assert any(line.cells[1] == "Anonymous" for line in raw)
        assert any(line.cells[7] == "s-zz" for line in raw)
        assert any(line.cells[7] == "awaiting assignment" for line in raw)
        assert any(line.cells[2] == "ZZ-UNKNOWN" for line in raw)
        edge = [r.response_due_at for r in expected[-3:]]
        assert len(set(edge)) == 1  # the page ends inside a run of ties
        beyond = services.casework.list_cases(FIRST_FILTER, limit=PAGE_SIZE + 3)[-3:]
        assert {r.response_due_at for r in beyond} == set(edge)  # which goes on past it
    finally:
        store.close()


def test_the_first_page_reads_the_settings_the_services_keep() -> None:
    assert NATION_SETTING == casework_module.NATION_SETTING
    assert PIN_SETTING == lock_module.PIN_SETTING


def test_a_store_to_migrate_takes_the_full_path_and_is_migrated(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    engine = engine_for(folder / "cases.db")
    with engine.begin() as conn:
        migrate_to(conn, "0013")
    engine.dispose()
    (folder / "store.json").write_text(json.dumps({"key_source": TEST_KEY.source}))
    store, first = Store.open_for_window(folder, TEST_KEYS)
    try:
        assert first is None
        with store.read() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        from asb_desktop.store.migrations import HEAD_REVISION

        assert version == HEAD_REVISION
    finally:
        store.close()


def test_a_wrong_key_is_said_as_open_says_it(varied: Path) -> None:
    wrong = FixedKey(DatabaseKey.raw(bytes(32)))
    with pytest.raises(StoreError) as raised:
        Store.open_for_window(varied, wrong)
    assert str(raised.value) == WRONG_KEY_MESSAGE


def test_a_new_store_and_a_passphrase_store_are_opened_the_full_way(tmp_path: Path) -> None:
    store, first = Store.open_for_window(tmp_path / "new", TEST_KEYS)
    store.close()
    assert first is None
    phrase = FixedKey(DatabaseKey.passphrase("a long test passphrase"))
    Store.open(tmp_path / "phrase", phrase).close()
    store, first = Store.open_for_window(tmp_path / "phrase", phrase)
    store.close()
    assert first is None  # its key derivation would run twice

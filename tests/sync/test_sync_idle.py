"""A sync with nothing to do: the run's state is the only thing it writes, and the status it
hands back is the one the store then holds.

The state row and the counts a sync reads every run go through the driver's own cursor
(store/sync_state.py); what they read and write is what the SQLAlchemy statements did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from asb_desktop.store.database import Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.store.sync_state import load_state, save_state, sync_state
from tests.sync.sync_support import Laptop, Server


@contextmanager
def statements_run(store: Store) -> Iterator[list[str]]:
    """Every statement SQLite runs on the store's connections meanwhile (through SQLAlchemy or
    the driver's cursor alike)."""
    seen: list[str] = []

    def trace(dbapi_connection: Any, *_rest: Any) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(store.engine, "checkout", trace)
    try:
        yield seen
    finally:
        event.remove(store.engine, "checkout", trace)
        for record in list(store.engine.pool._pool.queue):  # type: ignore[attr-defined]
            if record.dbapi_connection is not None:
                record.dbapi_connection.set_trace_callback(None)


def _first_word(sql: str) -> str:
    return sql.lstrip().split(None, 1)[0].upper()


def test_a_sync_with_nothing_to_do_writes_only_its_state(
    central: Server, laptop_factory: Callable[..., Laptop]
) -> None:
    laptop = laptop_factory()
    laptop.enrol(central, "s-ho")
    laptop.record(2, estate="EST-NORTH")
    assert laptop.sync.sync().ok
    with laptop.store.read() as conn:
        before = load_state(conn)
    assert before.last_success_at is not None
    later = before.last_success_at + timedelta(hours=1)
    laptop.sync.engine.clock = lambda: later  # the run's time, seen in what it saves
    with statements_run(laptop.store) as seen:
        quiet = laptop.sync.sync()
    assert quiet.ok and quiet.sent == 0 and quiet.received == 0
    writes = [sql for sql in seen if _first_word(sql) in ("INSERT", "UPDATE", "DELETE")]
    assert len(writes) == 1 and writes[0].startswith("UPDATE sync_state SET")
    with laptop.store.read() as conn:
        after = load_state(conn)
    assert after.last_success_at == after.last_attempt_at == later
    assert after.checkpoint == before.checkpoint and after.failures == 0
    assert quiet.status == laptop.sync.status()  # read as the state was saved: the same
    assert quiet.status is not None and quiet.status.last_success_at == after.last_success_at


@pytest.fixture
def tmp_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "store", FixedKey(DatabaseKey.raw(b"k" * 32)))
    yield store
    store.close()


def test_the_state_row_is_saved_and_read_as_it_was(tmp_store: Store) -> None:
    moment = datetime(2026, 12, 2, 1, 30, 5, tzinfo=UTC)
    with tmp_store.write() as conn:
        save_state(
            conn, checkpoint=41, directory_version=7, last_attempt_at=moment,
            last_success_at=moment, last_error="The central store did not answer in time.",
            error_kind="offline", failures=2, next_attempt_at=moment,
        )  # fmt: skip
    with tmp_store.read() as conn:
        state = load_state(conn)
        row = conn.execute(select(sync_state).where(sync_state.c.id == 1)).mappings().one()
    assert (state.checkpoint, state.directory_version, state.failures) == (41, 7, 2)
    assert state.last_attempt_at == state.last_success_at == state.next_attempt_at == moment
    assert (state.last_error, state.error_kind) == (
        "The central store did not answer in time.",
        "offline",
    )
    assert row["last_success_at"] == "2026-12-02T01:30:05+00:00"  # UTC text, as before
    with tmp_store.write() as conn:
        save_state(conn, last_error=None, error_kind=None, next_attempt_at=None)
    with tmp_store.read() as conn:
        cleared = load_state(conn)
    assert cleared.last_error is None and cleared.next_attempt_at is None
    assert cleared.checkpoint == 41 and cleared.last_success_at == moment  # the rest kept
    with pytest.raises(TypeError, match="no column"), tmp_store.write() as conn:
        save_state(conn, checkpoint=1, not_a_column=3)
    with tmp_store.read() as conn:
        assert load_state(conn).checkpoint == 41  # nothing written

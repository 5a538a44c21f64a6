"""Each pooled connection keeps 32 MB of decrypted pages, and the pool hands out the one used
last, so one reading after another meets the pages the one before left (the team view's first
paint at 100,000 cases: benchmarks/README.md)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from asb_desktop.store.database import Store


def test_readings_in_turn_share_one_warm_connection(data_dir: Path, memory_keyring) -> None:
    store = Store.open(data_dir)
    try:
        with store.read() as first, store.read() as second:  # side by side: two in the pool
            assert first.connection.dbapi_connection is not second.connection.dbapi_connection
        seen = set()
        for _ in range(3):
            with store.read() as conn:
                seen.add(id(conn.connection.dbapi_connection))
                assert conn.execute(text("PRAGMA cache_size")).scalar_one() == -32768
        assert len(seen) == 1
    finally:
        store.close()

"""Write this release's store file, to be kept under tests/store/upgrade_stores/v<version>/.

    python3 -m tests.store.upgrade_stores.make_store [--replace]

Opens a new store with today's code under a fixed test key, writes a handful of synthetic cases
and what an officer and sync leave beside them (see tests/store/store_support.py), checkpoints
the write-ahead log into the file, and records the key and what a reader should find. A release's
folder, once committed, is never rewritten; --replace is for a release not yet published.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from asb_desktop import __version__
from asb_desktop.app import services_for
from asb_desktop.store.database import DATABASE_FILE, Store
from asb_desktop.store.migrations import HEAD_REVISION
from tests.store.store_support import (
    SAMPLE_ACTOR,
    SAMPLE_CLOCK,
    TEST_KEY,
    TEST_KEYS,
    write_sample_content,
)

KEPT = Path(__file__).parent
KEY_FILE = "test_key.json"
EXPECTED_FILE = "expected.json"
MAX_BYTES = 1_000_000
COMMAND = "python3 -m tests.store.upgrade_stores.make_store"


def release_folder(version: str = __version__) -> Path:
    return KEPT / f"v{version}"


def _checkpoint(store: Store) -> None:
    """Move everything in the write-ahead log into the file and empty the log."""
    raw = store.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        busy, _, _ = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        raw.close()
    if busy:
        raise SystemExit("the write-ahead log could not be checkpointed (the store is busy)")


def make_store(target: Path) -> dict[str, Any]:
    """Write the store in a scratch folder, then move it into place whole."""
    with tempfile.TemporaryDirectory() as scratch:
        made = Path(scratch) / target.name
        record = _write(made)
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(made, target)
    return record


def _write(folder: Path) -> dict[str, Any]:
    store = Store.open(folder, TEST_KEYS)
    services = services_for(store, actor=SAMPLE_ACTOR, clock=lambda: SAMPLE_CLOCK)
    try:
        expected = write_sample_content(services)
        _checkpoint(store)
    finally:
        services.close()
    leftovers = sorted(p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm")))
    if leftovers:
        raise SystemExit(f"the closed store left {', '.join(leftovers)} beside it")
    size = (folder / DATABASE_FILE).stat().st_size
    if size >= MAX_BYTES:
        raise SystemExit(f"the store file is {size} bytes; keep it under {MAX_BYTES}")
    key = {
        "about": (
            "A TEST KEY, published on purpose: it opens this file of synthetic cases and nothing "
            "else. A real store's key is kept in the OS keyring (or comes from a passphrase) and "
            "is never written down."
        ),
        "raw_key_hex": TEST_KEY.pragma_value.removeprefix("x'").removesuffix("'"),
    }
    (folder / KEY_FILE).write_text(json.dumps(key, indent=2) + "\n", encoding="utf-8")
    record = {
        "release": __version__,
        "schema_revision": HEAD_REVISION,
        "written_by": COMMAND,
        **expected,
    }
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    (folder / EXPECTED_FILE).write_text(text, encoding="utf-8")
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--replace", action="store_true", help="rewrite this release's folder (unpublished only)"
    )
    args = parser.parse_args(argv)
    target = release_folder()
    if target.exists() and not args.replace:
        print(f"{target} exists: a kept store is never rewritten (--replace if unpublished)")
        return 1
    record = make_store(target)
    size = (target / DATABASE_FILE).stat().st_size
    print(
        f"wrote {target} ({size} bytes): {len(record['cases'])} cases, "
        f"{len(record['drafts'])} draft(s), {record['audit_rows']} audit rows, "
        f"{len(record['outbox_ops'])} outbox ops, schema {record['schema_revision']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Today's code opens every store file kept from a past release (tests/store/upgrade_stores/):
its cases, drafts, settings, outbox and sync rows read back, its audit chain verifies, and its
schema is at head afterwards. Each test works on a copy; the kept files are never changed."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from asb_desktop import __version__
from asb_desktop.app import services_for
from asb_desktop.domain.case import EntryKind
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.database import DATABASE_FILE, Store
from asb_desktop.store.keys import DatabaseKey, FixedKey
from asb_desktop.store.migrate import current_revision
from asb_desktop.store.migrations import HEAD_REVISION
from asb_desktop.store.sync_state import all_inflight, list_conflicts, load_state
from asb_desktop.store.tables import outbox
from tests.store.store_support import schema_differences
from tests.store.upgrade_stores.make_store import (
    COMMAND,
    EXPECTED_FILE,
    KEPT,
    KEY_FILE,
    MAX_BYTES,
    release_folder,
)

# One folder per release, named by its version ("v0.1.0").
RELEASES = sorted(p for p in KEPT.iterdir() if p.is_dir() and re.fullmatch(r"v\d+\.\d+\S*", p.name))


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_this_release_has_kept_its_own_store_file() -> None:
    assert (release_folder() / DATABASE_FILE).is_file(), (
        f"no store file kept for release {__version__}: run `{COMMAND}` and commit the folder"
    )


@pytest.mark.parametrize("release", RELEASES, ids=[p.name for p in RELEASES])
def test_a_kept_file_is_encrypted_checkpointed_small_and_keyed_by_a_test_key(
    release: Path,
) -> None:
    database = release / DATABASE_FILE
    assert database.read_bytes()[:16] != b"SQLite format 3\x00"
    assert not (release / f"{DATABASE_FILE}-wal").exists()
    assert not (release / f"{DATABASE_FILE}-shm").exists()
    assert database.stat().st_size < MAX_BYTES
    key = _json(release / KEY_FILE)
    assert "TEST KEY" in key["about"]
    assert len(bytes.fromhex(key["raw_key_hex"])) == 32
    assert _json(release / EXPECTED_FILE)["release"] == release.name.removeprefix("v")


@pytest.mark.parametrize("release", RELEASES, ids=[p.name for p in RELEASES])
def test_todays_code_opens_a_kept_store_and_reads_back_what_that_release_wrote(
    release: Path, tmp_path: Path
) -> None:
    kept = _digests(release)
    folder = tmp_path / "data"
    shutil.copytree(release, folder)
    expected = _json(folder / EXPECTED_FILE)
    key = DatabaseKey.raw(bytes.fromhex(_json(folder / KEY_FILE)["raw_key_hex"]))
    store = Store.open(folder, FixedKey(key))
    services = services_for(store, actor="officer.later")
    try:
        with store.read() as conn:
            assert current_revision(conn) == HEAD_REVISION
            assert schema_differences(conn) == []

        documents = {d["id"]: d for d in services.casework.documents()}
        assert set(documents) == set(expected["cases"])
        for case_id, written in expected["cases"].items():
            # Every field that release wrote reads back unchanged (a later one may add fields).
            assert {name: documents[case_id].get(name) for name in written} == written
            assert services.casework.case(case_id) is not None  # today's model parses it

        check = services.casework.verify_audit()
        assert check.intact and check.rows == expected["audit_rows"]
        for draft_id, payload in expected["drafts"].items():
            draft = services.drafts.load(draft_id)
            assert draft is not None and draft.payload == payload
        nation = expected["settings"]["bank_holiday_nation"]
        assert services.casework.calendar().nation.value == nation
        search = CaseFilter(search=expected["search"]["text"])
        found = [row.id for row in services.casework.list_cases(search)]
        assert found == expected["search"]["finds"]

        with store.read() as conn:
            ops = list(conn.execute(select(outbox.c.op_id).order_by(outbox.c.seq)).scalars())
            assert ops == expected["outbox_ops"]
            assert [op.op_id for op in all_inflight(conn, 100)] == expected["inflight_ops"]
            assert [c.id for c in list_conflicts(conn)] == expected["conflicts"]
            assert load_state(conn).checkpoint == expected["checkpoint"]

        # And today's code carries on writing to it: the chain still verifies after a new entry.
        first = sorted(expected["cases"])[0]
        services.actions.add_entry(first, EntryKind.NOTE, "Opened by a later release.")
        check = services.casework.verify_audit()
        assert check.intact and check.rows == expected["audit_rows"] + 1
    finally:
        services.close()
    assert _digests(release) == kept

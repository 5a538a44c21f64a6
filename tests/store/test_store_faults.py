"""Faults under the store, on real SQLCipher files damaged on disk: each is said in words, and
nothing is made, changed or reported saved that is not."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import keyring.backends.fail
import pytest

from asb_desktop.app import services_for
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store
from asb_desktop.store.faults import JournalMissing, StoreDamaged, StoreMissing
from asb_desktop.store.integrity import check_pages
from asb_desktop.store.keys import KeyProvider, KeyUnavailableError
from asb_desktop.support.synthetic import synthetic_cases
from tests.paths import REPO
from tests.store.store_support import TEST_KEYS

PAGE = 4096  # SQLCipher 4's page size


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _store_with_cases(folder: Path, count: int) -> list[str]:
    services = services_for(Store.open(folder, TEST_KEYS), actor="test")
    documents = synthetic_cases(count, seed=12)
    ids = services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(documents)]
    )
    services.close()  # the last connection closed: every page is in cases.db, no log left
    return ids


def damage(path: Path, page: int) -> None:
    """64 bytes overwritten inside page `page` (1-based), as a failing disk would."""
    with path.open("r+b") as file:
        file.seek((page - 1) * PAGE + 200)
        file.write(b"\xa5" * 64)


def test_a_short_passphrase_on_a_store_that_exists_is_said_in_words(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", "the right passphrase")
    Store.open(data_dir).close()
    before = _fingerprint(data_dir)
    monkeypatch.delenv("ASB_DESKTOP_PASSPHRASE")
    with pytest.raises(KeyUnavailableError) as raised:
        Store.open(data_dir, KeyProvider(data_dir, prompt=lambda _creating: "short"))
    assert "not the passphrase of this case database; nothing was changed" in str(raised.value)
    assert _fingerprint(data_dir) == before


@pytest.mark.parametrize("page", [2, 5, 17, 30, 300])
def test_damage_in_any_page_is_found_and_said(data_dir: Path, page: int) -> None:
    ids = _store_with_cases(data_dir, 150)
    assert (data_dir / "cases.db").stat().st_size > 300 * PAGE
    damage(data_dir / "cases.db", page)
    try:
        store = Store.open(data_dir, TEST_KEYS)
    except StoreDamaged as refused:  # the damaged page is one every open reads
        assert "The case database on this laptop is damaged" in str(refused)
        return
    try:
        with store.read() as conn:
            check = check_pages(conn)
        assert not check.intact and check.damaged_pages >= 1
        assert check.pages > 300
        try:  # reading every case either works or says damage in words, never SQLite's error
            assert len(services_for(store).casework.documents()) == len(ids)
        except StoreDamaged as said:
            assert "contact IT support" in str(said)
    finally:
        store.close()


def test_an_undamaged_store_passes_the_page_check(data_dir: Path) -> None:
    _store_with_cases(data_dir, 20)
    store = Store.open(data_dir, TEST_KEYS)
    with store.read() as conn:
        check = check_pages(conn)
    store.close()
    assert check.intact and check.pages > 10


@pytest.mark.parametrize("left", ["deleted", "empty"])
def test_a_store_that_was_here_and_is_gone_is_refused(data_dir: Path, left: str) -> None:
    _store_with_cases(data_dir, 2)
    database = data_dir / "cases.db"
    if left == "deleted":
        database.unlink()
    else:
        database.write_bytes(b"")
    before = _fingerprint(data_dir)
    with pytest.raises(StoreMissing) as refused:
        Store.open(data_dir, TEST_KEYS)
    said = str(refused.value)
    assert ("is missing" if left == "deleted" else "is empty (0 bytes)") in said
    assert "nothing was created or changed" in said and "contact IT support" in said
    assert _fingerprint(data_dir) == before  # nothing made, store.json kept


# The child saves one case (confirmed), its write-ahead log is removed, then it tries to save a
# second; then it dies without closing anything, as a crash or a power cut would.
_CHILD = """
import json, os, sys
from pathlib import Path
from asb_desktop.app import services_for
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store
from asb_desktop.support.synthetic import synthetic_cases
from tests.store.store_support import TEST_KEYS

folder, when = Path(sys.argv[1]), sys.argv[2]
services = services_for(Store.open(folder, TEST_KEYS), actor="test")
first, second = synthetic_cases(2, seed=44)
services.casework.import_documents([LabelledDocument("first", first)])
log = folder / "cases.db-wal"
outcome = {"first": first["id"], "second": second["id"]}
try:
    if when == "before":
        log.unlink()
        services.casework.import_documents([LabelledDocument("second", second)])
    else:
        with services.store.write() as conn:
            log.unlink()  # while the save is under way
        services.casework.import_documents([LabelledDocument("second", second)])
    outcome["said"] = "saved"
except Exception as error:
    outcome["said"] = type(error).__name__ + ": " + str(error)
print(json.dumps(outcome), flush=True)
os._exit(0)
"""


@pytest.mark.parametrize("when", ["before", "during"])
def test_a_removed_log_is_seen_before_a_save_is_said_done(data_dir: Path, when: str) -> None:
    _store_with_cases(data_dir, 1)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(data_dir), when],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    outcome = json.loads(done.stdout)
    assert outcome["said"].startswith(JournalMissing.__name__), outcome["said"]
    assert "cases.db-wal) was removed" in outcome["said"]
    assert "copied safely into the case database" in outcome["said"]
    services = services_for(Store.open(data_dir, TEST_KEYS))
    try:
        kept = {d["id"] for d in services.casework.documents()}
        assert outcome["first"] in kept  # the confirmed save survived the crash
        assert outcome["second"] not in kept  # the refused one was not half-kept
        assert services.casework.verify_audit().intact
        with services.store.read() as conn:
            assert check_pages(conn).intact
    finally:
        services.close()

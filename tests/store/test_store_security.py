"""The encrypted store: keys, wrong keys, and no personal data in plaintext anywhere on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

import keyring.backends.fail
import pytest
from sqlalchemy import text

from asb_desktop.app import open_services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.store.database import Store, StoreError
from asb_desktop.store.keys import KeyProvider, KeyUnavailableError, keyring_account
from asb_desktop.support.synthetic import synthetic_cases

MARKER = "Quixotic-Marker-7Q4Z"


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _files_containing(folder: Path, needle: str) -> list[str]:
    forms = [needle.encode("utf-8"), needle.encode("utf-16-le"), needle.encode("utf-16-be")]
    return [
        p.name
        for p in folder.rglob("*")
        if p.is_file() and any(form in p.read_bytes() for form in forms)
    ]


def test_first_open_puts_a_raw_key_in_the_keyring(data_dir: Path, memory_keyring) -> None:
    store = Store.open(data_dir)
    store.close()
    stored = memory_keyring.get_password("ASB Desktop", keyring_account(data_dir))
    assert stored is not None and len(bytes.fromhex(stored)) == 32
    assert (data_dir / "cases.db").read_bytes()[:16] != b"SQLite format 3\x00"


def test_failing_keyring_falls_back_to_a_passphrase(data_dir: Path, monkeypatch) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(KeyUnavailableError, match="passphrase"):
        Store.open(data_dir)
    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", "a long enough passphrase")
    Store.open(data_dir).close()
    assert '"passphrase"' in (data_dir / "store.json").read_text()


def test_plaintext_keyring_is_refused(data_dir: Path, monkeypatch, memory_keyring) -> None:
    class PlaintextKeyring(type(memory_keyring)):  # named like keyrings.alt's file backend
        pass

    keyring.set_keyring(PlaintextKeyring())
    prompts: list[bool] = []
    provider = KeyProvider(data_dir, prompt=lambda creating: prompts.append(creating) or None)
    with pytest.raises(KeyUnavailableError):
        Store.open(data_dir, provider)
    assert prompts == [True]


def test_wrong_passphrase_says_so_and_changes_nothing(data_dir: Path, monkeypatch) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", "the right passphrase")
    services = open_services(data_dir)
    services.casework.import_documents([LabelledDocument("r1", synthetic_cases(1)[0])])
    services.close()
    before = _fingerprint(data_dir)
    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", "the wrong passphrase")
    with pytest.raises(StoreError) as raised:
        Store.open(data_dir)
    assert "does not match" in str(raised.value)
    assert "hmac" not in str(raised.value).lower()
    assert _fingerprint(data_dir) == before


def test_keyring_store_reopens_and_rejects_a_lost_key(data_dir: Path, memory_keyring) -> None:
    Store.open(data_dir).close()
    reopened = Store.open(data_dir)
    reopened.close()
    memory_keyring.secrets.clear()
    with pytest.raises(KeyUnavailableError, match="keyring"):
        Store.open(data_dir)


def test_saved_text_never_appears_in_plaintext_on_disk(data_dir: Path) -> None:
    services = open_services(data_dir)
    documents = synthetic_cases(30, seed=7)
    for document in documents:
        document["incidents"][0]["description"] = f"{MARKER} shouted at the door"
        if not document["complainant"]["anonymous"]:
            document["complainant"]["name"] = f"Zoë {MARKER}"
    services.casework.import_documents(
        [LabelledDocument(f"record {i}", d) for i, d in enumerate(documents)]
    )
    # While open, the WAL and shared-memory files exist too: check them as they are.
    with services.store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 30
    assert (data_dir / "cases.db-wal").exists()
    assert _files_containing(data_dir, MARKER) == []
    services.close()
    assert _files_containing(data_dir, MARKER) == []
    assert _files_containing(data_dir, "Zoë") == []

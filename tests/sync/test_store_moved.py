"""A store belongs to one data folder on one computer (store/place.py): another laptop's store
copied here, with the same passphrase, opens but may not sync as that laptop; enrolled again,
it is the new officer's."""

from __future__ import annotations

import shutil
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from asb_desktop.cli.main import main
from asb_desktop.store.database import Store
from asb_desktop.store.keys import KeyProvider
from asb_desktop.store.settings import get_setting
from asb_desktop.sync.enrolment import OFFICER_SETTING
from asb_desktop.sync.vault import TokenVault
from tests.sync.sync_support import Server, admin

MOVED = "was last opened in another folder or on another computer"


@pytest.fixture
def passphrase_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No keyring, as on a laptop without one: the key is the passphrase and the device token
    is kept inside the encrypted store, so a copy of the folder carries both."""
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", "a long test passphrase")


def _token_and_officer(folder: Path) -> tuple[str | None, str | None]:
    store = Store.open(folder, KeyProvider(folder))
    try:
        with store.read() as conn:
            officer = get_setting(conn, OFFICER_SETTING)
        return TokenVault(store).load(), officer
    finally:
        store.close()


def test_a_copied_store_must_be_enrolled_again_and_is_then_the_new_officers(
    central: Server, tmp_path: Path, passphrase_only: None, capsys: pytest.CaptureFixture[str]
) -> None:
    original, copy = tmp_path / "original", tmp_path / "copy"
    code = admin(central.db_url, "enrol-device", "--user", "s-ho").strip()
    assert main(["--data-dir", str(original), "enrol", central.url, code]) == 0
    assert _token_and_officer(original) == (_token_and_officer(original)[0], "s-ho")
    assert _token_and_officer(original)[0]  # the token is inside the store
    shutil.copytree(original, copy)
    capsys.readouterr()

    assert main(["--data-dir", str(copy), "sync"]) == 1
    said = capsys.readouterr()
    assert MOVED in said.err and "enrolled again" in said.err
    assert "Not connected to a central store yet." in said.out
    assert _token_and_officer(copy) == (None, "")  # no token, no officer carried over

    assert main(["--data-dir", str(original), "sync"]) == 0  # the original is untouched
    assert MOVED not in capsys.readouterr().err

    code = admin(central.db_url, "enrol-device", "--user", "s-hm").strip()
    assert main(["--data-dir", str(copy), "enrol", central.url, code]) == 0
    assert _token_and_officer(copy)[1] == "s-hm"  # the officer now using it
    assert main(["--data-dir", str(copy), "sync"]) == 0
    assert MOVED not in capsys.readouterr().err  # bound here now: said once

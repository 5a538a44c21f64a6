"""Where the device token is kept: the OS keyring, or else inside the encrypted database.

The token lets anyone holding it act as this laptop towards the central store, so it is never
written to a plain file: a secure keyring (the same test as for the database key, so `fail`,
plaintext and keyrings.alt backends are refused) or the SQLCipher store itself.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import keyring.errors

from asb_desktop.store.database import Store
from asb_desktop.store.keys import KEYRING_SERVICE, secure_keyring
from asb_desktop.store.settings import get_setting, set_setting
from asb_desktop.store.sync_state import save_state, stored_token

LOCATION_SETTING = "sync.token_location"


def token_account(data_dir: Path) -> str:
    """The keyring account of one data folder's device token."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"device-token:{digest}"


def forget_keyring_token(data_dir: Path) -> None:
    """Remove the data folder's device token from the keyring, if it is there."""
    backend = secure_keyring()
    if backend is not None:
        with contextlib.suppress(keyring.errors.KeyringError):
            backend.delete_password(KEYRING_SERVICE, token_account(data_dir))


class TokenVault:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _account(self) -> str:
        return token_account(self.store.data_dir)

    def save(self, token: str) -> str:
        """Keep the token; returns where ("keyring" or "database")."""
        backend = secure_keyring()
        location = "database"
        if backend is not None:
            try:
                backend.set_password(KEYRING_SERVICE, self._account(), token)
                location = "keyring"
            except keyring.errors.KeyringError:
                location = "database"
        with self.store.write() as conn:
            save_state(conn, device_token=token if location == "database" else None)
            set_setting(conn, LOCATION_SETTING, location)
        return location

    def load(self) -> str | None:
        with self.store.read() as conn:
            location = get_setting(conn, LOCATION_SETTING)
            in_database = stored_token(conn)
        if location == "database":
            return in_database
        if location != "keyring":
            return None
        backend = secure_keyring()
        if backend is None:
            return None
        try:
            return backend.get_password(KEYRING_SERVICE, self._account())
        except keyring.errors.KeyringError:
            return None

    def forget(self) -> None:
        forget_keyring_token(self.store.data_dir)
        with self.store.write() as conn:
            save_state(conn, device_token=None)
            set_setting(conn, LOCATION_SETTING, "none")

"""Where the database key comes from: the OS keyring, or a passphrase when no secure keyring exists.

The keyring path keeps 32 random bytes used as a raw SQLCipher key (`x'…'`), which skips the
256,000-round KDF on every connection. A keyring that is missing (`fail`) or stores secrets in
plaintext is refused, because a key beside the database protects nothing; then a passphrase is used
and SQLCipher's own KDF derives the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import keyring.backend

# keyring itself is imported where a key is looked up: it finds its backends through package
# metadata (a tenth of a second or more), which a store keyed by a passphrase never needs.

KEYRING_SERVICE = "ASB Desktop"
PASSPHRASE_ENV = "ASB_DESKTOP_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 10


class KeyUnavailableError(RuntimeError):
    """No key could be had: no secure keyring and no passphrase given."""


class PassphraseTooShort(KeyUnavailableError, ValueError):
    """A passphrase under the minimum: for a store that exists it cannot be its passphrase, so
    nothing is tried with it (a ValueError too, for callers that asked DatabaseKey before)."""

    def __init__(self, *, creating: bool) -> None:
        if creating:
            words = (
                f"A new case database needs a passphrase of at least {MIN_PASSPHRASE_LENGTH} "
                "characters; this one is shorter, so no case database was made. Choose a longer "
                "one and try again."
            )
        else:
            words = (
                f"That passphrase is shorter than {MIN_PASSPHRASE_LENGTH} characters, so it is "
                "not the passphrase of this case database; nothing was changed. Try again with "
                "the passphrase chosen when it was made."
            )
        super().__init__(words)


@dataclass(frozen=True)
class DatabaseKey:
    """What goes into `PRAGMA key`. Its repr never shows the secret."""

    pragma_value: str
    source: str  # "keyring" or "passphrase"

    def __repr__(self) -> str:
        return f"DatabaseKey(source={self.source!r})"

    @classmethod
    def raw(cls, key_bytes: bytes, source: str = "keyring") -> DatabaseKey:
        if len(key_bytes) != 32:
            raise ValueError("a raw database key is 32 bytes")
        return cls(pragma_value=f"x'{key_bytes.hex()}'", source=source)

    @classmethod
    def passphrase(cls, text: str) -> DatabaseKey:
        if len(text) < MIN_PASSPHRASE_LENGTH:
            raise ValueError(f"the passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters")
        return cls(pragma_value=text, source="passphrase")


_INSECURE_BACKENDS = ("fail", "null", "plaintext", "keyrings.alt")


def _leaf_backends(backend: keyring.backend.KeyringBackend) -> list[keyring.backend.KeyringBackend]:
    inner = getattr(backend, "backends", None)
    return list(inner) if inner else [backend]


def secure_keyring() -> keyring.backend.KeyringBackend | None:
    """The active keyring if it really protects secrets, else None."""
    import keyring

    backend = keyring.get_keyring()
    leaves = _leaf_backends(backend)
    for leaf in leaves:
        name = f"{type(leaf).__module__}.{type(leaf).__name__}".lower()
        if any(bad in name for bad in _INSECURE_BACKENDS):
            return None
    return backend if leaves else None


def keyring_account(data_dir: Path) -> str:
    """One key per data folder, so two stores on one laptop never share a key."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"database-key:{digest}"


class KeySource(Protocol):
    def key(self, *, creating: bool, source_hint: str | None) -> DatabaseKey: ...


@dataclass(frozen=True)
class FixedKey:
    """A key already in hand (the self-test's temporary store, benchmarks)."""

    value: DatabaseKey

    def key(self, *, creating: bool, source_hint: str | None) -> DatabaseKey:
        return self.value


PassphrasePrompt = Callable[[bool], str | None]
"""Asks the user for the passphrase; the flag says whether it is being set for the first time."""


@dataclass
class KeyProvider:
    """Finds, or on first run makes, the key for one data folder."""

    data_dir: Path
    prompt: PassphrasePrompt | None = None

    def key(self, *, creating: bool, source_hint: str | None) -> DatabaseKey:
        """`source_hint` is how this store was keyed before ("keyring"/"passphrase"), if known."""
        if source_hint != "passphrase":
            backend = secure_keyring()
            if backend is not None:
                found = self._from_keyring(backend, creating=creating)
                if found is not None:
                    return found
            if source_hint == "keyring":
                raise KeyUnavailableError(
                    "The key to the case database is kept in this computer's keyring, which is "
                    "not available now. Sign in to your desktop session (which unlocks the "
                    "keyring) and try again."
                )
        return self._from_passphrase(creating=creating)

    def _from_keyring(
        self, backend: keyring.backend.KeyringBackend, *, creating: bool
    ) -> DatabaseKey | None:
        import keyring.errors

        account = keyring_account(self.data_dir)
        try:
            stored = backend.get_password(KEYRING_SERVICE, account)
            if stored is None and creating:
                stored = secrets.token_hex(32)
                backend.set_password(KEYRING_SERVICE, account, stored)
        except keyring.errors.KeyringError:
            return None
        if stored is None:
            return None
        return DatabaseKey.raw(bytes.fromhex(stored))

    def _from_passphrase(self, *, creating: bool) -> DatabaseKey:
        text = os.environ.get(PASSPHRASE_ENV)
        if text is None and self.prompt is not None:
            text = self.prompt(creating)
        if not text:
            raise KeyUnavailableError(
                "This computer has no secure keyring, so the case database is protected by a "
                f"passphrase. Enter it when asked, or set {PASSPHRASE_ENV} for command-line use."
            )
        if len(text) < MIN_PASSPHRASE_LENGTH:
            raise PassphraseTooShort(creating=creating)
        return DatabaseKey.passphrase(text)

    def forget(self) -> None:
        """Remove the keyring entry (used when a store is deleted on purpose)."""
        import keyring.errors

        backend = secure_keyring()
        if backend is not None:
            with contextlib.suppress(keyring.errors.KeyringError):
                backend.delete_password(KEYRING_SERVICE, keyring_account(self.data_dir))

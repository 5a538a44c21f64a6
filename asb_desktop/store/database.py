"""Opening the encrypted store and handing out read and write transactions.

Writes are serialised through one lock (one writer, as the store's design asks); reads may run
in parallel on other pooled connections thanks to WAL.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, exc

from asb_desktop.store.keys import KeyProvider, KeySource
from asb_desktop.store.migrate import ensure_current
from asb_desktop.store.sqlcipher_engine import (
    WRONG_KEY_MESSAGE,
    WrongKeyError,
    create_sqlcipher_engine,
)

DATABASE_FILE = "cases.db"
# Says how the key is kept (never the key itself), so the right source is asked on open.
STORE_INFO_FILE = "store.json"
STORE_FILES = (DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", STORE_INFO_FILE)
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class StoreError(RuntimeError):
    """The store cannot be used; the message is meant for the user."""


class Store:
    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self._write_lock = threading.Lock()
        self._closed = False

    @property
    def path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @classmethod
    def open(cls, data_dir: Path, keys: KeySource | None = None) -> Store:
        data_dir = Path(data_dir)
        path = data_dir / DATABASE_FILE
        creating = not path.exists()
        info = _read_info(data_dir)
        keys = keys or KeyProvider(data_dir)
        # The key first: a store that cannot be keyed leaves no folder or file behind.
        key = keys.key(creating=creating, source_hint=info.get("key_source"))
        make_private_folder(data_dir)
        if creating:
            _create_private_file(path)
        make_store_files_private(data_dir)
        engine = create_sqlcipher_engine(path, key)
        try:
            store = cls.from_engine(engine, data_dir)
            if creating or info.get("key_source") != key.source:
                _write_info(data_dir, {"key_source": key.source})
        except BaseException as error:
            engine.dispose()
            if creating:
                _remove_new_store(data_dir)
            if _is_wrong_key(error):
                raise StoreError(WRONG_KEY_MESSAGE) from None
            raise
        return store

    @classmethod
    def from_engine(cls, engine: Engine, data_dir: Path) -> Store:
        """A store on a ready engine, its schema brought up to date."""
        store = cls(engine, data_dir)
        with store.write() as conn:
            ensure_current(conn)
        return store

    @contextmanager
    def read(self) -> Iterator[Connection]:
        self._refuse_if_closed()
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction at a time; committed on success, rolled back on any error."""
        self._refuse_if_closed()
        with self._write_lock, self.engine.connect() as conn:
            conn.info["writer"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("writer", None)

    def close(self) -> None:
        """Closed for good: a late read or write is refused rather than quietly opening the
        file again (which would make a new cases.db where the folder was removed)."""
        self._closed = True
        self.engine.dispose()

    def _refuse_if_closed(self) -> None:
        if self._closed:
            raise StoreError("The case database has been closed.")


def _is_wrong_key(error: BaseException) -> bool:
    if isinstance(error, WrongKeyError):
        return True
    if isinstance(error, exc.DBAPIError):
        return isinstance(error.orig, WrongKeyError) or "not a database" in str(error.orig)
    return False


def _read_info(data_dir: Path) -> dict[str, str]:
    try:
        loaded = json.loads((data_dir / STORE_INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write_info(data_dir: Path, info: dict[str, str]) -> None:
    target = data_dir / STORE_INFO_FILE
    temporary = target.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(info))
    _chmod(temporary, PRIVATE_FILE_MODE)
    os.replace(temporary, target)


# --- who may read the store's files: the owner only (POSIX; Windows uses the profile's ACLs) ---


def _chmod(path: Path, mode: int) -> None:
    if os.name == "posix":
        os.chmod(path, mode)


def make_private_folder(data_dir: Path) -> None:
    """Make the data folder, readable by its owner only; an existing folder is left as it is."""
    if data_dir.is_dir():
        return
    data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE)
    _chmod(data_dir, PRIVATE_FOLDER_MODE)  # mkdir's mode is narrowed by the umask, never widened


def _create_private_file(path: Path) -> None:
    """An empty database file made owner-only before SQLite opens it: SQLite gives the -wal and
    -shm files the database file's permissions, so they are owner-only too."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    _chmod(path, PRIVATE_FILE_MODE)


def make_store_files_private(data_dir: Path) -> None:
    """Owner-only for the store's files already there (a store made by 0.1.0 was 0644)."""
    for name in STORE_FILES:
        path = data_dir / name
        try:
            if path.is_file() and path.stat().st_mode & 0o077:
                _chmod(path, PRIVATE_FILE_MODE)
        except OSError:
            continue  # a file that went away meanwhile, or one we may not change: SQLite says


def _remove_new_store(data_dir: Path) -> None:
    """A store whose creation failed (a full disk, say) is removed, not left half-made."""
    for name in (DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", "store.tmp"):
        (data_dir / name).unlink(missing_ok=True)

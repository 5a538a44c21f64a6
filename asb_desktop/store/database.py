"""Opening the encrypted store and handing out read and write transactions.

Writes are serialised through one lock (one writer, as the store's design asks); reads may run
in parallel on other pooled connections thanks to WAL.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asb_desktop.store.faults import (
    JournalMissing,
    StoreError,
    StoreMissing,
    journal_missing_words,
    missing_words,
    store_error_for,
)
from asb_desktop.store.integrity import JournalWatch, file_identity, wal_path
from asb_desktop.store.keys import DatabaseKey, KeyProvider, KeySource
from asb_desktop.store.sqlcipher_connect import (
    WAL_IDENTITY,
    WRONG_KEY_MESSAGE,
    WrongKeyError,
    connect_keyed,
)
from asb_desktop.support.logs import log_event

# SQLAlchemy (the engine, migrations) is imported when the engine is first made: a window's
# start reads its first page on the driver's own connection before that (Store.open_for_window).
if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from asb_desktop.store.first_page import FirstPage

__all__ = ["Store", "StoreError"]
_log = logging.getLogger(__name__)
FaultListener = Callable[[StoreError], None]

DATABASE_FILE = "cases.db"
# Says how the key is kept (never the key itself), so the right source is asked on open.
STORE_INFO_FILE = "store.json"
STORE_FILES = (DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", STORE_INFO_FILE)
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class Store:
    def __init__(
        self,
        engine: Engine | None,
        data_dir: Path,
        *,
        make_engine: Callable[[], Engine] | None = None,
    ) -> None:
        """`engine`, or (None) `make_engine` to make it on first use."""
        self._engine = engine
        self._make_engine = make_engine
        self._engine_lock = threading.Lock()
        self._first_connection: Any = None
        self.data_dir = data_dir
        self._write_lock = threading.Lock()
        self._closed = False
        self.journal = JournalWatch(data_dir / DATABASE_FILE)
        self._fault_listeners: list[FaultListener] = []

    @property
    def path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def engine(self) -> Engine:
        """SQLAlchemy's engine, made (and SQLAlchemy loaded) on first use for a store opened
        for the window; then the driver connection its first page was read on is closed."""
        engine = self._engine
        if engine is None:
            with self._engine_lock:
                if self._engine is None:
                    assert self._make_engine is not None
                    made = self._make_engine()
                    with made.connect():  # its log open before the first one is let go
                        pass
                    self._release_first_connection()
                    self._engine = made
                engine = self._engine
        return engine

    @classmethod
    def open(cls, data_dir: Path, keys: KeySource | None = None) -> Store:
        return cls._open(data_dir, keys, for_window=False)[0]

    @classmethod
    def open_for_window(
        cls, data_dir: Path, keys: KeySource | None = None
    ) -> tuple[Store, FirstPage | None]:
        """`open`, for the window: a store that exists, keyed by a raw key (the keyring's) and
        up to date, is opened on the driver alone and its first page read there (the store's
        engine, and SQLAlchemy, come on first use). Any other store (new, keyed by a
        passphrase, to migrate) or any fault takes `open`'s own path, with its words: then the
        page is None. The key is asked for once either way."""
        return cls._open(data_dir, keys, for_window=True)

    @classmethod
    def _open(
        cls, data_dir: Path, keys: KeySource | None, *, for_window: bool
    ) -> tuple[Store, FirstPage | None]:
        data_dir = Path(data_dir)
        path = data_dir / DATABASE_FILE
        creating = not path.exists()
        info = _read_info(data_dir)
        refuse_a_lost_store(data_dir, info)  # before the key: nothing asked, nothing made
        keys = keys or KeyProvider(data_dir)
        # The key first: a store that cannot be keyed leaves no folder or file behind.
        key = keys.key(creating=creating, source_hint=info.get("key_source"))
        make_private_folder(data_dir)
        if creating:
            _create_private_file(path)
        make_store_files_private(data_dir)
        # A passphrase's key derivation runs on every connection: the driver's own would add one.
        raw_key = key.source != "passphrase" and info.get("key_source") == key.source
        if for_window and not creating and raw_key:
            opened = cls._open_on_driver(data_dir, key)
            if opened is not None:
                return opened
        from asb_desktop.store.sqlcipher_engine import create_sqlcipher_engine

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
            said = store_error_for(error, data_dir) if isinstance(error, Exception) else None
            if said is not None and said is not error:
                raise said from error
            raise
        return store, None

    @classmethod
    def _open_on_driver(cls, data_dir: Path, key: DatabaseKey) -> tuple[Store, FirstPage] | None:
        """The store and its first page read on a driver connection, kept open until the
        engine is made; None for a store to migrate, or on any error (`open` says it)."""
        from asb_desktop.store.first_page import read_first_page

        path = data_dir / DATABASE_FILE
        connection: Any = None
        try:
            connection = connect_keyed(path, key)
            page = read_first_page(connection)
        except Exception:
            page = None
        if page is None:
            if connection is not None:
                connection.close()
            return None

        def make_engine() -> Engine:
            from asb_desktop.store.sqlcipher_engine import create_sqlcipher_engine

            return create_sqlcipher_engine(path, key)

        store = cls(None, data_dir, make_engine=make_engine)
        store._first_connection = connection
        return store, page

    def _release_first_connection(self) -> None:
        connection, self._first_connection = self._first_connection, None
        if connection is not None:
            connection.close()
            # The log is the one the engine's connection opened (remembered after it opened).
            self.journal.remember()

    @classmethod
    def from_engine(cls, engine: Engine, data_dir: Path) -> Store:
        """A store on a ready engine, its schema brought up to date."""
        from asb_desktop.store.migrate import ensure_current, is_current

        store = cls(engine, data_dir)
        # Asked in a read first: an up-to-date store (every start but the first after an
        # update) is opened without taking the write lock, so a start never waits on a writer.
        with store.read() as conn:
            current = is_current(conn)
        if not current:
            with store.write() as conn:
                ensure_current(conn)
        store.journal.remember()
        return store

    def on_fault(self, listener: FaultListener) -> None:
        """`listener` hears of every fault said in words (a full disk, damage, a lost log),
        on the thread that met it; the window shows a notice."""
        self._fault_listeners.append(listener)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        self._refuse_if_closed()
        with self._in_words(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction at a time; committed on success, rolled back on any error.
        A save is only done once its log is known to be the store's own (see JournalWatch)."""
        self._refuse_if_closed()
        with self._in_words(), self._write_lock, self.engine.connect() as conn:
            conn.info["writer"] = True
            try:
                with conn.begin() as transaction:
                    self._note_log(conn)
                    if self.journal.still_there():
                        yield conn
                        if not self.journal.still_there():
                            transaction.rollback()  # removed meanwhile: not kept half-way
                self._refuse_if_log_lost(conn)  # checked again after COMMIT too
            finally:
                conn.info.pop("writer", None)

    def journal_intact(self) -> bool:
        """The write-ahead log is still the store's own (verify-audit asks)."""
        return self.journal.still_there()

    def _note_log(self, conn: Connection) -> None:
        """Which log this connection opened: at connect, else (a new store's log, made at the
        first BEGIN) now."""
        if conn.info.get(WAL_IDENTITY) is None:
            conn.info[WAL_IDENTITY] = file_identity(wal_path(self.path))

    def _refuse_if_log_lost(self, conn: Connection) -> None:
        if self.journal.still_there():
            return
        raw = conn.connection.dbapi_connection  # no transaction: a checkpoint cannot run in one
        kept = self.journal.rescue(raw, conn.info.get(WAL_IDENTITY))
        log_event(_log, "store.journal_missing", level=logging.ERROR, rescued=kept)
        raise JournalMissing(journal_missing_words(kept=kept))

    @contextmanager
    def _in_words(self) -> Iterator[None]:
        """SQLite's full disk, failing disk and damage become a StoreError in words (raised
        from the original), and the fault listeners hear of it; other errors pass unchanged."""
        try:
            yield
        except Exception as error:
            said = store_error_for(error, self.data_dir)
            if said is None or (isinstance(error, StoreError) and not _is_fault(error)):
                raise
            if said is not error:
                log_event(_log, "store.fault", level=logging.ERROR, fault=type(said).__name__)
            for listener in self._fault_listeners:
                listener(said)
            if said is error:
                raise
            raise said from error

    def close(self) -> None:
        """Closed for good: a late read or write is refused rather than quietly opening the
        file again (which would make a new cases.db where the folder was removed)."""
        self._closed = True
        with self._engine_lock:
            self._release_first_connection()
            if self._engine is not None:
                self._engine.dispose()

    def _refuse_if_closed(self) -> None:
        if self._closed:
            raise StoreError("The case database has been closed.")


def _is_fault(error: StoreError) -> bool:
    return type(error) is not StoreError  # the plain one says "closed", no fault


def refuse_a_lost_store(data_dir: Path, info: dict[str, str] | None = None) -> None:
    """store.json says a store was made here, yet cases.db is gone or empty: refused, so a new
    empty store is never made where there was one (the old one may yet be restored)."""
    info = _read_info(data_dir) if info is None else info
    if not info.get("key_source"):
        return
    path = data_dir / DATABASE_FILE
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        log_event(_log, "store.missing", level=logging.ERROR, empty=False)
        raise StoreMissing(missing_words(data_dir, empty=False)) from None
    log_size = wal_path(path).stat().st_size if wal_path(path).exists() else 0
    if size == 0 and log_size == 0:  # a log with pages in it still holds a store
        log_event(_log, "store.missing", level=logging.ERROR, empty=True)
        raise StoreMissing(missing_words(data_dir, empty=True))


def _is_wrong_key(error: BaseException) -> bool:
    from sqlalchemy import exc

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

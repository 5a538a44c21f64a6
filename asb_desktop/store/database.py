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


class StoreError(RuntimeError):
    """The store cannot be used; the message is meant for the user."""


class Store:
    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self._write_lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @classmethod
    def open(cls, data_dir: Path, keys: KeySource | None = None) -> Store:
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = data_dir / DATABASE_FILE
        creating = not path.exists()
        info = _read_info(data_dir)
        keys = keys or KeyProvider(data_dir)
        key = keys.key(creating=creating, source_hint=info.get("key_source"))
        engine = create_sqlcipher_engine(path, key)
        try:
            store = cls.from_engine(engine, data_dir)
        except WrongKeyError:
            engine.dispose()
            raise StoreError(WRONG_KEY_MESSAGE) from None
        except exc.DBAPIError as error:
            engine.dispose()
            if isinstance(error.orig, WrongKeyError) or "not a database" in str(error.orig):
                raise StoreError(WRONG_KEY_MESSAGE) from None
            raise
        if creating or info.get("key_source") != key.source:
            _write_info(data_dir, {"key_source": key.source})
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
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction at a time; committed on success, rolled back on any error."""
        with self._write_lock, self.engine.connect() as conn:
            conn.info["writer"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("writer", None)

    def close(self) -> None:
        self.engine.dispose()


def _read_info(data_dir: Path) -> dict[str, str]:
    try:
        loaded = json.loads((data_dir / STORE_INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write_info(data_dir: Path, info: dict[str, str]) -> None:
    target = data_dir / STORE_INFO_FILE
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(info), encoding="utf-8")
    os.replace(temporary, target)

"""A keyed SQLCipher connection on the driver alone: the key, the pragmas every connection gets,
and a plain sentence for a wrong key. SQLAlchemy's engine (store/sqlcipher_engine.py) keys its
connections through the same pragmas; the window's first page is read on one of these before
SQLAlchemy is loaded (store/first_page.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlcipher3

from asb_desktop.store.keys import DatabaseKey

# Applied on every new connection, after the key.
CONNECTION_PRAGMAS = (
    "PRAGMA cipher_compatibility = 4",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",  # a saved report survives a power cut
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",  # no plaintext temp files
    "PRAGMA secure_delete = ON",
    "PRAGMA busy_timeout = 5000",
    # 32 MB of decrypted pages (SQLCipher's default is 8 MB): the team view's index reads at
    # 100,000 cases then decrypt their pages once, not on every reading. Filled only as read.
    "PRAGMA cache_size = -32768",
)


# The connection's info key for the write-ahead log file (device, inode) it opened at connect.
WAL_IDENTITY = "wal_identity"


class WrongKeyError(RuntimeError):
    """The database could not be opened with the key given."""


WRONG_KEY_MESSAGE = (
    "The case database could not be opened: the key or passphrase does not match it (or the "
    "file is damaged). Nothing has been changed."
)


def key_pragma(key: DatabaseKey) -> str:
    """`PRAGMA key` as SQLAlchemy's pysqlcipher dialect sends it: the value quoted as an
    identifier (a raw key `x'…'` and a passphrase alike)."""
    quoted = key.pragma_value.replace('"', '""')
    return f'pragma key="{quoted}"'


def apply_pragmas(dbapi_connection: Any, pragmas: Sequence[str] = CONNECTION_PRAGMAS) -> None:
    """After the key: the compatibility, a first read (a wrong key fails here, said as one),
    then the other pragmas (the engine passes its own, which a test may add to)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA cipher_log_level = NONE")  # no "hmac check failed" on stderr
        cursor.execute(pragmas[0])
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.OperationalError:
            raise  # a full or failing disk (the -shm or -wal cannot be made): said as that
        except sqlcipher3.DatabaseError:
            raise WrongKeyError(WRONG_KEY_MESSAGE) from None
        for pragma in pragmas[1:]:
            cursor.execute(pragma)
    finally:
        cursor.close()


def connect_keyed(path: Path, key: DatabaseKey) -> Any:
    """A driver connection to the store, keyed and with every pragma, in autocommit (the caller
    says BEGIN). Raises WrongKeyError, or the driver's own error for a disk fault."""
    connection = sqlcipher3.connect(str(path), check_same_thread=False)
    try:
        connection.isolation_level = None
        cursor = connection.cursor()
        try:
            cursor.execute(key_pragma(key))
        finally:
            cursor.close()
        apply_pragmas(connection)
    except BaseException:
        connection.close()
        raise
    return connection

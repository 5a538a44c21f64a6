"""What can go wrong under the store, in words the officer can act on.

SQLite's own messages are fixed words (never the data), so they are matched here and turned into
one of these errors, raised from the original: the CLI prints the sentence with a non-zero exit,
the window shows it. Each sentence says what happened, what was kept and what to do next.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SUPPORT = "contact IT support"


class StoreError(RuntimeError):
    """The store cannot be used; the message is meant for the user."""


class StoreDamaged(StoreError):
    """Pages of cases.db fail their check (SQLCipher's HMAC, or SQLite's own structure)."""

    def __init__(self, failed_pages: int | None = None) -> None:
        super().__init__(damaged_words(failed_pages))
        self.failed_pages = failed_pages


class StoreFull(StoreError):
    """The disk that holds the data folder has no room."""


class StoreDiskFailure(StoreError):
    """The disk would not read or write (an I/O error, a file-size limit)."""


class StoreMissing(StoreError):
    """store.json says a store was made here, but cases.db is gone or empty."""


class JournalMissing(StoreError):
    """cases.db-wal was removed (or replaced) while the store was open."""


def damaged_words(failed_pages: int | None) -> str:
    count = "" if failed_pages is None else f" ({_pages(failed_pages)} failed their check)"
    return (
        f"The case database on this laptop is damaged{count}. Cases already synced are safe on "
        "the central store; changes made since the last sync may be lost. Stop working in ASB "
        f"Desktop on this laptop and {SUPPORT}: they can restore the data folder from a backup, "
        "or set the laptop up again and sync the cases back. Nothing more was changed."
    )


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


FULL_WORDS = (
    # Kept in the words cli/main.py has always used for a full disk, which tests and people know.
    "the disk is full, so the case database could not be written; nothing was changed. Free "
    "some space on the disk that holds the data folder and try again; nothing already saved "
    "was lost."
)
DISK_FAILURE_WORDS = (
    "the case database could not be read or written (a disk input/output error); nothing was "
    "changed. Check that the disk has room and is working, then try again; if it happens again, "
    f"{SUPPORT}."
)


def missing_words(folder: object, *, empty: bool) -> str:
    what = "is empty (0 bytes)" if empty else "is missing"
    return (
        f"The case database that was kept in {folder} {what}, so ASB Desktop will not open it "
        "or make a new one in its place; nothing was created or changed. Cases already synced "
        f"are safe on the central store. Do not delete anything in that folder: {SUPPORT}, who "
        "can restore cases.db from a backup (or set the laptop up again and sync the cases "
        "back)."
    )


def journal_missing_words(*, kept: bool) -> str:
    outcome = (
        "everything saved until now was copied safely into the case database itself"
        if kept
        else "the last changes may not have reached the disk and may be lost when ASB Desktop "
        "closes"
    )
    return (
        "The case database's journal file (cases.db-wal) was removed while ASB Desktop was "
        f"open (by another program or a clean-up tool), so {outcome}. Close ASB Desktop and start "
        "it again before saving anything more, then check the last cases you saved; if this "
        f"happens again, {SUPPORT}."
    )


NEARLY_FULL_BYTES = 256 * 1024  # less than this free: a write of a few pages cannot fit

# SQLite's fixed messages, and what each means here.
_DAMAGE_WORDS = ("database disk image is malformed", "file is not a database")


def store_error_for(error: BaseException, folder: Path | None = None) -> StoreError | None:
    """The store error an SQLite failure means (a full disk, a failing disk, damage), or None
    for any other error (a constraint, a bug), which callers handle as before. `folder` is the
    data folder: SQLite says "disk I/O error" when a full disk stops it making its -shm file,
    so an I/O error on a disk with no room left is said as a full disk."""
    if isinstance(error, StoreError):
        return error
    seen: BaseException | None = error
    while seen is not None:
        if _from_sqlite(seen):
            text = str(getattr(seen, "orig", None) or seen)
            if "database or disk is full" in text:
                return StoreFull(FULL_WORDS)
            if "disk I/O error" in text:
                if folder is not None and _no_room(folder):
                    return StoreFull(FULL_WORDS)
                return StoreDiskFailure(DISK_FAILURE_WORDS)
            if any(words in text for words in _DAMAGE_WORDS):
                return StoreDamaged()
        # `raise ... from None` ends the chain: what it hid (a wrong key's "file is not a
        # database") is not this error's cause.
        seen = seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)
    return None


def _no_room(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _from_sqlite(error: BaseException) -> bool:
    return type(error).__module__.startswith(("sqlalchemy", "sqlcipher3", "sqlite3"))

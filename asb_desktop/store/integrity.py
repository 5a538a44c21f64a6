"""Is the case database whole? Its pages, and its write-ahead log while it is open.

- Pages: SQLCipher's `cipher_integrity_check` checks every page's HMAC in the file (damage
  anywhere, even in pages no query reads, such as an index or the search table); when all pass,
  SQLite's `quick_check` checks the B-trees' structure. `integrity_check` would also compare every
  index with its table (about 15% slower) for little the two do not already catch. Both together
  take about 0.9 s on a 10,000-case store (docs/store-faults.md), so the window runs them in the
  background.
- The write-ahead log: SQLite writes every commit to cases.db-wal first and copies it into
  cases.db later. A log removed while the store is open (a clean-up tool, a person) goes on
  being written through the open handles but is lost at the next crash, taking saves already
  confirmed with it, and a new connection would read the index of the old log against a new,
  empty file. So the store remembers which file its log is (device and inode) and compares
  before and after each commit (see JournalWatch).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asb_desktop.store.faults import StoreError, store_error_for

if TYPE_CHECKING:  # the store opens, and its first page is read, before SQLAlchemy is loaded
    from sqlalchemy import Connection


@dataclass(frozen=True)
class PageCheck:
    pages: int
    failed_pages: int = 0
    """Pages whose HMAC failed (cipher_integrity_check lists one line per page)."""
    structure_problems: int = 0
    """Lines of quick_check other than "ok" (or 1 when it could not read the file at all)."""
    millis: float = 0.0

    @property
    def intact(self) -> bool:
        return self.failed_pages == 0 and self.structure_problems == 0

    @property
    def damaged_pages(self) -> int:
        """What the officer is told: failed pages, else at least one for a broken structure."""
        return self.failed_pages or self.structure_problems


def check_pages(conn: Connection) -> PageCheck:
    """Every page of the file checked; never raises for damage, only says it."""
    started = time.perf_counter()
    try:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)
    except Exception as error:
        if store_error_for(error) is None:
            raise
        pages = 0
    failed = len(conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall())
    structure = 0
    if not failed:
        try:
            lines = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check")]
            structure = sum(line != "ok" for line in lines)
        except Exception as error:  # SQLite stops at the first unreadable page
            if store_error_for(error) is None:
                raise
            structure = 1
    return PageCheck(pages, failed, structure, (time.perf_counter() - started) * 1000)


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + "-wal")


def file_identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino)


@dataclass
class JournalWatch:
    """Which file the store's write-ahead log is, so its removal is seen before a save is said
    to be done. Why device and inode, checked at each commit: SQLite deletes the log itself only
    when the last connection closes, and the store's pool keeps connections open, so while the
    store is open the same file must be there; a missing file, or another file under its name,
    means saves may not be durable. Checked before COMMIT (a save refused is rolled back, nothing
    half-kept) and after it (a removal in between: the save is rescued into cases.db)."""

    database: Path
    known: tuple[int, int] | None = None
    lost: bool = False
    _rescued: bool = field(default=False, repr=False)

    def remember(self) -> None:
        self.known = file_identity(wal_path(self.database))

    def still_there(self) -> bool:
        if self.lost:
            return False
        if self.known is None:  # not yet known (a store made in another journal mode)
            self.remember()
            return True
        return file_identity(wal_path(self.database)) == self.known

    def rescue(self, raw: Any, opened: tuple[int, int] | None) -> bool:
        """Copy every committed page from the removed log into cases.db through a connection
        that still has it open (`opened`: the log it opened), and sync; True when all of it was
        copied. Afterwards writes are refused until the store is opened again (a fresh log)."""
        self.lost = True
        if self._rescued:
            return True
        if opened is None or opened != self.known:
            return False  # this connection opened another file under the name: nothing to copy
        try:
            busy, logged, copied = raw.execute("PRAGMA wal_checkpoint(FULL)").fetchone()
        except Exception as error:
            if store_error_for(error) is None and not isinstance(error, StoreError):
                raise
            return False
        self._rescued = busy == 0 and logged == copied
        return self._rescued

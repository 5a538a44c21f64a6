"""A laptop revoked centrally deletes its local store, once the officer has been told.

Called with the store closed (`Services.close`), after the central store's revocation answer was
proved (sync_run.py `_withdrawn`). What goes: cases.db (every case, draft, search entry, outbox
entry and setting, the store's binding to this folder among them) with its write-ahead log and
shared-memory file, store.json, a half-made store.tmp, the window's placement, and the keyring
entries of the database key and the device token. The database files are overwritten with zeros
before they are unlinked (they are encrypted already; this leaves not even the ciphertext in
those blocks where the file system writes in place). The folder is then as before the first run.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from asb_desktop.store.database import DATABASE_FILE, STORE_FILES
from asb_desktop.store.keys import KeyProvider
from asb_desktop.support.logs import log_event
from asb_desktop.sync.vault import forget_keyring_token

_log = logging.getLogger(__name__)
_ALSO = ("store.tmp", "window.ini")
_ZEROS = b"\0" * (1 << 20)


def _overwrite(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as out:
        left = size
        while left > 0:
            left -= out.write(_ZEROS[: min(left, len(_ZEROS))])
        out.flush()
        os.fsync(out.fileno())


def delete_local_store(data_dir: Path) -> list[str]:
    """Delete this folder's store and its keys; the names of the files that were removed.
    A file that cannot be removed is named in the log by its name only, and raises OSError
    after the others are gone."""
    KeyProvider(data_dir).forget()
    forget_keyring_token(data_dir)
    removed: list[str] = []
    problem: OSError | None = None
    for name in (*STORE_FILES, *_ALSO):
        path = data_dir / name
        if not path.is_file():
            continue
        try:
            if name.startswith(DATABASE_FILE) or name == "store.tmp":
                _overwrite(path)
            path.unlink()
            removed.append(name)
        except OSError as error:
            log_event(_log, "store.delete_failed", level=logging.ERROR, file=name, error=error)
            problem = problem or error
    with contextlib.suppress(OSError):
        data_dir.rmdir()  # only if nothing else is in it
    log_event(_log, "store.deleted_withdrawn", level=logging.WARNING, files=len(removed))
    if problem is not None:
        raise problem
    return removed

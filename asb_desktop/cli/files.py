"""Files the commands read and write. A bad path is said in a sentence, and checked before the
store is opened, so a command given one does no work and leaves nothing behind.

A file is written whole or not at all: through a hidden temporary file beside it, then renamed
into place (owner-only, 0600). A device or a pipe (`/dev/stdout`, `/dev/full`) is written
straight to, never renamed over.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from asb_desktop.cli.common import CommandError

_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EFBIG: "the file is larger than this computer allows",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
    errno.EIO: "the disk could not be read or written (an input/output error)",
}
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def os_error_words(error: OSError) -> str:
    """What went wrong, in words (the path is said by the caller)."""
    if error.errno in _WORDS:
        return _WORDS[error.errno]
    return (error.strerror or type(error).__name__).lower()


def read_text_file(path: Path, *, nothing_done: str, max_bytes: int | None = None) -> str:
    """The file's text (UTF-8); `nothing_done` ends the sentence ("nothing was imported").
    A file over `max_bytes` is refused from its size alone, before a byte is read into memory."""
    try:
        if max_bytes is not None and path.is_file() and path.stat().st_size > max_bytes:
            raise CommandError(
                f"{path} is larger than {max_bytes // (1024 * 1024):,} MiB, the most one import "
                f"reads: split it into smaller files; {nothing_done}."
            )
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CommandError(f"{path}: no such file; {nothing_done}.", cause=error) from None
    except IsADirectoryError as error:
        raise CommandError(
            f"{path} is a folder, not a file; {nothing_done}.", cause=error
        ) from None
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path}: is not UTF-8 text (is it a JSON file?); {nothing_done}.", cause=error
        ) from None
    except OSError as error:
        raise CommandError(
            f"{path} cannot be read: {os_error_words(error)}; {nothing_done}.", cause=error
        ) from None


def _is_special(path: Path) -> bool:
    """A device or pipe (not a regular file, not a folder): written to, never replaced."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_output_file(path: Path, *, example: str) -> None:
    """Refuse, before any work, a path no file can be written at. `example` is a file name to
    suggest when `path` is a folder."""
    if path.is_dir():
        raise CommandError(
            f"{path} is a folder: give a file name in it, such as {path / example}; "
            "nothing was written."
        )
    if _is_special(path):
        return
    _check_folder_for(path, path.parent)


def _check_folder_for(path: Path, folder: Path) -> None:
    if not folder.exists():
        raise CommandError(
            f"{path} cannot be written: there is no folder {folder} (make it first, or choose "
            "another place); nothing was written."
        )
    if not folder.is_dir():
        raise CommandError(
            f"{path} cannot be written: {folder} is a file, not a folder; nothing was written."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CommandError(
            f"{path} cannot be written: you may not write in the folder {folder}; "
            "nothing was written."
        )


def check_output_folder(folder: Path) -> None:
    """A folder to write files into: there already, or one new folder in one that is."""
    if folder.is_dir():
        if not os.access(folder, os.W_OK | os.X_OK):
            raise CommandError(f"you may not write in the folder {folder}; nothing was written.")
        return
    if folder.exists():
        raise CommandError(f"{folder} is not a folder; nothing was written.")
    _check_folder_for(folder, folder.parent)


Data = bytes | Iterable[bytes]
"""What a file is written from: its bytes, or its pieces in order (an export streamed)."""


def _write_all(out: BinaryIO, data: Data) -> None:
    if isinstance(data, bytes):
        out.write(data)
        return
    for piece in data:
        out.write(piece)


def write_file(path: Path, data: Data) -> None:
    """Write `data` at `path` whole or not at all; a failure is said as a CommandError."""
    try:
        if _is_special(path):
            with path.open("wb") as out:
                _write_all(out, data)
            return
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
        try:
            with os.fdopen(handle, "wb") as out:
                _write_all(out, data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CommandError(
            f"{path} could not be written: {os_error_words(error)}; nothing was written there.",
            cause=error,
        ) from None


def write_pair(
    files: Sequence[tuple[Path, Data]], *, before_rename: Callable[[], None] | None = None
) -> None:
    """Several files that belong together, each whole: all written under hidden temporary names
    first, then `before_rename` (a record that they were produced), then all renamed into place.
    A failure before the renames leaves none of them (an OSError is raised as it came)."""
    temporaries: list[str] = []
    try:
        for path, data in files:
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
            )
            temporaries.append(temporary)
            with os.fdopen(handle, "wb") as out:
                _write_all(out, data)
                out.flush()
                os.fsync(out.fileno())
        if before_rename is not None:
            before_rename()
        for (path, _), temporary in zip(files, temporaries, strict=True):
            os.replace(temporary, path)
    except BaseException:
        for temporary in temporaries:
            Path(temporary).unlink(missing_ok=True)
        raise

"""Work handed to a child process of this program over its standard input and output.

Used by the batch of summaries (reports/batch_child.py, ui/summaries/batch_process.py) and by
Print summary's one summary (reports/summary_child.py): in one process, a worker thread making
PDFs holds the interpreter lock whenever the machine takes the CPU away from it, and the window
cannot answer until it runs again; a child has a lock of its own. What passes between the two
never touches the disk: the parent writes length-prefixed pickles to the child's standard input
(the work, then replies), and the child answers with one JSON object a line on its standard
output (progress, questions, the result), or for one summary with one frame (its PDF). Only our
own process reads what our own process wrote, so pickle's trust in its input holds.

The child is started as this program with an internal command (`SUMMARIES_CHILD`, not listed
in `--help`): the frozen executable itself, or this Python running the package.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import struct
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, BinaryIO

SUMMARIES_CHILD = "internal-summaries-child"
"""`asb-desktop internal-summaries-child`: makes summaries for the window, reading its work
from standard input (docs/architecture.md). Not for people to run."""
ONE_SUMMARY = "one_summary"
"""The `kind` of a job that is one summary for Print summary (reports/summary_child.py): the
child answers with one frame, ("made", the SummaryResult) or ("failed", what went wrong)."""

_LENGTH = struct.Struct(">Q")
_LARGEST_FRAME = 1 << 32  # a batch's cases are far less; more is someone else's bytes


def child_command(command: str) -> tuple[str, list[str]]:
    """The program and arguments that start this application again running `command`."""
    if getattr(sys, "frozen", False):  # PyInstaller: the executable is the application
        return sys.executable, [command]
    return sys.executable, ["-m", "asb_desktop", command]


def child_environment(base: Mapping[str, str]) -> dict[str, str]:
    """`base` (the parent's environment) with, when not frozen, this package's folder first on
    PYTHONPATH: the child then runs the very code the parent runs, whatever its working folder."""
    environment = dict(base)
    if not getattr(sys, "frozen", False):
        root = str(Path(__file__).resolve().parents[2])
        rest = environment.get("PYTHONPATH")
        environment["PYTHONPATH"] = root + (os.pathsep + rest if rest else "")
    return environment


def frame(message: Any) -> bytes:
    """One message for the child's standard input."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(body)) + body


def read_frame(stream: BinaryIO) -> Any:
    """The next message `frame` made; EOFError when the parent has closed the pipe."""
    head = _read_exactly(stream, _LENGTH.size)
    size = _LENGTH.unpack(head)[0]
    if not 0 < size <= _LARGEST_FRAME:  # not a frame of ours (and never try to hold exabytes)
        raise ValueError(f"a message of {size} bytes is not one this program sends")
    return pickle.loads(_read_exactly(stream, size))


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def line(kind: str, **fields: Any) -> bytes:
    """One message for the parent: a JSON object on a line of its own."""
    return json.dumps({"kind": kind, **fields}, default=str).encode("utf-8") + b"\n"


def read_line(raw: bytes) -> dict[str, Any] | None:
    """A message `line` made, or None for a line that is not one."""
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    return message if isinstance(message, dict) and "kind" in message else None


def private_stdout() -> IO[bytes]:
    """The channel to the parent, on a descriptor of its own; standard output then goes to
    standard error, so a stray print from a library cannot break a message. By descriptor
    number: a windowed frozen app may have no `sys.stdout` object over a perfectly good pipe."""
    channel = os.fdopen(os.dup(1), "wb", buffering=0)
    if sys.stdout is not None:
        sys.stdout.flush()
    with contextlib.suppress(OSError):
        os.dup2(2, 1)
    return channel


def parent_input() -> BinaryIO:
    """The pipe from the parent, by descriptor number (as `private_stdout`)."""
    return os.fdopen(os.dup(0), "rb")

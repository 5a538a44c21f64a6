"""The child process that makes a batch of summaries for the window (Summaries of this list).

Started as `asb-desktop internal-summaries-child` by ui/summaries/batch_process.py; the pipe
between them is support/child_pipe.py. It reads one job from standard input (the settings and
every case as the window read it from the store: the case documents never touch the disk on
the way), writes the PDFs with `write_summaries` into the folder or file the officer chose,
each under a hidden temporary name renamed once whole, and says on its standard output:

- `progress` (done, total) after each case;
- `ready` (the case ids of a file that is whole on disk, not yet in place) when the window
  records disclosures: it waits for the window's answer, and a refusal removes the file;
- `placed` (a path) once a file is in place;
- `log` (an event of the reports package, ids and counts only) for the window's own log;
- `done` (the batch's result) or `failed` (what went wrong, in terms the window puts into a
  sentence), last.

A job of kind `ONE_SUMMARY` (Print summary, reports/summary_child.py) is one case: the child
makes its PDF and frames the result back, and the window writes or prints it.

A `cancel` from the window stops it after the case in hand; the window's pipe closing (the
window gone) stops it too. It runs at a lower priority than the window, so the window is
served first when the two want the same processor.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from asb_desktop.domain.errors import InputError
from asb_desktop.reports.batch import BatchResult, write_summaries
from asb_desktop.reports.fonts import register_fonts
from asb_desktop.reports.summary import Branding, build_case_summary
from asb_desktop.support.child_pipe import (
    ONE_SUMMARY,
    SUMMARIES_CHILD,
    frame,
    line,
    parent_input,
    private_stdout,
    read_frame,
)
from asb_desktop.support.logs import FIELDS_ATTRIBUTE, exception_type_name, safe_traceback

NICENESS = 5


class _Refused(Exception):
    """The window could not record the file's disclosures: the file is not kept."""


class _Channel:
    """Messages to the window; the reader thread and the batch both send."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.lock = threading.Lock()

    def send(self, kind: str, **fields: Any) -> None:
        with self.lock:
            self.out.write(line(kind, **fields))


class _FromWindow:
    """Reads what the window sends after the job: replies to `ready`, and `cancel`."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.cancelled = threading.Event()
        self.replies: queue.Queue[bool] = queue.Queue()
        threading.Thread(target=self._read, name="from-window", daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                message = read_frame(self.stream)
            except (EOFError, OSError, pickle.UnpicklingError):  # the window is gone
                self.cancelled.set()
                self.replies.put(False)
                return
            if message == ("cancel",):
                self.cancelled.set()
            elif isinstance(message, tuple) and message[:1] == ("recorded",):
                self.replies.put(bool(message[1]))


class _Forward(logging.Handler):
    """The reports package's log events, sent to the window's log (its fields only hold ids,
    counts and durations; an exception goes as its type's name)."""

    def __init__(self, channel: _Channel) -> None:
        super().__init__(logging.INFO)
        self.channel = channel

    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, FIELDS_ATTRIBUTE, None)
        if not isinstance(record.msg, str) or not isinstance(fields, Mapping):
            return
        plain = {
            key: exception_type_name(value) if isinstance(value, BaseException) else value
            for key, value in fields.items()
        }
        self.channel.send(
            "log", logger=record.name, level=record.levelno, event=record.msg, fields=plain
        )


def failure_of(error: BaseException) -> dict[str, Any]:
    """What went wrong, for the window to put into its sentence (never the case's contents)."""
    if isinstance(error, InputError):
        return {
            "reason": "input",
            "field": error.field,
            "problem": error.problem,
            "record": error.record,
        }
    if isinstance(error, _Refused):
        return {"reason": "record"}
    if isinstance(error, OSError):
        return {"reason": "os", "errno": error.errno}
    return {
        "reason": "other",
        "type": exception_type_name(error),
        "traceback": safe_traceback(error),
    }


def _branding(job: Mapping[str, Any]) -> Branding:
    default = Branding.default()
    return Branding(
        organisation=job.get("organisation") or default.organisation,
        logo=job.get("logo") or default.logo,
    )


def run_job(job: Mapping[str, Any], channel: _Channel, window: _FromWindow) -> BatchResult:
    documents: list[Mapping[str, Any]] = []
    trails: dict[str, Sequence[Any]] = {}
    for packed in job["cases"]:
        document, trail = pickle.loads(packed)
        documents.append(document)
        trails[str(document.get("id"))] = trail

    def ask_to_record(printed: Sequence[Mapping[str, Any]]) -> None:
        channel.send("ready", ids=[str(d.get("id")) for d in printed])
        if not window.replies.get():
            raise _Refused

    single = job.get("single_file")
    out_dir = job.get("out_dir")
    return write_summaries(
        documents,
        out_dir=Path(out_dir) if out_dir else None,
        single_file=Path(single) if single else None,
        profile=job["profile"],
        produced_by=job["produced_by"],
        produced_at=job["produced_at"],
        audit_trails=trails,
        branding=_branding(job),
        on_progress=lambda done, total: channel.send("progress", done=done, total=total),
        is_cancelled=window.cancelled.is_set,
        names=job.get("names"),
        on_written=ask_to_record if job.get("record") else None,
        on_placed=lambda path: channel.send("placed", path=str(path)),
        temp_tag=job["temp_tag"],
    )


def _lower_priority() -> None:
    if hasattr(os, "nice"):  # POSIX; on Windows the child runs at the window's priority
        with contextlib.suppress(OSError):
            os.nice(NICENESS)


def make_one(job: Mapping[str, Any], out: IO[bytes]) -> int:
    """Print summary's one PDF (reports/summary_child.py): made here, its bytes framed back to
    the window, which writes or prints them as it always has. Exit 0 when made, 1 if not."""
    try:
        result = build_case_summary(job["document"], **job["options"])
    except Exception as error:
        out.write(frame(("failed", failure_of(error))))
        return 1
    out.write(frame(("made", result)))
    return 0


def _not_our_work() -> int:
    print(
        f"asb-desktop: {SUMMARIES_CHILD} is started by the window's Summaries of this list "
        "and reads its work from the window; what came on standard input was not that work.",
        file=sys.stderr,
    )
    return 2


def serve() -> int:
    """The child's whole life: one job, then exit (0 when it said `done`, 1 after `failed`).
    A job of kind `ONE_SUMMARY` is one summary made for Print summary (`make_one`)."""
    out = private_stdout()
    _lower_priority()
    register_fonts()  # while the window reads the cases (a spare child: while the officer chooses)
    out.write(line("waiting"))  # loaded: Print summary's window may now hand it a case
    stdin = parent_input()
    try:
        job = read_frame(stdin)
    except EOFError:  # cancelled before the work was sent, or a spare child let go
        return 0
    except Exception:  # not the window's work: the internal command was run by hand
        return _not_our_work()
    if not isinstance(job, Mapping):
        return _not_our_work()
    if job.get("kind") == ONE_SUMMARY:
        return make_one(job, out)
    channel = _Channel(out)
    forward = _Forward(channel)
    package = logging.getLogger("asb_desktop")
    package.addHandler(forward)
    package.setLevel(logging.INFO)
    package.propagate = False
    window = _FromWindow(stdin)
    try:
        result = run_job(job, channel, window)
    except Exception as error:
        channel.send("failed", **failure_of(error))
        return 1
    channel.send(
        "done",
        paths=[str(path) for path in result.paths],
        done=result.done,
        total=result.total,
        cancelled=result.cancelled,
        warnings=list(result.warnings),
        failures=list(result.failures),
    )
    return 0

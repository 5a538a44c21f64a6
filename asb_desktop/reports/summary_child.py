"""Print summary's one PDF made in a child process, so the window never waits for ReportLab.

On a worker thread of the window's own process, drawing one summary held the interpreter lock
whenever the machine descheduled that thread, and the window stood still for 20-170 ms on a
loaded machine (benchmarks/README.md, Reports). `SummaryMaker` is called exactly as
`build_case_summary` is, from the same worker: it hands the case to a child (the summaries'
child, reports/batch_child.py `make_one`) and waits, without the lock, for the PDF's bytes to
come back over the pipe. Everything else stays where it was: the worker writes the file
(temporary name, disclosures recorded, then renamed: batch.write_summary) or sends it to the
printer, so files, disclosures, failures and their sentences are as before. Nothing of the
case touches the disk on the way.

A child takes a second or more to start (it loads ReportLab), so one is started ahead
(`warm`, when the dialog opens) and says when it has loaded; after each summary the next is
started. A summary asked for before then, or where no child can be started, is made here, as
before. `close` lets the waiting one go (it reads the end of its input and exits).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import subprocess
import threading
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO, cast

from asb_desktop.domain.errors import InputError
from asb_desktop.reports.summary import SummaryResult, build_case_summary
from asb_desktop.support.child_pipe import (
    ONE_SUMMARY,
    SUMMARIES_CHILD,
    child_command,
    child_environment,
    frame,
    read_frame,
)
from asb_desktop.support.logs import log_event
from asb_desktop.support.summaries_job import log_child_failure

_log = logging.getLogger(__name__)


class ChildStopped(RuntimeError):
    """The child ended without an answer (killed, or out of memory)."""


class StoredPhotos(dict[str, bytes]):
    """A case's photos read ahead (an attachment id to its bytes), so they can go to the child;
    called as the summary calls its photo source."""

    def __call__(self, attachment_id: str) -> bytes | None:
        return self.get(attachment_id)


def photos_read_ahead(
    document: Mapping[str, Any], photos: Callable[[str], bytes | None] | None
) -> StoredPhotos | None:
    """Every attachment's bytes `photos` gives, read now (on the worker, from the store)."""
    if photos is None:
        return None
    stored = StoredPhotos()
    for attachment in document.get("attachments") or []:
        key = attachment.get("id") if isinstance(attachment, Mapping) else None
        if isinstance(key, str):
            found = photos(key)
            if found is not None:
                stored[key] = found
    return stored


def _error_of(failure: Mapping[str, Any]) -> Exception:
    """The child's `failure_of` as the error the same failure raises here."""
    reason = failure.get("reason")
    if reason == "input":
        return InputError(
            str(failure.get("field")), str(failure.get("problem")), record=failure.get("record")
        )
    if reason == "os":
        return OSError(failure.get("errno"), "")
    log_child_failure(failure)
    return RuntimeError("the summary could not be made")


def _start() -> subprocess.Popen[bytes]:
    program, arguments = child_command(SUMMARIES_CHILD)
    return subprocess.Popen(
        [program, *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # a library's warning may quote; never kept
        env=child_environment(os.environ),
    )


def _let_go(child: subprocess.Popen[bytes]) -> None:
    """Close the child's input (a waiting child exits) and reap it off this thread."""
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    threading.Thread(target=child.wait, name="summary-child-reaper", daemon=True).start()


class _Spare:
    """A child started ahead; `loaded` is set once it says it is waiting for work (ReportLab
    and the fonts loaded), or has ended."""

    def __init__(self, child: subprocess.Popen[bytes]) -> None:
        self.child = child
        self.loaded = threading.Event()
        threading.Thread(target=self._hear, name="summary-child-ready", daemon=True).start()

    def _hear(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            assert self.child.stdout is not None
            self.child.stdout.readline()  # `waiting`, or nothing: the child is gone
        self.loaded.set()

    def ready(self) -> bool:
        return self.loaded.is_set() and self.child.poll() is None


class SummaryMaker:
    """`build_case_summary` made in a child process; safe to call from any worker thread.
    A summary asked for before the child started ahead has loaded is made here, as before:
    waiting for the child would be slower than the stall it saves."""

    def __init__(self, start: Callable[[], subprocess.Popen[bytes]] = _start) -> None:
        self._start = start
        self._lock = threading.Lock()
        self._spare: _Spare | None = None
        self._closed = False

    def warm(self) -> None:
        """Start a child to wait for the next summary, unless one is waiting already."""
        with self._lock:
            spare = self._spare
            if self._closed or (spare is not None and spare.child.poll() is None):
                return
            try:
                self._spare = _Spare(self._start())
            except OSError:
                self._spare = None  # made here when asked (`__call__`)

    def ready(self, timeout: float = 0.0) -> bool:
        """Whether a child is loaded and waiting (waiting up to `timeout` seconds for it)."""
        spare = self._spare
        if spare is None:
            return False
        spare.loaded.wait(timeout)
        return spare.ready()

    def close(self) -> None:
        """No more summaries: the waiting child is let go."""
        with self._lock:
            self._closed = True
            spare, self._spare = self._spare, None
        if spare is not None:
            _let_go(spare.child)

    def _take(self) -> subprocess.Popen[bytes] | None:
        """The waiting child if it has loaded (the next one is started), else None."""
        with self._lock:
            spare = self._spare
            if spare is None or not spare.ready():
                taken = None
            else:
                taken, self._spare = spare.child, None
        self.warm()
        return taken

    def __call__(self, document: Mapping[str, Any], **options: Any) -> SummaryResult:
        """What `build_case_summary(document, **options)` returns or raises, made in a child
        that has loaded; `options["photos"]` must be read ahead (`photos_read_ahead`)."""
        job = frame({"kind": ONE_SUMMARY, "document": document, "options": options})
        child = self._take()
        if child is None:  # none loaded yet (or none can start here): made here, as before
            if self._spare is None and not self._closed:
                log_event(_log, "summary.child_not_started", level=logging.WARNING)
            return build_case_summary(document, **options)
        try:
            assert child.stdin is not None and child.stdout is not None
            try:
                child.stdin.write(job)
                child.stdin.close()
                kind, body = read_frame(cast(BinaryIO, child.stdout))
            except (OSError, EOFError, ValueError, pickle.UnpicklingError):
                log_event(_log, "summary.child_stopped", level=logging.ERROR)
                raise ChildStopped("the process making the summary stopped") from None
        finally:
            _let_go(child)
        if kind == "made" and isinstance(body, SummaryResult):
            return body
        raise _error_of(body if isinstance(body, Mapping) else {})

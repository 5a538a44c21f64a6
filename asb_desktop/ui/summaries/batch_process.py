"""A batch of summaries made in a child process, so the window never waits for it.

Made on a worker thread of the window's own process, the PDFs took the interpreter lock with
them whenever the machine descheduled that thread, and the window stood still for up to 230 ms
(benchmarks/README.md, Reports). Here the window's side only reads the cases from the store (a
worker, short turns) and hands them over a pipe; the child (reports/batch_child.py) draws and
writes the files. Everything the child says arrives on the GUI thread through QProcess's
signals: progress, a question to record a file's disclosures before it is put in place (asked
of the store on a worker, answered over the pipe), the result.

- Nothing of a case is written anywhere but the destination: the documents go through the
  pipe, and the child writes each file under a hidden temporary name beside it, renamed once
  whole (reports/batch.py `write_atomically`), tagged with this batch's mark.
- Cancel asks the child to stop after the case in hand; if it has not gone a few seconds later
  (and is not waiting for an answer), it is killed. Whichever way it ends, any temporary file
  bearing the batch's mark is removed.
- A child that fails says what went wrong and the window puts it into a sentence; a child that
  dies says nothing, and that is a sentence too.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTimer,
    Signal,
)

from asb_desktop.domain.errors import InputError
from asb_desktop.support.child_pipe import (
    SUMMARIES_CHILD,
    child_command,
    child_environment,
    frame,
    read_line,
)
from asb_desktop.support.logs import log_event
from asb_desktop.support.summaries_job import JobSettings, log_child_failure
from asb_desktop.ui.operations import Operation

_log = logging.getLogger(__name__)
KILL_AFTER_MS = 5000
"""How long a cancelled child may take to finish the case in hand before it is killed."""

STOPPED_SENTENCE = (
    "The summaries could not be made: the process making them stopped unexpectedly. "
    "Files already finished are kept; nothing half-written was left behind."
)
NOT_STARTED_SENTENCE = "The summaries could not be made: the process to make them did not start."


@dataclass(frozen=True)
class BatchOutcome:
    """What the batch produced (as reports.BatchResult). Warnings and failures start with the
    case's reference or id."""

    paths: tuple[Path, ...]
    done: int
    total: int
    cancelled: bool
    warnings: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()


class ChildFailed(Exception):
    """The child said what went wrong; `sentence` is for the officer."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


def failure_sentence_of(message: Mapping[str, Any], sentence: Callable[[Exception], str]) -> str:
    """The child's `failed` message in the words `sentence` uses for the same error here."""
    reason = message.get("reason")
    if reason == "input":
        error: Exception = InputError(
            str(message.get("field")), str(message.get("problem")), record=message.get("record")
        )
    elif reason == "os":
        error = OSError(message.get("errno"), "")
    else:
        error = RuntimeError()
    return sentence(error)


class SummariesProcess(QObject):
    """One batch: `start` it once; it ends with exactly one of `sig_finished`, `sig_failed`."""

    sig_total = Signal(int)
    """How many cases the batch will print, once they are counted."""
    sig_progress = Signal(int, int)
    """Cases done, cases in all."""
    sig_finished = Signal(object)
    """A BatchOutcome (finished or cancelled)."""
    sig_failed = Signal(str)
    """A sentence saying what went wrong."""

    def __init__(
        self,
        parent: QObject,
        *,
        sentence: Callable[[Exception], str],
        record: Callable[[list[str]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.sentence = sentence
        self.record = record
        self.process = QProcess(self)
        self.process.readyReadStandardOutput.connect(self._heard)
        self.process.readyReadStandardError.connect(self._discard_stderr)
        self.process.finished.connect(self._ended)
        self.process.errorOccurred.connect(self._error)
        self.settings: JobSettings | None = None
        self.cancelled = False
        self.sent = False
        self.over = False
        self.answering = 0  # records asked of the store and not yet answered
        self.total = 0
        self.done = 0
        self.placed: list[Path] = []
        self.result: BatchOutcome | None = None
        self.failure: str | None = None
        self.record_error: Exception | None = None
        self.kill_timer = QTimer(self, singleShot=True, interval=KILL_AFTER_MS)
        self.kill_timer.timeout.connect(self._kill_if_still_there)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._at_quit)

    def start(
        self,
        read_ids: Callable[[], Sequence[str]],
        read_job: Callable[[Sequence[str]], tuple[JobSettings, bytes]],
    ) -> None:
        """Start the child (it loads its libraries meanwhile), count the cases (`read_ids`, on a
        worker), then read and pack them (`read_job`, on a worker) and hand them over."""
        program, arguments = child_command(SUMMARIES_CHILD)
        environment = QProcessEnvironment()
        for name, value in child_environment(os.environ).items():
            environment.insert(name, value)
        self.process.setProcessEnvironment(environment)
        self.process.start(program, arguments)

        def counted(ids: Sequence[str]) -> None:
            self.total = len(ids)
            self.sig_total.emit(self.total)
            self.sig_progress.emit(0, self.total)
            if self.cancelled:
                self._stop_unsent()
                return
            reading = Operation(self, lambda: read_job(ids), name="summary.read_cases")
            reading.read_only().success(self._send).failure(self._read_failed).run()

        counting = Operation(self, read_ids, name="summary.list_cases")
        counting.read_only().success(counted).failure(self._read_failed).run()

    def cancel(self) -> None:
        """Stop after the case in hand; a child that has not started the work is stopped now."""
        if self.over or self.cancelled:
            return
        self.cancelled = True
        if not self.sent:
            return  # the reading's end stops it (_send)
        self.process.write(frame(("cancel",)))
        self.kill_timer.start()

    def kill(self) -> None:
        """Stop the child now (the window is closing); its temporary files are removed."""
        self.cancelled = True
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.kill()

    def _send(self, job: tuple[JobSettings, bytes]) -> None:
        self.settings, packed = job
        if self.cancelled:
            self._stop_unsent()
            return
        if self.process.state() == QProcess.ProcessState.NotRunning:
            self._fail(NOT_STARTED_SENTENCE)
            return
        self.sent = True
        self.process.write(packed)

    def _stop_unsent(self) -> None:
        self.result = BatchOutcome((), 0, self.total, True)
        self._let_go()

    def _read_failed(self, error: Exception) -> None:
        self.failure = self.sentence(error)
        self._let_go()

    def _let_go(self) -> None:
        """The child was given nothing: closing its input ends it (it reads no job)."""
        if self.process.state() == QProcess.ProcessState.NotRunning:
            self._conclude()
        else:
            self.process.closeWriteChannel()

    def _heard(self) -> None:
        while self.process.canReadLine():
            message = read_line(bytes(self.process.readLine().data()))
            if message is not None:
                self._message(message)

    def _message(self, message: dict[str, Any]) -> None:
        kind = message["kind"]
        if kind == "progress":
            self.done = int(message["done"])
            self.sig_progress.emit(self.done, int(message["total"]))
        elif kind == "placed":
            self.placed.append(Path(message["path"]))
        elif kind == "ready":
            self._record(list(message["ids"]))
        elif kind == "log":
            self._relog(message)
        elif kind == "done":
            self.result = BatchOutcome(
                paths=tuple(Path(p) for p in message["paths"]),
                done=int(message["done"]),
                total=int(message["total"]),
                cancelled=bool(message["cancelled"]),
                warnings=tuple(message["warnings"]),
                failures=tuple(message["failures"]),
            )
        elif kind == "failed":
            if message.get("reason") == "record" and self.record_error is not None:
                self.failure = self.sentence(self.record_error)
            else:
                self.failure = failure_sentence_of(message, self.sentence)
            if message.get("reason") == "other":
                log_child_failure(message)

    def _record(self, ids: list[str]) -> None:
        """The child has a file whole on disk: record its disclosures, then tell it (it puts
        the file in place only after a yes)."""
        record = self.record
        if record is None:
            self._answer(True)
            return
        self.answering += 1
        recording = Operation(self, lambda: record(ids), name="summary.record")
        recording.success(lambda _: self._answer(True)).failure(self._refused).run()

    def _refused(self, error: Exception) -> None:
        self.record_error = error
        self._answer(False)

    def _answer(self, ok: bool) -> None:
        self.answering = max(self.answering - 1, 0)
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.write(frame(("recorded", ok)))

    def _relog(self, message: Mapping[str, Any]) -> None:
        name, event, fields = message.get("logger"), message.get("event"), message.get("fields")
        if not (isinstance(name, str) and name.startswith("asb_desktop.")):
            return
        if isinstance(event, str) and isinstance(fields, dict):
            level = message.get("level")
            log_event(
                logging.getLogger(name),
                event,
                level=level if isinstance(level, int) else logging.INFO,
                **{str(k): v for k, v in fields.items()},
            )

    def _discard_stderr(self) -> None:
        self.process.readAllStandardError()  # a library's warning; never kept (it may quote)

    def _kill_if_still_there(self) -> None:
        if self.process.state() == QProcess.ProcessState.NotRunning:
            return
        if self.answering:  # killed now, a recorded file might never be put in place
            self.kill_timer.start()
            return
        self.process.kill()

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.failure = self.failure or NOT_STARTED_SENTENCE
            self._conclude()

    def _ended(self, _code: int, _status: QProcess.ExitStatus) -> None:
        self._heard()  # its last words
        self._conclude()

    def _fail(self, sentence: str) -> None:
        self.failure = sentence
        self._let_go()

    def _at_quit(self) -> None:
        """The application is quitting: the child is stopped and its temporary files removed
        now, since no event loop is left to hear it end."""
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.kill()
            self.process.waitForFinished(2000)
        self._sweep()

    def _conclude(self) -> None:
        if self.over:
            return
        self.over = True
        self.kill_timer.stop()
        self._sweep()
        if self.failure is not None:
            self.sig_failed.emit(self.failure)
        elif self.result is not None:
            self.sig_finished.emit(self.result)
        elif self.cancelled:
            self.sig_finished.emit(BatchOutcome(tuple(self.placed), self.done, self.total, True))
        else:
            log_event(_log, "summary.child_stopped", level=logging.ERROR)
            self.sig_failed.emit(STOPPED_SENTENCE)

    def _sweep(self) -> None:
        """Remove the temporary files of this batch the child may have left (killed mid-write)."""
        settings = self.settings
        if settings is None:
            return
        folder = settings.out_dir or (settings.single_file.parent if settings.single_file else None)
        if folder is None:
            return
        with contextlib.suppress(OSError):
            for left in folder.glob(f".*.{settings.temp_tag}*.part"):
                with contextlib.suppress(FileNotFoundError):
                    left.unlink()

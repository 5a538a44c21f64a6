"""The one way a screen runs work: an `Operation` runs a callable off the GUI thread and hands
the result or the error back on the GUI thread (after Anki's `aqt.operations` and Picard's
`run_task`).

- Writes are the default: they run one at a time, in the order asked, on the one writer thread,
  and a successful write announces one `Changed` on the change hub, which every screen refreshes
  from. A read says so with `.read_only()` and may run beside others on the reader pool.
- Every failure is logged (the operation's name and the exception's type, never its message)
  before the screen's failure handler turns it into a sentence.
- Workers only ever run the callable: no widget is touched from a worker thread, and no signal
  is emitted there either. A finished job is put on a queue and the GUI thread is asked, with a
  queued `QMetaObject.invokeMethod`, to take it off (Picard's `thread.to_main` posts an event for
  the same reason): PySide's signal machinery is then only ever used on the GUI thread.

Each user action is a small typed function in this package's modules returning an Operation;
the screen adds `.success(...)` / `.failure(...)` and calls `.run()`.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, QRunnable, Qt, QThreadPool, Slot

from asb_desktop.support.logs import FIELDS_ATTRIBUTE
from asb_desktop.ui.changes import Changed, change_hub

T = TypeVar("T")
log = logging.getLogger(__name__)

_readers: QThreadPool | None = None
_writer: QThreadPool | None = None
_live: set[_Ticket] = set()
_home: _Home | None = None


class Operation(Generic[T]):
    """One piece of work for a screen: a write unless `.read_only()` says otherwise."""

    def __init__(
        self,
        parent: QObject,
        work: Callable[[], T],
        *,
        name: str,
        changes: Changed | Callable[[T], Changed] | None = None,
    ) -> None:
        self.parent = parent
        self.work = work
        self.name = name
        """A code word for the log ("report.save"): what was attempted, never with whose data."""
        self.changes = changes
        self.writes = True
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None

    def read_only(self) -> Operation[T]:
        """Only reads: may run beside other reads, and announces no change."""
        self.writes = False
        return self

    def success(self, on_success: Callable[[T], None]) -> Operation[T]:
        self._on_success = on_success
        return self

    def failure(self, on_failure: Callable[[Exception], None]) -> Operation[T]:
        self._on_failure = on_failure
        return self

    def run(self) -> None:
        """Start it. The handlers run on the GUI thread, unless the parent has been deleted."""
        ticket = _Ticket(self, _home_on_gui_thread())
        _live.add(ticket)
        _pool(self.writes).start(_Job(ticket))

    def _finished(self, result: T) -> None:
        if self.writes:
            change_hub().sig_changed.emit(self._what_changed(result))
        if self._on_success is not None and shiboken6.isValid(self.parent):
            self._on_success(result)

    def _what_changed(self, result: T) -> Changed:
        if self.changes is None:
            return Changed.everything()
        if isinstance(self.changes, Changed):
            return self.changes
        return self.changes(result)

    def _failed(self, error: Exception) -> None:
        # The log's filter keeps the traceback's frames and types and drops every message.
        fields = {"operation": self.name, "error": error, "writes": self.writes}
        log.warning("operation.failed", exc_info=error, extra={FIELDS_ATTRIBUTE: fields})
        if self._on_failure is not None and shiboken6.isValid(self.parent):
            self._on_failure(error)


def _home_on_gui_thread() -> _Home:
    global _home
    if _home is None:
        _home = _Home()
    return _home


class _Ticket:
    """One operation on its way. Everything Python made for it (the operation, its callable and
    what that holds, the result, an exception and its frames) is referenced from here and let go
    in `_Home.deliver`, on the GUI thread: freed on a worker, a widget or timer that a callable
    or a traceback held would be deleted on the wrong thread."""

    __slots__ = ("failed", "home", "operation", "outcome")

    def __init__(self, operation: Operation[Any], home: _Home) -> None:
        self.operation: Operation[Any] | None = operation
        self.home = home
        self.outcome: Any = None
        self.failed = False


class _Home(QObject):
    """Lives on the GUI thread; workers leave finished tickets here and ask it, through Qt's
    event queue, to hand them to their operations."""

    def __init__(self) -> None:
        super().__init__()
        self._answered: deque[_Ticket] = deque()  # append and popleft are thread-safe
        self._waking = threading.Lock()
        self._closed = False
        # At exit Python frees this object while a worker may still finish a job: a worker
        # waking a freed object crashed in invokeMethod (seen once). From here none wakes it.
        atexit.register(self.close)

    def answer(self, ticket: _Ticket) -> None:
        """Called on a worker: queue the ticket and wake the GUI thread (thread-safe in Qt)."""
        self._answered.append(ticket)
        with self._waking:
            if self._closed or not shiboken6.isValid(self):
                return  # the application is closing: no one to tell
            with contextlib.suppress(RuntimeError):
                QMetaObject.invokeMethod(self, "deliver", Qt.ConnectionType.QueuedConnection)

    def close(self) -> None:
        with self._waking:
            self._closed = True

    @Slot()
    def deliver(self) -> None:
        while self._answered:
            ticket = self._answered.popleft()
            operation, outcome = ticket.operation, ticket.outcome
            ticket.operation = ticket.outcome = None
            _live.discard(ticket)
            assert operation is not None
            if ticket.failed:
                operation._failed(outcome)
            else:
                operation._finished(outcome)
            del operation, outcome  # freed here, on the GUI thread


class _Job(QRunnable):
    def __init__(self, ticket: _Ticket) -> None:
        super().__init__()
        self.ticket: _Ticket | None = ticket

    def run(self) -> None:
        ticket, self.ticket = self.ticket, None
        assert ticket is not None and ticket.operation is not None
        try:
            ticket.outcome = ticket.operation.work()
        except Exception as error:  # handed to the GUI thread, which decides what to say
            ticket.outcome = error
            ticket.failed = True
        ticket.home.answer(ticket)


def _pool(writes: bool) -> QThreadPool:
    global _readers, _writer
    if writes:
        if _writer is None:
            _writer = QThreadPool()
            _writer.setMaxThreadCount(1)
        return _writer
    if _readers is None:
        _readers = QThreadPool()
        _readers.setMaxThreadCount(3)
    return _readers


def wait_for_operations(timeout_ms: int = 10000) -> bool:
    """Let queued work finish (closing the window, tests); True when all of it did."""
    ok = True
    for pool in (_writer, _readers):
        if pool is not None:
            ok = pool.waitForDone(timeout_ms) and ok
    return ok


def pending_operations() -> int:
    """Operations started whose answer has not yet been delivered on the GUI thread."""
    return len(_live)

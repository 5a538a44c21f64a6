"""The one way a screen runs work: an `Operation` runs a callable off the GUI thread and hands
the result or the error back on the GUI thread (after Anki's `aqt.operations` and Picard's
`run_task`).

- Writes are the default: they run one at a time, in the order asked, on the one writer thread,
  and a successful write announces one `Changed` on the change hub, which every screen refreshes
  from. A read says so with `.read_only()` and may run beside others on the reader pool.
- Every failure is logged (the operation's name and the exception's type, never its message)
  before the screen's failure handler turns it into a sentence.
- Workers only ever run the callable: no widget is touched from a worker thread.

Each user action is a small typed function in this package's modules returning an Operation;
the screen adds `.success(...)` / `.failure(...)` and calls `.run()`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from asb_desktop.support.logs import FIELDS_ATTRIBUTE
from asb_desktop.ui.changes import Changed, change_hub

T = TypeVar("T")
log = logging.getLogger(__name__)

_readers: QThreadPool | None = None
_writer: QThreadPool | None = None
_live: set[_Relay] = set()
_home: QObject | None = None


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
        relay = _Relay(_owner_of_relays(), self.work)
        _live.add(relay)
        relay.sig_done.connect(lambda: self._finished(relay, _retire(relay)))
        relay.sig_failed.connect(lambda: self._failed(relay, _retire(relay)))
        _pool(self.writes).start(_Job(relay))

    def _finished(self, relay: _Relay, result: T) -> None:
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

    def _failed(self, relay: _Relay, error: Exception) -> None:
        # The log's filter keeps the traceback's frames and types and drops every message.
        fields = {"operation": self.name, "error": error, "writes": self.writes}
        log.warning("operation.failed", exc_info=error, extra={FIELDS_ATTRIBUTE: fields})
        if self._on_failure is not None and shiboken6.isValid(self.parent):
            self._on_failure(error)


def _owner_of_relays() -> QObject:
    """Relays belong to a GUI-thread object, so a worker dropping its reference never deletes
    one; each is deleted later, on the GUI thread, once its answer is delivered."""
    global _home
    if _home is None:
        _home = QObject()
    return _home


class _Relay(QObject):
    """Carries one operation's work to a worker and its outcome back. Everything Python made for
    the operation (the callable and what it holds, the result, an exception and its frames) is
    referenced from here and let go in `_retire`, on the GUI thread: freed on a worker, a widget
    or timer that a callable or a traceback held would be deleted on the wrong thread."""

    sig_done = Signal()
    """The callable returned; `outcome` is its result."""
    sig_failed = Signal()
    """The callable raised; `outcome` is the exception."""

    def __init__(self, parent: QObject, work: Callable[[], Any]) -> None:
        super().__init__(parent)
        self.work: Callable[[], Any] | None = work
        self.outcome: Any = None


class _Job(QRunnable):
    def __init__(self, relay: _Relay) -> None:
        super().__init__()
        self.relay = relay

    def run(self) -> None:
        relay = self.relay  # alive until the GUI thread retires it, after the signal below
        work = relay.work
        assert work is not None
        try:
            relay.outcome = work()
            signal = relay.sig_done
        except Exception as error:  # handed to the GUI thread, which decides what to say
            relay.outcome = error
            signal = relay.sig_failed
        del work  # the relay still holds it: the last reference is the GUI thread's
        with contextlib.suppress(RuntimeError):  # the application is closing: no one to tell
            signal.emit()


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


def _retire(relay: _Relay) -> Any:
    """On the GUI thread, once the answer is in: the relay lets go of everything (so it is freed
    here) and is deleted later; returns the outcome, for the handler."""
    outcome, relay.outcome, relay.work = relay.outcome, None, None
    _live.discard(relay)
    relay.deleteLater()
    return outcome


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

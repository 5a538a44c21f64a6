"""The one background helper: run a callable off the GUI thread, hear back on the GUI thread.

Writes go to a one-thread pool (one writer, in the order asked); reads to a small shared pool.
Workers only ever run the callable: the result or the error is handed back through a queued
signal, so no widget is touched from a worker thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

_readers: QThreadPool | None = None
_writer: QThreadPool | None = None
_live: set[_Relay] = set()
_home: QObject | None = None


def _owner_of_relays() -> QObject:
    """Relays belong to a GUI-thread object, so a worker dropping its reference never deletes
    one; each is deleted later, on the GUI thread, once its answer is delivered."""
    global _home
    if _home is None:
        _home = QObject()
    return _home


class _Relay(QObject):
    sig_done = Signal(object)
    """The callable returned; carries its result."""
    sig_failed = Signal(object)
    """The callable raised; carries the exception."""


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # handed to the GUI thread, which decides what to say
            outcome, signal = error, "sig_failed"
        else:
            outcome, signal = result, "sig_done"
        with contextlib.suppress(RuntimeError):  # the application is closing: no one to tell
            getattr(self.relay, signal).emit(outcome)


def _pool(write: bool) -> QThreadPool:
    global _readers, _writer
    if write:
        if _writer is None:
            _writer = QThreadPool()
            _writer.setMaxThreadCount(1)
        return _writer
    if _readers is None:
        _readers = QThreadPool()
        _readers.setMaxThreadCount(3)
    return _readers


def run_task(
    owner: QObject,
    work: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    *,
    write: bool = False,
) -> None:
    """Run `work` on a worker; `on_done(result)` or `on_error(exception)` runs on the GUI thread,
    unless `owner` (the widget that asked) has been deleted meanwhile."""
    relay = _Relay(_owner_of_relays())
    _live.add(relay)

    @Slot(object)
    def finished(result: Any) -> None:
        _retire(relay)
        if on_done is not None and shiboken6.isValid(owner):
            on_done(result)

    @Slot(object)
    def failed(error: Any) -> None:
        _retire(relay)
        if not shiboken6.isValid(owner):
            return
        if on_error is not None:
            on_error(error)
        else:
            raise error

    relay.sig_done.connect(finished)
    relay.sig_failed.connect(failed)
    _pool(write).start(_Job(work, relay))


def _retire(relay: _Relay) -> None:
    _live.discard(relay)
    relay.deleteLater()


def wait_for_tasks(timeout_ms: int = 10000) -> bool:
    """Let queued work finish (closing the window, tests); True when all of it did."""
    ok = True
    for pool in (_writer, _readers):
        if pool is not None:
            ok = pool.waitForDone(timeout_ms) and ok
    return ok


def pending_tasks() -> int:
    return len(_live)

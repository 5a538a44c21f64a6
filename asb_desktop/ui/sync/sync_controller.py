"""When to sync, decided on the GUI thread; the sync itself always runs on a worker.

Syncs on "Sync now", every few minutes while the central store answers, and when the connection
comes back: Qt's network information says when the network changes (where the platform has a
backend), and a cheap `/health` probe every half minute while offline confirms the store itself
is reachable. Automatic syncs respect the engine's backoff and stop after a 401/403 until the
officer connects again; "Sync now" always tries.

While a sync runs, automatic cyclic garbage collection waits (as Anki does for its background
work): the worker parses thousands of documents, and a full collection it triggers stops every
thread, the GUI's included, for 100-400 ms. Sync's own data has no reference cycles, so it is
freed as usual; collection resumes, young generations first, when the sync ends.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from asb_desktop.sync.service import SyncService
from asb_desktop.sync.status_words import SyncStatus, SyncSummary
from asb_desktop.sync.sync_run import SyncProgress
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.operations.sync_ops import sync_now

SYNC_EVERY_MS = 5 * 60 * 1000
PROBE_EVERY_MS = 30 * 1000


class SyncController(QObject):
    sig_started = Signal()
    """A sync began."""
    sig_progress = Signal(object)
    """The running sync moved on; carries a SyncProgress."""
    sig_finished = Signal(object)
    """A sync ended (done, stopped or failed); carries its SyncSummary."""
    sig_status = Signal(object)
    """Where sync stands changed; carries a SyncStatus."""
    sig_online = Signal(bool)
    """The central store became reachable (True) or unreachable (False)."""
    sig_sign_in_needed = Signal(str)
    """The central store refused this laptop; carries the sentence to show."""
    sig_withdrawn = Signal(object)
    """The central store revoked this laptop (proved): its store is to be deleted; carries the
    SyncSummary, whose withdrawn_words() the officer is shown first. Syncing stops for good."""

    def __init__(
        self,
        sync: SyncService,
        *,
        sync_every_ms: int = SYNC_EVERY_MS,
        probe_every_ms: int = PROBE_EVERY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.sync = sync
        self.online: bool | None = None
        self.running = False
        self.status: SyncStatus | None = None
        self._cancel = threading.Event()
        self._again = False  # "Sync now" pressed while a sync was running
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(sync_every_ms)
        self._sync_timer.timeout.connect(self._scheduled)
        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(probe_every_ms)
        self._probe_timer.timeout.connect(self._probe_if_offline)
        self._network: Any = None

    def start(self) -> None:
        """Begin watching: timers, the platform's network notices, and a first probe."""
        self._watch_network()
        self._sync_timer.start()
        self._probe_timer.start()
        self.refresh_status()
        self.probe()

    def stop(self) -> None:
        self._sync_timer.stop()
        self._probe_timer.stop()
        self.cancel()

    def _watch_network(self) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:  # QtNetwork missing: the probe timer alone notices reconnection
            return
        if not QNetworkInformation.loadDefaultBackend():
            return
        self._network = QNetworkInformation.instance()
        if self._network is not None:
            self._network.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Disconnected:
            self._set_online(False)
        else:
            self.probe()  # a network is back: is the central store on it?

    # --- actions ------------------------------------------------------------------------------

    def sync_now(self) -> None:
        """The officer asked: sync now, whatever the backoff says."""
        if self.running:
            self._again = True
            return
        self._run(force=True)

    def cancel(self) -> None:
        if self.running:
            self._cancel.set()

    def probe(self) -> None:
        """Ask the central store's /health off the GUI thread; sync if it has just come back."""
        if self.running:
            return
        probing = Operation(self, self.sync.probe, name="sync.probe").read_only()
        probing.success(self._probed).failure(self._unreachable).run()

    def refresh_status(self) -> None:
        reading = Operation(self, self.sync.status, name="sync.status").read_only()
        reading.success(self._have_status).run()  # a failure is logged; the corner stays

    # --- internals ----------------------------------------------------------------------------

    def _probe_if_offline(self) -> None:
        if self.online is not True:  # while online, the sync timer's own calls tell us
            self.probe()

    def _scheduled(self) -> None:
        if self.online and not self.running:
            self._run(force=False)

    def _unreachable(self, _error: Exception) -> None:
        self._probed(False)

    def _probed(self, reachable: bool) -> None:
        came_back = reachable and self.online is not True
        self._set_online(bool(reachable))
        if came_back and not self.running:
            self._run(force=False)

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.sig_online.emit(online)

    def _run(self, *, force: bool) -> None:
        self.running = True
        self._cancel.clear()
        self.sig_started.emit()

        running = sync_now(
            self, self.sync, force=force, cancel=self._cancel.is_set, progress=self._report_progress
        )
        running.success(self._finished).failure(self._crashed).run()

    def _report_progress(self, progress: SyncProgress) -> None:
        # Runs on the worker: only emits; Qt queues the signal to the GUI thread's receivers.
        self.sig_progress.emit(progress)

    def _finished(self, summary: SyncSummary) -> None:
        self.running = False
        if summary.withdrawn is not None:
            self.stop()
            self._again = False
            self.sig_finished.emit(summary)
            if summary.status is not None:
                self._have_status(summary.status)
            self.sig_withdrawn.emit(summary)
            return
        if summary.error_kind == "offline":
            self._set_online(False)
        elif summary.skipped is None and summary.error is None:
            self._set_online(True)
        if summary.error_kind == "auth" and summary.error:
            self.sig_sign_in_needed.emit(summary.error)
        self.sig_finished.emit(summary)
        if summary.status is not None:
            self._have_status(summary.status)
        if self._again:
            self._again = False
            self._run(force=True)

    def _crashed(self, error: Exception) -> None:
        self.running = False
        summary = SyncSummary(
            error="Sync stopped on an unexpected problem; nothing sent was lost.",
            error_kind="error",
        )
        self.sig_finished.emit(summary)
        self.refresh_status()

    def _have_status(self, status: SyncStatus) -> None:
        self.status = status
        self.sig_status.emit(status)

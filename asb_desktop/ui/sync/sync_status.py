"""The status bar's sync corner: online or offline in words, changes waiting, last successful
sync, any problem in a sentence, and a "Sync now" button. Never colour alone.

When the central store has withdrawn this laptop's access (a revoked device: 401), the corner
says so ("Disconnected: …") until the laptop is connected again, whatever the online probe finds:
the store answering /health does not make this laptop "Online" to it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from asb_desktop.domain.attachment import size_words
from asb_desktop.sync.status_words import SyncStatus, SyncSummary, in_words
from asb_desktop.sync.sync_run import SyncProgress
from asb_desktop.ui.sync.sync_controller import SyncController

WITHDRAWN = "Disconnected: this laptop's access was withdrawn"
CONNECT_AGAIN = "⚠ Connect again with a new code"


class SyncStatusWidget(QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAccessibleName("Sync status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.online = QLabel("Checking connection…")
        self.online.setAccessibleName("Connection")
        self.waiting = QLabel("")
        self.waiting.setAccessibleName("Changes waiting")
        self.last = QLabel("")
        self.last.setAccessibleName("Last successful sync")
        self.problem = QLabel("")
        self.problem.setAccessibleName("Sync problem")
        self.problem.setWordWrap(False)
        self.button = QPushButton("S&ync now")
        self.button.setAccessibleName("Sync now")
        self.button.setToolTip("Send waiting changes and fetch your caseload now")
        for widget in (self.online, self.waiting, self.last, self.problem, self.button):
            layout.addWidget(widget)

        self.withdrawn = False  # the central store refused this laptop (needs connecting again)
        self.reachable: bool | None = None
        self.button.clicked.connect(controller.sync_now)
        controller.sig_online.connect(self._online)
        controller.sig_status.connect(self.show_status)
        controller.sig_started.connect(self._started)
        controller.sig_progress.connect(self._progress)
        controller.sig_finished.connect(self._finished)
        if controller.status is not None:
            self.show_status(controller.status)

    def _online(self, online: bool) -> None:
        self.reachable = online
        self._say_connection()

    def _say_connection(self) -> None:
        # Withdrawn, the time of the last sync gives way (a 1366-wide bar has no room for all),
        # so the connection's state and what to do about it are never cut.
        self.last.setVisible(not self.withdrawn)
        if self.withdrawn:
            self.online.setText(WITHDRAWN)
        elif self.reachable is None:
            self.online.setText("Checking connection…")
        elif self.reachable:
            self.online.setText("Online")
        else:
            self.online.setText("Offline: changes are kept and sent later")

    def show_status(self, status: SyncStatus) -> None:
        if not status.connected:
            self.withdrawn = False
            self.online.setText("Not connected to a central store")
            self.waiting.setText("")
            self.last.setText("")
            self.button.setEnabled(False)
            return
        self.withdrawn = status.needs_sign_in
        self._say_connection()
        self.button.setEnabled(not self.controller.running)
        text = status.waiting_words()
        if status.failed:
            text += f"; {status.failed} refused"
        if status.conflicts:
            text += f"; {status.conflicts} to settle"
        if status.evidence_waiting:  # short: the bar must fit a 1024-pixel screen
            text += f"; {size_words(status.evidence_bytes)} to upload"
        self.waiting.setText(text)
        self.waiting.setToolTip(status.evidence_words())
        self.last.setText(f"Last synced: {in_words(status.last_success_at)}")
        self._say_problem(status.last_error)

    def _say_problem(self, error: str | None) -> None:
        """The problem in a sentence; when access was withdrawn, what to do (the connection
        label already says what happened), with the central store's whole sentence as a tip."""
        self.problem.setToolTip(error or "")
        if self.withdrawn:
            self.problem.setText(CONNECT_AGAIN)
        else:
            self.problem.setText(f"⚠ {error}" if error else "")

    def _started(self) -> None:
        self.button.setEnabled(False)
        self.problem.setText("Syncing…")

    def _progress(self, progress: SyncProgress) -> None:
        if progress.stage == "sending":
            self.problem.setText(f"Syncing: {progress.done} sent, {progress.remaining} to go…")
        else:
            self.problem.setText(f"Syncing: {progress.done} received…")

    def _finished(self, summary: SyncSummary) -> None:
        self.button.setEnabled(True)
        if summary.error_kind == "auth":
            self.withdrawn = True
            self._say_connection()
        if summary.error:
            self._say_problem(summary.error)
        elif summary.status is None or not summary.status.last_error:
            self.problem.setText("")

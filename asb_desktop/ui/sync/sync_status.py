"""The status bar's sync corner: online or offline in words, changes waiting, last successful
sync, any problem in a sentence, and a "Sync now" button. Never colour alone."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from asb_desktop.sync.status_words import SyncStatus, SyncSummary, in_words
from asb_desktop.sync.sync_run import SyncProgress
from asb_desktop.ui.sync.sync_controller import SyncController


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
        self.button.clicked.connect(controller.sync_now)
        controller.sig_online.connect(self._online)
        controller.sig_status.connect(self.show_status)
        controller.sig_started.connect(self._started)
        controller.sig_progress.connect(self._progress)
        controller.sig_finished.connect(self._finished)
        if controller.status is not None:
            self.show_status(controller.status)

    def _online(self, online: bool) -> None:
        self.online.setText("Online" if online else "Offline: changes are kept and sent later")

    def show_status(self, status: SyncStatus) -> None:
        if not status.connected:
            self.online.setText("Not connected to a central store")
            self.waiting.setText("")
            self.last.setText("")
            self.button.setEnabled(False)
            return
        self.button.setEnabled(not self.controller.running)
        text = status.waiting_words()
        if status.failed:
            text += f"; {status.failed} refused"
        if status.conflicts:
            text += f"; {status.conflicts} to settle"
        self.waiting.setText(text)
        self.last.setText(f"Last synced: {in_words(status.last_success_at)}")
        self.problem.setText(f"⚠ {status.last_error}" if status.last_error else "")

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
        if summary.error:
            self.problem.setText(f"⚠ {summary.error}")
        elif summary.status is None or not summary.status.last_error:
            self.problem.setText("")

"""Every change to a report kept as an encrypted draft: a second after the officer stops typing,
and at least every two seconds while they keep on, so a crash or a flat battery loses at most
a couple of seconds. Saves go to the writer thread, in order."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from asb_desktop.services.drafts import Drafts
from asb_desktop.ui.operations.draft_ops import save_draft

SAVE_AFTER_QUIET_MS = 1000
SAVE_AT_LEAST_EVERY_S = 2.0

Snapshot = Callable[[], tuple[str, dict[str, Any]] | None]
"""The draft's id and payload as the form stands, or None when nothing should be saved."""


class DraftKeeper(QObject):
    sig_saved = Signal()
    """A draft reached the store."""
    sig_failed = Signal()
    """A draft could not be stored (the typing is still on screen)."""

    def __init__(self, drafts: Drafts, snapshot: Snapshot) -> None:
        super().__init__()
        self.drafts = drafts
        self.snapshot = snapshot
        self.dirty_since: float | None = None
        self.timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_QUIET_MS)
        self.timer.timeout.connect(self.save_now)

    def changed(self) -> None:
        """Something was typed: save after a pause, or now if the last save is getting old."""
        now = time.monotonic()
        if self.dirty_since is None:
            self.dirty_since = now
        if now - self.dirty_since >= SAVE_AT_LEAST_EVERY_S:
            self.save_now()
        else:
            self.timer.start()

    def save_now(self) -> None:
        self.stop()
        taken = self.snapshot()
        if taken is None:
            return
        draft_id, payload = taken
        saving = save_draft(self, self.drafts, draft_id, payload)
        saving.success(self._saved).failure(self._failed).run()

    def _saved(self, _: object) -> None:
        self.sig_saved.emit()

    def _failed(self, _: Exception) -> None:
        self.sig_failed.emit()

    def flush(self) -> None:
        """Save at once if a save is waiting (the window is closing or locking)."""
        if self.timer.isActive():
            self.save_now()

    def stop(self) -> None:
        self.timer.stop()
        self.dirty_since = None

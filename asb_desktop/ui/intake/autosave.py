"""Every change to a report kept as an encrypted draft, so a crash, a kill or a flat battery
loses at most about the last second of typing.

Two timers decide when a save starts: a short pause in the typing (`SAVE_AFTER_QUIET_MS`), or,
while the officer types on without pausing, a deadline that further keys do not push back
(`SAVE_AT_LEAST_EVERY_MS` after the first change not yet saved). Saves go to the writer thread
in order; while one is on its way, the next waits for it and then takes the form as it stands
then, so saves never pile up behind a slow disk. What is typed at a moment is therefore in the
store by the deadline plus, at most, two saves' time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from asb_desktop.services.drafts import Drafts
from asb_desktop.ui.operations.draft_ops import save_draft

SAVE_AFTER_QUIET_MS = 250
"""A save starts this long after the last key, when the typing pauses."""
SAVE_AT_LEAST_EVERY_MS = 500
"""While the typing goes on, a save starts at least this long after the first unsaved change."""

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
        self.timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_QUIET_MS)  # the pause
        self.timer.timeout.connect(self.save_now)
        self.deadline = QTimer(self, singleShot=True, interval=SAVE_AT_LEAST_EVERY_MS)
        self.deadline.timeout.connect(self.save_now)
        self.in_flight = False  # a save is on its way to the store
        self.pending = False  # something changed while it was: save again when it lands

    @property
    def waiting(self) -> bool:
        """Changes not yet on their way to the store."""
        return self.timer.isActive() or self.deadline.isActive() or self.pending

    def changed(self) -> None:
        """Something was typed: save after a short pause, and by the deadline at the latest."""
        self.timer.start()
        if not self.deadline.isActive():
            self.deadline.start()

    def save_now(self) -> None:
        """Save the form as it stands; if a save is on its way, right after it lands."""
        self._stop_timers()
        if self.in_flight:
            self.pending = True
            return
        self._save()

    def _save(self) -> None:
        self.pending = False
        taken = self.snapshot()
        if taken is None:
            return
        draft_id, payload = taken
        self.in_flight = True
        saving = save_draft(self, self.drafts, draft_id, payload)
        saving.success(self._saved).failure(self._failed).run()

    def _landed(self) -> None:
        self.in_flight = False
        if self.pending:
            self._save()

    def _saved(self, _: object) -> None:
        self._landed()
        self.sig_saved.emit()

    def _failed(self, _: Exception) -> None:
        self._landed()
        self.sig_failed.emit()

    def flush(self) -> None:
        """Save at once if anything is waiting (the window is closing or locking): queued
        behind a save on its way, never deferred until it lands."""
        if self.waiting:
            self._stop_timers()
            self._save()

    def stop(self) -> None:
        """Nothing more to keep (the report was saved or is starting afresh)."""
        self._stop_timers()
        self.pending = False

    def _stop_timers(self) -> None:
        self.timer.stop()
        self.deadline.stop()

"""Python's cycle collector runs on whichever thread happens to allocate when a threshold is
crossed, so with work on worker threads it may free a widget or a timer there, and Qt objects
may only be deleted on the thread they live on (the GUI thread): that crashes or hangs. So the
application turns automatic collection off and collects on the GUI thread from a timer, as often
as the automatic collector would have (after Anki's GC timer in `aqt/main.py`)."""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_INTERVAL_MS = 500
"""Often enough that garbage never piles up; each tick costs nothing below the thresholds."""
_FULL_EVERY_S = 60.0
"""A full collection walks every object (100-400 ms with a big sync in memory, measured): the
automatic collector also spaces them out, by its own rule that Python does not expose."""


class GuiThreadCollector(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(_INTERVAL_MS)
        self.timer.timeout.connect(self.collect_due_generation)
        self.timer.start()
        self.last_full = time.monotonic()

    def collect_due_generation(self) -> int | None:
        """Collect the oldest generation whose threshold is crossed, as the automatic collector
        would; returns the generation collected, or None when none was due."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [g for g in (2, 1, 0) if thresholds[g] and counts[g] >= thresholds[g]]
        if not due:
            return None
        generation = due[0]
        if generation == 2 and time.monotonic() - self.last_full < _FULL_EVERY_S:
            generation = 1
        gc.collect(generation)
        if generation == 2:
            self.last_full = time.monotonic()
        return generation


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """Install once per application (a second call returns the one already running)."""
    existing = app.findChild(GuiThreadCollector)
    if isinstance(existing, GuiThreadCollector):
        return existing
    return GuiThreadCollector(app)

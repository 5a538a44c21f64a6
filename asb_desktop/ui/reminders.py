"""The morning reminders: at sign-in (after the PIN) and on the first use of each new London
day (and at midnight if the window stays open), a list of what falls due today and what is
overdue, in words; Return on a line opens its case, Escape closes the list.

Shown once a day: once seen, the day is kept in the encrypted store's settings. Where the
desktop has a system tray, a notification gives the counts only ("3 things due today, 1
overdue"): no case or person is named outside the window.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from asb_desktop.app import Services
from asb_desktop.services.reminders import (
    Reminder,
    Reminders,
    due_unseen,
    mark_seen,
    next_london_midnight,
)
from asb_desktop.support.logs import log_event
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.keyboard import focus_for_keys
from asb_desktop.ui.operations import Operation
from asb_desktop.ui.words import case_label

_log = logging.getLogger(__name__)
CASE_ROLE = Qt.ItemDataRole.UserRole
MIDNIGHT_SLACK_MS = 2000  # fire just after midnight, never just before it
MAX_TIMER_MS = 6 * 60 * 60 * 1000  # a long sleep is re-armed: a suspended laptop's timer drifts


def _line(reminder: Reminder) -> str:
    return f"Case {case_label(reminder.reference, reminder.case_id)}: {reminder.words}"


class RemindersDialog(QDialog):
    sig_open_case = Signal(str)
    """Return on a line: open this case."""

    def __init__(self, reminders: Reminders, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Today's reminders")
        self.setMinimumSize(620, 360)
        layout = QVBoxLayout(self)
        day = reminders.day
        self.heading = QLabel(f"Overdue and due today, {day:%A} {day.day} {day:%B}")
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel(reminders.counts_in_words().capitalize() + "."))
        self.lines = QListWidget(self)
        self.lines.setAccessibleName("Reminders: overdue first, then due today")
        self.lines.setWordWrap(True)
        self.lines.setSpacing(3)
        self._group("Overdue", reminders.overdue)
        self._group("Due today", reminders.due_today)
        self.lines.itemActivated.connect(self._open)
        layout.addWidget(self.lines, 1)
        hint = QLabel("Return opens the case of the line chosen; Escape closes this list.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch()
        self.open_button = QPushButton("&Open the case")
        self.open_button.clicked.connect(lambda: self._open(self.lines.currentItem()))
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.open_button)
        row.addWidget(self.close_button)
        layout.addLayout(row)

    def _group(self, title: str, reminders: tuple[Reminder, ...]) -> None:
        if not reminders:
            return
        header = QListWidgetItem(f"{title} ({len(reminders)}):")
        header.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading: the arrow keys pass over it
        header.setForeground(self.palette().windowText())  # not greyed as if switched off
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        self.lines.addItem(header)
        for reminder in reminders:
            item = QListWidgetItem(("⚠ " if reminder.overdue else "") + _line(reminder))
            item.setData(CASE_ROLE, reminder.case_id)
            self.lines.addItem(item)

    def first_line(self) -> QListWidgetItem | None:
        for row in range(self.lines.count()):
            item = self.lines.item(row)
            if item.data(CASE_ROLE):
                return item
        return None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._tall_enough()
        first = self.first_line()
        if first is not None:
            self.lines.setCurrentItem(first)
        focus_for_keys(self.lines)

    def _tall_enough(self) -> None:
        """As tall as its lines need, up to most of the screen: at its least size 18 lines
        showed 7 at 1366x768, the rest behind a scroll bar."""
        lines = self.lines
        needed = sum(lines.visualItemRect(lines.item(r)).height() for r in range(lines.count()))
        needed += 2 * lines.spacing() * lines.count() + 2 * lines.frameWidth()
        more = needed - lines.viewport().height()
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if more <= 0 or screen is None:
            return
        before = self.height()
        height = min(before + more, int(screen.height() * 0.85))
        if height > before:
            self.resize(max(self.width(), min(900, screen.width() - 40)), height)
            top = max(screen.top(), self.y() - (height - before) // 2)  # grown both ways
            self.move(self.x(), min(top, screen.bottom() - height))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Return anywhere but on a button opens the line chosen (a QDialog would press Open).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.lines.hasFocus():
            self._open(self.lines.currentItem())
            return
        super().keyPressEvent(event)

    def _open(self, item: QListWidgetItem | None) -> None:
        case_id = item.data(CASE_ROLE) if item is not None else None
        if case_id:
            self.accept()
            self.sig_open_case.emit(case_id)


class ReminderController(QObject):
    """When to look: `check()` at sign-in and whenever the window is used (once seen today, one
    read of a setting),
    and a timer at the next London midnight while the window stays open."""

    sig_open_case = Signal(str)

    def __init__(self, window: QWidget, services: Services) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.dialog: RemindersDialog | None = None
        self.tray: QSystemTrayIcon | None = None
        self.busy = False
        self.midnight = QTimer(self, singleShot=True)
        self.midnight.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may be 5% late
        self.midnight.timeout.connect(self._at_midnight)

    def arm(self, now: datetime) -> None:
        """Wake just after the next London midnight (a long wait is re-armed on the way)."""
        wait = (next_london_midnight(now) - now).total_seconds() * 1000 + MIDNIGHT_SLACK_MS
        self.midnight.start(int(max(1000, min(wait, MAX_TIMER_MS))))

    def _at_midnight(self) -> None:
        self.check()

    def check(self) -> None:
        """Show today's reminders unless they were seen today (or are showing)."""
        casework = self.services.casework
        now = casework.clock()
        self.arm(now)
        if self.busy or (self.dialog is not None and self.dialog.isVisible()):
            return
        locked = getattr(self.window, "locked", False)
        if locked:
            return  # the unlock checks again
        officer = self.services.actions.officer()
        self.busy = True
        reading = Operation(self.window, lambda: due_unseen(casework, officer), name="reminders")
        reading.read_only().success(self._gathered).failure(self._failed).run()

    def _failed(self, error: Exception) -> None:
        self.busy = False

    def _gathered(self, reminders: Reminders | None) -> None:
        self.busy = False
        if reminders is None:  # seen today already (perhaps in another session)
            return
        if getattr(self.window, "locked", False):
            return
        casework = self.services.casework
        day = reminders.day
        Operation(
            self.window, lambda: mark_seen(casework, day), name="reminders.seen", changes=Changed()
        ).run()
        if reminders.empty:
            return
        log_event(_log, "reminders.shown", overdue=len(reminders.overdue))
        self.notify(reminders)
        dialog = RemindersDialog(reminders, self.window)
        dialog.sig_open_case.connect(self.sig_open_case)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.show()  # not modal: Ctrl+L and the idle lock still reach the window
        dialog.raise_()
        dialog.activateWindow()

    def _closed(self, _result: int = 0) -> None:
        self.dialog = None  # deleted on close: never asked again

    def notify(self, reminders: Reminders) -> None:
        """A desktop notification where there is a system tray: the counts, nothing more."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(self.window.windowIcon(), self)
            self.tray.setToolTip("ASB Desktop")
        self.tray.show()
        self.tray.showMessage(
            "ASB Desktop: today's reminders",
            reminders.counts_in_words().capitalize() + ".",
            QSystemTrayIcon.MessageIcon.Information,
        )

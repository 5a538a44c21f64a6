"""What the keyboard walk of the reminders found: at its least size the list showed 7 of 18
lines at 1366x768, the rest behind a scroll bar; it now grows to what its lines need, up to
most of the screen, and still opens on the first line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pytestqt.qtbot import QtBot

from asb_desktop.services.reminders import Reminder, Reminders
from asb_desktop.ui.reminders import RemindersDialog


def test_many_reminders_are_shown_without_scrolling_as_far_as_the_screen_allows(
    qtbot: QtBot,
) -> None:
    due = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    overdue = tuple(
        Reminder(
            f"case-{i}",
            f"R{i:04}",
            f"first response (5.3): overdue by {i} working days",
            True,
            due - timedelta(days=i),
        )
        for i in range(1, 19)
    )
    dialog = RemindersDialog(Reminders(date(2026, 11, 23), overdue, ()))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    scrolls = dialog.lines.verticalScrollBar().isVisible()
    assert not scrolls or dialog.height() >= 0.8 * screen.height()
    assert dialog.height() > dialog.minimumHeight()
    assert screen.contains(dialog.frameGeometry().topLeft())
    assert dialog.lines.currentItem() is dialog.first_line()

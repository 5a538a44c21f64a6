"""Today's reminders in the real window, by keys only, on a fixed clock: at sign-in (after the
PIN) a list of what is overdue and what falls due today, the focus on its first line, Return
opening that line's case; not shown again the same day (kept in the encrypted store); shown
again on the next London day, from the midnight timer; Escape closes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.services.reminders import SEEN_SETTING
from asb_desktop.store.settings import get_setting, set_setting
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.reminders import MAX_TIMER_MS, MIDNIGHT_SLACK_MS, RemindersDialog
from tests.ui.conftest import NOW, PIN
from tests.ui.driving import settle, type_text
from tests.ui.intake.keys import has_focus, press
from tests.ui.intake.test_duplicates import earlier_report
from tests.ui.test_mnemonics import check

LATE = "57575757-5757-4575-8575-575757575751"  # first response overdue
TODAY = "57575757-5757-4575-8575-575757575752"  # an action due this afternoon
LATER = "57575757-5757-4575-8575-575757575753"  # nothing due today


def seed(services: Services) -> None:
    late = earlier_report(LATE, NOW - timedelta(days=10), name="Zoë Łukasiewicz")
    today = earlier_report(TODAY, NOW - timedelta(days=2), name="Ola Brown")
    today["first_response"] = {
        "at": (NOW - timedelta(days=2) + timedelta(hours=1)).isoformat(),
        "by": "s-ha",
        "summary": "Rang",
    }
    today["action_plan"] = {
        "agreed_at": (NOW - timedelta(days=1)).isoformat(),
        "agreed_with": "Ola Brown",
        "actions": [
            {"id": "a-1", "what": "Visit number 6", "who": "s-ha",
             "due_at": (NOW + timedelta(hours=5)).isoformat(), "done_at": None},
        ],
    }  # fmt: skip
    later = earlier_report(LATER, NOW - timedelta(hours=1), name="Ann Other")
    services.casework.import_documents(
        [LabelledDocument(str(i), d) for i, d in enumerate((late, today, later))]
    )
    with services.store.write() as conn:  # not yet seen today
        set_setting(conn, SEEN_SETTING, "")


def sign_in(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=30_000)
    press(qtbot, "l", Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    type_text(window.lock_screen.pin, PIN)
    qtbot.keyClick(window.lock_screen.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=5000)


def shown(qtbot: QtBot) -> RemindersDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), RemindersDialog), timeout=5000)
    dialog = QApplication.activeWindow()
    assert isinstance(dialog, RemindersDialog)
    return dialog


def lines(dialog: RemindersDialog) -> list[str]:
    return [dialog.lines.item(i).text() for i in range(dialog.lines.count())]


def test_at_sign_in_the_list_opens_a_case_on_return_and_is_seen_once_a_day(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    sign_in(window, qtbot)
    dialog = shown(qtbot)
    said = lines(dialog)
    assert said[0] == "Overdue (1):"
    assert said[1].startswith("⚠ Case Local ") and "first response (5.3): overdue by" in said[1]
    assert said[2] == "Due today (1):"
    assert "action “Visit number 6”: due" in said[3]
    assert not any("Ann" in line or "Zoë" in line for line in said)  # no names: references
    assert len(said) == 4  # the case with nothing due today is not listed
    assert has_focus(dialog.lines) and dialog.lines.currentItem().text() == said[1]
    check(qtbot, dialog, "reminders")

    press(qtbot, Qt.Key.Key_Down)  # over the "Due today" heading, onto its line
    assert dialog.lines.currentItem().text() == said[3]
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    qtbot.waitUntil(
        lambda: window.workspace.view is not None and window.workspace.view.case.id == TODAY,
        timeout=5000,
    )
    with services.store.read() as conn:
        assert get_setting(conn, SEEN_SETTING) == "2026-11-23"

    sign_in(window, qtbot)  # the same day again: not shown
    settle(qtbot)
    assert not isinstance(QApplication.activeWindow(), RemindersDialog)
    assert not window.findChildren(RemindersDialog) or not any(
        d.isVisible() for d in window.findChildren(RemindersDialog)
    )


def test_the_next_london_day_shows_them_again_and_escape_closes(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    with services.store.write() as conn:
        set_setting(conn, SEEN_SETTING, "2026-11-23")  # seen today already
    window.reminders.check()
    settle(qtbot)
    assert not any(d.isVisible() for d in window.findChildren(RemindersDialog))

    services.casework.clock = lambda: NOW + timedelta(days=1)  # Tuesday: the timer fires
    window.reminders.midnight.timeout.emit()
    dialog = shown(qtbot)
    assert dialog.windowTitle() == "Today's reminders"
    assert dialog.heading.text() == "Overdue and due today, Tuesday 24 November"
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    with services.store.read() as conn:
        assert get_setting(conn, SEEN_SETTING) == "2026-11-24"


def test_the_timer_wakes_just_after_london_midnight(window: MainWindow) -> None:
    reminders = window.reminders
    # 23:59 in London in summer time (22:59 UTC): a minute and the slack to go
    reminders.arm(datetime(2026, 7, 1, 22, 59, tzinfo=UTC))
    assert abs(reminders.midnight.remainingTime() - (60_000 + MIDNIGHT_SLACK_MS)) < 1000
    reminders.arm(NOW)  # 14 hours to go: re-armed on the way, as a sleeping laptop drifts
    assert MAX_TIMER_MS - 1000 < reminders.midnight.remainingTime() <= MAX_TIMER_MS

"""Unlocking puts the focus back where the officer was, so the next key goes where it went
before the window locked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import PIN
from tests.ui.driving import settle, type_text


def test_unlocking_gives_the_focus_back_to_the_field_it_was_in(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=30_000)
    window.show_screen("settings")
    settle(qtbot)
    window.settings.idle.setFocus()
    qtbot.keyClick(window.settings.idle, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert QApplication.focusWidget() is window.lock_screen.pin
    type_text(window.lock_screen.pin, PIN)
    qtbot.keyClick(window.lock_screen.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=5000)
    assert QApplication.focusWidget() is window.settings.idle


def test_at_start_the_focus_is_on_the_caseload_search(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=30_000)
    assert QApplication.focusWidget() is window.caseload.search, "typing finds a case at once"

"""Settings → "Connect to central store" opens the enrolment dialog (issue 5)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.sync.connect_dialog import ConnectDialog


def test_settings_offers_the_connect_dialog(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.sync_controller is not None, timeout=60_000)
    window.show_screen("settings")
    assert window.settings.connect_button.isVisible()
    qtbot.mouseClick(window.settings.connect_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ConnectDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.url.accessibleName() and dialog.code.accessibleName()
    dialog.reject()

"""The workspace's action forms by keyboard: the first field has the focus when a form opens,
Alt+S saves, and a refused save puts the focus on the field at fault (not on Cancel)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.workspace.action_dialog import ActionDialog
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, focused, has_focus, type_here
from tests.ui.workspace.test_workspace import HARASSMENT_CASE, open_case, seed


def open_form(window: MainWindow, qtbot: QtBot, key: str) -> ActionDialog:
    dialog = window.workspace.start_action(key)
    assert isinstance(dialog, ActionDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=30_000)
    return dialog


def test_a_refused_action_puts_the_focus_on_the_field_at_fault(
    window: MainWindow, qtbot: QtBot
) -> None:
    seed(window.services)
    open_case(window, qtbot, HARASSMENT_CASE)

    dialog = open_form(window, qtbot, "first_response")
    assert has_focus(dialog.inputs["at"]), "a form opens on its first field"
    alt(qtbot, "s", until=lambda: dialog.error.isVisible())
    settle(qtbot)
    assert dialog.error.text() == "⚠ Say what the first response was."
    assert has_focus(dialog.inputs["summary"]), f"the focus is on {focused().accessibleName()}"
    type_here("Phoned the complainant; visit booked")
    alt(qtbot, "s", until=lambda: not dialog.isVisible())
    settle(qtbot)
    assert window.workspace.view is not None
    assert window.workspace.view.case.first_response is not None

    dialog = open_form(window, qtbot, "risk")
    alt(qtbot, "p")
    assert has_focus(dialog.inputs["participants"])
    type_here("Grace Adeyemi\nSam Patel")
    alt(qtbot, "s", until=lambda: dialog.error.isVisible())
    settle(qtbot)
    assert dialog.error.text().startswith("⚠ The group did not agree, so record the Director")
    assert has_focus(dialog.inputs["director"])
    alt(qtbot, "a", until=lambda: dialog.inputs["agreed"].isChecked())  # type: ignore[attr-defined]
    alt(qtbot, "s", until=lambda: dialog.error.text().startswith("⚠ Record the course"))
    settle(qtbot)
    assert has_focus(dialog.inputs["decision"])
    alt(qtbot, "c", until=lambda: not dialog.isVisible())  # Cancel has its letter too

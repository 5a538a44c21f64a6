"""Who did it, as the officer reads it: the workspace's history, notes and summary, and both
printed summaries, name the signed-in officer (never "local:…" or a staff id), and follow the
officer chosen in Settings at once, without a restart. Real window, real encrypted store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.summaries.print_summary_dialog import PrintSummaryDialog
from asb_desktop.ui.workspace.action_dialog import ActionDialog
from tests.reports.report_pdf_checks import flat_text
from tests.ui.conftest import NOW
from tests.ui.driving import settle, type_text
from tests.ui.intake.test_duplicates import earlier_report

CASE = "88888888-8888-4888-8888-888888888888"


def key(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
    qtbot.keyClick(widget, key, modifier)
    settle(qtbot)


def press(qtbot: QtBot, button: QWidget) -> None:
    """Space on a focused button, as the keyboard presses it."""
    button.setFocus()
    key(qtbot, button, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)


def act(window: MainWindow, qtbot: QtBot, action: str, field: str, words: str) -> None:
    dialog = window.workspace.start_action(action)
    assert isinstance(dialog, ActionDialog)
    type_text(dialog.inputs[field], words)
    press(qtbot, dialog.ok)
    assert not dialog.isVisible(), dialog.error.text()


def choose_officer_in_settings(window: MainWindow, qtbot: QtBot, name: str) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=30_000)
    window.show_screen("settings")
    settle(qtbot)
    box = window.settings.officer
    key(qtbot, window.settings, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # "Y&ou are:"
    assert QApplication.focusWidget() is box
    for _ in range(box.count()):
        if box.currentText() == name:
            break
        key(qtbot, box, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier)
    assert box.currentText() == name
    qtbot.waitUntil(lambda: window.who.text() == f"Signed in: {name}", timeout=5000)


def test_history_notes_and_summaries_name_the_officer_chosen_without_a_restart(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    report = earlier_report(CASE, NOW - timedelta(hours=1), name="Kofi Adebayo")
    services.casework.import_documents([LabelledDocument("1", report)])
    assert window.who.text() == "Signed in: Hana Ali"
    window.open_case(CASE)
    settle(qtbot)
    act(window, qtbot, "first_response", "summary", "Phoned Kofi; visit booked")

    choose_officer_in_settings(window, qtbot, "Dafydd Williams")
    window.open_case(CASE)
    settle(qtbot)
    act(window, qtbot, "note", "text", "Visited with the caretaker")

    workspace = window.workspace
    history = [workspace.history.item(i).text() for i in range(workspace.history.count())]
    assert [line.split(" · ")[1:] for line in history] == [
        ["note", "by Dafydd Williams"],
        ["first response", "by Hana Ali"],
        ["imported", "by Hana Ali"],
    ]
    assert "Note by Dafydd Williams" in workspace.entries.item(0).text()
    assert "by Hana Ali: target met. Phoned Kofi" in workspace.summary.text()
    stored = services.casework.document(CASE)
    assert stored is not None and stored["first_response"]["by"] == "s-ha"  # ids are stored
    assert stored["entries"][0]["by"] == "s-dw"

    for third_party in (False, True):
        workspace.print_button.setFocus()
        key(qtbot, workspace.print_button, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)
        dialog = workspace.findChild(PrintSummaryDialog)
        assert dialog is not None
        qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5000)
        press(qtbot, dialog.third_party if third_party else dialog.internal)
        assert dialog.third_party.isChecked() is third_party
        if third_party:  # whom it goes to, for the case's disclosure log
            type_text(dialog.recipient, "PC Dawson")
        target = tmp_path / Path(dialog.path.text()).name
        dialog.path.clear()
        type_text(dialog.path, str(target))
        with qtbot.waitSignal(dialog.sig_saved, timeout=20000):
            press(qtbot, dialog.save_button)
        text = flat_text(target.read_bytes())
        assert "Produced by Dafydd Williams" in text
        assert "First response by Hana Ali" in text
        assert "Recorded by Hana Ali" in text
        assert "Hana Ali case.first_response" in text and "Dafydd Williams case.note" in text
        for stored_id in ("s-ha", "s-dw", "local:"):
            assert stored_id not in text, f"{stored_id} printed in the {target.name}"
        dialog.close()
        settle(qtbot)

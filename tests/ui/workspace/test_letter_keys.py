"""Letter to the complainant in the real window, by keyboard only: Alt+Q opens it on the first letter open
to the case, large print said; the update letter saved with the officer's own words is recorded
on the case (an update and a disclosure) and the file is there; Escape closes it and the focus
goes back to the button; an anonymous complainant's case has the button off, saying why (5.8)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.keyboard import mnemonic_clashes
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.workspace.letter_dialog import LetterDialog
from tests.reports.report_pdf_checks import flat_text
from tests.ui.conftest import NOW
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, has_focus, press, type_here
from tests.ui.intake.test_duplicates import earlier_report
from tests.ui.test_mnemonics import check
from tests.ui.workspace.test_case_management_keys import open_by_keys, stored

CASE = "56565656-5656-4565-8565-565656565651"
ANONYMOUS = "56565656-5656-4565-8565-565656565652"


def seed(services: Services) -> None:
    case = earlier_report(CASE, NOW - timedelta(days=20), name="Zoë Łukasiewicz")
    case["complainant"]["adjustments"] = "Large print letters; mornings only for visits"
    case["first_response"] = {
        "at": (NOW - timedelta(days=19)).isoformat(),
        "by": "s-ha",
        "summary": "Rang her",
    }
    anonymous = earlier_report(ANONYMOUS, NOW - timedelta(hours=5))
    anonymous["complainant"] = {"anonymous": True}
    services.casework.import_documents(
        [LabelledDocument(str(i), d) for i, d in enumerate((case, anonymous))]
    )


def open_letter(qtbot: QtBot) -> LetterDialog:
    alt(qtbot, "q", until=lambda: isinstance(QApplication.activeWindow(), LetterDialog))
    dialog = QApplication.activeWindow()
    assert isinstance(dialog, LetterDialog)
    return dialog


def test_an_update_letter_by_keys_is_saved_and_recorded(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    seed(services)
    open_by_keys(window, qtbot, CASE)
    assert not mnemonic_clashes(window)
    dialog = open_letter(qtbot)
    acknowledgement, update, closure = dialog.kind_buttons.values()
    qtbot.waitUntil(lambda: has_focus(acknowledgement), timeout=30_000)
    check(qtbot, dialog, "letter dialog")
    assert not closure.isEnabled() and "still open" in closure.toolTip()
    assert dialog.print_size.text().startswith("Large print (16 point)")

    alt(qtbot, "u", until=update.isChecked)  # &Update
    alt(qtbot, "r")  # Your own wo&rds
    type_here("We have spoken to the household at number 6.")
    alt(qtbot, "f")  # &File
    press(qtbot, "a", Qt.KeyboardModifier.ControlModifier)
    target = tmp_path / "update.pdf"
    type_here(str(target))
    alt(qtbot, "s", until=lambda: dialog.open_button.isVisible())  # &Save letter
    assert dialog.message.text().startswith("Saved the update letter in large print")
    assert has_focus(dialog.open_button)

    text = flat_text(target.read_bytes())
    assert "Dear Zoë Łukasiewicz," in text and "household at number 6." in text
    document = stored(services, CASE)
    assert [e["kind"] for e in document["entries"]] == ["update"]
    assert [(d["to"], d["what"]) for d in document["disclosures"]] == [
        ("the complainant", "letter_pdf")
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no part-written file

    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    settle(qtbot)
    qtbot.waitUntil(lambda: has_focus(window.workspace.buttons["letter"]), timeout=30_000)


def test_a_refused_save_says_why_and_keeps_the_dialog(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    seed(services)
    open_by_keys(window, qtbot, CASE)
    dialog = open_letter(qtbot)
    alt(qtbot, "f")
    press(qtbot, "a", Qt.KeyboardModifier.ControlModifier)
    type_here(str(tmp_path / "no folder" / "letter.pdf"))
    alt(qtbot, "s", until=lambda: "That folder does not exist" in dialog.message.text())
    assert stored(services, CASE)["disclosures"] == []


def test_an_anonymous_complainant_gets_no_letter(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_by_keys(window, qtbot, ANONYMOUS)
    button = window.workspace.buttons["letter"]
    assert not button.isEnabled()
    assert button.toolTip() == "The complainant is anonymous: no letter can be sent to them (5.8)."
    alt(qtbot, "q")
    settle(qtbot)
    assert not isinstance(QApplication.activeWindow(), LetterDialog)

"""Alt+letter on every page and dialog: each letter shown underlined goes to one place only
(buttons included), and an Alt+letter that goes nowhere never types into the focused field.

The window is walked as an officer finds it: each page of the New report guide in each of its
shapes (third party, anonymous, targeted, people added), the report saved, the drafts list, the
caseload, a case's workspace and every action form, both summary dialogs, the Sync page and its
connect dialog, Settings, the first-run walk-through and the lock screen."""

from __future__ import annotations

import string
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.first_run.first_run_wizard import FirstRunWizard
from asb_desktop.ui.intake.pages_people import InvolvedPage, TargetingPage, WitnessesPage
from asb_desktop.ui.intake.pages_report import ComplainantPage, HowReportedPage
from asb_desktop.ui.keyboard import mnemonic, mnemonic_clashes, visible_mnemonics
from asb_desktop.ui.launch import PassphraseDialog
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.summaries.list_summaries_dialog import SummariesDialog
from asb_desktop.ui.summaries.print_summary_dialog import PrintSummaryDialog
from asb_desktop.ui.sync.connect_dialog import ConnectDialog
from asb_desktop.ui.workspace import case_action_forms as acts
from asb_desktop.ui.workspace import letter_dialog, review_forms
from tests.ui.conftest import NOW
from tests.ui.driving import settle, tick, type_text
from tests.ui.intake.test_duplicates import earlier_report

CASE = "88888888-8888-4888-8888-888888888888"
TEXT = "Zoë typed this"


def text_of(box: QWidget) -> str:
    return box.text() if isinstance(box, QLineEdit) else box.toPlainText()  # type: ignore[attr-defined]


def text_boxes(window: QWidget) -> list[QWidget]:
    return [
        box
        for box in window.findChildren(QWidget)
        if isinstance(box, QLineEdit | QPlainTextEdit)
        and box.isVisible()
        and box.isEnabled()
        and not (isinstance(box, QLineEdit) and box.isReadOnly())
        and not isinstance(box.parent(), QAbstractSpinBox)  # a date field's own line
        and box.window() is window
    ]


def check(qtbot: QtBot, window: QWidget, where: str) -> None:
    """Unique letters in `window` as it stands; stray Alt+letters leave a text box alone."""
    assert window.isVisible(), where
    clashes = mnemonic_clashes(window)
    assert not clashes, f"{where}: {clashes}"
    if isinstance(window, QDialog):  # Save, Cancel, Close… each has its letter too
        bare = [
            button.text()
            for button in window.findChildren(QPushButton)
            if button.isVisible() and mnemonic(button.text()) is None
        ]
        assert not bare, f"{where}: buttons with no Alt+letter: {bare}"
    boxes = text_boxes(window)
    if not boxes:
        return
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    box = boxes[0]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    before = text_of(box)
    claimed = set(visible_mnemonics(window))
    for letter in string.ascii_lowercase + string.digits:
        if letter in claimed:
            continue
        qtbot.keyClick(box, letter, Qt.KeyboardModifier.AltModifier)
        assert text_of(box) == before, f"{where}: Alt+{letter} typed into {box.accessibleName()}"
        assert box.hasFocus(), f"{where}: Alt+{letter} took the focus"
    digits_only = isinstance(box, QLineEdit) and box.validator() is not None  # a PIN
    type_text(box, "5" if digits_only else "x")  # the test can fail: plain typing does reach it
    assert text_of(box) != before
    box.setFocus()


@pytest.fixture
def seeded(services: Services) -> Iterator[Services]:
    document = earlier_report(CASE, NOW - timedelta(hours=2), name="Anya Kowalczyk")
    document["supported_scheme"] = "SCH-OAK"
    document["colleague_harassment"] = True
    document["complainant"]["is_employee"] = True
    services.casework.import_documents([LabelledDocument("1", document)])
    yield services


def test_every_page_of_the_new_report_guide(
    window: MainWindow, seeded: Services, qtbot: QtBot
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    wizard = window.new_report.wizard
    for index, page in enumerate(wizard.pages):
        wizard.steps.setCurrentRow(index)
        settle(qtbot)
        check(qtbot, window, page.title)
    how = wizard.page(HowReportedPage)
    wizard.steps.setCurrentRow(0)
    tick(how.inputs["source_kind"].buttons["third_party"])
    check(qtbot, window, "1, third party")
    complainant = wizard.page(ComplainantPage)
    wizard.steps.setCurrentRow(1)
    type_text(complainant.inputs["name"], TEXT)
    tick(complainant.inputs["is_employee"])
    check(qtbot, window, "2, employee")
    tick(complainant.inputs["anonymous"])
    check(qtbot, window, "2, anonymous")
    wizard.steps.setCurrentRow(4)
    wizard.page(InvolvedPage).inputs["involved"].add_button.click()
    wizard.page(InvolvedPage).inputs["involved"].add_button.click()
    check(qtbot, window, "5, two people")
    wizard.steps.setCurrentRow(5)
    tick(wizard.page(TargetingPage).inputs["targeted"])
    check(qtbot, window, "6, targeted")
    wizard.steps.setCurrentRow(6)
    wizard.page(WitnessesPage).inputs["witnesses"].add_button.click()
    check(qtbot, window, "7, a witness")
    wizard.set_aside()
    settle(qtbot)
    window.show_screen("new_report")
    settle(qtbot)
    assert window.new_report.panel.list.isVisible()
    check(qtbot, window, "the drafts list")


def test_the_report_saved_page(window: MainWindow, services: Services, qtbot: QtBot) -> None:
    from tests.ui.reporting import (
        anonymous_complainant,
        classify,
        frequency,
        how_direct,
        incident,
        no_targeting_or_witnesses,
        save,
        start_report,
        to_review,
    )

    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    anonymous_complainant(wizard, qtbot)
    incident(wizard, qtbot, NOW - timedelta(hours=3), "Shouting")
    frequency(wizard, qtbot)
    wizard.next.click()
    settle(qtbot)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)
    save(wizard, qtbot)
    check(qtbot, window, "report saved")


def test_caseload_workspace_and_every_action_form(
    window: MainWindow, seeded: Services, qtbot: QtBot
) -> None:
    window.caseload.refresh()
    settle(qtbot)
    check(qtbot, window, "caseload")
    window.open_case(CASE)
    settle(qtbot)
    check(qtbot, window, "workspace")
    for index in range(window.workspace.tabs.count()):
        window.workspace.tabs.setCurrentIndex(index)
        check(qtbot, window, f"workspace tab {index + 1}")
    for key, _ in (*acts.BUTTONS, *review_forms.BUTTONS, (letter_dialog.KEY, "")):
        dialog = window.workspace.start_action(key)
        qtbot.waitExposed(dialog)
        check(qtbot, dialog, f"action {key}")
        dialog.reject()
        settle(qtbot)
    window.workspace.tabs.setCurrentWidget(window.workspace.evidence)
    settle(qtbot)
    attaching = window.workspace.evidence.start_attach()
    qtbot.waitExposed(attaching)
    check(qtbot, attaching, "attach files")
    attaching.reject()
    settle(qtbot)


def test_summary_dialogs(window: MainWindow, seeded: Services, qtbot: QtBot) -> None:
    window.open_case(CASE)
    settle(qtbot)
    window.workspace.print_button.click()
    settle(qtbot)
    printing = window.workspace.findChild(PrintSummaryDialog)
    assert printing is not None
    check(qtbot, printing, "print summary")
    printing.reject()
    window.show_screen("caseload")
    window.caseload.refresh()
    settle(qtbot)
    window.caseload.summaries_button.click()
    settle(qtbot)
    batch = window.findChild(SummariesDialog)
    assert batch is not None
    check(qtbot, batch, "summaries of this list")
    tick(batch.per_case)
    check(qtbot, batch, "summaries, one per case")
    batch.reject()


def test_sync_connect_and_settings(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.sync_controller is not None, timeout=10000)
    window.show_screen("sync")
    settle(qtbot)
    check(qtbot, window, "sync page")
    window.connect_central()
    dialog = window.findChild(ConnectDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    check(qtbot, dialog, "connect dialog")
    dialog.reject()
    window.show_screen("settings")
    settle(qtbot)
    check(qtbot, window, "settings")


def test_every_screen_is_walked_although_built_on_first_visit(
    window: MainWindow, seeded: Services, qtbot: QtBot
) -> None:
    """Only the caseload is built with the window; each other screen on its first visit. Each
    rail entry (the team view has its own walk above) and a case's workspace are visited and
    checked here, and no screen is in the window that was not."""
    qtbot.waitUntil(lambda: window.sync_controller is not None, timeout=10000)
    keys = [window.rail.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.rail.count())]
    assert {"caseload", "new_report", "sync", "settings"} <= set(keys)
    seen = []
    for key in keys:
        window.show_screen(key)
        settle(qtbot, 30_000)  # a screen's first visit builds it and reads what it shows
        seen.append(window.screens.currentWidget())
        check(qtbot, window, f"the {key} screen")
    window.open_case(CASE)
    settle(qtbot, 30_000)
    seen.append(window.screens.currentWidget())
    check(qtbot, window, "a case's workspace")
    assert set(window.screens.added()) == set(seen)  # nothing in the window left unwalked
    assert len(seen) == len(set(seen)) == len(keys) + 1


def test_first_run_walk_through_and_lock(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    assert window.facts is not None
    wizard = FirstRunWizard(services, window.facts.directory, window)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    settle(qtbot)
    pages = 0
    while True:
        check(qtbot, wizard, f"first run page {pages + 1}")
        pages += 1
        if wizard.currentPage() is wizard.pin:
            for box in (wizard.pin.pin, wizard.pin.again):
                box.clear()
                type_text(box, "5791")
        if wizard.button(QWizard.WizardButton.FinishButton).isVisible():
            break
        wizard.next()
        settle(qtbot)
        assert pages < 6
    assert pages >= 3
    wizard.reject()
    settle(qtbot)

    window.lock()
    settle(qtbot)
    check(qtbot, window, "lock screen")
    window.change_pin()
    settle(qtbot)
    check(qtbot, window, "lock screen, changing the PIN")


def test_passphrase_prompt(qtbot: QtBot) -> None:
    """Asked at start without a secure keyring: choosing one (typed twice) or opening."""
    for creating in (True, False):
        dialog = PassphraseDialog(creating=creating)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        check(qtbot, dialog, "passphrase prompt" + (", choosing" if creating else ""))
        dialog.reject()


def test_the_withdrawn_notice(window: MainWindow, qtbot: QtBot) -> None:
    """Shown when the central store revoked this laptop, before its store is deleted."""
    from asb_desktop.sync.status_words import SyncSummary
    from asb_desktop.ui.sync.withdrawn_notice import WithdrawnNotice

    notice = WithdrawnNotice(SyncSummary(sent=1, withdrawn="retire"), window)
    qtbot.addWidget(notice)
    notice.show()
    qtbot.waitExposed(notice)
    check(qtbot, notice, "withdrawn notice")
    notice.done(0)


def test_the_team_view_and_its_list_of_cases(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    from asb_desktop.domain.team_figures import Slice
    from asb_desktop.ui.team.case_list import CaseListDialog

    services.actions.set_officer("s-tl")  # a Team Leader has the team view
    with qtbot.waitSignal(window.sig_ready, timeout=10_000):
        window.reload_settings()
    window.show_screen("team")
    qtbot.waitUntil(lambda: window.team is not None and window.team.figures is not None)
    # its charts are drawn on workers (Matplotlib first imported there): longer than settle's
    qtbot.waitUntil(window.team.charts_drawn, timeout=20_000)
    settle(qtbot)
    check(qtbot, window, "team view")
    window.team.show_cases(Slice(), "Every case received in the period")
    qtbot.waitUntil(lambda: isinstance(window.team.dialog, CaseListDialog))
    qtbot.waitExposed(window.team.dialog)
    check(qtbot, window.team.dialog, "a figure's list of cases")
    window.team.dialog.reject()


def test_the_reminders_list(window: MainWindow, qtbot: QtBot) -> None:
    from asb_desktop.services.reminders import Reminder, Reminders
    from asb_desktop.ui.reminders import RemindersDialog

    late = Reminder(CASE, None, "first response (5.3): overdue by 2 working days", True, NOW)
    dialog = RemindersDialog(Reminders(NOW.date(), (late,), ()), window)
    dialog.show()
    qtbot.waitExposed(dialog)
    check(qtbot, dialog, "reminders")
    dialog.reject()


def test_dialogs_open_from_the_window_are_all_walked(window: MainWindow) -> None:
    """A new dialog class should be added to this file: list what the window can open."""
    known = {PrintSummaryDialog, SummariesDialog, ConnectDialog, FirstRunWizard, PassphraseDialog}
    from asb_desktop.ui.sync.withdrawn_notice import WithdrawnNotice

    known.add(WithdrawnNotice)
    import asb_desktop.ui.workspace.action_dialog as actions

    known.add(actions.ActionDialog)
    from asb_desktop.ui.workspace.evidence_dialog import AttachDialog

    known.add(AttachDialog)
    from asb_desktop.ui.team.case_list import CaseListDialog

    known.add(CaseListDialog)
    known.add(letter_dialog.LetterDialog)
    from asb_desktop.ui.reminders import RemindersDialog

    known.add(RemindersDialog)
    found = set()
    import importlib
    import pkgutil

    import asb_desktop.ui as ui

    for module in pkgutil.walk_packages(ui.__path__, "asb_desktop.ui."):
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if (
                isinstance(value, type)
                and issubclass(value, QDialog)
                and value.__module__ == loaded.__name__
            ):
                found.add(value)
    assert found <= known, f"walk these in test_mnemonics.py too: {found - known}"

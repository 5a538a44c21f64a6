"""The New report guide by keyboard: nothing one report leaves behind reaches the next, focus
lands on the first field of each page (and on the field at fault when saving is refused),
choices are one Tab stop chosen with the arrows, and the words on screen say what is so."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.domain.procedure import ANONYMITY_STEPS
from asb_desktop.ui.intake.pages_people import ClassificationPage, InvolvedPage, WitnessesPage
from asb_desktop.ui.intake.pages_report import (
    ComplainantPage,
    FrequencyPage,
    HowReportedPage,
    IncidentPage,
)
from asb_desktop.ui.intake.wizard import ReportWizard
from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import settle, type_text
from tests.ui.intake.keys import alt, focused, has_focus, press, ret, tab
from tests.ui.reporting import (
    anonymous_complainant,
    classify,
    complainant,
    frequency,
    how_direct,
    incident,
    involved,
    no_targeting_or_witnesses,
    save,
    start_report,
    to_review,
)

LAST_NIGHT = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)


def record_one(wizard: ReportWizard, qtbot: QtBot, name: str) -> None:
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, name)
    incident(wizard, qtbot, LAST_NIGHT, "Music through the wall until 3am")
    frequency(wizard, qtbot)
    involved(wizard, qtbot)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)


def test_start_another_report_leaves_nothing_of_the_last_one(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    first = wizard.draft_id
    record_one(wizard, qtbot, "Aoife Byrne")
    save(wizard, qtbot)
    assert has_focus(wizard.done.open_button)
    alt(qtbot, "a", until=lambda: wizard.stack.currentWidget() is not wizard.done)
    settle(qtbot)

    assert wizard.draft_id != first
    assert wizard.current() == 0 and wizard.steps.isVisible() and wizard.steps.currentRow() == 0
    for button in (wizard.later, wizard.next):
        assert button.isVisible() and button.isEnabled(), button.text()
    assert wizard.back.isVisible() and not wizard.back.isEnabled(), "page 1 has no page before"
    assert not wizard.save.isVisible() and wizard.save.isEnabled()
    assert not wizard._saving and wizard._active
    assert wizard.missing_label.isVisible()
    assert wizard.saved_label.text() == "Draft not saved yet"
    assert wizard.stack.count() == len(wizard.pages) + 1
    assert wizard.review.duplicate_buttons == []
    assert all("(to do)" in wizard.steps.item(i).text() for i in (1, 2, 3, 7))
    assert not wizard.page(ComplainantPage).inputs["name"].text()
    assert has_focus(wizard.page(HowReportedPage).inputs["received_at"])

    record_one(wizard, qtbot, "Dara Byrne")
    assert wizard.save.isVisible() and wizard.save.isEnabled(), "the blocker: Save disabled"
    assert has_focus(wizard.save)
    assert "Dara Byrne" in wizard.review.summary.text()
    assert "Aoife" not in wizard.review.summary.text()
    save(wizard, qtbot)
    stored = services.casework.document(wizard.draft_id)
    assert stored is not None and stored["complainant"]["name"] == "Dara Byrne"
    assert services.casework.document(first) is not None


def test_arriving_on_a_page_puts_the_focus_on_its_first_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    assert has_focus(wizard.page(HowReportedPage).inputs["received_at"]), "a fresh report"
    alt(qtbot, "n", until=lambda: wizard.current() == 1)
    complainant_page = wizard.page(ComplainantPage)
    assert has_focus(complainant_page.inputs["anonymous"]), focused()
    tab(qtbot)
    assert has_focus(complainant_page.inputs["name"])
    type_text(focused(), "Hana")
    alt(qtbot, "n")
    assert wizard.current() == 1, "the page still needs a way to reach them"
    assert complainant_page.inputs["name"].text() == "Hana", "Alt+N never types or selects"
    alt(qtbot, "d")
    assert has_focus(complainant_page.inputs["address"]), "Alt+D is Address on this page"
    type_text(focused(), "1 Mill Lane")
    alt(qtbot, "n", until=lambda: wizard.current() == 2)
    assert has_focus(wizard.page(IncidentPage).inputs["occurred_at"])
    alt(qtbot, "b", until=lambda: wizard.current() == 1)
    assert has_focus(complainant_page.inputs["anonymous"]), "Back lands on the first field too"
    ret(qtbot)  # Return on a tick box goes on, as a dialog's default button would
    assert wizard.current() == 2
    wizard.set_aside()
    settle(qtbot)
    panel = window.new_report.panel
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=30_000)
    assert has_focus(panel.start), "kept for later: ready for the next caller"
    alt(qtbot, "u")
    assert has_focus(panel.list)
    ret(qtbot)  # Return on the draft resumes it
    qtbot.waitUntil(lambda: window.new_report.currentWidget() is wizard, timeout=30_000)
    settle(qtbot)
    assert wizard.current() == 2
    assert has_focus(wizard.page(IncidentPage).inputs["occurred_at"]), "a resumed draft"


def test_classification_by_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    wizard = start_report(window, qtbot)
    wizard.steps.setCurrentRow(7)
    page = wizard.page(ClassificationPage)
    severity = page.inputs["severity"]
    serious, general = severity.buttons["serious"], severity.buttons["general"]
    wizard.next.setFocus()
    visited = []
    for _ in range(4):
        tab(qtbot)
        visited.append(focused())
        if isinstance(focused(), QRadioButton):
            break
    assert focused() is serious, f"Tab from Next went to {[w.accessibleName() for w in visited]}"
    tab(qtbot)
    assert focused() is not general, "a choice is one Tab stop"
    alt(qtbot, "v")
    assert focused() is serious, "Alt+V is Severity"
    press(qtbot, Qt.Key.Key_Down)
    assert general.isChecked() and general.hasFocus(), "Down with nothing chosen chooses"
    assert severity.value() == "general"
    press(qtbot, Qt.Key.Key_Down)
    assert serious.isChecked() and serious.hasFocus()
    press(qtbot, Qt.Key.Key_Up)
    assert general.isChecked()
    tab(qtbot)
    assert focused() is page.strands["race"], "on from the chosen option to the next field"
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is general, "back to the chosen option, not the first"
    alt(qtbot, "e")
    assert focused() is page.inputs["estate"]
    alt(qtbot, "c")
    assert focused() is page.inputs["scheme"]
    alt(qtbot, "h", until=lambda: page.inputs["colleague_harassment"].isChecked())
    assert not page.risk.isHidden()


def test_a_refused_save_puts_the_focus_on_the_field_at_fault(
    window: MainWindow, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, "Lena Fischer")
    wizard.steps.setCurrentRow(9)  # straight to the review, the incident not described
    settle(qtbot)
    assert has_focus(wizard.save)
    alt(qtbot, "s", until=lambda: wizard.current() == 2)
    page = wizard.page(IncidentPage)
    assert has_focus(page.inputs["description"]), focused()
    assert page.rows["description"].error.text() == "⚠ Describe what happened."
    # The focus is drawn, as after any key press (Qt draws it only after keyboard moves).
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    ret(qtbot)  # Return in the box is a new line, not "go on"
    assert wizard.current() == 2 and has_focus(page.inputs["description"])
    wizard.next.setFocus(Qt.FocusReason.MouseFocusReason)
    wizard.next.click()
    assert has_focus(page.inputs["description"])
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)


def test_the_anonymity_steps_say_when_they_are_all_done(window: MainWindow, qtbot: QtBot) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    page = wizard.page(ComplainantPage)
    assert has_focus(page.inputs["anonymous"])
    press(qtbot, Qt.Key.Key_Space)
    assert page.inputs["anonymous"].isChecked()
    assert page.anonymity_done.text() == "0 of 5 steps done."
    ret(qtbot)
    assert wizard.current() == 1
    assert "Tick each step" in page.anonymity_error.text() and page.anonymity_error.isVisible()
    for number, (key, _) in enumerate(ANONYMITY_STEPS):
        if number:
            tab(qtbot)
        assert focused() is page.inputs[key], "the refusal lands on the first step not done"
        press(qtbot, Qt.Key.Key_Space)
    assert page.anonymity_done.text() == "4 of 5 steps done."
    assert page.anonymity_error.isVisible()
    tab(qtbot)
    assert focused() is page.inputs["limitations_explained"]
    press(qtbot, Qt.Key.Key_Space)
    assert page.anonymity_done.text() == "✓ All 5 steps are done."
    assert page.anonymity_error.isHidden(), "“Tick each step” no longer true"
    assert wizard.next.text() == "&Next ›"


def test_the_review_reads_back_every_answer(window: MainWindow, qtbot: QtBot) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, "Zoë O'Brien-Łukasiewicz")
    incident(wizard, qtbot, LAST_NIGHT, "Eggs thrown at the window")
    frequency(wizard, qtbot)
    people = wizard.page(InvolvedPage).inputs["involved"]
    people.add_button.click()
    type_text(people.cards[0][1]["name"], "Tomáš Dvořák")
    wizard.next.click()
    settle(qtbot)
    wizard.next.click()
    settle(qtbot)
    witnesses = wizard.page(WitnessesPage).inputs["witnesses"]
    witnesses.add_button.click()
    type_text(witnesses.cards[0][1]["name"], "Nguyễn Thị Lan")
    type_text(witnesses.cards[0][1]["account"], "Saw two men at the door")
    wizard.next.click()
    settle(qtbot)
    page = classify(wizard, qtbot, "general", None)
    page.inputs["scheme"].setFocus()
    page.inputs["scheme"].setCurrentIndex(page.inputs["scheme"].findData("SCH-OAK"))
    to_review(wizard, qtbot)
    text = wizard.review.summary.text()
    for expected in (
        "Complainant: Zoë O'Brien-Łukasiewicz, Flat 4, 12 Mill Lane",
        "How it made them feel: Frightened and unable to sleep",
        "How it has affected them since: Avoids the stairwell",
        "What they have had to do to avoid it: Keeps a diary; fitted a door camera",
        "People involved (1):\n  1. Tomáš Dvořák",
        "Witnesses (1):\n  1. Nguyễn Thị Lan; Saw two men at the door",
        "supported scheme: Oak Court (SCH-OAK)",
    ):
        assert expected in text


def test_a_draft_with_no_name_is_listed_by_when_it_was_started(
    window: MainWindow, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    type_text(wizard.page(ComplainantPage).inputs["phone"], "07700 900777")
    wizard.set_aside()
    settle(qtbot)
    panel = window.new_report.panel
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=30_000)
    assert panel.list.item(0).text().endswith(": Untitled report started 10:00")


def test_no_stray_alt_letter_types_on_any_page(window: MainWindow, qtbot: QtBot) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    anonymous_complainant(wizard, qtbot)
    box = wizard.page(IncidentPage).inputs["location"]
    type_text(box, "Bin store")
    for letter in "gjkmopqrtuxz":
        qtbot.keyClick(box, letter, Qt.KeyboardModifier.AltModifier)
    assert box.text() == "Bin store"
    assert QApplication.focusWidget() is box
    text = wizard.page(FrequencyPage).inputs["frequency"]
    assert text.toPlainText() == ""

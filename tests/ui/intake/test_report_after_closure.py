"""A report after closure is a new case (the regulator's counting rule): the New report guide's
"Add to … as a new incident" on a case closed meanwhile is refused in a sentence that says the
report will be a new case; Save then records it as new, noting the closed case. Key events."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.domain.case import EntryKind
from asb_desktop.domain.closing import CaseOutcome
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, has_focus, press
from tests.ui.intake.test_duplicates import NAME, earlier_report
from tests.ui.reporting import (
    classify,
    complainant,
    frequency,
    go_on,
    how_direct,
    incident,
    no_targeting_or_witnesses,
    start_report,
    to_review,
)

EARLIER = "12121212-1212-4212-8212-121212121212"


def test_a_report_for_a_case_closed_meanwhile_is_saved_as_a_new_case(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    services.casework.import_documents(
        [LabelledDocument("a", earlier_report(EARLIER, NOW - timedelta(days=20)))]
    )
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, NAME)
    incident(wizard, qtbot, NOW - timedelta(hours=2), "Music again, after it was closed")
    frequency(wizard, qtbot)
    go_on(wizard, qtbot, 5)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)
    review = wizard.review
    qtbot.waitUntil(lambda: len(review.duplicate_buttons) == 1, timeout=30_000)
    # closed meanwhile (in the workspace, or by a sync)
    services.actions.close(EARLIER, "Quiet for eight weeks", CaseOutcome.RESOLVED)
    button = review.duplicate_buttons[0]
    button.setFocus()
    qtbot.waitUntil(button.hasFocus, timeout=30_000)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Not saved" in wizard.saved_label.text(), timeout=30_000)
    assert wizard.saved_label.text().startswith(
        "⚠ Not saved: Case Local 12121212 is closed, and a report after closure is a new case: "
        "save this report as a new case instead; it will note Local 12121212."
    )
    qtbot.waitUntil(lambda: has_focus(wizard.save), timeout=30_000)
    stored = services.casework.document(EARLIER)
    assert stored is not None and len(stored["incidents"]) == 1

    alt(qtbot, "s", until=lambda: wizard.stack.currentWidget() is wizard.done)
    settle(qtbot)
    assert wizard.done.heading.text().startswith("Report saved as case ")
    assert wizard.done.outcome.text().startswith(
        "Case Local 12121212 is closed, and a report after closure is a new case: this one is "
        "new, and notes Local 12121212."
    )
    new = services.casework.case(wizard.draft_id)
    assert new is not None
    [note] = [e for e in new.entries if e.kind is EntryKind.NOTE]
    assert "same matter as case Local 12121212, closed on 23 November 2026" in note.text
    assert [i.description for i in new.incidents] == ["Music again, after it was closed"]


def test_a_closed_case_it_matches_is_named_without_an_add_button(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    services.casework.import_documents(
        [LabelledDocument("a", earlier_report(EARLIER, NOW - timedelta(days=20), state="closed"))]
    )
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, NAME)
    incident(wizard, qtbot, NOW - timedelta(hours=2), "Music again")
    frequency(wizard, qtbot)
    go_on(wizard, qtbot, 5)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)
    review = wizard.review
    qtbot.waitUntil(lambda: "checking" not in review.duplicates_title.text(), timeout=30_000)
    assert review.duplicates_title.text() == "Possible duplicates: none found among open cases."
    assert review.duplicate_buttons == []
    said = [
        w.text() for w in review.findChildren(QLabel) if w.isVisible() and "(closed)" in w.text()
    ]
    assert said == [
        "Local 12121212 (closed), received 03 Nov 2026: same complainant, same complainant "
        "address. A report after closure is a new case: this one is saved as new."
    ], said

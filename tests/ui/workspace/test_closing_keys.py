"""Closing a case by keyboard in the real window: closed with an outcome (Alt+L, the outcome
first), the complainant told (Alt+K), their satisfaction (Alt+B, any answer left out), and
reopened with a reason (Alt+L again, Reopen in Close's place); the summary shows the outcome,
told, satisfaction and the reopening; an anonymous complainant is neither told nor asked (5.8).
Key events only; the stored document is checked after."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.domain.closing import CaseOutcome
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.keyboard import mnemonic_clashes
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.workspace.action_dialog import ActionDialog
from tests.ui.conftest import NOW
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, down_to, has_focus, type_here
from tests.ui.intake.test_duplicates import earlier_report
from tests.ui.workspace.test_case_management_keys import form_by_keys, open_by_keys, save, stored

CASE = "55555555-5555-4555-8555-555555555551"
ANONYMOUS = "55555555-5555-4555-8555-555555555552"


def seed(services: Services) -> None:
    case = earlier_report(CASE, NOW - timedelta(days=3), name="Zoë Łukasiewicz")
    case["first_response"] = {
        "at": (NOW - timedelta(days=2)).isoformat(),
        "by": "s-ha",
        "summary": "Rang her",
    }
    anonymous = earlier_report(ANONYMOUS, NOW - timedelta(hours=5))
    anonymous["complainant"] = {"anonymous": True}
    services.casework.import_documents(
        [LabelledDocument(str(i), d) for i, d in enumerate((case, anonymous))]
    )


def submit(qtbot: QtBot, dialog: ActionDialog, letter: str) -> None:
    alt(qtbot, letter, until=lambda: not dialog.isVisible())
    settle(qtbot)


def test_close_tell_ask_and_reopen_by_keys(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_by_keys(window, qtbot, CASE)
    workspace = window.workspace
    assert not workspace.buttons["told"].isEnabled()
    assert workspace.buttons["told"].toolTip() == "Only once the case is closed."
    assert not workspace.buttons["reopen"].isVisible() and workspace.buttons["close"].isVisible()

    dialog = form_by_keys(qtbot, "l")  # C&lose case: the outcome is the first field
    assert dialog.fields[0].key == "outcome"
    alt(qtbot, "r")
    type_here("No reports for eight weeks")
    alt(qtbot, "l", until=lambda: dialog.error.isVisible())  # C&lose case, no outcome yet
    assert dialog.error.text() == "⚠ Choose the outcome of the case."
    assert has_focus(dialog.inputs["outcome"])
    down_to(qtbot, dialog.inputs["outcome"], CaseOutcome.ENFORCEMENT_TAKEN)  # type: ignore[arg-type]
    submit(qtbot, dialog, "l")
    document = stored(services, CASE)
    assert document["status"]["outcome"] == "enforcement_taken"
    assert document["status"]["reason"] == "No reports for eight weeks"
    assert workspace.status.text().startswith(
        "Closed: No reports for eight weeks. Outcome: Enforcement action taken. The complainant "
        "has not been told the outcome yet (Alt+K)."
    )
    assert workspace.buttons["reopen"].isVisible() and not workspace.buttons["close"].isVisible()
    assert not mnemonic_clashes(window)
    qtbot.waitUntil(lambda: has_focus(workspace.buttons["told"]), timeout=30_000)  # the next step

    dialog = form_by_keys(qtbot, "k")  # Mar&k complainant told
    down_to(qtbot, dialog.inputs["how"], "letter")  # type: ignore[arg-type]
    alt(qtbot, "w")
    assert has_focus(dialog.inputs["at"])
    save(qtbot, dialog)
    told = stored(services, CASE)["closure"]["complainant_told"]
    assert told["how"] == "letter" and told["at"] == NOW.isoformat()
    assert not workspace.buttons["told"].isEnabled()  # once a closing
    assert workspace.buttons["told"].toolTip().endswith("told the outcome of this closing already.")

    dialog = form_by_keys(qtbot, "b")  # Satisfaction feed&back
    alt(qtbot, "s", until=lambda: dialog.error.isVisible())
    assert dialog.error.text().startswith("⚠ Record at least one answer")
    assert has_focus(dialog.inputs["would_report_again"])
    alt(qtbot, "k")
    down_to(qtbot, dialog.inputs["kept_informed"], "fairly_satisfied")  # type: ignore[arg-type]
    alt(qtbot, "o")
    down_to(qtbot, dialog.inputs["outcome"], "very_dissatisfied")  # type: ignore[arg-type]
    alt(qtbot, "r")
    down_to(qtbot, dialog.inputs["would_report_again"], "not_sure")  # type: ignore[arg-type]
    save(qtbot, dialog)
    answers = stored(services, CASE)["closure"]["satisfaction"]
    assert (answers["kept_informed"], answers["timescales"], answers["outcome"]) == (
        "fairly_satisfied",
        None,
        "very_dissatisfied",
    )
    assert answers["would_report_again"] == "not_sure"
    alt(qtbot, "1")
    summary = workspace.summary.text()
    assert "Enforcement action taken. No reports for eight weeks" in summary
    assert "Complainant told the outcome Mon 23 Nov 2026, 10:00 (by letter)" in summary
    assert (
        "kept informed: fairly satisfied; outcome: very dissatisfied; would report again: not sure"
    ) in summary

    dialog = form_by_keys(qtbot, "l")  # Reopen (undo c&losure), in Close's place
    assert dialog.windowTitle() == "Reopen the case"
    alt(qtbot, "o", until=lambda: dialog.error.isVisible())  # Re&open, no reason yet
    assert dialog.error.text() == "⚠ Give the reason for reopening the case."
    type_here("Music again, she rang")
    submit(qtbot, dialog, "o")
    document = stored(services, CASE)
    assert document["status"]["state"] == "open" and document["closure"] is None
    [reopening] = document["reopenings"]
    assert reopening["reason"] == "Music again, she rang"
    assert reopening["outcome"] == "enforcement_taken"
    assert reopening["closure"]["complainant_told"]["how"] == "letter"
    assert document["next_update_due_at"] is not None  # its clock runs again
    assert "Next update to the complainant" in workspace.status.text()
    assert " Reopened Mon 23 Nov 2026, 10:00: Music again, she rang." in workspace.status.text()
    assert has_focus(workspace.buttons["close"])
    assert workspace.buttons["close"].isVisible() and workspace.buttons["incident"].isEnabled()
    summary = workspace.summary.text()
    assert "Reopened Mon 23 Nov 2026, 10:00 by" in summary
    assert "Music again, she rang (it was closed Mon 23 Nov 2026, 10:00: enforcement" in summary
    assert not mnemonic_clashes(window)

    dialog = form_by_keys(qtbot, "l")  # closed again: the history reads in order
    down_to(qtbot, dialog.inputs["outcome"], CaseOutcome.TENANCY_ENDED)  # type: ignore[arg-type]
    alt(qtbot, "r")
    type_here("They moved away")
    submit(qtbot, dialog, "l")
    summary = workspace.summary.text()
    assert summary.index("Reopened Mon 23 Nov") < summary.index("Closed Mon 23 Nov 2026, 10:00: ")
    assert "The tenancy of the person causing it ended. They moved away" in summary
    assert len(stored(services, CASE)["reopenings"]) == 1


def test_an_anonymous_complainant_is_not_told_nor_asked_by_keys(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    services.actions.close(ANONYMOUS, "Patrols stopped it", CaseOutcome.RESOLVED)
    open_by_keys(window, qtbot, ANONYMOUS)
    for key in ("told", "satisfaction"):
        button = window.workspace.buttons[key]
        assert not button.isEnabled()
        assert button.toolTip() == "The complainant is anonymous: they cannot be contacted (5.8)."
    alt(qtbot, "k")
    alt(qtbot, "b")
    settle(qtbot)
    assert not isinstance(QApplication.activeWindow(), ActionDialog)
    assert "Anonymous complainant: not told (5.8)" in window.workspace.status.text()
    assert stored(services, ANONYMOUS)["closure"] is None

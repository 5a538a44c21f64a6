"""The case workspace and the caseload, driven through the real window."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.caseload.caseload_model import column
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.workspace.action_dialog import ActionDialog
from tests.ui.conftest import NOW
from tests.ui.driving import choose, settle, tick, type_text
from tests.ui.intake.test_duplicates import earlier_report

SCHEME_CASE = "55555555-5555-4555-8555-555555555555"
HARASSMENT_CASE = "66666666-6666-4666-8666-666666666666"
OVERDUE_CASE = "77777777-7777-4777-8777-777777777777"


def seed(services: Services) -> None:
    scheme = earlier_report(SCHEME_CASE, NOW - timedelta(hours=1), name="Kofi Adebayo")
    scheme["supported_scheme"] = "SCH-OAK"
    harassment = earlier_report(HARASSMENT_CASE, NOW - timedelta(hours=5), name="Ellie Walsh")
    harassment["colleague_harassment"] = True
    harassment["complainant"]["is_employee"] = True
    overdue = earlier_report(OVERDUE_CASE, NOW - timedelta(days=8), name="Ravi Patel")
    overdue["severity"] = "serious"
    services.casework.import_documents(
        [LabelledDocument(str(i), d) for i, d in enumerate((scheme, harassment, overdue))]
    )


def run_action(window: MainWindow, qtbot: QtBot, key: str, fill: dict[str, object]) -> ActionDialog:
    dialog = window.workspace.start_action(key)
    assert isinstance(dialog, ActionDialog)
    for name, value in fill.items():
        widget = dialog.inputs[name]
        if isinstance(value, bool):
            tick(widget, value)  # type: ignore[arg-type]
        elif name in ("staff", "role", "outcome"):
            choose(widget, value)  # type: ignore[arg-type]
        else:
            type_text(widget, str(value))
    dialog.ok.click()
    settle(qtbot)
    return dialog


def open_case(window: MainWindow, qtbot: QtBot, case_id: str) -> None:
    window.open_case(case_id)
    settle(qtbot)
    assert window.workspace.view is not None and window.workspace.view.case.id == case_id


def test_caseload_filters_search_sort_and_due_in_words(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    window.caseload.refresh()
    settle(qtbot)
    model = window.caseload.model
    assert window.caseload.count.text() == "3 cases match"
    due_column = column("Response due")
    due = {model.case_id(r): model.lines[r].cells[due_column] for r in range(model.rowCount())}
    assert due[OVERDUE_CASE].startswith("overdue by 5 working days (")
    assert due[SCHEME_CASE].startswith("due in 3 working days (Thu 26 Nov 2026, 17:00)")
    assert model.lines[0].case_id == OVERDUE_CASE, "soonest due first"

    tick(window.caseload.overdue)
    settle(qtbot)
    assert [line.case_id for line in model.lines] == [OVERDUE_CASE]
    tick(window.caseload.overdue, False)
    choose(window.caseload.scheme, "SCH-OAK")
    settle(qtbot)
    assert [line.case_id for line in model.lines] == [SCHEME_CASE]
    choose(window.caseload.scheme, None)
    tick(window.caseload.mine)  # Hana Ali: the EST-NORTH patch officer, all three
    tick(window.caseload.serious)
    settle(qtbot)
    assert [line.case_id for line in model.lines] == [OVERDUE_CASE]
    tick(window.caseload.serious, False)
    tick(window.caseload.mine, False)

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.caseload.search.hasFocus()
    type_text(window.caseload.search, "kofi")
    window.caseload.apply_filter()
    settle(qtbot)
    assert [line.case_id for line in model.lines] == [SCHEME_CASE]
    assert window.caseload.count.text() == "1 case matches"
    window.caseload.search.clear()
    window.caseload.apply_filter()
    settle(qtbot)

    received = column("Received")
    window.caseload.table.horizontalHeader().setSortIndicator(
        received, Qt.SortOrder.DescendingOrder
    )
    settle(qtbot)
    assert model.lines[0].case_id == SCHEME_CASE, "newest received first"


def test_first_response_referral_and_closing(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_case(window, qtbot, SCHEME_CASE)
    workspace = window.workspace
    assert workspace.status.text().startswith("Open. Response due in 3 working days.")
    run_action(window, qtbot, "first_response", {"summary": "Phoned Kofi; visit booked"})
    assert workspace.status.text().startswith("Open. First response recorded: target met.")
    assert not workspace.buttons["first_response"].isEnabled()

    dialog = run_action(
        window, qtbot, "refer", {"role": "enforcement_officer", "reason": "Persistent noise"}
    )
    assert dialog.isVisible(), "refused: no failed attempt yet"
    assert dialog.error.text().startswith("⚠ Record at least one unsuccessful attempt")
    assert dialog.values()["reason"] == "Persistent noise", "nothing typed is lost"
    dialog.reject()

    run_action(window, qtbot, "attempt", {"description": "Warning letter; noise went on"})
    run_action(
        window, qtbot, "refer", {"role": "enforcement_officer", "reason": "Persistent noise"}
    )
    assert (
        "Referred to the Enforcement Officer on Mon 23 Nov 2026, 10:00 by Hana Ali: "
        "Persistent noise" in workspace.summary.text()
    )
    assert not workspace.buttons["refer"].isEnabled()
    run_action(
        window,
        qtbot,
        "incident",
        {"location": "Car park", "description": "Music from a car stereo at 1am"},
    )
    assert workspace.incidents.item(0).text().startswith("Mon 23 Nov 2026, 10:00 at Car park")
    assert workspace.incidents.count() == 2
    run_action(window, qtbot, "note", {"text": "Spoke to the neighbour at Flat 8"})
    assert "Spoke to the neighbour" in workspace.entries.item(0).text()

    run_action(
        window,
        qtbot,
        "close",
        {"outcome": "enforcement_taken", "reason": "Resolved after enforcement warning"},
    )
    assert workspace.status.text().startswith("Closed: Resolved after enforcement warning")
    history = [workspace.history.item(i).text() for i in range(workspace.history.count())]
    assert [h.split(" · ")[1] for h in history] == [
        "closed",
        "note",
        "incident",
        "referred",
        "resolution attempt",
        "first response",
        "imported",
    ]
    stored = services.casework.document(SCHEME_CASE)
    assert stored is not None
    assert stored["referral"]["to_role"] == "enforcement_officer"
    assert stored["status"]["state"] == "closed"


def test_late_first_response_is_shown_missed(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_case(window, qtbot, OVERDUE_CASE)
    assert "overdue by 5 working days" in window.workspace.status.text()
    run_action(window, qtbot, "first_response", {"summary": "Visited"})
    assert "target missed" in window.workspace.status.text()


def test_staff_risk_assessment_without_agreement_needs_the_director(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_case(window, qtbot, HARASSMENT_CASE)
    fill = {"participants": "Grace Adeyemi\nSam Patel\nJo Kowalski"}
    dialog = run_action(window, qtbot, "risk", fill)
    assert dialog.error.text().startswith("⚠ The group did not agree, so record the Director")
    type_text(dialog.inputs["director"], "Move the caretaker to another block for now")
    dialog.ok.click()
    settle(qtbot)
    assert not dialog.isVisible()
    assert "Director of Operations: Move the caretaker" in window.workspace.summary.text()
    assert not window.workspace.buttons["risk"].isEnabled()


def test_reassigning_an_employee_case_needs_a_team_leader(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_case(window, qtbot, HARASSMENT_CASE)
    dialog = run_action(window, qtbot, "reassign", {"staff": "s-mo", "reason": "Cover"})
    assert "is not a Team Leader or above" in dialog.error.text()
    dialog.reject()
    run_action(window, qtbot, "reassign", {"staff": "s-tr", "reason": "Cover while on leave"})
    assert "Assigned by hand to Priya Raman." in window.workspace.status.text()

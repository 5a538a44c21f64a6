"""The caseload shows each case's risk level, a high one in bold with a warning sign, and a case
never assessed says so; the level follows a re-assessment made in the workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.domain.case_management import RiskLevel
from asb_desktop.domain.risk_questions import QUESTIONS
from asb_desktop.ui.caseload.caseload_model import column
from asb_desktop.ui.main_window import MainWindow
from tests.ui.caseload.test_caseload import cells
from tests.ui.driving import settle
from tests.ui.intake.keys import alt
from tests.ui.workspace.test_case_management_keys import CASE, SAME_PERSON, open_by_keys, seed


def test_the_risk_level_is_a_column_and_high_stands_out(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    answers = {q.id: next(iter(q.points)) for q in QUESTIONS}
    services.actions.assess_risk(CASE, answers, RiskLevel.HIGH)
    services.actions.assess_risk(SAME_PERSON, answers, RiskLevel.MEDIUM)
    open_by_keys(window, qtbot, CASE)
    alt(qtbot, "c", until=lambda: window.screens.currentWidget() is window.caseload)
    window.caseload.refresh()
    settle(qtbot)
    model = window.caseload.model
    assert cells(window, CASE)["Risk"] == "⚠ High"
    assert cells(window, SAME_PERSON)["Risk"] == "Medium"
    others = [model.case_id(r) for r in range(model.rowCount())]
    unassessed = [c for c in others if c not in (CASE, SAME_PERSON)]
    assert unassessed and all(cells(window, c)["Risk"] == "Not assessed" for c in unassessed)
    row = others.index(CASE)
    font = model.index(row, column("Risk")).data(Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()
    medium = others.index(SAME_PERSON)
    assert model.index(medium, column("Risk")).data(Qt.ItemDataRole.FontRole) is None

"""The caseload's filters for managing the case, by keys: "Actions overdue" (Alt+A) lists the
open cases with an action of the plan past its date, and "Kind of ASB" (Alt+K, then arrows)
those recorded as that kind; both are kept in the case's row, so a page is one query."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.domain.case_management import AsbType
from asb_desktop.store.cases import CaseFilter
from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, down_to
from tests.ui.workspace.test_case_management_keys import ANONYMOUS, CASE, SAME_PERSON, seed


def _listed(window: MainWindow) -> set[str]:
    model = window.caseload.model
    return {model.case_id(row) for row in range(model.rowCount())}


def test_actions_overdue_and_the_kind_of_asb_filter_the_caseload_by_keys(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    services.actions.add_plan_action(CASE, "Visit the neighbour", "s-ha", NOW - timedelta(hours=1))
    services.actions.add_plan_action(SAME_PERSON, "Letter", "s-ha", NOW + timedelta(days=3))
    case = services.casework.case(ANONYMOUS)
    assert case is not None
    kinds = frozenset({AsbType.NOISE, AsbType.DRUGS})
    services.casework.update(replace(case, asb_types=kinds), action="case.edited")
    window.caseload.refresh()
    settle(qtbot)
    assert {CASE, SAME_PERSON, ANONYMOUS} <= _listed(window)

    caseload = window.caseload
    alt(qtbot, "a", until=lambda: caseload.actions_overdue.isChecked())
    settle(qtbot)
    assert _listed(window) == {CASE}  # the other action is not due yet
    alt(qtbot, "a", until=lambda: not caseload.actions_overdue.isChecked())
    alt(qtbot, "k", until=lambda: caseload.kind.hasFocus())
    down_to(qtbot, caseload.kind, AsbType.DRUGS.value)
    settle(qtbot)
    assert _listed(window) == {ANONYMOUS}
    counted = services.casework.count_cases(CaseFilter(asb_type=AsbType.DRUGS.value))
    assert counted == 1 and caseload.total == 1
    down_to(qtbot, caseload.kind, None)
    settle(qtbot)
    assert {CASE, SAME_PERSON, ANONYMOUS} <= _listed(window)

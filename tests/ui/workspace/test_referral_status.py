"""The case's status says when it was referred (5.5): the workspace's status line and the
summary's Status both read "Referred to the Enforcement Officer (…) on …"."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.ui.main_window import MainWindow
from tests.ui.workspace.test_workspace import SCHEME_CASE, open_case, run_action, seed


def test_the_status_line_says_the_case_was_referred(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_case(window, qtbot, SCHEME_CASE)
    workspace = window.workspace
    assert "Referred" not in workspace.status.text()
    run_action(window, qtbot, "attempt", {"description": "Warning letter; noise went on"})
    run_action(
        window,
        qtbot,
        "refer",
        {"role": "enforcement_officer", "staff": "s-eo", "reason": "Persistent noise"},
    )
    first_line = workspace.status.text().splitlines()[0]
    assert first_line.endswith(
        "Referred to the Enforcement Officer (Erin O'Neill) on Mon 23 Nov 2026, 10:00 by Hana Ali."
    ), first_line

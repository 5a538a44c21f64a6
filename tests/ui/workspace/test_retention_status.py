"""The workspace says how long a closed case is kept, or that it is on legal hold, in words."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.intake.test_duplicates import earlier_report
from tests.ui.workspace.test_workspace import open_case

CLOSED_CASE = "88888888-8888-4888-8888-888888888881"
HELD_CASE = "88888888-8888-4888-8888-888888888882"


def closed(case_id: str, **changes: object) -> dict[str, object]:
    document = earlier_report(case_id, NOW - timedelta(days=40), name="Nadia Khan")
    at = (NOW - timedelta(days=2)).isoformat()
    document["status"] = {"state": "closed", "reason": "Resolved by mediation", "at": at}
    document.update(changes)
    return document


def test_a_closed_case_says_until_when_it_is_kept_and_a_held_one_says_so(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    services.casework.import_documents(
        [
            LabelledDocument("closed", closed(CLOSED_CASE)),
            LabelledDocument("held", closed(HELD_CASE, retention={"legal_hold": True})),
        ]
    )
    open_case(window, qtbot, CLOSED_CASE)
    status = window.workspace.status.text()
    assert "Kept until 21 November 2032, then destroyed under the retention rules." in status
    open_case(window, qtbot, HELD_CASE)
    status = window.workspace.status.text()
    assert "On legal hold: kept until the hold is released." in status
    assert "Kept until" not in status
    stored = services.casework.document(CLOSED_CASE)
    assert stored is not None
    assert stored["retention"] == {"legal_hold": False, "destroy_after": "2032-11-21"}

"""Managing a case by keyboard in the real window (issue 13): the action plan agreed, an action
added and marked done, an update given, the risk re-assessed with its score shown; every clock
listed with its due time and why; the ASB Case Review with its reports; none of it for an
anonymous complainant's updates (5.8). Key events only; the stored document is checked after."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.services.casework import LabelledDocument
from asb_desktop.ui.main_window import MainWindow
from asb_desktop.ui.workspace.action_dialog import ActionDialog
from tests.ui.conftest import NOW
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, down_to, focused, has_focus, press, tab, type_here
from tests.ui.intake.test_duplicates import earlier_report

CASE = "99999999-9999-4999-8999-999999999991"
SAME_PERSON = "99999999-9999-4999-8999-999999999992"
ANONYMOUS = "99999999-9999-4999-8999-999999999993"


def seed(services: Services) -> None:
    case = earlier_report(CASE, NOW - timedelta(days=2), name="Zoë Łukasiewicz")
    other = earlier_report(SAME_PERSON, NOW - timedelta(days=30), name="Zoe Lukasiewicz")
    anonymous = earlier_report(ANONYMOUS, NOW - timedelta(hours=2))
    anonymous["complainant"] = {"anonymous": True}
    services.casework.import_documents(
        [LabelledDocument(str(i), d) for i, d in enumerate((case, other, anonymous))]
    )


def open_by_keys(window: MainWindow, qtbot: QtBot, case_id: str) -> None:
    window.open_case(case_id)
    settle(qtbot)
    assert window.workspace.view is not None and window.workspace.view.case.id == case_id
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=30_000)


def form_by_keys(qtbot: QtBot, letter: str) -> ActionDialog:
    """Alt+letter on the workspace opens the action's form, its first field focused."""
    alt(qtbot, letter, until=lambda: isinstance(QApplication.activeWindow(), ActionDialog))
    dialog = QApplication.activeWindow()
    assert isinstance(dialog, ActionDialog)
    first = dialog.inputs[dialog.fields[0].key]
    qtbot.waitUntil(lambda: has_focus(first), timeout=30_000)
    return dialog


def save(qtbot: QtBot, dialog: ActionDialog) -> None:
    alt(qtbot, "s", until=lambda: not dialog.isVisible())
    settle(qtbot)


def stored(services: Services, case_id: str = CASE) -> dict[str, Any]:
    document = services.casework.document(case_id)
    assert document is not None
    return document


def test_the_action_plan_by_keys(window: MainWindow, services: Services, qtbot: QtBot) -> None:
    seed(services)
    open_by_keys(window, qtbot, CASE)

    dialog = form_by_keys(qtbot, "g")  # A&gree the action plan
    type_here("Zoë Łukasiewicz, at home")
    save(qtbot, dialog)
    plan = stored(services)["action_plan"]
    assert plan["agreed_with"] == "Zoë Łukasiewicz, at home"
    assert plan["agreed_at"] is not None

    dialog = form_by_keys(qtbot, "d")  # A&dd a plan action
    type_here("Write to the household next door")
    tab(qtbot)
    who = dialog.inputs["who"]
    assert isinstance(who, QComboBox)
    down_to(qtbot, who, "s-ha")
    alt(qtbot, "s", until=lambda: not dialog.isVisible())
    settle(qtbot)
    actions = stored(services)["action_plan"]["actions"]
    assert [(a["what"], a["who"], a["done_at"]) for a in actions] == [
        ("Write to the household next door", "s-ha", None)
    ]
    alt(qtbot, "6", until=lambda: window.workspace.tabs.currentWidget() is window.workspace.clocks)
    lines = [window.workspace.clocks.item(i).text() for i in range(window.workspace.clocks.count())]
    assert any(
        "Write to the household next door" in line
        and "Why: The action plan, agreed with Zoë Łukasiewicz, at home" in line
        for line in lines
    ), lines
    assert any(line.startswith("Action plan: agreed with Zoë Łukasiewicz") for line in lines)

    dialog = form_by_keys(qtbot, "m")  # &Mark action done
    save(qtbot, dialog)
    assert stored(services)["action_plan"]["actions"][0]["done_at"] is not None
    assert not window.workspace.buttons["action_done"].isEnabled(), "nothing left to mark done"
    lines = [window.workspace.clocks.item(i).text() for i in range(window.workspace.clocks.count())]
    assert any(line.startswith("Done ") and "Write to the household" in line for line in lines)


def test_an_update_and_the_clocks_in_words(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    services.actions.record_first_response(CASE, "Phoned her", NOW - timedelta(days=1))
    open_by_keys(window, qtbot, CASE)
    view = window.workspace.view
    assert view is not None
    before = view.outcome.next_update_due_at
    assert before is not None
    assert "Next update to the complainant due" in window.workspace.status.text()

    dialog = form_by_keys(qtbot, "u")  # Give an &update
    type_here("Told her the warning letter went out")
    save(qtbot, dialog)
    entries = [e for e in stored(services)["entries"] if e["kind"] == "update"]
    assert [e["text"] for e in entries] == ["Told her the warning letter went out"]
    after = window.workspace.view
    assert after is not None and after.outcome.next_update_due_at is not None
    assert after.outcome.next_update_due_at > before

    alt(qtbot, "6", until=lambda: window.workspace.tabs.currentWidget() is window.workspace.clocks)
    lines = [window.workspace.clocks.item(i).text() for i in range(window.workspace.clocks.count())]
    assert any(
        line.startswith("First response (5.3): done") and "Why: 5.3" in line for line in lines
    )
    assert any(
        line.startswith("Next update to the complainant: due in 10 working days")
        and "an update every 10 working days" in line
        for line in lines
    ), lines

    alt(qtbot, "7")
    qtbot.waitUntil(lambda: window.workspace.tabs.currentIndex() == 6, timeout=30_000)
    review = window.workspace.review.text()
    assert review.startswith("The complainant does not qualify for an ASB Case Review yet: 2 ")
    assert review.count("Reported ") == 2 and "(this case)" in review


def test_a_risk_reassessment_shows_its_score_and_the_officer_picks_the_level(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_by_keys(window, qtbot, CASE)
    dialog = form_by_keys(qtbot, "v")  # &Victim risk assessment
    assert dialog.live.text().startswith("Score: 0 (8 questions not answered)")
    down_to(qtbot, dialog.inputs["harm_person"], "serious")  # type: ignore[arg-type]
    for number, question in enumerate(dialog.fields[1:8], start=2):
        alt(qtbot, str(number))
        assert has_focus(dialog.inputs[question.key]), focused().accessibleName()
        press(qtbot, Qt.Key.Key_Down)  # the first answer: none / no
    alt(qtbot, "8")
    down_to(qtbot, dialog.inputs["retaliation"], "yes")  # type: ignore[arg-type]
    assert dialog.live.text().startswith("Score: 6. It suggests medium risk")
    alt(qtbot, "s", until=lambda: dialog.error.isVisible())
    assert dialog.error.text() == "⚠ Choose the level of risk."
    assert has_focus(dialog.inputs["level"])
    down_to(qtbot, dialog.inputs["level"], "high")  # type: ignore[arg-type]
    alt(qtbot, "n")
    type_here("She is afraid to go out")
    save(qtbot, dialog)
    document = stored(services)
    assert document["risk_level"] == "high"
    assessment = document["risk_assessments"][0]
    assert assessment["score"] == 6 and assessment["level"] == "high"
    assert assessment["answers"]["harm_person"] == "serious"
    assert assessment["notes"] == "She is afraid to go out"
    assert "Risk: high ⚠." in window.workspace.status.text()


def test_no_update_for_an_anonymous_complainant(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    services.actions.record_first_response(ANONYMOUS, "Patrol booked", NOW - timedelta(hours=1))
    open_by_keys(window, qtbot, ANONYMOUS)
    button = window.workspace.buttons["update"]
    assert not button.isEnabled()
    assert button.toolTip() == "The complainant is anonymous: no update can be given to them (5.8)."
    alt(qtbot, "u")
    settle(qtbot)
    assert not isinstance(QApplication.activeWindow(), ActionDialog)
    assert "Next update" not in window.workspace.status.text()
    assert window.workspace.review.text().startswith("ASB Case Review: an anonymous complainant")
    assert not [
        e for e in stored(services, ANONYMOUS).get("entries") or [] if e["kind"] == "update"
    ]

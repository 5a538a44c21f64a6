"""The ASB Case Review's steps by keyboard in the real window: on the Case Review tab (Alt+7),
an application recorded (Alt+W: by someone on the complainant's behalf), its decision (Alt+S)
and the review's outcome (Alt+H), each listed on the tab as it is recorded; the decision's clock
on the Deadlines tab while it waits. Key events only; the stored document is checked after."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import settle
from tests.ui.intake.keys import alt, down_to, has_focus, tab, type_here
from tests.ui.workspace.test_case_management_keys import (
    ANONYMOUS,
    CASE,
    form_by_keys,
    open_by_keys,
    save,
    seed,
    stored,
)


def applications(window: MainWindow) -> str:
    listed = window.workspace.review_applications
    return "\n".join(listed.item(i).text() for i in range(listed.count()))


def review_tab(window: MainWindow, qtbot: QtBot) -> None:
    alt(qtbot, "7")
    qtbot.waitUntil(lambda: window.workspace.tabs.currentIndex() == 6, timeout=30_000)


def test_an_application_decided_and_its_outcome_by_keys(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_by_keys(window, qtbot, CASE)
    review_tab(window, qtbot)
    assert "No application for an ASB Case Review is recorded" in applications(window)
    assert not window.workspace.buttons["review_decide"].isEnabled()

    dialog = form_by_keys(qtbot, "w")  # Ne&w application
    by = dialog.inputs["by"]
    assert isinstance(by, QComboBox)
    alt(qtbot, "w")
    type_here("Cllr Dee Patel")
    alt(qtbot, "s", until=lambda: dialog.error.isVisible())
    assert "choose “Someone on their behalf”, or clear the name" in dialog.error.text()
    alt(qtbot, "b")
    down_to(qtbot, by, "on_behalf")
    save(qtbot, dialog)
    (application,) = stored(services)["case_review_applications"]
    assert application["applied_by"] == "Cllr Dee Patel"
    assert application["decided_at"] is None
    text = applications(window)
    assert "by Cllr Dee Patel, on the complainant's behalf" in text
    assert "Decision: not yet made, due by " in text
    assert not window.workspace.buttons["review_apply"].isEnabled(), "one waits for its decision"

    alt(qtbot, "6", until=lambda: window.workspace.tabs.currentWidget() is window.workspace.clocks)
    lines = [window.workspace.clocks.item(i).text() for i in range(window.workspace.clocks.count())]
    assert any(
        line.startswith("Decision on the ASB Case Review application: due in 10 working days")
        and "Why: ASB Case Review: an application is decided within 10 working days" in line
        for line in lines
    ), lines

    review_tab(window, qtbot)
    dialog = form_by_keys(qtbot, "s")  # Record the deci&sion
    alt(qtbot, "m")
    met = dialog.inputs["met"]
    assert isinstance(met, QComboBox) and has_focus(met)
    down_to(qtbot, met, True)
    alt(qtbot, "d")
    type_here("Three reports in six months: the review goes ahead.")
    save(qtbot, dialog)
    (application,) = stored(services)["case_review_applications"]
    assert application["threshold_met"] is True and application["decided_at"] is not None
    assert "the threshold is met.\nReasons: Three reports" in applications(window)
    qtbot.waitUntil(lambda: has_focus(window.workspace.buttons["review_outcome"]), timeout=30_000)

    dialog = form_by_keys(qtbot, "h")  # Record t&he outcome
    alt(qtbot, "r")
    type_here("Mediation offered; a noise diary for four weeks.")
    tab(qtbot)
    save(qtbot, dialog)
    (application,) = stored(services)["case_review_applications"]
    assert application["outcome"] == "Mediation offered; a noise diary for four weeks."
    assert "Outcome " in applications(window)
    assert not window.workspace.buttons["review_outcome"].isEnabled()
    assert window.workspace.buttons["review_apply"].isEnabled(), "a new one may follow"


def test_an_anonymous_complainant_has_no_application(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    seed(services)
    open_by_keys(window, qtbot, ANONYMOUS)
    review_tab(window, qtbot)
    button = window.workspace.buttons["review_apply"]
    assert not button.isEnabled()
    assert button.toolTip() == "An anonymous complainant cannot apply for an ASB Case Review."
    alt(qtbot, "w")
    settle(qtbot)
    assert QApplication.activeWindow() is window

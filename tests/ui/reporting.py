"""Steps of the New report guide, done through the real widgets, page by page."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from asb_desktop.domain.procedure import ANONYMITY_STEPS
from asb_desktop.domain.risk_questions import QUESTIONS
from asb_desktop.ui.intake.pages_people import (
    ClassificationPage,
    InvolvedPage,
    TargetingPage,
    WitnessesPage,
)
from asb_desktop.ui.intake.pages_report import (
    ComplainantPage,
    FrequencyPage,
    HowReportedPage,
    IncidentPage,
)
from asb_desktop.ui.intake.pages_risk import RiskPage
from asb_desktop.ui.intake.wizard import ReportWizard
from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import choose, settle, tick, type_text


def start_report(window: MainWindow, qtbot: QtBot) -> ReportWizard:
    """Ctrl+N, as the officer would press it."""
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    wizard = window.new_report.wizard
    assert window.new_report.currentWidget() is wizard
    assert wizard.current() == 0
    return wizard


def routing_shown(wizard: ReportWizard, qtbot: QtBot) -> None:
    """The routing preview waits for a pause in typing (a short single-shot timer), then asks a
    worker: wait until the timer has fired, then for the worker's answer to reach the pages."""
    settle(qtbot)
    qtbot.waitUntil(lambda: not wizard.preview_timer.isActive(), timeout=30_000)
    settle(qtbot)


def go_on(wizard: ReportWizard, qtbot: QtBot, expected_page: int) -> None:
    wizard.next.click()
    settle(qtbot)
    assert wizard.current() == expected_page, wizard.missing_label.text()


def how_direct(wizard: ReportWizard, qtbot: QtBot) -> None:
    page = wizard.page(HowReportedPage)
    choose(page.inputs["channel"], "in_person")
    go_on(wizard, qtbot, 1)


def complainant(
    wizard: ReportWizard,
    qtbot: QtBot,
    name: str,
    *,
    phone: str = "07700 900123",
    employee: bool = False,
) -> None:
    page = wizard.page(ComplainantPage)
    type_text(page.inputs["name"], name)
    type_text(page.inputs["address"], "Flat 4, 12 Mill Lane, Testtown TT1 1AA")
    type_text(page.inputs["phone"], phone)
    if employee:
        tick(page.inputs["is_employee"])
    go_on(wizard, qtbot, 2)


def anonymous_complainant(wizard: ReportWizard, qtbot: QtBot) -> None:
    page = wizard.page(ComplainantPage)
    tick(page.inputs["anonymous"])
    for key, _ in ANONYMITY_STEPS:
        tick(page.inputs[key])
    tick(page.inputs["limitations_explained"])
    go_on(wizard, qtbot, 2)


def incident(wizard: ReportWizard, qtbot: QtBot, occurred_at: datetime, text: str) -> None:
    page = wizard.page(IncidentPage)
    page.inputs["occurred_at"].set_moment(occurred_at)
    type_text(page.inputs["location"], "Stairwell, Block C")
    type_text(page.inputs["description"], text)
    type_text(page.inputs["feel"], "Frightened and unable to sleep")
    type_text(page.inputs["effect_since"], "Avoids the stairwell")
    type_text(page.inputs["measures"], "Keeps a diary; fitted a door camera")
    go_on(wizard, qtbot, 3)


def frequency(wizard: ReportWizard, qtbot: QtBot) -> None:
    type_text(wizard.page(FrequencyPage).inputs["frequency"], "Most nights since September")
    go_on(wizard, qtbot, 4)


def involved(wizard: ReportWizard, qtbot: QtBot, *, employee: bool = False) -> None:
    people = wizard.page(InvolvedPage).inputs["involved"]
    people.add_button.click()
    _, card = people.cards[0]
    type_text(card["address"], "Flat 8, 12 Mill Lane")
    type_text(card["description"], "Tall man, grey tracksuit, name not known")
    if employee:
        tick(card["is_employee"])
    go_on(wizard, qtbot, 5)


def no_targeting_or_witnesses(wizard: ReportWizard, qtbot: QtBot) -> None:
    assert not wizard.page(TargetingPage).inputs["targeted"].isChecked()
    go_on(wizard, qtbot, 6)
    assert wizard.page(WitnessesPage).inputs["witnesses"].value() == []
    go_on(wizard, qtbot, 7)


def classify(
    wizard: ReportWizard,
    qtbot: QtBot,
    severity: str,
    estate: str | None,
    *,
    harassment: bool = False,
) -> ClassificationPage:
    page = wizard.page(ClassificationPage)
    tick(page.inputs["severity"].buttons[severity])
    if estate:
        choose(page.inputs["estate"], estate)
    if harassment:
        tick(page.inputs["colleague_harassment"])
    routing_shown(wizard, qtbot)
    return page


def risk_assessment(
    wizard: ReportWizard,
    qtbot: QtBot,
    answers: dict[str, str] | None = None,
    level: str = "standard",
) -> RiskPage:
    """Each question answered (the first answer unless told), and the level set."""
    page = wizard.page(RiskPage)
    for question in QUESTIONS:
        chosen = (answers or {}).get(question.id, next(iter(question.points)))
        tick(page.inputs[f"risk_{question.id}"].buttons[chosen])
    tick(page.inputs["risk_level"].buttons[level])
    return page


def to_review(wizard: ReportWizard, qtbot: QtBot) -> None:
    """On from the classification: the risk assessment (standard, nothing found), the review."""
    go_on(wizard, qtbot, 8)
    risk_assessment(wizard, qtbot)
    go_on(wizard, qtbot, 9)
    routing_shown(wizard, qtbot)


def save(wizard: ReportWizard, qtbot: QtBot) -> str:
    wizard.save.click()
    settle(qtbot)
    assert wizard.stack.currentWidget() is wizard.done, wizard.saved_label.text()
    return wizard.done.outcome.text()

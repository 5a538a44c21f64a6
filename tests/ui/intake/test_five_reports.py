"""Five reports in a row in one session of the real window, by keyboard only: Tab, Shift+Tab,
Return, Space, Alt+letters, the arrows and Ctrl+A, with names typed as key presses, accents and
all. Each page is checked for what the officer sees (focus, routing, due time, the notices of
the procedure) and each saved case for what is stored. The tenth report of the day must be as
easy as the first, so nothing here resets the window between reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
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
from asb_desktop.ui.summaries.print_summary_dialog import PrintSummaryDialog
from asb_desktop.ui.workspace.action_dialog import ActionDialog
from tests.reports.report_pdf_checks import all_text
from tests.ui.driving import settle
from tests.ui.intake.keys import (
    alt,
    back_tab,
    down_to,
    focused,
    has_focus,
    press,
    ret,
    tab,
    type_here,
)

GENERAL_DUE = "Response due by Thu 26 Nov 2026, 17:00 (due in 3 working days)."
SERIOUS_DUE = "Response due by Tue 24 Nov 2026, 17:00 (due next working day)."


def next_page(qtbot: QtBot, wizard: ReportWizard, expected: int) -> None:
    """Alt+N, and the page after it has the focus on its first field."""
    alt(qtbot, "n", until=lambda: wizard.current() == expected)
    settle(qtbot)


def retype(qtbot: QtBot, text: str) -> None:
    """Ctrl+A in the focused box, then type over what it held."""
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_here(text)


def how_reported(qtbot: QtBot, wizard: ReportWizard, received: str, channel: str) -> None:
    page = wizard.page(HowReportedPage)
    assert wizard.current() == 0
    assert has_focus(page.inputs["received_at"]), "a new report starts on Received"
    retype(qtbot, received)
    assert page.inputs["received_at"].words.text().startswith("Mon 23 Nov 2026")
    tab(qtbot)
    down_to(qtbot, page.inputs["channel"], channel)


def contact(qtbot: QtBot, wizard: ReportWizard, name: str, phone: str, employee: bool) -> None:
    page = wizard.page(ComplainantPage)
    assert has_focus(page.inputs["anonymous"])
    tab(qtbot)
    assert has_focus(page.inputs["name"])
    type_here(name)
    tab(qtbot)
    type_here("Flat 2, 9 Canal Street, Testtown TT2 4BB")
    tab(qtbot)
    assert has_focus(page.inputs["phone"])
    type_here(phone)
    if employee:
        alt(qtbot, "l", until=lambda: page.inputs["is_employee"].isChecked())
        assert page.employee_notice.isVisible()
    assert page.inputs["name"].text() == name


def incident(qtbot: QtBot, wizard: ReportWizard, when: str, what: str, *, impact: bool) -> None:
    page = wizard.page(IncidentPage)
    assert has_focus(page.inputs["occurred_at"])
    retype(qtbot, when)
    tab(qtbot)
    assert has_focus(page.inputs["location"])
    type_here("Stairwell, Block C")
    tab(qtbot)
    assert has_focus(page.inputs["description"])
    type_here(what)
    if impact:
        tab(qtbot)
        type_here("Frightened; could not sleep")
        alt(qtbot, "i")
        type_here("Stays in after dark")
        alt(qtbot, "a")
        type_here("Fitted a door camera")
        assert page.reminder.isHidden()
    else:
        assert page.reminder.text().startswith("Not yet recorded: how the incident made them")


def frequency(qtbot: QtBot, wizard: ReportWizard) -> None:
    assert has_focus(wizard.page(FrequencyPage).inputs["frequency"])
    type_here("Most nights since September")


def add_person(qtbot: QtBot, wizard: ReportWizard, name: str, *, employee: bool) -> None:
    page = wizard.page(InvolvedPage)
    people = page.inputs["involved"]
    assert has_focus(people.add_button), "the page starts on Add a person involved"
    ret(qtbot)  # Return presses the focused button
    assert has_focus(people.cards[-1][1]["name"])
    type_here(name)
    tab(qtbot)
    type_here("Flat 8, 9 Canal Street")
    tab(qtbot)
    type_here("Tall, grey tracksuit")
    tab(qtbot)
    assert has_focus(people.cards[-1][1]["is_employee"])
    if employee:
        press(qtbot, Qt.Key.Key_Space)
        assert page.employee_notice.isVisible()


def add_witness(qtbot: QtBot, wizard: ReportWizard, name: str) -> None:
    witnesses = wizard.page(WitnessesPage).inputs["witnesses"]
    assert has_focus(witnesses.add_button)
    ret(qtbot)
    type_here(name)
    tab(qtbot, 3)
    type_here("Heard shouting and a door slammed")


def classify(
    qtbot: QtBot,
    wizard: ReportWizard,
    *,
    serious: bool,
    estate: str | None = None,
    scheme: str | None = None,
    harassment: bool = False,
) -> ClassificationPage:
    """Severity by Space (serious) or Down (general), estate and scheme by Alt+E and Alt+C;
    the 48 hours of 5.9.1 run from this session's fourth report, received at 09:50."""
    page = wizard.page(ClassificationPage)
    severity = page.inputs["severity"]
    assert has_focus(severity.buttons["serious"]), "the page starts on Severity"
    assert "Choose the severity" in page.routing.text()
    if serious:
        press(qtbot, Qt.Key.Key_Space)
    else:
        press(qtbot, Qt.Key.Key_Down)  # nothing chosen yet: Down chooses the next option
    assert severity.value() == ("serious" if serious else "general")
    if estate:
        alt(qtbot, "e")
        down_to(qtbot, page.inputs["estate"], estate)
    if scheme:
        alt(qtbot, "c")
        down_to(qtbot, page.inputs["scheme"], scheme)
    if harassment:
        alt(qtbot, "h", until=lambda: page.inputs["colleague_harassment"].isChecked())
        assert page.risk.text().startswith(
            "A staff risk assessment will be opened, due by Wed 25 Nov 2026, 09:50 (48 hours"
        )
    due = SERIOUS_DUE if serious else GENERAL_DUE
    qtbot.waitUntil(lambda: due in page.routing.text(), timeout=30_000)
    return page


def answer(qtbot: QtBot, group: Any, value: str) -> None:
    """A choice by keys: Space chooses the option with the focus (the first, nothing chosen
    yet), Down moves on and chooses."""
    assert has_focus(group.options()[0]), focused().accessibleName()
    press(qtbot, Qt.Key.Key_Space)
    while group.value() != value:
        press(qtbot, Qt.Key.Key_Down)


def risk_by_keys(
    qtbot: QtBot,
    wizard: ReportWizard,
    answers: dict[str, str] | None = None,
    level: str = "standard",
) -> RiskPage:
    """Each question answered (Space on the first answer, Down to the one wanted, Tab on),
    then the level the officer decides (Alt+D)."""
    page = wizard.page(RiskPage)
    assert wizard.current() == 8
    for number, question in enumerate(QUESTIONS):
        if number:
            tab(qtbot)
        group = page.inputs[f"risk_{question.id}"]
        answer(qtbot, group, (answers or {}).get(question.id, next(iter(question.points))))
    alt(qtbot, "d")
    answer(qtbot, page.inputs["risk_level"], level)
    return page


def review(qtbot: QtBot, wizard: ReportWizard, routing: list[str]) -> str:
    assert wizard.current() == 9
    assert has_focus(wizard.save), "the review page starts on Save report"
    assert wizard.save.isEnabled()
    qtbot.waitUntil(lambda: "checking" not in wizard.review.duplicates_title.text(), timeout=30_000)
    qtbot.waitUntil(lambda: wizard.review.routing.text().splitlines() == routing, timeout=30_000)
    return wizard.review.summary.text()


def save_by_keys(qtbot: QtBot, wizard: ReportWizard, *, use_return: bool) -> str:
    if use_return:
        press(qtbot, Qt.Key.Key_Return)
    else:
        alt(qtbot, "s")
    qtbot.waitUntil(lambda: wizard.stack.currentWidget() is wizard.done, timeout=5000)
    settle(qtbot)
    assert has_focus(wizard.done.open_button)
    return wizard.done.outcome.text()


def another(qtbot: QtBot, wizard: ReportWizard) -> None:
    alt(qtbot, "a", until=lambda: wizard.stack.currentWidget() is not wizard.done)
    settle(qtbot)


def stored(services: Services, wizard: ReportWizard) -> dict[str, Any]:
    document = services.casework.document(wizard.draft_id)
    assert document is not None
    return document


def test_five_reports_in_a_row_by_keyboard(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    wizard = window.new_report.wizard
    ids = []

    # 1. Anonymous (5.7, 5.8): the name typed before ticking anonymous is never kept.
    how_reported(qtbot, wizard, "23/11/2026 09:05", "telephone")
    next_page(qtbot, wizard, 1)
    complainant = wizard.page(ComplainantPage)
    tab(qtbot)
    type_here("Zoë O'Brien-Łukasiewicz")
    back_tab(qtbot)
    press(qtbot, Qt.Key.Key_Space)
    assert complainant.contact.isHidden() and complainant.anonymity.isVisible()
    for key, _ in ANONYMITY_STEPS:
        tab(qtbot)
        assert has_focus(complainant.inputs[key])
        press(qtbot, Qt.Key.Key_Space)
    tab(qtbot)
    press(qtbot, Qt.Key.Key_Space)
    assert complainant.anonymity_done.text() == "✓ All 5 steps are done."
    ret(qtbot)  # Return on a tick box goes on
    assert wizard.current() == 2
    incident(
        qtbot, wizard, "yesterday 23:30", "Banging on the door at 2am — ça suffit", impact=True
    )
    next_page(qtbot, wizard, 3)
    frequency(qtbot, wizard)
    next_page(qtbot, wizard, 4)
    add_person(qtbot, wizard, "", employee=False)
    next_page(qtbot, wizard, 5)
    next_page(qtbot, wizard, 6)
    next_page(qtbot, wizard, 7)
    classify(qtbot, wizard, serious=False, estate="EST-NORTH")
    next_page(qtbot, wizard, 8)
    risk_by_keys(qtbot, wizard)
    next_page(qtbot, wizard, 9)
    text = review(
        qtbot,
        wizard,
        [
            "Assigned to Hana Ali: it goes to the housing officer for the estate (5.3).",
            GENERAL_DUE,
        ],
    )
    assert "Complainant: Anonymous (5.7, 5.8)" in text and "Zoë" not in text
    assert "Estate: Northfields (EST-NORTH)" in text
    shown = save_by_keys(qtbot, wizard, use_return=False)
    assert shown.startswith("Assigned to Hana Ali") and GENERAL_DUE in shown
    document = stored(services, wizard)
    assert document["complainant"]["anonymous"] is True and "Zoë" not in str(document)
    assert document["incidents"][0]["description"].endswith("ça suffit")
    assert document["incidents"][0]["occurred_at"].startswith("2026-11-22T23:30:00")
    assert document["received_at"].startswith("2026-11-23T09:05:00")
    ids.append(wizard.draft_id)
    another(qtbot, wizard)

    # 2. Through the police, the complainant not consenting (5.6).
    how_reported(qtbot, wizard, "23/11/2026 09:20", "writing")
    how = wizard.page(HowReportedPage)
    alt(qtbot, "p")
    assert has_focus(how.inputs["source_kind"].buttons["direct"])
    press(qtbot, Qt.Key.Key_Down)
    assert how.inputs["source_kind"].value() == "third_party" and how.third.isVisible()
    assert how.consequence.text().startswith("Ask the complainant before going on")
    tab(qtbot)
    down_to(qtbot, how.inputs["organisation"], "police")
    tab(qtbot)
    type_here("Testtown Neighbourhood Policing Team")
    tab(qtbot)
    type_here("PC 4471 Okafor")
    tab(qtbot)
    consent = how.inputs["consent_status"]
    assert has_focus(consent.buttons["given"])
    press(qtbot, Qt.Key.Key_Down)  # nothing chosen: Down chooses "No, they do not consent"
    assert consent.value() == "refused"
    assert how.consequence.text().startswith(
        "Nothing about the complainant's circumstances may be shared with the third party"
    )
    ret(qtbot)
    assert wizard.current() == 1
    contact(qtbot, wizard, "Siobhán Dvořák", "07700 900456", employee=False)
    next_page(qtbot, wizard, 2)
    incident(qtbot, wizard, "22/11/2026 18:10", "Car parked across the drive again", impact=False)
    next_page(qtbot, wizard, 3)
    frequency(qtbot, wizard)
    for page in (4, 5, 6, 7):
        next_page(qtbot, wizard, page)
    classify(qtbot, wizard, serious=True, estate="EST-SOUTH")
    next_page(qtbot, wizard, 8)
    risk_by_keys(qtbot, wizard)
    next_page(qtbot, wizard, 9)
    text = review(
        qtbot,
        wizard,
        [
            "Assigned to Marcus Owusu: it goes to the housing officer for the estate (5.3).",
            SERIOUS_DUE,
        ],
    )
    assert "through Police Testtown Neighbourhood Policing Team (contact: PC 4471 Okafor)" in text
    assert "How it made them feel: not recorded" in text
    assert "no consent has been confirmed" in wizard.review.warnings.text()
    assert "Not yet recorded: how the incident made them feel" in wizard.review.warnings.text()
    save_by_keys(qtbot, wizard, use_return=True)
    document = stored(services, wizard)
    assert document["source"]["organisation"] == "police"
    assert document["consent_to_share"] == {"status": "refused", "basis": None}
    assert document["complainant"]["name"] == "Siobhán Dvořák"
    assert document["channel"] == "writing"
    ids.append(wizard.draft_id)
    another(qtbot, wizard)

    # 3. An employee among the people involved: a Team Leader at least (5.9).
    how_reported(qtbot, wizard, "23/11/2026 09:35", "in_person")
    next_page(qtbot, wizard, 1)
    contact(qtbot, wizard, "Nguyễn Thị Lan", "07700 900789", employee=False)
    next_page(qtbot, wizard, 2)
    incident(qtbot, wizard, "today 08:15", "Verbal abuse on the landing", impact=True)
    next_page(qtbot, wizard, 3)
    frequency(qtbot, wizard)
    next_page(qtbot, wizard, 4)
    add_person(qtbot, wizard, "Tomáš Dvořák", employee=True)
    next_page(qtbot, wizard, 5)
    next_page(qtbot, wizard, 6)
    add_witness(qtbot, wizard, "Zoë O'Brien-Łukasiewicz")
    next_page(qtbot, wizard, 7)
    page = classify(qtbot, wizard, serious=False, estate="EST-RIVER")
    assert page.employee.text().startswith("Employee involved: yes")
    next_page(qtbot, wizard, 8)
    risk_by_keys(qtbot, wizard)
    next_page(qtbot, wizard, 9)
    text = review(
        qtbot,
        wizard,
        [
            "Assigned to Priya Raman: an employee is involved, so a Team Leader at least must "
            "handle it (5.9).",
            GENERAL_DUE,
        ],
    )
    assert (
        "  1. Tomáš Dvořák; Flat 8, 9 Canal Street; Tall, grey tracksuit (one of our employees)"
        in text
    )
    assert "Witnesses (1):\n  1. Zoë O'Brien-Łukasiewicz; Heard shouting" in text
    save_by_keys(qtbot, wizard, use_return=True)
    document = stored(services, wizard)
    assert document["assigned_to"] == "s-tr" and document["assignment_rule"] == "employee_involved"
    assert document["involved"][0]["name"] == "Tomáš Dvořák"
    assert document["involved"][0]["is_employee"] is True
    assert document["witnesses"][0]["name"] == "Zoë O'Brien-Łukasiewicz"
    assert document["incidents"][0]["occurred_at"].startswith("2026-11-23T08:15:00")
    ids.append(wizard.draft_id)
    another(qtbot, wizard)

    # 4. A colleague harassed by a customer: a staff risk assessment within 48 hours (5.9.1).
    how_reported(qtbot, wizard, "23/11/2026 09:50", "telephone")
    next_page(qtbot, wizard, 1)
    contact(qtbot, wizard, "Megan Price", "07700 900321", employee=True)
    next_page(qtbot, wizard, 2)
    incident(qtbot, wizard, "today 07:45", "Tenant threatened our caretaker", impact=True)
    next_page(qtbot, wizard, 3)
    frequency(qtbot, wizard)
    for page_number in (4, 5, 6, 7):
        next_page(qtbot, wizard, page_number)
    classify(qtbot, wizard, serious=True, estate="EST-NORTH", harassment=True)
    next_page(qtbot, wizard, 8)
    risk_by_keys(qtbot, wizard)
    next_page(qtbot, wizard, 9)
    text = review(
        qtbot,
        wizard,
        [
            "Assigned to Tom Lee: an employee is involved, so a Team Leader at least must "
            "handle it (5.9).",
            SERIOUS_DUE,
            "Staff risk assessment due by Wed 25 Nov 2026, 09:50 (48 hours, 5.9.1).",
        ],
    )
    assert "Complainant: Megan Price" in text and "(one of our employees)" in text
    assert "Colleague harassment: yes (5.9.1)" in text
    shown = save_by_keys(qtbot, wizard, use_return=False)
    assert "A staff risk assessment is open: due by Wed 25 Nov 2026, 09:50" in shown
    document = stored(services, wizard)
    assert document["colleague_harassment"] is True
    assert document["staff_risk_assessment_due_at"].startswith("2026-11-25T09:50:00")
    assert document["assigned_to"] == "s-tl"
    ids.append(wizard.draft_id)
    another(qtbot, wizard)

    # 5. A general report from a supported scheme, the complainant feeling targeted (5.4).
    how_reported(qtbot, wizard, "23/11/2026 09:55", "website")
    next_page(qtbot, wizard, 1)
    contact(qtbot, wizard, "Ewa Nowak", "07700 900654", employee=False)
    next_page(qtbot, wizard, 2)
    incident(qtbot, wizard, "yesterday 21:00", "Graffiti on the door, and threats", impact=True)
    next_page(qtbot, wizard, 3)
    frequency(qtbot, wizard)
    next_page(qtbot, wizard, 4)
    next_page(qtbot, wizard, 5)
    targeting = wizard.page(TargetingPage)
    assert has_focus(targeting.inputs["targeted"])
    press(qtbot, Qt.Key.Key_Space)
    tab(qtbot)
    assert has_focus(targeting.inputs["targeting_reason"])
    type_here("The graffiti names her country of birth")
    next_page(qtbot, wizard, 6)
    next_page(qtbot, wizard, 7)
    classification = wizard.page(ClassificationPage)
    press(qtbot, Qt.Key.Key_Down)  # Severity: General
    alt(qtbot, "t")  # the hate strands
    assert has_focus(classification.strands["race"])
    press(qtbot, Qt.Key.Key_Space)
    classify_scheme = classification.inputs["scheme"]
    alt(qtbot, "c")
    down_to(qtbot, classify_scheme, "SCH-OAK")
    qtbot.waitUntil(lambda: GENERAL_DUE in classification.routing.text(), timeout=30_000)
    next_page(qtbot, wizard, 8)
    risk_by_keys(qtbot, wizard)
    next_page(qtbot, wizard, 9)
    text = review(
        qtbot,
        wizard,
        [
            "Assigned to Iris Cole: it concerns a supported housing scheme, so it goes to the "
            "scheme's officer (5.4).",
            GENERAL_DUE,
        ],
    )
    assert "supported scheme: Oak Court (SCH-OAK)" in text
    assert "Targeted: yes: The graffiti names her country of birth" in text
    assert "hate strands: Race" in text
    save_by_keys(qtbot, wizard, use_return=True)
    document = stored(services, wizard)
    assert document["supported_scheme"] == "SCH-OAK" and document["assigned_to"] == "s-ic"
    assert document["targeting"] == {
        "targeted": True,
        "reason": "The graffiti names her country of birth",
    }
    assert document["hate_strands"] == ["race"]
    ids.append(wizard.draft_id)

    assert len(set(ids)) == 5
    assert all(services.casework.document(i) is not None for i in ids)
    assert services.drafts.list() == [], "every draft went once its case was saved"
    assert focused() is wizard.done.open_button

    # Then each is found in the caseload by a search typed without accents, opened with
    # Enter, given its first response and printed, still by keyboard alone.
    searches = ["ca suffit", "siobhan", "nguyen thi", "caretaker", "nowak"]
    for number, (case_id, words) in enumerate(zip(ids, searches, strict=True), start=1):
        find_and_open(qtbot, window, words, case_id)
        first_response(qtbot, window, f"Rang back and agreed a visit ({number})")
        pdf = print_summary(qtbot, window, tmp_path / f"summary-{number}.pdf")
        document = services.casework.document(case_id)
        assert document is not None and document["first_response"]["summary"].startswith(
            "Rang back and agreed a visit"
        )
        text = all_text(pdf.read_bytes())
        assert "Rang back and agreed a visit" in text
        assert "Hana Ali" in text, "the summary names the officer, not a login or a staff id"
        assert "local:" not in text and "s-ha" not in text


def find_and_open(qtbot: QtBot, window: MainWindow, words: str, case_id: str) -> None:
    """Ctrl+F, the words typed as keys, Return opens the first match in the workspace."""
    window.activateWindow()  # as the window manager does when a dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.caseload.search
    qtbot.waitUntil(search.hasFocus, timeout=5000)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Delete)
    type_here(words)
    qtbot.waitUntil(
        lambda: (
            window.caseload.model.where.search == words
            and not window.caseload.model.first_page_pending
        ),
        timeout=10000,
    )
    settle(qtbot)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.workspace.view is not None and window.workspace.view.case.id == case_id,
        timeout=10000,
    )
    settle(qtbot)


def first_response(qtbot: QtBot, window: MainWindow, summary: str) -> None:
    """Alt+F opens the first response form on its first field (the time, now); Alt+D goes to
    what was done; Alt+S saves."""
    alt(
        qtbot,
        "f",
        until=lambda: isinstance(
            QApplication.activeModalWidget() or QApplication.activeWindow(), ActionDialog
        ),
    )
    dialog = QApplication.activeWindow()
    assert isinstance(dialog, ActionDialog)
    alt(qtbot, "d")
    assert has_focus(dialog.inputs["summary"])
    type_here(summary)
    alt(qtbot, "s", until=lambda: not dialog.isVisible())
    qtbot.waitUntil(
        lambda: (
            window.workspace.view is not None
            and window.workspace.view.case.first_response is not None
        ),
        timeout=10000,
    )
    settle(qtbot)


def print_summary(qtbot: QtBot, window: MainWindow, target: Path) -> Path:
    """Alt+P opens Print summary; Alt+F goes to the file, typed over; Alt+S saves the PDF."""
    window.activateWindow()
    alt(qtbot, "p", until=lambda: isinstance(QApplication.activeWindow(), PrintSummaryDialog))
    dialog = QApplication.activeWindow()
    assert isinstance(dialog, PrintSummaryDialog)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10000)
    alt(qtbot, "f")
    assert has_focus(dialog.path)
    retype(qtbot, str(target))
    alt(qtbot, "s", until=target.exists)
    qtbot.waitUntil(lambda: "Saved" in dialog.message.text(), timeout=20000)
    alt(qtbot, "c", until=lambda: not dialog.isVisible())
    settle(qtbot)
    return target

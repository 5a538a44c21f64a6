"""Whole reports through the real New report guide: what the officer sees, and what is stored."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from asb_desktop.app import Services
from asb_desktop.ui.intake.pages_people import ClassificationPage, InvolvedPage
from asb_desktop.ui.intake.pages_report import ComplainantPage, HowReportedPage, IncidentPage
from asb_desktop.ui.main_window import MainWindow
from tests.ui.driving import choose, settle, tick, type_text
from tests.ui.reporting import (
    anonymous_complainant,
    classify,
    complainant,
    frequency,
    go_on,
    how_direct,
    incident,
    involved,
    no_targeting_or_witnesses,
    save,
    start_report,
    to_review,
)

LAST_NIGHT = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
CONTACT = ("name", "address", "phone", "email")


def test_anonymous_report_keeps_no_contact_details(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    page = wizard.page(ComplainantPage)
    type_text(page.inputs["name"], "Zoë O'Brien-Łukasiewicz")
    assert page.inputs["name"].text() == "Zoë O'Brien-Łukasiewicz"
    tick(page.inputs["anonymous"])
    assert page.contact.isHidden() and not page.anonymity.isHidden()
    wizard.next.click()
    settle(qtbot)
    assert wizard.current() == 1, "the anonymity steps are not all ticked yet"
    assert "Tick each step" in page.anonymity_error.text()
    assert wizard.next.text() == "&Next: 1 thing missing"
    wizard.flush()
    settle(qtbot)
    draft = services.drafts.load(wizard.draft_id)
    assert draft is not None and draft.payload["anonymous"] is True
    assert not set(CONTACT) & set(draft.payload), "contact details of an anonymous complainant"

    anonymous_complainant(wizard, qtbot)
    incident(wizard, qtbot, LAST_NIGHT, "Shouting and banging on the door at 2am — ça suffit")
    frequency(wizard, qtbot)
    involved(wizard, qtbot)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "general", "EST-NORTH")
    to_review(wizard, qtbot)
    review = wizard.review
    assert "Complainant: Anonymous (5.7, 5.8)" in review.summary.text()
    assert "Zoë" not in review.summary.text()
    assert review.routing.text().splitlines() == [
        "Assigned to Hana Ali: it goes to the housing officer for the estate (5.3).",
        "Response due by Thu 26 Nov 2026, 17:00 (due in 3 working days).",
    ]
    shown = save(wizard, qtbot)
    assert "Assigned to Hana Ali" in shown
    assert "Response due by Thu 26 Nov 2026, 17:00 (due in 3 working days)." in shown

    stored = services.casework.document(wizard.draft_id)
    assert stored is not None
    assert stored["complainant"]["anonymous"] is True
    assert not any(stored["complainant"].get(key) for key in CONTACT)
    assert "Zoë" not in str(stored)
    assert stored["assigned_to"] == "s-ha"
    assert stored["incidents"][0]["description"].endswith("ça suffit")
    assert stored["involved"][0]["name"] is None
    assert services.drafts.list() == [], "the draft goes once the case is saved"


def test_third_party_report_without_consent(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    page = wizard.page(HowReportedPage)
    tick(page.inputs["source_kind"].buttons["third_party"])
    assert not page.third.isHidden()
    assert "Ask the complainant" in page.consequence.text()
    wizard.next.click()
    settle(qtbot)
    assert wizard.current() == 0
    assert page.rows["organisation"].error.text() == (
        "⚠ Choose the organisation that passed it on."
    )
    assert "consents to sharing with the third party (5.6)" in wizard.missing_label.text()
    choose(page.inputs["organisation"], "police")
    type_text(page.inputs["organisation_name"], "Testtown Neighbourhood Policing Team")
    tick(page.inputs["consent_status"].buttons["refused"])
    settle(qtbot)
    assert page.consequence.text().startswith(
        "Nothing about the complainant's circumstances may be shared with the third party"
    )
    go_on(wizard, qtbot, 1)
    complainant(wizard, qtbot, "Siobhán Dvořák")
    incident(wizard, qtbot, LAST_NIGHT, "Car parked across the drive again")
    frequency(wizard, qtbot)
    go_on(wizard, qtbot, 5)
    no_targeting_or_witnesses(wizard, qtbot)
    classify(wizard, qtbot, "serious", "EST-SOUTH")
    to_review(wizard, qtbot)
    assert "no consent has been confirmed" in wizard.review.warnings.text()
    assert wizard.review.routing.text().splitlines()[1] == (
        "Response due by Tue 24 Nov 2026, 17:00 (due next working day)."
    )
    save(wizard, qtbot)
    stored = services.casework.document(wizard.draft_id)
    assert stored is not None
    assert stored["source"]["kind"] == "third_party"
    assert stored["source"]["organisation"] == "police"
    assert stored["consent_to_share"] == {"status": "refused", "basis": None}
    assert stored["complainant"]["name"] == "Siobhán Dvořák"
    assert stored["assigned_to"] == "s-mo"


def test_employee_case_goes_to_a_team_leader(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, "Nguyễn Văn An")
    incident(wizard, qtbot, LAST_NIGHT, "Verbal abuse from a caretaker on the landing")
    frequency(wizard, qtbot)
    involved(wizard, qtbot, employee=True)
    notice = wizard.page(InvolvedPage).employee_notice
    assert not notice.isHidden()
    assert notice.text() == (
        "An employee is involved: the case will go to a Team Leader at least (5.9)."
    )
    no_targeting_or_witnesses(wizard, qtbot)
    page = classify(wizard, qtbot, "general", "EST-RIVER")
    assert page.employee.text().startswith("Employee involved: yes")
    assert page.routing.text().startswith(
        "Assigned to Priya Raman: an employee is involved, so a Team Leader at least must "
        "handle it (5.9)."
    )
    to_review(wizard, qtbot)
    shown = save(wizard, qtbot)
    assert shown.startswith("Assigned to Priya Raman")
    stored = services.casework.document(wizard.draft_id)
    assert stored is not None
    assert stored["assignment_rule"] == "employee_involved"
    assert stored["assigned_to"] == "s-tr"
    assert stored["involved"][0]["is_employee"] is True


def test_colleague_harassment_opens_a_staff_risk_assessment(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, "Megan Price", employee=True)
    notice = wizard.page(ComplainantPage).employee_notice
    assert not notice.isHidden()
    incident(wizard, qtbot, LAST_NIGHT, "Tenant threatened our caretaker at the bin store")
    frequency(wizard, qtbot)
    go_on(wizard, qtbot, 5)
    no_targeting_or_witnesses(wizard, qtbot)
    page = classify(wizard, qtbot, "serious", "EST-NORTH", harassment=True)
    assert not page.risk.isHidden()
    assert page.risk.text().startswith(
        "A staff risk assessment will be opened, due by Wed 25 Nov 2026, 10:00 (48 hours"
    )
    to_review(wizard, qtbot)
    assert "Staff risk assessment due by Wed 25 Nov 2026, 10:00" in wizard.review.routing.text()
    shown = save(wizard, qtbot)
    assert "A staff risk assessment is open: due by Wed 25 Nov 2026, 10:00" in shown
    stored = services.casework.document(wizard.draft_id)
    assert stored is not None
    assert stored["colleague_harassment"] is True
    assert stored["staff_risk_assessment_due_at"].startswith("2026-11-25T10:00:00")
    assert stored["assigned_to"] == "s-tl"


def test_errors_are_said_beside_the_field_and_nothing_typed_is_cleared(
    window: MainWindow, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    how_direct(wizard, qtbot)
    complainant(wizard, qtbot, "Tomasz Nowak")
    page = wizard.page(IncidentPage)
    type_text(page.inputs["location"], "Car park behind Oak Court")
    wizard.next.click()
    settle(qtbot)
    assert wizard.current() == 2
    assert page.rows["description"].error.text() == "⚠ Describe what happened."
    assert not page.rows["description"].error.isHidden()
    assert page.inputs["location"].text() == "Car park behind Oak Court"
    assert page.inputs["description"].hasFocus()
    assert wizard.next.text() == "&Next: 1 thing missing"
    type_text(page.inputs["description"], "Fireworks thrown at cars")
    assert page.rows["description"].error.isHidden(), "the error goes once it is put right"
    assert wizard.next.text() == "&Next ›"


def test_classification_answers_are_kept_by_the_draft(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    wizard = start_report(window, qtbot)
    page = wizard.page(ClassificationPage)
    tick(page.strands["religion"])
    choose(page.inputs["scheme"], "SCH-OAK")
    wizard.flush()
    settle(qtbot)
    draft = services.drafts.load(wizard.draft_id)
    assert draft is not None
    assert draft.payload["hate_strands"] == ["religion"]
    assert draft.payload["scheme"] == "SCH-OAK"


def test_tab_order_follows_the_page_with_people_added(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    wizard = start_report(window, qtbot)
    wizard._go(4)  # the page of people involved
    people = wizard.page(InvolvedPage).inputs["involved"]
    people.add_button.setFocus()
    qtbot.keyClick(people.add_button, Qt.Key.Key_Space)
    qtbot.keyClick(people.add_button, Qt.Key.Key_Space)
    # New cards are shown by the event loop; the newest one's first field then has the focus.
    newest = next(iter(people.cards[-1][1].values()))
    qtbot.waitUntil(
        lambda: (
            all(box.isVisible() for box, _ in people.cards) and QApplication.focusWidget() is newest
        ),
        timeout=30_000,
    )

    def name() -> str:
        widget = QApplication.focusWidget()
        return widget.accessibleName() or widget.text().replace("&", "")

    visited = [name()]
    for _ in range(13):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(name())
    assert visited == [
        "Person 2: Name (leave blank if not known)",
        "Person 2: Address (if known)",
        "Person 2: Description",
        "Person 2: This person is one of our employees",
        "Person 2: Vulnerabilities (special category data): Mental health",
        "Person 2: Adjustments for contact",
        "Remove person 2",
        "Add a person involved",
        "Keep as draft for later",
        "‹ Back",
        "Next ›",
        "Steps of the report",  # round again: the steps, then the page from the top
        "Person 1: Name (leave blank if not known)",
        "Person 1: Address (if known)",
    ]


def test_every_input_has_an_accessible_name(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QDateTimeEdit,
        QLineEdit,
        QPlainTextEdit,
        QWidget,
    )

    from tests.ui.workspace.test_workspace import SCHEME_CASE, open_case, seed

    wizard = start_report(window, qtbot)
    wizard.page(InvolvedPage).inputs["involved"].add_button.click()
    seed(window.services)
    open_case(window, qtbot, SCHEME_CASE)
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QDateTimeEdit, QAbstractButton)
    unnamed = [
        f"{type(w).__name__} in {type(w.parentWidget()).__name__}"
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds)
        and not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
        and w.window() is window
        and type(w.parentWidget()).__name__ not in ("QDateTimeEdit", "QComboBox", "QSpinBox")
        and w.objectName() not in ("qt_spinbox_lineedit",)
        and "ScrollBar" not in type(w).__name__
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    assert unnamed == []

"""Pages 5–8 of 5.2: who is involved, targeting, witnesses, and the classification that routes
the case (serious or general, hate strands, estate, scheme, employees, colleague harassment)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from asb_desktop.domain.case import HateStrand, Severity
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.procedure import RISK_ASSESSMENT_GROUP, STAFF_RISK_ASSESSMENT_WINDOW
from asb_desktop.ui.intake import report_case as rules
from asb_desktop.ui.intake.form_page import IntakePage
from asb_desktop.ui.widgets import (
    CardList,
    CheckList,
    ChoiceGroup,
    banner,
    combo,
    set_value,
    text_box,
)
from asb_desktop.ui.words import when

HATE_STRANDS = [
    (HateStrand.RACE.value, "Race"),
    (HateStrand.RELIGION.value, "Religion or belief"),
    (HateStrand.DISABILITY.value, "Disability"),
    (HateStrand.SEXUAL_ORIENTATION.value, "Sexual orientation"),
    (HateStrand.TRANSGENDER_IDENTITY.value, "Transgender identity"),
]
# Each person's vulnerabilities (special category data) and the adjustments agreed for contact.
PERSON_VULNERABILITY = [
    ("vulnerabilities", "Vulnerabilities (special category data)", "checks"),
    ("adjustments", "Adjustments for contact:", "line"),
]
ADJUSTMENTS_EXAMPLE = {
    "adjustments": "How and when to contact them, interpreter, large print, advocate"
}


class InvolvedPage(IntakePage):
    title = "5. Who is involved"
    intro = "The people alleged to be responsible: names and addresses if known (5.2)."

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        people = CardList(
            [
                ("name", "Name (leave blank if not known):", "line"),
                ("address", "Address (if known):", "line"),
                ("description", "Description:", "text"),
                ("is_employee", "This person is one of our employees", "check"),
                *PERSON_VULNERABILITY,
            ],
            noun="person",
            plural="people",
            add_text="Add a &person involved",
            choices={"vulnerabilities": rules.VULNERABILITIES},
            placeholders=ADJUSTMENTS_EXAMPLE,
        )
        self.bind("involved", people)
        self.layout_.addWidget(people)
        self.employee_notice = banner(
            "An employee is involved: the case will go to a Team Leader at least (5.9).",
            role="notice",
        )
        self.layout_.addWidget(self.employee_notice)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box

    def refresh(self, values: dict[str, Any]) -> None:
        people = values.get("involved") or []
        self.employee_notice.setVisible(any(p.get("is_employee") for p in people))


class TargetingPage(IntakePage):
    title = "6. Targeting"
    intro = (
        "Does the complainant or their household feel they are being targeted? If so, why (5.2)?"
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        targeted = QCheckBox("They or their household feel they are being &targeted")
        self.bind("targeted", targeted)
        self.layout_.addWidget(targeted)
        form = self.form()
        self.reason = text_box(4)
        self.field(form, "targeting_reason", "&Why they think so:", self.reason)
        self.reason_form = QWidget()
        self.reason_form.setLayout(form)
        self.layout_.addWidget(self.reason_form)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box

    def missing(self, values: dict[str, Any], now: datetime) -> list[rules.Missing]:
        return rules.missing_targeting(values)

    def refresh(self, values: dict[str, Any]) -> None:
        self.reason_form.setVisible(bool(values.get("targeted")))


class WitnessesPage(IntakePage):
    title = "7. Witnesses"
    intro = "Everyone who saw or heard it: they may be asked for more later (5.2)."

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        witnesses = CardList(
            [
                ("name", "Name:", "line"),
                ("address", "Address:", "line"),
                ("contact", "Phone or email:", "line"),
                ("account", "What they saw or heard:", "text"),
                *PERSON_VULNERABILITY,
            ],
            noun="witness",
            plural="witnesses",
            add_text="Add a &witness",
            choices={"vulnerabilities": rules.VULNERABILITIES},
            placeholders=ADJUSTMENTS_EXAMPLE,
        )
        self.bind("witnesses", witnesses)
        self.layout_.addWidget(witnesses)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box


class ClassificationPage(IntakePage):
    title = "8. Classification"
    intro = "These answers decide who the case goes to and when a response is due."

    def __init__(self, directory: Directory) -> None:
        super().__init__(directory)
        form = self.form()
        severity = ChoiceGroup(
            [
                (Severity.SERIOUS.value, "Serious: respond within 1 working day"),
                (Severity.GENERAL.value, "General: respond within 3 working days"),
            ],
            name="Severity",
        )
        self.field(form, "severity", "Se&verity (5.3):", severity)
        strands = QGroupBox("Perceived hos&tility (hate strands)")
        strands.setAccessibleName("Perceived hostility (hate strands)")
        row = QHBoxLayout(strands)
        self.strands: dict[str, QCheckBox] = {}
        for value, text in HATE_STRANDS:
            box = QCheckBox(text)
            box.toggled.connect(lambda *_: self.sig_changed.emit())
            self.strands[value] = box
            row.addWidget(box)
        row.addStretch()
        form.addRow(strands)
        kinds = CheckList(
            "&What kind of ASB it is (tick each that applies)", rules.ASB_TYPES, name="Kind of ASB"
        )
        self.bind("asb_types", kinds)
        form.addRow(kinds)
        nsir = ChoiceGroup(rules.NSIR_CATEGORIES, name="NSIR category")
        self.field(form, "nsir_category", "NSIR cate&gory (what it is aimed at):", nsir)
        self.estate = combo([])
        self.scheme = combo([])
        self.field(form, "estate", "&Estate:", self.estate)
        self.field(
            form,
            "scheme",
            "Supported s&cheme:",
            self.scheme,
            hint="Set when the complainant or the person involved lives in a supported "
            "housing scheme (5.4).",
        )
        self.set_directory(directory)
        self.layout_.addLayout(form)
        self.employee = QLabel()
        self.employee.setWordWrap(True)
        self.layout_.addWidget(self.employee)
        harassment = QCheckBox(
            "A colleague has been subjected to &harassment or hate crime from a customer"
        )
        self.bind("colleague_harassment", harassment)
        self.layout_.addWidget(harassment)
        self.risk = banner(role="notice")
        self.risk.setAccessibleName("Staff risk assessment")
        self.layout_.addWidget(self.risk)
        self.routing = banner(role="info")
        self.routing.setAccessibleName("Where the case goes")
        routing_box = QVBoxLayout()
        routing_box.addWidget(self.routing)
        self.layout_.addLayout(routing_box)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box

    def set_directory(self, directory: Directory) -> None:
        super().set_directory(directory)
        for box, items, none in (
            (self.estate, directory.estates, "Not known / not on an estate"),
            (self.scheme, directory.schemes, "Not a supported scheme"),
        ):
            chosen = box.currentData()
            blocked = box.blockSignals(True)
            box.clear()
            box.addItem(none, None)
            for item in items:
                box.addItem(f"{item.name} ({item.code})", item.code)
            set_value(box, chosen)
            box.blockSignals(blocked)

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["hate_strands"] = [v for v, box in self.strands.items() if box.isChecked()]
        return values

    def load(self, values: dict[str, Any]) -> None:
        super().load(values)
        for value, box in self.strands.items():
            blocked = box.blockSignals(True)
            box.setChecked(value in (values.get("hate_strands") or []))
            box.blockSignals(blocked)

    def missing(self, values: dict[str, Any], now: datetime) -> list[rules.Missing]:
        return rules.missing_classification(values)

    def refresh(self, values: dict[str, Any]) -> None:
        employee = values.get("is_employee") or any(
            p.get("is_employee") for p in values.get("involved") or []
        )
        self.employee.setText(
            "Employee involved: yes, so the case goes to a Team Leader at least (5.9)."
            if employee
            else "Employee involved: no (tick it on the complainant or people pages if one is)."
        )
        harassed = bool(values.get("colleague_harassment"))
        self.risk.setVisible(harassed)
        if harassed:
            received = rules.build_case(values, case_id=rules_id()).received_at
            due = received + STAFF_RISK_ASSESSMENT_WINDOW
            self.risk.setText(
                f"A staff risk assessment will be opened, due by {when(due)} (48 hours from the "
                "report, 5.9.1). It is carried out by " + ", ".join(RISK_ASSESSMENT_GROUP) + "."
            )

    def show_routing(self, text: str) -> None:
        self.routing.setText(text)


def rules_id() -> str:
    return "00000000-0000-0000-0000-000000000000"

"""Pages 1–4 of 5.2: how it was reported, the complainant, the incident, frequency and history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLineEdit, QVBoxLayout

from asb_desktop.domain.case import Channel, ConsentStatus, Organisation, SourceKind
from asb_desktop.domain.procedure import ANONYMITY_LIMITATIONS, ANONYMITY_STEPS, sharing_consequence
from asb_desktop.ui.intake import report_case as rules
from asb_desktop.ui.intake.form_page import IntakePage
from asb_desktop.ui.widgets import CheckList, ChoiceGroup, DateTimeField, banner, combo, text_box

CHANNELS = [
    (Channel.TELEPHONE.value, "Telephone"),
    (Channel.IN_PERSON.value, "In person"),
    (Channel.WRITING.value, "In writing (letter or email)"),
    (Channel.WEBSITE.value, "Website"),
]
ORGANISATIONS = [
    (None, "Choose the organisation…"),
    (Organisation.POLICE.value, "Police"),
    (Organisation.MP.value, "MP"),
    (Organisation.LOCAL_AUTHORITY.value, "Local authority"),
    (Organisation.OTHER.value, "Other organisation"),
]
_PREVIEW_ID = str(uuid.UUID(int=0))


class HowReportedPage(IntakePage):
    title = "1. How it was reported"
    intro = "When and how the report reached us, and whether it came through someone else (5.1)."

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        form = self.form()
        self.field(form, "received_at", "&Received:", DateTimeField())
        self.field(form, "channel", "&Channel:", combo(CHANNELS))
        source = ChoiceGroup(
            [
                (SourceKind.DIRECT.value, "Directly from the complainant"),
                (SourceKind.THIRD_PARTY.value, "Through a third party (police, MP, council…)"),
            ],
            name="Reported",
        )
        source.set_value(SourceKind.DIRECT.value)
        self.field(form, "source_kind", "Re&ported:", source)
        self.layout_.addLayout(form)

        self.third = QGroupBox("The third party (5.6)")
        third = self.form()
        self.third.setLayout(third)
        self.field(third, "organisation", "&Organisation:", combo(ORGANISATIONS))
        self.field(third, "organisation_name", "Organisation na&me:", QLineEdit())
        self.field(third, "source_contact", "Their con&tact:", QLineEdit())
        consent = ChoiceGroup(
            [
                (ConsentStatus.GIVEN.value, "Yes, they consent to sharing"),
                (ConsentStatus.REFUSED.value, "No, they do not consent"),
            ],
            name="Consent to share with the third party",
        )
        self.field(
            third,
            "consent_status",
            "&Does the complainant consent to their circumstances being shared with the third "
            "party?",
            consent,
        )
        protocol = QCheckBox("An &information sharing protocol with this organisation applies")
        self.bind("protocol", protocol)
        third.addRow(protocol)
        self.consequence = banner(role="notice")
        self.consequence.setAccessibleName("What may be shared with the third party")
        third.addRow(self.consequence)
        self.layout_.addWidget(self.third)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["consent_basis"] = "information_sharing_protocol" if values["protocol"] else None
        return values

    def missing(self, values: dict[str, Any], now: datetime) -> list[rules.Missing]:
        return rules.missing_how(values, now)

    def refresh(self, values: dict[str, Any]) -> None:
        third_party = values.get("source_kind") == SourceKind.THIRD_PARTY.value
        self.third.setVisible(third_party)
        if third_party:
            case = rules.build_case(values, case_id=_PREVIEW_ID)
            asked = values.get("consent_status") or values.get("protocol")
            self.consequence.setText(
                sharing_consequence(case)
                if asked
                else "Ask the complainant before going on: "
                "without their consent nothing about their circumstances may be shared (5.6)."
            )


class ComplainantPage(IntakePage):
    title = "2. The complainant"
    intro = "Who is reporting, and how to reach them (5.2)."

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        anonymous = QCheckBox("The complainant wishes to remain &anonymous")
        self.bind("anonymous", anonymous)
        self.layout_.addWidget(anonymous)

        self.contact = QGroupBox("Contact details")
        form = self.form()
        self.contact.setLayout(form)
        self.field(form, "name", "Na&me:", QLineEdit())
        self.field(form, "address", "A&ddress:", text_box(2))
        self.field(form, "phone", "&Phone:", QLineEdit())
        self.field(form, "email", "&Email:", QLineEdit())
        self.layout_.addWidget(self.contact)

        self.anonymity = QGroupBox("Anonymous report: what to do (5.7, 5.8)")
        steps = QVBoxLayout(self.anonymity)
        for key, text in ANONYMITY_STEPS:
            self.bind(key, QCheckBox(text))
            steps.addWidget(self.inputs[key])
        steps.addWidget(banner(ANONYMITY_LIMITATIONS, role="notice"))
        explained = QCheckBox("Explained these limitations to them")
        self.bind("limitations_explained", explained)
        steps.addWidget(explained)
        self.anonymity_error = banner(role="error")
        self.anonymity_error.hide()
        steps.addWidget(self.anonymity_error)
        self.anonymity_done = banner(role="info")
        self.anonymity_done.setAccessibleName("Anonymity steps done")
        steps.addWidget(self.anonymity_done)
        steps.addWidget(
            banner(
                "No name, address, phone or email is kept for an anonymous complainant.",
                role="info",
            )
        )
        self.layout_.addWidget(self.anonymity)

        self.vulnerable = CheckList(
            "&Vulnerabilities (special category data: tick each that applies)",
            rules.VULNERABILITIES,
            name="Complainant's vulnerabilities",
        )
        self.bind("vulnerabilities", self.vulnerable)
        self.layout_.addWidget(self.vulnerable)
        self.adjustments = QGroupBox("Reasonable adjustments agreed for contacting them")
        adjust = self.form()
        self.adjustments.setLayout(adjust)
        self.field(adjust, "contact_method", "&Contact by:", combo(rules.CONTACT_METHODS))
        self.field(adjust, "contact_times", "Best &times:", QLineEdit())
        self.field(adjust, "interpreter", "&Interpreter (language):", QLineEdit())
        large_print = QCheckBox("Lar&ge print")
        self.bind("large_print", large_print)
        adjust.addRow(large_print)
        self.field(adjust, "advocate", "Advocate (&who):", QLineEdit())
        self.field(adjust, "adjustments_other", "Other ad&justments:", QLineEdit())
        self.layout_.addWidget(self.adjustments)

        employee = QCheckBox("The complainant is one of our emp&loyees")
        self.bind("is_employee", employee)
        self.layout_.addWidget(employee)
        self.employee_notice = banner(
            "An employee is involved: the case will go to a Team Leader at least (5.9).",
            role="notice",
        )
        self.layout_.addWidget(self.employee_notice)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box

    def values(self) -> dict[str, Any]:
        values = super().values()
        if values["anonymous"]:  # 5.8: hidden, and never handed on, not even to the draft
            for key in rules.CONTACT_FIELDS:
                values.pop(key, None)
        return values

    def missing(self, values: dict[str, Any], now: datetime) -> list[rules.Missing]:
        return rules.missing_complainant(values)

    def show_problems(self, problems: list[rules.Missing]) -> None:
        super().show_problems(problems)
        steps = next((p.message for p in problems if p.field == "anonymity"), None)
        self.anonymity_error.setText("⚠ " + steps if steps else "")
        self.anonymity_error.setVisible(bool(steps))

    def box(self, key: str) -> QCheckBox:
        widget = self.inputs[key]
        assert isinstance(widget, QCheckBox)
        return widget

    def first_field(self, problems: list[rules.Missing]) -> Any:
        if any(p.field == "anonymity" for p in problems):
            return next(
                (k_box for k, _ in ANONYMITY_STEPS if not (k_box := self.box(k)).isChecked()),
                self.inputs["limitations_explained"],
            )
        return super().first_field(problems)

    def refresh(self, values: dict[str, Any]) -> None:
        anonymous = bool(values.get("anonymous"))
        self.contact.setVisible(not anonymous)
        self.adjustments.setVisible(not anonymous)  # 5.8: no one contacts them
        self.anonymity.setVisible(anonymous)
        self.employee_notice.setVisible(bool(values.get("is_employee")))
        keys = [key for key, _ in ANONYMITY_STEPS] + ["limitations_explained"]
        done = sum(bool(values.get(key)) for key in keys)
        if done == len(keys):
            self.anonymity_error.hide()  # "tick each step" would now be stale
            self.anonymity_done.setText(f"✓ All {len(keys)} steps are done.")
        else:
            self.anonymity_done.setText(f"{done} of {len(keys)} steps done.")


class IncidentPage(IntakePage):
    title = "3. The most recent incident"
    intro = (
        "Take as much as the complainant is willing to give, at their pace. Record how it made "
        "them feel, how it has affected them since, and what they have done to avoid it (5.2)."
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        form = self.form()
        self.field(form, "occurred_at", "&Date and time:", DateTimeField())
        self.field(form, "location", "&Where:", QLineEdit())
        self.field(form, "description", "What &happened:", text_box(5))
        self.field(form, "feel", "How it made them &feel:", text_box(2))
        self.field(form, "effect_since", "How it has affected them s&ince:", text_box(2))
        self.field(
            form, "measures", "What they have had to do to &avoid it happening again:", text_box(2)
        )
        self.layout_.addLayout(form)
        self.reminder = banner(role="notice")
        self.reminder.setAccessibleName("Questions not yet answered")
        self.layout_.addWidget(self.reminder)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box

    def missing(self, values: dict[str, Any], now: datetime) -> list[rules.Missing]:
        return rules.missing_incident(values, now)

    def refresh(self, values: dict[str, Any]) -> None:
        open_questions = rules.unanswered_impact(values)
        self.reminder.setVisible(bool(open_questions))
        self.reminder.setText("Not yet recorded: " + "; ".join(open_questions) + ".")


class FrequencyPage(IntakePage):
    title = "4. Frequency and history"
    intro = "How often it has happened, and any earlier incidents or history (5.2)."

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        form = self.form()
        self.field(
            form,
            "frequency",
            "How &often, and history:",
            text_box(6),
            hint="For example: most nights since March; twice last year before that.",
        )
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box

    def missing(self, values: dict[str, Any], now: datetime) -> list[rules.Missing]:
        return rules.missing_frequency(values)

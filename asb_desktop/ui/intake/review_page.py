"""Page 9: the report read back, where it will go and why, warnings, and possible duplicates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from asb_desktop.domain.case import Case, SourceKind
from asb_desktop.domain.procedure import Outcome, anonymity_steps_outstanding, sharing_consequence
from asb_desktop.services.case_actions import DuplicateCheck
from asb_desktop.ui.intake import report_case as rules
from asb_desktop.ui.intake.form_page import IntakePage
from asb_desktop.ui.widgets import banner
from asb_desktop.ui.words import case_label, day, label, when


def routing_text(outcome: Outcome, due_words: str) -> str:
    lines = [
        outcome.assignment.explain(),
        f"Response due by {when(outcome.response_due_at)} ({due_words}).",
    ]
    if outcome.staff_risk_assessment_due_at is not None:
        lines.append(
            "Staff risk assessment due by "
            f"{when(outcome.staff_risk_assessment_due_at)} (48 hours, 5.9.1)."
        )
    return "\n".join(lines)


def summary_lines(case: Case) -> list[str]:
    c = case.complainant
    who = (
        "Anonymous (5.7, 5.8)"
        if c.anonymous
        else ", ".join(p for p in (c.name, c.address, c.phone, c.email) if p)
    )
    source = "Directly"
    if case.source.kind is SourceKind.THIRD_PARTY:
        source = f"Through {label(case.source.organisation)} {case.source.organisation_name or ''}"
    incident = case.incidents[0]
    lines = [
        f"Received: {when(case.received_at)}, {label(case.channel.value).lower()}; "
        f"{source.strip().lower() if source == 'Directly' else source.strip()}",
        f"Complainant: {who}{' (employee)' if c.is_employee else ''}",
        f"Incident: {when(incident.occurred_at)}{', ' + incident.location if incident.location else ''}",
        f"What happened: {incident.description}",
        f"Frequency: {case.frequency}",
        f"People involved: {len(case.involved)}; witnesses: {len(case.witnesses)}",
        f"Targeted: {'yes: ' + (case.targeting.reason or '') if case.targeting.targeted else 'no'}",
        f"Severity: {label(case.severity.value)}; hate strands: "
        + (", ".join(label(s.value) for s in sorted(case.hate_strands)) or "none"),
        f"Estate: {case.estate or 'none'}; supported scheme: {case.supported_scheme or 'none'}",
    ]
    if case.colleague_harassment:
        lines.append("Colleague harassment: yes (5.9.1)")
    return lines


class ReviewPage(IntakePage):
    title = "9. Review and save"
    intro = "Read the report back to the complainant, then save it."

    sig_add_to_case = Signal(str)
    """The officer chose to add this report to an open case (its id) as a new incident."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("The report")
        self.layout_.addWidget(self.summary)
        self.routing = banner(role="info")
        self.routing.setAccessibleName("Where the case goes and when")
        self.layout_.addWidget(self.routing)
        self.warnings = banner(role="notice")
        self.warnings.setAccessibleName("Warnings")
        self.layout_.addWidget(self.warnings)
        self.review_notice = banner(role="notice")
        self.review_notice.setAccessibleName("ASB Case Review")
        self.review_notice.hide()
        self.layout_.addWidget(self.review_notice)
        self.duplicates_title = QLabel("Possible duplicates: checking…")
        self.duplicates_title.setProperty("role", "subheading")
        self.layout_.addWidget(self.duplicates_title)
        self.duplicates = QVBoxLayout()
        self.layout_.addLayout(self.duplicates)
        self.layout_.addStretch()
        self.duplicate_buttons: list[QPushButton] = []

    def show_case(self, case: Case, values: dict[str, Any]) -> None:
        self.summary.setText("\n".join(summary_lines(case)))
        warnings = list(anonymity_steps_outstanding(case))
        if case.source.kind is SourceKind.THIRD_PARTY:
            warnings.append(sharing_consequence(case))
        open_questions = rules.unanswered_impact(values)
        if open_questions:
            warnings.append("Not yet recorded: " + "; ".join(open_questions) + ".")
        if not case.estate and not case.supported_scheme and not case.involves_employee:
            warnings.append("No estate or scheme is recorded: no rule can pick an officer.")
        self.warnings.setText("\n".join(f"• {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def show_routing(self, text: str) -> None:
        self.routing.setText(text)

    def checking(self) -> None:
        self.duplicates_title.setText("Possible duplicates: checking…")
        self._clear_duplicates()
        self.review_notice.hide()

    def _clear_duplicates(self) -> None:
        while self.duplicates.count():
            item = self.duplicates.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.duplicate_buttons = []

    def show_duplicates(self, check: DuplicateCheck) -> None:
        self._clear_duplicates()
        count = len(check.matches)
        self.duplicates_title.setText(
            f"Possible duplicates: {count} open case{'s' if count != 1 else ''}"
            if count
            else "Possible duplicates: none found among open cases."
        )
        for match in check.matches:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            name = case_label(match.reference, match.case_id)
            text = QLabel(f"{name}, received {day(match.received_at)}: {', '.join(match.reasons)}")
            text.setWordWrap(True)
            line.addWidget(text, 1)
            button = QPushButton(f"Add to {name} as a new incident")
            button.setAccessibleName(f"Add this report to case {name} as a new incident")
            button.clicked.connect(lambda _=False, i=match.case_id: self.sig_add_to_case.emit(i))
            line.addWidget(button)
            self.duplicates.addWidget(row)
            self.duplicate_buttons.append(button)
        if check.case_review_threshold_met:
            self.review_notice.setText(
                f"This complainant has made {check.complainant_reports} reports in the last 6 "
                "months, this one included: that meets the ASB Case Review threshold (3 or more). "
                "Tell them they can ask for a Case Review."
            )
        self.review_notice.setVisible(check.case_review_threshold_met)

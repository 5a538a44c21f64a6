"""Page 9: the report read back, where it will go and why, warnings, and possible duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from asb_desktop.domain.case import Case, Severity, SourceKind
from asb_desktop.domain.case_management import RiskLevel
from asb_desktop.domain.case_review import CaseReview
from asb_desktop.domain.directory import Directory, Estate, Scheme
from asb_desktop.domain.procedure import Outcome, anonymity_steps_outstanding, sharing_consequence
from asb_desktop.domain.risk_questions import suggested_level
from asb_desktop.services.case_actions import DuplicateCheck
from asb_desktop.ui.intake import report_case as rules
from asb_desktop.ui.intake.evidence_section import EvidenceSection
from asb_desktop.ui.intake.form_page import IntakePage
from asb_desktop.ui.intake.pages_risk import HIGH_MEANS_SERIOUS
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


def place_name(code: str | None, places: Sequence[Estate | Scheme], none: str) -> str:
    """An estate or scheme as the directory names it ("Oak Court (SCH-OAK)")."""
    if not code:
        return none
    found = next((p for p in places if p.code == code), None)
    return f"{found.name} ({code})" if found else code


def _person(parts: Sequence[str | None], employee: bool = False) -> str:
    words = "; ".join(p for p in parts if p) or "no details"
    return words + (" (one of our employees)" if employee else "")


def _names(values: Any, offered: Sequence[tuple[Any, str]]) -> str:
    """Chosen values in words, in the order offered."""
    chosen = {str(v) for v in values}
    return ", ".join(text for value, text in offered if value in chosen)


def vulnerable_words(vulnerabilities: Any, adjustments: str | None) -> str:
    """A person's vulnerabilities and the adjustments agreed for contacting them, in words."""
    parts = []
    if vulnerabilities:
        parts.append("vulnerable: " + _names(vulnerabilities, rules.VULNERABILITIES).lower())
    if adjustments:
        parts.append("adjustments: " + adjustments)
    return "; ".join(parts)


def risk_lines(case: Case) -> list[str]:
    if not case.risk_assessments:
        skipped = next((e.text for e in case.entries if "risk assessment" in e.text), None)
        return [skipped or "Risk assessment: not done"]
    assessment = case.risk_assessments[-1]
    line = (
        f"Risk assessment: level {label(assessment.level.value).lower()} (score "
        f"{assessment.score:g}, suggesting {suggested_level(assessment.score).value})"
    )
    lines = [line + (f"; notes: {assessment.notes}" if assessment.notes else "")]
    if assessment.level is RiskLevel.HIGH and case.severity is not Severity.SERIOUS:
        lines.append("  " + HIGH_MEANS_SERIOUS)
    return lines


def summary_lines(case: Case, directory: Directory | None = None) -> list[str]:
    """The report as it will be saved, every answer of 5.2, to read back to the complainant."""
    directory = directory or Directory()
    c = case.complainant
    who = (
        "Anonymous (5.7, 5.8)"
        if c.anonymous
        else ", ".join(p for p in (c.name, c.address, c.phone, c.email) if p)
    )
    source = "directly"
    if case.source.kind is SourceKind.THIRD_PARTY:
        by = " ".join(
            p for p in (label(case.source.organisation), case.source.organisation_name) if p
        )
        source = f"through {by}" + (
            f" (contact: {case.source.contact})" if case.source.contact else ""
        )
    incident = case.incidents[0]
    not_recorded = "not recorded"
    vulnerable = vulnerable_words(c.vulnerabilities, c.adjustments)
    lines = [
        f"Received: {when(case.received_at)}, {label(case.channel.value).lower()}, {source}",
        f"Complainant: {who}{' (one of our employees)' if c.is_employee else ''}"
        + (f"; {vulnerable}" if vulnerable else ""),
        f"Incident: {when(incident.occurred_at)}"
        + (f", {incident.location}" if incident.location else ""),
        f"What happened: {incident.description}",
        f"How it made them feel: {incident.how_it_made_them_feel or not_recorded}",
        f"How it has affected them since: {incident.effect_since or not_recorded}",
        f"What they have had to do to avoid it: {incident.measures_taken or not_recorded}",
        f"Frequency and history: {case.frequency}",
    ]
    if case.involved:
        lines.append(f"People involved ({len(case.involved)}):")
        lines += [
            f"  {n}. "
            + _person(
                (
                    p.name or "name not known",
                    p.address,
                    p.description,
                    vulnerable_words(p.vulnerabilities, p.adjustments),
                ),
                employee=p.is_employee,
            )
            for n, p in enumerate(case.involved, 1)
        ]
    else:
        lines.append("People involved: none recorded")
    if case.witnesses:
        lines.append(f"Witnesses ({len(case.witnesses)}):")
        lines += [
            f"  {n}. "
            + _person(
                (
                    w.name or "name not known",
                    w.address,
                    w.contact,
                    w.account,
                    vulnerable_words(w.vulnerabilities, w.adjustments),
                )
            )
            for n, w in enumerate(case.witnesses, 1)
        ]
    else:
        lines.append("Witnesses: none recorded")
    lines += [
        f"Targeted: {'yes: ' + (case.targeting.reason or '') if case.targeting.targeted else 'no'}",
        f"Severity: {label(case.severity.value)}; hate strands: "
        + (", ".join(label(s.value) for s in sorted(case.hate_strands)) or "none"),
        "Kind of ASB: "
        + (_names(case.asb_types, rules.ASB_TYPES).lower() or "not chosen")
        + "; NSIR category: "
        + (label(case.nsir_category.value).lower() if case.nsir_category else "not chosen"),
        f"Estate: {place_name(case.estate, directory.estates, 'none')}; supported scheme: "
        + place_name(case.supported_scheme, directory.schemes, "none"),
        *risk_lines(case),
    ]
    if case.colleague_harassment:
        lines.append("Colleague harassment: yes (5.9.1)")
    return lines


class ReviewPage(IntakePage):
    title = "10. Review and save"
    intro = "Read the report back to the complainant, then save it."

    sig_add_to_case = Signal(str)
    """The officer chose to add this report to an open case (its id) as a new incident."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.evidence = EvidenceSection()  # the resident's files, attached on saving
        self.evidence.sig_changed.connect(self.sig_changed)
        self.layout_.addWidget(self.evidence)
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
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box
        self.duplicate_buttons: list[QPushButton] = []

    def show_case(self, case: Case, values: dict[str, Any]) -> None:
        self.summary.setText("\n".join(summary_lines(case, self.directory)))
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

    def values(self) -> dict[str, Any]:
        return self.evidence.value()

    def load(self, values: dict[str, Any]) -> None:
        self.evidence.load(values)

    def show_routing(self, text: str) -> None:
        self.routing.setText(text)

    def first_input(self) -> QWidget | None:
        return None  # nothing to type here: the officer arrives on Save

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

    def show_duplicates(self, check: DuplicateCheck, review: CaseReview) -> None:
        """The open cases it may duplicate, and the ASB Case Review (reports counted, not cases:
        the domain's case_review over every stored case of the complainant)."""
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
        for match in check.closed:  # no button: a report after closure is a new case
            name = case_label(match.reference, match.case_id)
            text = QLabel(
                f"{name} (closed), received {day(match.received_at)}: {', '.join(match.reasons)}. "
                "A report after closure is a new case: this one is saved as new."
            )
            text.setWordWrap(True)
            self.duplicates.addWidget(text)
        if review.eligible:
            count = review.qualifying_reports
            self.review_notice.setText(
                f"This complainant has made {count} report{'s' if count != 1 else ''} in the last "
                "6 months, this one included, each within a month of the behaviour: that meets "
                "the ASB Case Review threshold. Tell them they can ask for a Case Review."
            )
        self.review_notice.setVisible(review.eligible)

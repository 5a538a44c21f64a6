"""Page 9: the victim risk assessment at intake (the questionnaire of domain/risk_questions.py),
its score worked out as the officer answers, and the level the officer sets seeing the score and
the suggested level. It may be skipped only with a reason, kept on the case as a note."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from asb_desktop.domain.case import Severity
from asb_desktop.domain.case_management import RiskLevel
from asb_desktop.domain.risk_questions import QUESTIONS, suggested_level
from asb_desktop.ui.intake import report_case as rules
from asb_desktop.ui.intake.form_page import IntakePage
from asb_desktop.ui.widgets import ChoiceGroup, banner, text_box

# Each question's label with its Alt+letter (the wording is the domain's; the letter is ours).
LABELS = {
    "harm_person": "Has anyone in the household been &hurt or threatened?",
    "harm_household": "Are &children or others in the home affected?",
    "vulnerable": "Is anyone in the household &vulnerable (health, age, disability)?",
    "repeat": "Has this happened befor&e?",
    "escalating": "Is it getting &worse or more frequent?",
    "hate": "Do they feel &targeted because of who they are?",
    "daily_life": "Has it changed how they &live (sleep, going out, work)?",
    "retaliation": "Do they fear &reprisals for reporting?",
}
ANSWERS = {
    "none": "None",
    "some": "Some",
    "serious": "Serious",
    "no": "No",
    "yes": "Yes",
    "a_few_times": "A few times",
    "often": "Often",
}
LEVELS = [
    (RiskLevel.STANDARD.value, "Standard"),
    (RiskLevel.MEDIUM.value, "Medium"),
    (RiskLevel.HIGH.value, "High"),
]
HIGHEST = sum(max(q.points.values()) for q in QUESTIONS)
HIGH_MEANS_SERIOUS = (
    "A high risk suggests serious severity (respond within 1 working day, 5.3): "
    "choose Serious on the classification page unless there is a reason not to."
)


class RiskPage(IntakePage):
    title = "9. Risk assessment"
    intro = (
        "Ask the complainant each question. The score is worked out as you answer; you set the "
        "level, seeing the score and the level it suggests."
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        form = self.form()
        for question in QUESTIONS:
            choice = ChoiceGroup(
                [(answer, ANSWERS.get(answer, answer)) for answer in question.points],
                name=question.text,
                vertical=False,
            )
            self.field(form, rules.RISK_PREFIX + question.id, LABELS[question.id], choice)
        self.score = QLabel()
        self.score.setAccessibleName("Risk score")
        self.score.setProperty("role", "subheading")
        form.addRow(self.score)
        level = ChoiceGroup(LEVELS, name="Risk level", vertical=False)
        self.field(form, "risk_level", "Risk level you &decide:", level)
        self.field(form, "risk_notes", "N&otes (why this level):", text_box(2))
        self.questions = QWidget()
        self.questions.setLayout(form)
        self.layout_.addWidget(self.questions)
        self.high = banner(HIGH_MEANS_SERIOUS, role="notice")
        self.high.setAccessibleName("High risk")
        self.layout_.addWidget(self.high)

        skipped = QCheckBox("Skip the risk &assessment for now (a reason is needed)")
        self.bind("risk_skipped", skipped)
        self.layout_.addWidget(skipped)
        reason_form = self.form()
        self.field(reason_form, "risk_skip_reason", "Why it cannot be done &yet:", text_box(2))
        self.reason = QWidget()
        self.reason.setLayout(reason_form)
        self.layout_.addWidget(self.reason)
        self.layout_.addStretch(1)  # spare height below the fields, never inside a box

    def missing(self, values: dict[str, Any], now: datetime) -> list[rules.Missing]:
        return rules.missing_risk(values)

    def refresh(self, values: dict[str, Any]) -> None:
        skipped = bool(values.get("risk_skipped"))
        self.questions.setVisible(not skipped)
        self.reason.setVisible(skipped)
        answered = rules.risk_answers(values)
        score = rules.risk_score(values)
        suggested = suggested_level(score).value
        self.score.setText(
            f"Score: {score} of {HIGHEST}, from {len(answered)} of {len(QUESTIONS)} answers; "
            f"it suggests {suggested}."
        )
        high = not skipped and values.get("risk_level") == RiskLevel.HIGH.value
        self.high.setVisible(high)
        if high:
            self.high.setText(
                "A high risk: the case is serious, as a high risk suggests (respond within 1 "
                "working day, 5.3)."
                if values.get("severity") == Severity.SERIOUS.value
                else HIGH_MEANS_SERIOUS
            )

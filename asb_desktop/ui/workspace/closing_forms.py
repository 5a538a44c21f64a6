"""The workspace's closing forms: close with an outcome, the complainant told, their
satisfaction, and reopening with a reason (domain/closing.py holds the lists)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asb_desktop.domain.case import Case
from asb_desktop.domain.closing import (
    ALREADY_ASKED,
    ALREADY_TOLD,
    OUTCOME_WORDS,
    REPORT_AGAIN_QUESTION,
    REPORT_AGAIN_WORDS,
    SATISFACTION_QUESTIONS,
    SATISFACTION_WORDS,
    TOLD_WORDS,
    CaseOutcome,
    ReportAgain,
    Satisfaction,
    ToldHow,
)
from asb_desktop.services.case_actions import CaseActions, CaseView
from asb_desktop.ui.words import when
from asb_desktop.ui.workspace.action_dialog import ActionDialog, Field, moment

KEYS = ("close", "told", "satisfaction", "reopen")
BUTTONS = (
    ("told", "Mar&k complainant told"),
    ("satisfaction", "Satisfaction feed&back"),
    ("reopen", "Reopen (undo c&losure)"),
)
# Reopen takes Close's place and letter: one of the two shows, as the case is open or closed.
SAME_PLACE = {"reopen": "close"}
# Where the focus goes once a form is done: the next step, when it is open to the case.
NEXT_STEP = {"close": ("told", "reopen"), "told": ("satisfaction", "reopen"), "reopen": ("close",)}
# Each satisfaction question's Alt+letter in its form (Alt+S saves).
_LETTERS = {"kept_informed": "&Kept informed", "timescales": "&Timescales", "outcome": "&Outcome"}

Make = Callable[..., ActionDialog]


def unavailable(key: str, case: Case) -> str | None:
    """Why a closing action does not apply; None when it does."""
    if key == "close":
        return None if case.is_open else "The case is closed."
    if case.is_open:
        return "Only once the case is closed."
    if key in ("told", "satisfaction") and case.complainant.anonymous:
        return "The complainant is anonymous: they cannot be contacted (5.8)."
    closure = case.closure
    if key == "told" and closure is not None and closure.complainant_told is not None:
        return ALREADY_TOLD
    if key == "satisfaction" and closure is not None and closure.satisfaction is not None:
        return ALREADY_ASKED
    return None


def dialog(key: str, make: Make, view: CaseView, act: CaseActions) -> ActionDialog:
    case = view.case
    cid = case.id
    if key == "close":
        outcomes = [(None, "Choose the outcome…"), *OUTCOME_WORDS.items()]
        return make(
            "Close the case",
            [
                Field("outcome", "&Outcome:", "choice", outcomes, faults=("outcome",)),
                Field("reason", "&Reason for closing:", "text", faults=("reason for closing",)),
            ],
            lambda v: act.close(
                cid, v["reason"], CaseOutcome(v["outcome"]) if v["outcome"] else None
            ),
            intro="A report about this matter after closure will be a new case (the "
            "regulator's counting rule); the case can be reopened with a reason.",
            submit_text="C&lose case",
        )
    if key == "told":
        ways = [(None, "Choose how…"), *TOLD_WORDS.items()]
        outcome = case.status.outcome
        return make(
            "The complainant was told the outcome",
            [
                Field(
                    "how", "&How they were told:", "choice", ways, faults=("how the complainant",)
                ),
                Field("at", "&When:", "moment", faults=("future", "before the case was closed")),
            ],
            lambda v: act.tell_complainant(
                cid, ToldHow(v["how"]) if v["how"] else None, moment(v["at"])
            ),
            intro=f"Outcome: {OUTCOME_WORDS[outcome] if outcome else 'not recorded'}."
            + (f" Closed {when(case.status.at)}." if case.status.at else ""),
        )
    if key == "satisfaction":
        scale = [(None, "Not answered"), *SATISFACTION_WORDS.items()]
        fields = [
            Field(name, f"{_LETTERS[name]}: {question}", "choice", scale)
            for name, question in SATISFACTION_QUESTIONS
        ]
        again = [(None, "Not answered"), *REPORT_AGAIN_WORDS.items()]
        fields.append(
            Field(
                "would_report_again",
                f"Would &report again: {REPORT_AGAIN_QUESTION}",
                "choice",
                again,
                faults=("at least one answer",),
            )
        )

        def record(v: dict[str, Any]) -> CaseView:
            answers = {n: Satisfaction(v[n]) if v[n] else None for n, _ in SATISFACTION_QUESTIONS}
            return act.record_satisfaction(
                cid,
                **answers,
                would_report_again=(
                    ReportAgain(v["would_report_again"]) if v["would_report_again"] else None
                ),
            )

        return make(
            "The complainant's satisfaction",
            fields,
            record,
            intro="Ask each question; leave out any they do not want to answer.",
        )
    if key == "reopen":
        return make(
            "Reopen the case",
            [Field("reason", "&Reason for reopening:", "text", faults=("reason for reopening",))],
            lambda v: act.reopen(cid, v["reason"]),
            intro="Its clocks run again: the next update to the complainant and any action "
            "not done. The earlier closing is kept in the case's history.",
            submit_text="Re&open",
        )
    raise KeyError(key)

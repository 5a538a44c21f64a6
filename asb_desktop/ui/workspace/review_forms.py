"""The ASB Case Review's steps, recorded from the workspace's Case Review tab: an application
(who applied and when), its decision (threshold met or not, and what was decided) and the
review's outcome (its recommendations). One small form each, like the other actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from asb_desktop.app import Services
from asb_desktop.domain.case import Case
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.review_applications import BY_COMPLAINANT, ReviewApplication
from asb_desktop.services.case_actions import CaseView
from asb_desktop.ui.words import when
from asb_desktop.ui.workspace.action_dialog import ActionDialog, Field, moment

# On the Case Review tab (its Alt+letters work while the tab is shown; Alt+7 shows it).
BUTTONS = (
    ("review_apply", "Ne&w application…"),
    ("review_decide", "Record the deci&sion…"),
    ("review_outcome", "Record t&he outcome…"),
)
KEYS = frozenset(key for key, _ in BUTTONS)
ON_BEHALF = "on_behalf"


def applicant_words(application: ReviewApplication) -> str:
    if application.applied_by == BY_COMPLAINANT:
        return "the complainant"
    return f"{application.applied_by}, on the complainant's behalf"


def awaiting_decision(case: Case) -> list[ReviewApplication]:
    return [a for a in case.case_review_applications if a.awaiting_decision]


def awaiting_outcome(case: Case) -> list[ReviewApplication]:
    return [a for a in case.case_review_applications if a.awaiting_outcome]


def unavailable(key: str, case: Case) -> str | None:
    """Why a Case Review step does not apply to this case, in words; None when it does."""
    if not case.is_open:
        return "The case is closed."
    if case.complainant.anonymous:
        return "An anonymous complainant cannot apply for an ASB Case Review."
    if key == "review_apply" and awaiting_decision(case):
        return "An application is waiting for its decision: record that first."
    if key == "review_decide" and not awaiting_decision(case):
        return "No application is waiting for a decision."
    if key == "review_outcome" and not awaiting_outcome(case):
        return "No review decided to go ahead is waiting for its outcome."
    return None


def _choices(applications: list[ReviewApplication]) -> list[tuple[Any, str]]:
    return [(a.id, f"Applied {when(a.applied_at)} by {applicant_words(a)}") for a in applications]


def dialog_for(
    key: str,
    parent: QWidget,
    view: CaseView,
    services: Services,
    on_done: Callable[[CaseView], None],
) -> ActionDialog:
    act, cid = services.actions, view.case.id

    def make(
        title: str, fields: list[Field], submit: Callable[[dict[str, Any]], Any], intro: str
    ) -> ActionDialog:
        return ActionDialog(
            parent,
            name=f"case.{key}",
            title=title,
            fields=fields,
            submit=submit,
            on_done=on_done,
            now=services.casework.clock(),
            intro=intro,
        )

    if key == "review_apply":
        days = services.casework.policy().review_decision_working_days

        def apply(v: dict[str, Any]) -> CaseView:
            if v["by"] == BY_COMPLAINANT and v["behalf"].strip():
                raise ProcedureError(
                    "You named who applied for them: choose “Someone on their behalf”, or clear "
                    "the name."
                )
            if v["by"] == BY_COMPLAINANT:
                applicant = BY_COMPLAINANT
            else:
                applicant = v["behalf"].strip()
                if not applicant:
                    raise ProcedureError("Name who applied on the complainant's behalf.")
            return act.apply_for_case_review(cid, applicant, moment(v["at"]))

        return make(
            "Record an application for an ASB Case Review",
            [
                Field(
                    "by",
                    "Applied &by:",
                    "choice",
                    [
                        (BY_COMPLAINANT, "The complainant"),
                        (ON_BEHALF, "Someone on their behalf"),
                    ],
                ),
                Field(
                    "behalf",
                    "&Who applied for them:",
                    hint="Only when someone applied on their behalf: name and role (their MP…).",
                    faults=("on the complainant's behalf", "say who applied", "clear the name"),
                ),
                Field(
                    "at",
                    "Applied &on:",
                    "moment",
                    faults=("in the future", "before the report"),
                ),
            ],
            apply,
            intro=f"The decision on whether the threshold is met is then due within {days} "
            "working days.",
        )
    if key == "review_decide":

        def decide(v: dict[str, Any]) -> CaseView:
            if v["met"] is None:
                raise ProcedureError("Say whether the threshold is met.")
            return act.decide_case_review(
                cid,
                v["application"] or "",
                threshold_met=bool(v["met"]),
                decision=v["decision"],
                decided_at=moment(v["at"]),
            )

        return make(
            "Record the decision on the ASB Case Review application",
            [
                Field(
                    "application", "&Application:", "choice", _choices(awaiting_decision(view.case))
                ),
                Field(
                    "met",
                    "Threshold &met?",
                    "choice",
                    [
                        (None, "Choose…"),
                        (True, "Yes: the threshold is met; the review goes ahead"),
                        (False, "No: the threshold is not met"),
                    ],
                    faults=("whether the threshold",),
                ),
                Field("decision", "&Decision and reasons:", "text", faults=("what was decided",)),
                Field(
                    "at",
                    "Decided &on:",
                    "moment",
                    faults=("in the future", "before the application"),
                ),
            ],
            decide,
            intro=_review_intro(view),
        )
    if key == "review_outcome":
        return make(
            "Record the outcome of the ASB Case Review",
            [
                Field(
                    "application", "&Application:", "choice", _choices(awaiting_outcome(view.case))
                ),
                Field(
                    "outcome",
                    "The review's &recommendations:",
                    "text",
                    faults=("recommendations",),
                ),
                Field(
                    "at",
                    "Outcome &given on:",
                    "moment",
                    faults=("in the future", "before the decision"),
                ),
            ],
            lambda v: act.record_case_review_outcome(
                cid, v["application"] or "", v["outcome"], moment(v["at"])
            ),
            intro="What the review panel recommends, as the complainant was told it.",
        )
    raise KeyError(key)


def _review_intro(view: CaseView) -> str:
    review = view.outcome.case_review
    count = review.qualifying_reports
    said = "qualifies" if review.eligible else "does not qualify yet"
    return (
        f"By our count the complainant {said}: {count} qualifying "
        f"report{'s' if count != 1 else ''} (tab 7 lists them)."
    )

"""Closing a case, telling the complainant, their satisfaction, and reopening.

Our design (the contract names none of these keys; docs/case-document.md documents them):

- `status.outcome`: how the case ended, from `CaseOutcome` (the documented list). A case closed
  before outcomes existed has none; every new closing names one.
- `closure`: what followed this closing: `complainant_told` {at, by, how} (never for an
  anonymous complainant, 5.8) and `satisfaction` {at, by, kept_informed, timescales, outcome,
  would_report_again}, each answer optional (the complainant may decline any question).
  Present only while the case is closed.
- `reopenings[]`: append-only, each {at, by, reason, closed_at, outcome, closure}: when and why
  the case was opened again, and the closing it undid (kept there, so nothing of it is lost).

A report received after closure is a new case (the regulator's counting rule): a closed case
takes no new incident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.errors import ProcedureError


class CaseOutcome(StrEnum):
    """How the case ended (`status.outcome`)."""

    RESOLVED = "resolved"  # the behaviour stopped
    NO_FURTHER_ACTION = "no_further_action"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    COMPLAINANT_WITHDREW = "complainant_withdrew"
    NO_CONTACT = "no_contact"  # the complainant could not be reached
    REFERRED_TO_ANOTHER_AGENCY = "referred_to_another_agency"
    ENFORCEMENT_TAKEN = "enforcement_taken"
    TENANCY_ENDED = "tenancy_ended"  # the person causing it moved away
    NOT_ASB = "not_asb"  # what was reported is not anti-social behaviour
    OTHER = "other"


OUTCOME_WORDS = {
    CaseOutcome.RESOLVED: "Resolved: the behaviour stopped",
    CaseOutcome.NO_FURTHER_ACTION: "No further action",
    CaseOutcome.INSUFFICIENT_EVIDENCE: "Insufficient evidence",
    CaseOutcome.COMPLAINANT_WITHDREW: "The complainant withdrew",
    CaseOutcome.NO_CONTACT: "The complainant could not be contacted",
    CaseOutcome.REFERRED_TO_ANOTHER_AGENCY: "Referred to another agency",
    CaseOutcome.ENFORCEMENT_TAKEN: "Enforcement action taken",
    CaseOutcome.TENANCY_ENDED: "The tenancy of the person causing it ended",
    CaseOutcome.NOT_ASB: "Not anti-social behaviour",
    CaseOutcome.OTHER: "Other (see the reason)",
}


class ToldHow(StrEnum):
    """How the complainant was told the outcome (`closure.complainant_told.how`)."""

    TELEPHONE = "telephone"
    IN_PERSON = "in_person"
    LETTER = "letter"
    EMAIL = "email"
    TEXT_MESSAGE = "text_message"


TOLD_WORDS = {
    ToldHow.TELEPHONE: "By telephone",
    ToldHow.IN_PERSON: "In person",
    ToldHow.LETTER: "By letter",
    ToldHow.EMAIL: "By email",
    ToldHow.TEXT_MESSAGE: "By text message",
}


class Satisfaction(StrEnum):
    """One answer on the five-point scale of the Tenant Satisfaction Measures."""

    VERY_SATISFIED = "very_satisfied"
    FAIRLY_SATISFIED = "fairly_satisfied"
    NEITHER = "neither"
    FAIRLY_DISSATISFIED = "fairly_dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"


SATISFACTION_WORDS = {
    Satisfaction.VERY_SATISFIED: "Very satisfied",
    Satisfaction.FAIRLY_SATISFIED: "Fairly satisfied",
    Satisfaction.NEITHER: "Neither satisfied nor dissatisfied",
    Satisfaction.FAIRLY_DISSATISFIED: "Fairly dissatisfied",
    Satisfaction.VERY_DISSATISFIED: "Very dissatisfied",
}


class ReportAgain(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


REPORT_AGAIN_WORDS = {
    ReportAgain.YES: "Yes",
    ReportAgain.NO: "No",
    ReportAgain.NOT_SURE: "Not sure",
}

# The satisfaction questions: (key, the question as asked).
SATISFACTION_QUESTIONS = (
    ("kept_informed", "How satisfied are you that we kept you informed?"),
    ("timescales", "How satisfied are you with how long it took?"),
    ("outcome", "How satisfied are you with the outcome?"),
)
REPORT_AGAIN_QUESTION = "Would you report anti-social behaviour to us again?"


@dataclass(frozen=True)
class ComplainantTold:
    """The complainant was told the outcome: when, by whom, how."""

    at: datetime
    by: str
    how: ToldHow


@dataclass(frozen=True)
class SatisfactionAnswers:
    """What the complainant said when asked; any answer may be left out (None)."""

    at: datetime
    by: str
    kept_informed: Satisfaction | None = None
    timescales: Satisfaction | None = None
    outcome: Satisfaction | None = None
    would_report_again: ReportAgain | None = None

    @property
    def answered(self) -> int:
        return sum(
            a is not None
            for a in (self.kept_informed, self.timescales, self.outcome, self.would_report_again)
        )


@dataclass(frozen=True)
class Closure:
    """What followed the case's closing (`closure`)."""

    complainant_told: ComplainantTold | None = None
    satisfaction: SatisfactionAnswers | None = None


@dataclass(frozen=True)
class Reopening:
    """The case opened again (`reopenings[]`, append-only), with the closing it undid."""

    at: datetime
    by: str
    reason: str
    closed_at: datetime | None = None
    outcome: CaseOutcome | None = None
    closure: Closure | None = None


# The sentences every path says (the services, the rules on import and push).
NOT_TOLD_WHEN_ANONYMOUS = (
    "The complainant is anonymous, so they cannot be told the outcome (5.8): no feedback can be "
    "given to them."
)
NO_SATISFACTION_WHEN_ANONYMOUS = (
    "The complainant is anonymous, so they cannot be asked how satisfied they are (5.8): we "
    "have no way to contact them."
)
CLOSURE_ONLY_WHEN_CLOSED = (
    "The complainant told and their satisfaction are recorded for a closed case only; this "
    "case is open."
)
# Each is recorded once a closing (kept as it was: a reopening then keeps it with the closing).
ALREADY_TOLD = "The complainant has been told the outcome of this closing already."
ALREADY_ASKED = "The complainant's satisfaction with this closing is recorded already."
OUTCOME_ONLY_WHEN_CLOSED = "An outcome is recorded for a closed case only; this case is open."
REOPEN_NEEDS_REASON = (
    "A closed case is reopened with a reason: record a reopening (when, by whom and why)."
)


def closed_case_label(reference: str | None, case_id: str) -> str:
    """A case named as lists name it: its reference, else "Local" and its id's start."""
    return reference or f"Local {case_id.split('-')[0].upper()}"


class ReportAfterClosure(ProcedureError):
    """A report about a closed case was to be added to it: refused, as a report after closure
    is a new case. `case_id` is the closed case, for the new case to note."""

    def __init__(self, case_id: str, label: str) -> None:
        super().__init__(
            f"Case {label} is closed, and a report after closure is a new case: save this "
            f"report as a new case instead; it will note {label}."
        )
        self.case_id = case_id
        self.label = label


def follows_closed_note(label: str, closed_at: datetime | None, outcome: CaseOutcome | None) -> str:
    """The note a new case keeps about the closed case its report was first meant for."""
    day = closed_at.astimezone(LONDON) if closed_at else None
    on = f" on {day.day} {day:%B %Y}" if day else ""
    how = f" ({OUTCOME_WORDS[outcome].lower()})" if outcome else ""
    return (
        f"This report is about the same matter as case {label}, closed{on}{how}: a report after "
        "closure is a new case, so it was recorded as this one."
    )

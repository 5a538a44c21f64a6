"""What is due on a case, and what is overdue: the 5.3 first response, the 5.9.1 staff risk
assessment, the next update to the complainant, each action of the action plan and the decision
on an ASB Case Review application, each with when it is due and whether it was done in time.

`list`, the caseload and anything else that says "due" or "overdue" asks `case_deadlines` (or
`document_deadlines` for a stored document) and `overdue_deadlines`, so a risk assessment 49 hours
after a colleague's report counts as overdue wherever deadlines are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from asb_desktop.domain.calendar import CLOSE_OF_BUSINESS, LONDON, WorkingDayCalendar
from asb_desktop.domain.case import Case
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import Outcome, describe_due, kept_outcome
from asb_desktop.domain.review_applications import first_awaiting_decision


class DeadlineKind(StrEnum):
    FIRST_RESPONSE = "first_response"  # 5.3: 1 or 3 working days, 17:00
    STAFF_RISK_ASSESSMENT = "staff_risk_assessment"  # 5.9.1: 48 hours from the report
    NEXT_UPDATE = "next_update"  # keeping the complainant informed: 5 or 10 working days
    ACTION = "action"  # an action of the plan agreed with the complainant, by its date
    CASE_REVIEW_DECISION = "case_review_decision"  # an ASB Case Review application decided


WHAT = {
    DeadlineKind.FIRST_RESPONSE: "first response (5.3)",
    DeadlineKind.STAFF_RISK_ASSESSMENT: "staff risk assessment (5.9.1)",
    DeadlineKind.NEXT_UPDATE: "next update to the complainant",
    DeadlineKind.ACTION: "action",
    DeadlineKind.CASE_REVIEW_DECISION: "decision on the ASB Case Review application",
}


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_at: datetime
    done_at: datetime | None  # None while it has not been done
    case_open: bool = True
    detail: str | None = None  # an action's words
    item_id: str | None = None  # an action's id

    @property
    def what(self) -> str:
        if self.kind is DeadlineKind.ACTION and self.detail:
            words = " ".join(self.detail.split())
            return f"action “{words if len(words) <= 60 else words[:59] + '…'}”"
        return WHAT[self.kind]

    @property
    def outstanding(self) -> bool:
        """Still to do: the case is open and it has not been done."""
        return self.case_open and self.done_at is None

    def overdue(self, now: datetime) -> bool:
        return self.outstanding and now > self.due_at

    def met(self) -> bool | None:
        """Done by the deadline? None while not done."""
        return None if self.done_at is None else self.done_at <= self.due_at


def case_deadlines(case: Case, outcome: Outcome) -> tuple[Deadline, ...]:
    """Every deadline of the case, in the order they fall due."""
    found = [
        Deadline(
            DeadlineKind.FIRST_RESPONSE,
            outcome.response_due_at,
            case.first_response.at if case.first_response else None,
            case.is_open,
        )
    ]
    if outcome.staff_risk_assessment_due_at is not None:
        done = case.staff_risk_assessment
        found.append(
            Deadline(
                DeadlineKind.STAFF_RISK_ASSESSMENT,
                outcome.staff_risk_assessment_due_at,
                done.completed_at if done else None,
                case.is_open,
            )
        )
    if outcome.next_update_due_at is not None:  # done only by the update that moves it on
        found.append(Deadline(DeadlineKind.NEXT_UPDATE, outcome.next_update_due_at, None))
    waiting = first_awaiting_decision(case.case_review_applications)
    if outcome.case_review_decision_due_at is not None and waiting is not None:
        found.append(
            Deadline(
                DeadlineKind.CASE_REVIEW_DECISION,
                outcome.case_review_decision_due_at,
                None,
                case.is_open,
                item_id=waiting.id,
            )
        )
    for action in case.action_plan.actions if case.action_plan else ():
        found.append(
            Deadline(
                DeadlineKind.ACTION,
                action.due_at,
                action.done_at,
                case.is_open,
                detail=action.what,
                item_id=action.id,
            )
        )
    return tuple(sorted(found, key=lambda d: d.due_at))


def document_deadlines(document: Mapping[str, Any]) -> tuple[Deadline, ...]:
    """`case_deadlines` of a stored case document (its computed fields as written); raises
    InputError when the document cannot be read."""
    from asb_desktop.domain.document import case_from_document

    case = case_from_document(document)
    outcome = kept_outcome(document)
    if outcome is None:
        raise InputError("response_due_at", "the document carries no computed deadlines")
    return case_deadlines(case, outcome)


def overdue_deadlines(deadlines: tuple[Deadline, ...], now: datetime) -> list[Deadline]:
    """The deadlines passed with the work not done, on an open case."""
    return [d for d in deadlines if d.overdue(now)]


def next_outstanding_due(deadlines: tuple[Deadline, ...]) -> datetime | None:
    """When the first deadline still to do falls due (the store keeps it, so a caseload filter
    finds every overdue case with one comparison); None when nothing is outstanding."""
    return min((d.due_at for d in deadlines if d.outstanding), default=None)


def describe_deadline(deadline: Deadline, now: datetime, calendar: WorkingDayCalendar) -> str:
    """A deadline in words, never by colour alone: the 5.3 one in working days
    (`describe_due`); the 5.9.1 one, which runs by the clock, in hours."""
    if deadline.done_at is not None:
        met = "on time" if deadline.met() else "late"
        return f"{deadline.what}: done ({met})"
    if deadline.kind is not DeadlineKind.STAFF_RISK_ASSESSMENT and _at_close(deadline.due_at):
        return f"{deadline.what}: {describe_due(deadline.due_at, now, calendar)}"
    due = deadline.due_at.astimezone(LONDON)
    year = f" {due.year}" if due.year != now.astimezone(LONDON).year else ""
    when = f"{due:%a} {due.day} {due:%b}{year} {due:%H:%M}"
    hours = abs(now - deadline.due_at).total_seconds() / 3600
    if now > deadline.due_at:
        return f"{deadline.what}: overdue by {_hours(hours)} (was due {when})"
    return f"{deadline.what}: due by {when} (in {_hours(hours)})"


def _at_close(due_at: datetime) -> bool:
    """Falls due at close of business (working-day clocks say it in working days)."""
    return due_at.astimezone(LONDON).time() == CLOSE_OF_BUSINESS


def _hours(hours: float) -> str:
    """In hours up to three days; beyond, in days ("14194 hours" was read as a number)."""
    if hours < 1:
        return "under an hour"
    if hours >= 72:
        days = int(hours // 24)
        return f"{days:,} days"
    whole = int(hours)
    return f"{whole} hour{'s' if whole != 1 else ''}"

"""Applications for an ASB Case Review (the community trigger), as the case records them:
`case_review_applications[]` (our key; docs/case-document.md).

An application is appended when it is made and its later steps are filled in on the same entry
(merged by id across laptops, like incidents): who applied and when; the decision (whether the
threshold is met, and what was decided) and when; the review's outcome (its recommendations)
and when. Each step is dated no earlier than the one before it. The decision is due within the
organisation's number of working days of the application (`CasePolicy.
review_decision_working_days`, 10 by default): `decision_due_at`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from asb_desktop.domain.calendar import WorkingDayCalendar, close_of_business, london_day
from asb_desktop.domain.errors import InputError

# `applied_by` when the complainant applied themselves; anything else names who applied on
# their behalf (an MP, a councillor, a relative, an advocate).
BY_COMPLAINANT = "complainant"
NO_APPLICATION_WHEN_ANONYMOUS = (
    "An anonymous complainant cannot apply for an ASB Case Review: no report of theirs can be "
    "counted toward one."
)


@dataclass(frozen=True)
class ReviewApplication:
    """One application; the decision and the outcome are None until recorded."""

    id: str
    applied_at: datetime
    applied_by: str  # BY_COMPLAINANT, or who applied on their behalf
    received_by: str  # the staff id that recorded it
    threshold_met: bool | None = None
    decision: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    outcome: str | None = None  # the review's recommendations
    outcome_at: datetime | None = None

    @property
    def decided(self) -> bool:
        return self.decided_at is not None

    @property
    def awaiting_decision(self) -> bool:
        return self.decided_at is None

    @property
    def awaiting_outcome(self) -> bool:
        """Decided that the review goes ahead, and its recommendations not yet recorded."""
        return self.decided and self.threshold_met is True and self.outcome_at is None


def decision_due_at(
    application: ReviewApplication, calendar: WorkingDayCalendar, working_days: int
) -> datetime:
    """17:00 London on the `working_days`th working day after the day of the application."""
    day = calendar.nth_working_day_after(london_day(application.applied_at), working_days)
    return close_of_business(day)


def first_awaiting_decision(
    applications: Iterable[ReviewApplication],
) -> ReviewApplication | None:
    waiting = [a for a in applications if a.awaiting_decision]
    return min(waiting, key=lambda a: a.applied_at) if waiting else None


def application_problems(
    applications: tuple[ReviewApplication, ...], *, anonymous: bool
) -> list[InputError]:
    """The steps of each application in order, and complete: a decision says whether the
    threshold is met, what was decided and when; an outcome follows a decision that the review
    goes ahead. None for an anonymous complainant (they cannot apply)."""
    if anonymous and applications:
        return [InputError("case_review_applications", NO_APPLICATION_WHEN_ANONYMOUS)]
    found: list[InputError] = []
    for index, a in enumerate(applications):
        where = f"case_review_applications[{index}]"
        parts = (a.threshold_met, a.decision, a.decided_at)
        if any(p is not None for p in parts) and any(p is None for p in parts):
            found.append(
                InputError(
                    f"{where}.decision",
                    "A Case Review decision records whether the threshold is met, the decision "
                    "and when it was made: threshold_met, decision and decided_at together.",
                )
            )
        if a.decided_at is not None and a.decided_at < a.applied_at:
            found.append(
                InputError(
                    f"{where}.decided_at",
                    "A Case Review decision cannot be made before the application: decided_at "
                    "is before applied_at.",
                )
            )
        if (a.outcome is None) != (a.outcome_at is None):
            found.append(
                InputError(
                    f"{where}.outcome",
                    "A Case Review's outcome records its recommendations and when: outcome "
                    "and outcome_at together.",
                )
            )
        if a.outcome_at is not None and (a.decided_at is None or a.threshold_met is not True):
            found.append(
                InputError(
                    f"{where}.outcome_at",
                    "A Case Review has an outcome only after a decision that the threshold is "
                    "met and the review goes ahead.",
                )
            )
        elif a.outcome_at is not None and a.decided_at is not None and a.outcome_at < a.decided_at:
            found.append(
                InputError(
                    f"{where}.outcome_at",
                    "A Case Review's outcome cannot come before its decision: outcome_at is "
                    "before decided_at.",
                )
            )
    return found

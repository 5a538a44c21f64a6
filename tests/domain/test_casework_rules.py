"""Rules for handling a case once logged: manual assignment within 5.9, the 5.3 clock in words
and whether it was met, and the 5.9.1 group review."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import (
    Complainant,
    FirstResponse,
    InvolvedPerson,
    ManualAssignment,
    StaffRiskAssessment,
)
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.procedure import (
    RISK_ASSESSMENT_GROUP,
    AssignmentRule,
    assign,
    check_reassignment,
    check_staff_risk_assessment,
    describe_due,
    response_met,
    working_days_overdue,
)
from tests.domain.domain_builders import case, directory

LONDON = ZoneInfo("Europe/London")
ENGLAND = WorkingDayCalendar()
BY_HAND = ManualAssignment(
    staff_id="s-hs", by="s-tn", at=datetime(2026, 3, 10, 11, 0, tzinfo=UTC), reason="Covering"
)


def london(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


# --- manual assignment -----------------------------------------------------------------------


def test_a_manual_assignment_stands_and_keeps_the_rules_name() -> None:
    outcome = assign(case(estate="EST-NORTH", manual_assignment=BY_HAND), directory())
    assert outcome.staff_id == "s-hs"
    assert outcome.rule is AssignmentRule.PATCH_OFFICER
    assert outcome.manual is True
    assert outcome.explain() == "Assigned by hand to Sara Hunt."


def test_a_manual_assignee_no_longer_in_the_directory_is_still_shown_by_id() -> None:
    gone = ManualAssignment(staff_id="s-left", by="s-tn", at=BY_HAND.at, reason="Covering")
    assert assign(case(manual_assignment=gone), directory()).staff_id == "s-left"


def test_reassignment_needs_someone_from_the_directory_and_a_reason() -> None:
    with pytest.raises(ProcedureError, match="directory"):
        check_reassignment(case(), directory().member("s-unknown"), "Covering")
    with pytest.raises(ProcedureError, match="reason"):
        check_reassignment(case(), directory().member("s-hs"), " ")
    check_reassignment(case(), directory().member("s-hs"), "Covering")


@pytest.mark.parametrize(
    "employee_case",
    [
        case(complainant=Complainant(anonymous=False, is_employee=True)),
        case(involved=(InvolvedPerson(is_employee=True),)),
    ],
    ids=["employee complainant", "employee involved"],
)
def test_5_9_a_case_involving_an_employee_is_only_reassigned_to_a_team_leader_or_above(
    employee_case,
) -> None:
    with pytest.raises(ProcedureError, match=r"Team Leader as a minimum \(5\.9\)"):
        check_reassignment(employee_case, directory().member("s-ha"), "Covering")
    check_reassignment(employee_case, directory().member("s-tl"), "Covering")
    manager = directory(
        staff=[{"id": "s-hm", "name": "Hal Moss", "roles": ["housing_manager"]}]
    ).member("s-hm")
    check_reassignment(employee_case, manager, "Covering")


# --- the 5.3 clock: met or not, and in words ---------------------------------------------------


def test_5_3_there_is_no_verdict_before_the_first_response() -> None:
    assert response_met(case(), london(2026, 3, 13, 17, 0)) is None


@pytest.mark.parametrize(
    ("responded", "met"),
    [((2026, 3, 13, 17, 0), True), ((2026, 3, 13, 17, 1), False), ((2026, 3, 11, 9, 0), True)],
    ids=["on the stroke of 17:00", "a minute late", "early"],
)
def test_5_3_the_response_is_met_when_made_by_the_deadline(
    responded: tuple[int, ...], met: bool
) -> None:
    answered = case(first_response=FirstResponse(at=london(*responded), by="s-ha", summary="Rang"))
    assert response_met(answered, london(2026, 3, 13, 17, 0)) is met


DUE = london(2026, 3, 13, 17, 0)  # Friday


@pytest.mark.parametrize(
    ("now", "words", "late"),
    [
        (london(2026, 3, 11, 9, 0), "due in 2 working days", 0),
        (london(2026, 3, 12, 9, 0), "due next working day", 0),
        (london(2026, 3, 13, 16, 59), "due today by 17:00", 0),
        (london(2026, 3, 13, 17, 30), "overdue (due today at 17:00)", 0),
        (london(2026, 3, 14, 10, 0), "overdue (was due Friday 13 March at 17:00)", 0),
        (london(2026, 3, 16, 9, 0), "overdue by 1 working day", 1),
        (london(2026, 3, 17, 9, 0), "overdue by 2 working days", 2),
    ],
)
def test_the_deadline_is_told_in_words_counting_working_days(
    now: datetime, words: str, late: int
) -> None:
    assert describe_due(DUE, now, ENGLAND) == words
    assert working_days_overdue(DUE, now, ENGLAND) == late


# --- 5.9.1: the group review ---------------------------------------------------------------


def assessment(**changes: object) -> StaffRiskAssessment:
    values: dict[str, object] = {
        "completed_at": datetime(2026, 3, 11, 15, 0, tzinfo=UTC),
        "participants": ("Line manager", "H&S adviser", "HR/OD manager", "Housing manager"),
        "agreed": True,
        "decision": "Visits in pairs for three months",
    }
    values.update(changes)
    return StaffRiskAssessment(**values)  # type: ignore[arg-type]


HARASSED = case(colleague_harassment=True)


def test_5_9_1_an_agreed_review_records_its_decision() -> None:
    check_staff_risk_assessment(HARASSED, assessment())
    with pytest.raises(ProcedureError, match="agreed"):
        check_staff_risk_assessment(HARASSED, assessment(decision="  "))


def test_5_9_1_if_the_group_cannot_agree_the_director_of_operations_decides() -> None:
    with pytest.raises(ProcedureError, match="Director of Operations"):
        check_staff_risk_assessment(HARASSED, assessment(agreed=False))
    check_staff_risk_assessment(
        HARASSED, assessment(agreed=False, decision=None, director_decision="Move the patch")
    )


def test_5_9_1_the_review_names_who_took_part() -> None:
    with pytest.raises(ProcedureError) as caught:
        check_staff_risk_assessment(HARASSED, assessment(participants=(" ",)))
    assert all(member in str(caught.value) for member in RISK_ASSESSMENT_GROUP)


def test_5_9_1_a_review_is_only_for_a_colleague_harassed_by_a_customer() -> None:
    with pytest.raises(ProcedureError, match="colleague harassment"):
        check_staff_risk_assessment(case(), assessment())

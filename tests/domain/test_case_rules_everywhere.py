"""The procedure's rules as every path checks them (domain/case_rules.py), each read like its
clause: the ones found missing outside the window (issue 12), and the facts worked out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import (
    CaseState,
    Complainant,
    ConsentStatus,
    ConsentToShare,
    Entry,
    EntryKind,
    FirstResponse,
    ManualAssignment,
    Organisation,
    Referral,
    ReferralRole,
    ResolutionAttempt,
    SharingBasis,
    Source,
    SourceKind,
    StaffRiskAssessment,
    Status,
)
from asb_desktop.domain.case_rules import (
    NO_FEEDBACK_WHEN_ANONYMOUS,
    RISK_ASSESSMENT_GROUP,
    case_problems,
    change_problems,
    reads_as_feedback,
)
from asb_desktop.domain.deadlines import (
    DeadlineKind,
    case_deadlines,
    describe_deadline,
    document_deadlines,
    overdue_deadlines,
)
from asb_desktop.domain.document import case_to_document
from asb_desktop.domain.procedure import (
    AssignmentRule,
    current_outcome,
    evaluate,
    may_share_document,
    may_share_with_third_party,
)
from asb_desktop.domain.validation import check_case
from tests.domain.domain_builders import at, case, directory

ENGLAND = WorkingDayCalendar()
WITH_GROUP = directory(
    staff=[
        {"id": "s-ha", "name": "Hana Ali", "roles": ["housing_officer"], "patches": ["EST-NORTH"]},
        {"id": "s-eo", "name": "Ed Owen", "roles": ["enforcement_officer"]},
        {"id": "s-tl", "name": "Tom Lee", "roles": ["team_leader"], "patches": ["EST-NORTH"]},
        {"id": "s-lm", "name": "Lia Marsh", "roles": ["line_manager"]},
        {"id": "s-hs", "name": "Sam Patel", "roles": ["health_safety_adviser"]},
        {"id": "s-hr", "name": "Jo Kowalski", "roles": ["hr_od_manager"]},
        {"id": "s-hm", "name": "Grace Adeyemi", "roles": ["housing_manager", "line_manager"]},
    ]
)
RECEIVED = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def fields(problems: list[Any]) -> list[str]:
    return [p.field for p in problems]


# --- 5.5 ---------------------------------------------------------------------------------------


def attempt(day: int, *, successful: bool = False) -> ResolutionAttempt:
    return ResolutionAttempt(
        at=datetime(2026, 3, day, 10, 0, tzinfo=UTC),
        by="s-ic",
        description="Warning letter",
        successful=successful,
    )


REFERRAL = Referral(
    to_role=ReferralRole.HOUSING_OFFICER,
    reason="Persistent ASB",
    at=datetime(2026, 3, 12, 12, 0, tzinfo=UTC),
    by="s-ic",
)


@pytest.mark.parametrize(
    ("attempts", "why"),
    [
        ((), "no attempt is recorded"),
        ((attempt(11, successful=True),), "every attempt recorded succeeded"),
        ((attempt(13),), "dated after the referral"),
    ],
    ids=["no attempt", "only successful ones", "failed after the referral"],
)
def test_5_5_a_referral_needs_a_failed_attempt_before_it(attempts: Any, why: str) -> None:
    referred = case(supported_scheme="SCH-OAK", resolution_attempts=attempts, referral=REFERRAL)
    [problem] = case_problems(referred)
    assert problem.field == "referral"
    assert problem.problem.startswith("Record at least one unsuccessful attempt")
    assert why in problem.problem
    ok = replace(referred, resolution_attempts=(*attempts, attempt(12)))
    assert case_problems(ok) == []


def test_5_5_only_a_scheme_case_has_attempts_or_a_referral() -> None:
    assert fields(case_problems(case(resolution_attempts=(attempt(11),), referral=REFERRAL))) == [
        "resolution_attempts",
        "referral",
    ]


@pytest.mark.parametrize(
    ("staff_id", "words"),
    [("s-lm", "Lia Marsh ('s-lm') is not a Housing Officer"), ("s-nobody", "not in the staff")],
    ids=["a line manager", "no such staff id"],
)
def test_5_5_the_officer_referred_to_exists_and_holds_the_role(staff_id: str, words: str) -> None:
    referred = case(
        supported_scheme="SCH-OAK",
        resolution_attempts=(attempt(11),),
        referral=replace(REFERRAL, to_staff_id=staff_id),
    )
    [problem] = change_problems(None, referred, WITH_GROUP)
    assert problem.field == "referral.to_staff_id" and words in problem.problem
    to_officer = replace(referred, referral=replace(REFERRAL, to_staff_id="s-ha"))
    assert change_problems(None, to_officer, WITH_GROUP) == []
    wrong_kind = replace(REFERRAL, to_role=ReferralRole.ENFORCEMENT_OFFICER, to_staff_id="s-ha")
    assert change_problems(None, replace(referred, referral=wrong_kind), WITH_GROUP)


# --- 5.8 ---------------------------------------------------------------------------------------

ANONYMOUS = Complainant(anonymous=True)


def contact(text: str, kind: EntryKind = EntryKind.CONTACT) -> Entry:
    return Entry(id="e-1", kind=kind, at=RECEIVED + timedelta(days=1), by="s-ha", text=text)


@pytest.mark.parametrize(
    "text",
    [
        "Feedback given on the action taken",
        "Gave feed-back by phone",
        "Told the complainant the outcome",
        "Updated complainant on the visit",
        "Let the complainant know we spoke to the neighbour",
    ],
)
def test_5_8_no_feedback_to_an_anonymous_complainant(text: str) -> None:
    assert reads_as_feedback(text)
    told = case(complainant=ANONYMOUS, entries=(contact(text),))
    assert [(p.field, p.problem) for p in case_problems(told)] == [
        ("entries[0].text", NO_FEEDBACK_WHEN_ANONYMOUS)
    ]
    answered = case(
        complainant=ANONYMOUS,
        first_response=FirstResponse(at=RECEIVED + timedelta(hours=3), by="s-ha", summary=text),
    )
    assert fields(case_problems(answered)) == ["first_response.summary"]
    assert case_problems(replace(told, complainant=Complainant(anonymous=False, name="A"))) == []
    assert case_problems(replace(told, entries=(contact(text, EntryKind.NOTE),))) == []


@pytest.mark.parametrize(
    "text",
    [
        "Explained we will not be able to give feedback (5.8)",
        "No feedback possible: anonymous",
        "Spoke to the police about the noise",
        "Visited the block; the complainant's neighbour was out",
    ],
)
def test_5_8_saying_there_will_be_no_feedback_is_not_feedback(text: str) -> None:
    assert case_problems(case(complainant=ANONYMOUS, entries=(contact(text),))) == []


# --- 5.9 and the colleague ----------------------------------------------------------------------


def test_a_colleague_harassed_by_a_customer_is_an_employee_involved_and_goes_to_a_team_leader() -> (
    None
):
    harassed = case(estate="EST-NORTH", colleague_harassment=True)
    assert harassed.involves_employee
    assignment = evaluate(harassed, WITH_GROUP, ENGLAND).assignment
    assert (assignment.rule, assignment.staff_id) == (AssignmentRule.EMPLOYEE_INVOLVED, "s-tl")


def by_hand(staff_id: str) -> ManualAssignment:
    return ManualAssignment(staff_id=staff_id, by="s-tl", at=RECEIVED, reason="Covering")


def test_5_9_a_manual_assignment_of_an_employee_case_is_to_a_team_leader_at_least() -> None:
    employee = case(
        complainant=Complainant(anonymous=False, name="A", is_employee=True),
        manual_assignment=by_hand("s-ha"),
    )
    [problem] = change_problems(None, employee, WITH_GROUP)
    assert problem.field == "manual_assignment.staff_id"
    assert "Team Leader as a minimum (5.9)" in problem.problem
    assert (
        change_problems(None, replace(employee, manual_assignment=by_hand("s-tl")), WITH_GROUP)
        == []
    )
    assert fields(change_problems(None, replace(employee, manual_assignment=by_hand("s-x")),
                                  WITH_GROUP)) == ["manual_assignment.staff_id"]  # fmt: skip


def test_5_9_a_standing_assignment_is_judged_again_when_an_employee_becomes_involved() -> None:
    before = case(manual_assignment=by_hand("s-ha"))
    assert change_problems(before, replace(before, frequency="Weekly"), WITH_GROUP) == []
    now_employee = replace(before, colleague_harassment=True)
    assert fields(change_problems(before, now_employee, WITH_GROUP)) == [
        "manual_assignment.staff_id"
    ]


# --- 5.9.1 ------------------------------------------------------------------------------------


def assessment(*participants: str) -> StaffRiskAssessment:
    return StaffRiskAssessment(
        completed_at=RECEIVED + timedelta(hours=20),
        participants=participants,
        agreed=True,
        decision="Visits in pairs",
    )


@pytest.mark.parametrize(
    ("participants", "missing"),
    [
        (("Tom Lee",), 4),
        (("Lia Marsh", "Sam Patel", "Jo Kowalski"), 1),
        (("Someone from HR", "The housing manager"), 4),
    ],
)
def test_5_9_1_the_review_group_is_the_four_the_clause_names(
    participants: tuple[str, ...], missing: int
) -> None:
    reviewed = case(colleague_harassment=True, staff_risk_assessment=assessment(*participants))
    [problem] = change_problems(None, reviewed, WITH_GROUP)
    assert problem.field == "staff_risk_assessment.participants"
    named = problem.problem.split("no one listed")[1]
    assert sum(member in named for member in RISK_ASSESSMENT_GROUP) == missing


def test_5_9_1_the_group_named_by_id_or_by_name_one_member_holding_two_roles() -> None:
    for group in (("s-hm", "s-hs", "s-hr"), ("grace adeyemi", "Sam  Patel", "Jo Kowalski")):
        reviewed = case(colleague_harassment=True, staff_risk_assessment=assessment(*group))
        assert change_problems(None, reviewed, WITH_GROUP) == []


def test_5_9_1_a_review_recorded_under_an_older_directory_stands() -> None:
    reviewed = case(colleague_harassment=True, staff_risk_assessment=assessment("s-gone"))
    assert change_problems(reviewed, replace(reviewed, frequency="Daily"), WITH_GROUP) == []


# --- 5.6: one meaning of consent ----------------------------------------------------------------


@pytest.mark.parametrize("status", list(ConsentStatus))
@pytest.mark.parametrize("basis", [None, *SharingBasis])
@pytest.mark.parametrize("kind", list(SourceKind))
def test_5_6_the_window_and_the_summary_share_on_the_same_grounds(
    status: ConsentStatus, basis: SharingBasis | None, kind: SourceKind
) -> None:
    organisation = Organisation.POLICE if kind is SourceKind.THIRD_PARTY else None
    reported = case(
        source=Source(kind=kind, organisation=organisation),
        consent_to_share=ConsentToShare(status=status, basis=basis),
    )
    document = case_to_document(reported, evaluate(reported, WITH_GROUP, ENGLAND))
    assert may_share_document(document) is may_share_with_third_party(reported)


def test_5_6_consent_given_with_no_recorded_basis_may_be_shared() -> None:
    document = case_to_document(
        given := case(
            source=Source(kind=SourceKind.THIRD_PARTY, organisation=Organisation.POLICE),
            consent_to_share=ConsentToShare(status=ConsentStatus.GIVEN),
        ),
        evaluate(given, WITH_GROUP, ENGLAND),
    )
    assert may_share_document(document) is True


# --- deadlines: the 5.9.1 risk assessment is due and overdue like the response ------------------


def test_the_risk_assessment_deadline_is_due_and_then_overdue() -> None:
    harassed = case(colleague_harassment=True, estate="EST-NORTH")
    outcome = evaluate(harassed, WITH_GROUP, ENGLAND)
    deadlines = case_deadlines(harassed, outcome)
    kinds = [d.kind for d in deadlines]
    assert kinds == [DeadlineKind.STAFF_RISK_ASSESSMENT, DeadlineKind.FIRST_RESPONSE]
    risk = deadlines[0]
    assert risk.due_at == RECEIVED + timedelta(hours=48)
    assert overdue_deadlines(deadlines, RECEIVED + timedelta(hours=47)) == []
    late = RECEIVED + timedelta(hours=49)
    assert overdue_deadlines(deadlines, late)[0] is risk
    assert describe_deadline(risk, late, ENGLAND).startswith(
        "staff risk assessment (5.9.1): overdue by 1 hour"
    )
    done = replace(harassed, staff_risk_assessment=assessment("s-hm", "s-hs", "s-hr"))
    assert all(d.kind is not DeadlineKind.STAFF_RISK_ASSESSMENT
               for d in overdue_deadlines(case_deadlines(done, outcome), late))  # fmt: skip
    closed = replace(harassed, status=Status(CaseState.CLOSED, "Resolved", late))
    assert overdue_deadlines(case_deadlines(closed, outcome), late) == []
    from_document = document_deadlines(case_to_document(harassed, outcome))
    assert [d.due_at for d in from_document] == [d.due_at for d in deadlines]


# --- worked-out facts are never stale -------------------------------------------------------------


def test_an_open_case_follows_the_directory_and_a_closed_one_keeps_what_held_at_closing() -> None:
    opened = case(estate="EST-NORTH")
    stored = case_to_document(opened, evaluate(opened, WITH_GROUP, ENGLAND))
    assert stored["assigned_to"] == "s-ha"
    moved = directory(
        staff=[{"id": "s-new", "name": "New Officer", "roles": ["housing_officer"],
                "patches": ["EST-NORTH"]}]
    )  # fmt: skip
    assert current_outcome(opened, moved, ENGLAND, stored=stored).assignment.staff_id == "s-new"
    closed = replace(
        opened, status=Status(CaseState.CLOSED, "Resolved", at("2026-03-20T10:00:00Z"))
    )
    # Closing now works the facts out now, and they are kept from then on.
    at_closing = case_to_document(
        closed, current_outcome(closed, WITH_GROUP, ENGLAND, stored=stored)
    )
    later = current_outcome(closed, moved, WorkingDayCalendar(), stored=at_closing)
    assert later.assignment.staff_id == "s-ha"
    assert case_to_document(closed, later) == at_closing


def test_a_change_may_not_add_a_problem_but_an_old_one_does_not_stop_work() -> None:
    legacy = case(supported_scheme="SCH-OAK", referral=REFERRAL)  # stored before the rule
    assert fields(check_case(legacy, None, WITH_GROUP)) == ["referral"]
    noted = replace(legacy, entries=(contact("Noted", EntryKind.NOTE),))
    assert check_case(noted, legacy, WITH_GROUP) == []
    fed_back = replace(noted, complainant=ANONYMOUS, entries=(contact("Gave feedback"),))
    assert fields(check_case(fed_back, legacy, WITH_GROUP)) == ["entries[0].text"]

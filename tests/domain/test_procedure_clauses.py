"""Section 5 of the ASB procedure, one group of tests per clause, each named after what it says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import (
    AnonymityChecklist,
    Complainant,
    ConsentStatus,
    ConsentToShare,
    InvolvedPerson,
    Organisation,
    Referral,
    ReferralRole,
    ResolutionAttempt,
    Severity,
    SharingBasis,
    Source,
    SourceKind,
)
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import InputError, ProcedureError
from asb_desktop.domain.procedure import (
    AssignmentRule,
    anonymised,
    anonymity_steps_outstanding,
    assign,
    check_referral,
    evaluate,
    feedback_possible,
    may_share_with_third_party,
    response_due_at,
    sharing_consequence,
    staff_risk_assessment_due_at,
)
from tests.domain.domain_builders import case, case_document, directory

LONDON = ZoneInfo("Europe/London")
ENGLAND = WorkingDayCalendar()
TUESDAY_MORNING = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


# --- 5.3: logged as an ASB case, assigned to the relevant officer, serious in 1 working day,
# general in 3 ------------------------------------------------------------------------------


def test_5_3_a_serious_case_is_responded_to_within_1_working_day_by_close_of_business() -> None:
    due = response_due_at(TUESDAY_MORNING, Severity.SERIOUS, ENGLAND)
    assert due == datetime(2026, 3, 11, 17, 0, tzinfo=LONDON)  # Wednesday


def test_5_3_a_general_case_is_responded_to_within_3_working_days_by_close_of_business() -> None:
    due = response_due_at(TUESDAY_MORNING, Severity.GENERAL, ENGLAND)
    assert due == datetime(2026, 3, 13, 17, 0, tzinfo=LONDON)  # Friday


def test_5_3_close_of_business_is_17_00_london_time_in_summer_too() -> None:
    due = response_due_at(datetime(2026, 6, 9, 8, 0, tzinfo=UTC), Severity.SERIOUS, ENGLAND)
    assert due.astimezone(LONDON).hour == 17
    assert due == datetime(2026, 6, 10, 16, 0, tzinfo=UTC)  # 17:00 BST


def test_5_3_a_case_on_an_estate_goes_to_the_first_listed_housing_officer_for_it() -> None:
    outcome = assign(case(estate="EST-NORTH"), directory())
    assert outcome.rule is AssignmentRule.PATCH_OFFICER
    assert outcome.staff_id == "s-ha"  # Hana is listed before Hugo, who covers it too
    assert assign(case(estate="EST-SOUTH"), directory()).staff_id == "s-hs"


def test_5_3_an_estate_no_housing_officer_covers_waits_for_manual_assignment() -> None:
    outcome = assign(case(estate="EST-NOWHERE"), directory())
    assert outcome.rule is AssignmentRule.PATCH_OFFICER
    assert outcome.staff is None
    assert "manual assignment" in outcome.explain()


def test_a_case_with_no_estate_and_no_scheme_is_unassigned() -> None:
    outcome = assign(case(), directory())
    assert (outcome.rule, outcome.staff) == (AssignmentRule.UNASSIGNED, None)


# --- 5.4: supported housing schemes go to the officer managing the scheme ------------------


def test_5_4_a_scheme_case_goes_to_the_first_listed_coordinator_whose_schemes_include_it() -> None:
    # Iris is listed first but runs only Oak Court; Ian runs Elm House.
    assert assign(case(supported_scheme="SCH-ELM"), directory()).staff_id == "s-id"
    assert assign(case(supported_scheme="SCH-OAK"), directory()).staff_id == "s-ic"


def test_5_4_a_scheme_nobody_coordinates_leaves_the_case_unassigned_under_the_scheme_rule() -> None:
    outcome = assign(case(supported_scheme="SCH-PINE", estate="EST-NORTH"), directory())
    assert outcome.rule is AssignmentRule.SUPPORTED_SCHEME
    assert outcome.staff is None


def test_5_4_a_scheme_case_is_still_logged_with_the_5_3_response_target() -> None:
    scheme_case = case(supported_scheme="SCH-OAK", severity=Severity.SERIOUS)
    outcome = evaluate(scheme_case, directory(), ENGLAND)
    assert outcome.response_due_at == datetime(2026, 3, 11, 17, 0, tzinfo=LONDON)


# --- 5.5: referral to a Housing or Enforcement Officer only after the scheme officer failed --


FAILED = ResolutionAttempt(
    at=datetime(2026, 3, 12, 10, 0, tzinfo=UTC),
    by="s-ic",
    description="Spoke to the resident about noise; it carried on",
    successful=False,
)
WORKED = ResolutionAttempt(
    at=datetime(2026, 3, 12, 10, 0, tzinfo=UTC),
    by="s-ic",
    description="Mediation; the noise stopped for now",
    successful=True,
)


def test_5_5_referral_is_allowed_after_a_recorded_unsuccessful_attempt_with_a_reason() -> None:
    scheme_case = case(supported_scheme="SCH-OAK", resolution_attempts=(WORKED, FAILED))
    for role in ReferralRole:
        check_referral(scheme_case, role, "Persistent ASB")  # raises if not allowed


@pytest.mark.parametrize("attempts", [(), (WORKED,)], ids=["no attempt", "only a success"])
def test_5_5_no_referral_until_the_scheme_officer_has_tried_without_success(attempts) -> None:
    scheme_case = case(supported_scheme="SCH-OAK", resolution_attempts=attempts)
    with pytest.raises(ProcedureError, match="unsuccessful attempt"):
        check_referral(scheme_case, ReferralRole.HOUSING_OFFICER, "Persistent ASB")


def test_5_5_a_referral_needs_a_reason() -> None:
    scheme_case = case(supported_scheme="SCH-OAK", resolution_attempts=(FAILED,))
    with pytest.raises(ProcedureError, match="reason"):
        check_referral(scheme_case, ReferralRole.ENFORCEMENT_OFFICER, "   ")


def test_5_5_only_supported_scheme_cases_are_referred() -> None:
    with pytest.raises(ProcedureError, match="no scheme"):
        check_referral(
            case(resolution_attempts=(FAILED,)), ReferralRole.HOUSING_OFFICER, "Persistent"
        )


def test_5_5_a_case_is_not_referred_twice() -> None:
    earlier = Referral(
        to_role=ReferralRole.HOUSING_OFFICER,
        reason="Behaviour not moderated",
        at=datetime(2026, 3, 13, 9, 0, tzinfo=UTC),
        by="s-ic",
    )
    referred = case(supported_scheme="SCH-OAK", resolution_attempts=(FAILED,), referral=earlier)
    with pytest.raises(ProcedureError, match="already been referred"):
        check_referral(referred, ReferralRole.ENFORCEMENT_OFFICER, "Still persistent")


# --- 5.6: nothing shared with a third party without consent or the sharing protocol --------

POLICE = Source(kind=SourceKind.THIRD_PARTY, organisation=Organisation.POLICE)


@pytest.mark.parametrize(
    ("status", "basis", "allowed"),
    [
        (ConsentStatus.GIVEN, SharingBasis.CONSENT, True),
        (ConsentStatus.GIVEN, None, True),
        (ConsentStatus.REFUSED, SharingBasis.INFORMATION_SHARING_PROTOCOL, True),
        (ConsentStatus.NOT_ASKED, SharingBasis.INFORMATION_SHARING_PROTOCOL, True),
        (ConsentStatus.REFUSED, None, False),
        (ConsentStatus.NOT_ASKED, None, False),
    ],
)
def test_5_6_third_party_sharing_only_with_given_consent_or_under_the_protocol(
    status: ConsentStatus, basis: SharingBasis | None, allowed: bool
) -> None:
    third_party = case(source=POLICE, consent_to_share=ConsentToShare(status=status, basis=basis))
    assert may_share_with_third_party(third_party) is allowed
    told = sharing_consequence(third_party)
    assert ("may be shared with the third party on the basis of" in told) is allowed
    assert ("Nothing about the complainant's circumstances" in told) is not allowed


def test_5_6_the_officer_is_told_the_ground_for_sharing() -> None:
    by_consent = case(source=POLICE, consent_to_share=ConsentToShare(ConsentStatus.GIVEN))
    by_protocol = case(
        source=POLICE,
        consent_to_share=ConsentToShare(basis=SharingBasis.INFORMATION_SHARING_PROTOCOL),
    )
    assert "consent" in sharing_consequence(by_consent)
    assert "information sharing protocol" in sharing_consequence(by_protocol)


def test_5_6_a_direct_report_has_no_third_party_to_share_with() -> None:
    direct = case(consent_to_share=ConsentToShare(ConsentStatus.GIVEN, SharingBasis.CONSENT))
    assert may_share_with_third_party(direct) is False
    assert "no third party" in sharing_consequence(direct)


@pytest.mark.parametrize("status", ["refused", "not_asked", None])
def test_5_6_basis_consent_without_consent_given_is_an_input_error(status: str | None) -> None:
    doc = case_document(
        source={"kind": "third_party", "organisation": "mp"},
        consent_to_share={"status": status, "basis": "consent"},
    )
    with pytest.raises(InputError) as caught:
        case_from_document(doc)
    assert caught.value.field == "consent_to_share.basis"


# --- 5.7, 5.8: anonymous reports --------------------------------------------------------------


@pytest.mark.parametrize("detail", ["name", "address", "phone", "email"])
def test_5_8_an_anonymous_complainant_document_giving_contact_details_is_rejected(
    detail: str,
) -> None:
    doc = case_document(complainant={"anonymous": True, detail: "Zoë O'Brien-Łukasiewicz"})
    with pytest.raises(InputError) as caught:
        case_from_document(doc)
    assert caught.value.field == f"complainant.{detail}"
    assert "anonymous" in str(caught.value)


def test_5_8_the_complainant_is_recorded_as_anonymous_with_no_contact_details() -> None:
    doc = case_document(complainant={"anonymous": True, "name": None, "is_employee": False})
    recorded = case_from_document(doc).complainant
    assert recorded == Complainant(anonymous=True)


def test_5_8_anonymising_a_complainant_keeps_no_contact_details() -> None:
    given = Complainant(
        anonymous=True, name="Ann", address="1 Road", phone="0", email="a@b.c", is_employee=True
    )
    assert anonymised(given) == Complainant(anonymous=True, is_employee=True)
    named = Complainant(anonymous=False, name="Ann")
    assert anonymised(named) == named


def test_5_8_no_feedback_can_be_given_to_an_anonymous_complainant() -> None:
    assert feedback_possible(case(complainant=Complainant(anonymous=True))) is False
    assert feedback_possible(case()) is True


def test_5_7_5_8_every_step_is_outstanding_until_the_officer_records_it() -> None:
    anonymous = case(complainant=Complainant(anonymous=True))
    steps = anonymity_steps_outstanding(anonymous)
    assert len(steps) == 5
    assert steps[0].startswith("Reassured")
    assert "no undue pressure" in steps[3]
    assert "limitations" in steps[4]


def test_5_7_5_8_only_the_steps_not_yet_done_are_outstanding() -> None:
    partly = AnonymityChecklist(reassured=True, no_undue_pressure=True, limitations_explained=True)
    anonymous = case(complainant=Complainant(anonymous=True), anonymity=partly)
    outstanding = anonymity_steps_outstanding(anonymous)
    assert [s.split()[0] for s in outstanding] == ["Gathered", "Discussed"]
    done = AnonymityChecklist(True, True, True, True, True)
    assert anonymity_steps_outstanding(case(complainant=Complainant(True), anonymity=done)) == []


def test_5_7_a_named_complainant_has_no_anonymity_checklist() -> None:
    assert anonymity_steps_outstanding(case()) == []


# --- 5.9: any report involving an employee goes to a Team Leader at least -----------------


@pytest.mark.parametrize(
    "changes",
    [
        {"complainant": Complainant(anonymous=False, name="Kim", is_employee=True)},
        {"complainant": Complainant(anonymous=True, is_employee=True)},
        {"involved": (InvolvedPerson(name="X"), InvolvedPerson(name="Y", is_employee=True))},
    ],
    ids=["complainant", "anonymous complainant", "second involved person"],
)
def test_5_9_a_report_involving_an_employee_is_assigned_to_a_team_leader(changes) -> None:
    outcome = assign(case(estate="EST-SOUTH", **changes), directory())
    assert outcome.rule is AssignmentRule.EMPLOYEE_INVOLVED
    assert outcome.staff is not None and "team_leader" in outcome.staff.roles
    assert "5.9" in outcome.explain()


def test_5_9_the_team_leader_for_the_estates_patch_comes_first() -> None:
    # Tom is the first-listed team leader, but only Nia covers EST-NORTH.
    employee = Complainant(anonymous=False, is_employee=True)
    assert assign(case(estate="EST-NORTH", complainant=employee), directory()).staff_id == "s-tn"


@pytest.mark.parametrize("estate", [None, "EST-EAST"], ids=["no estate", "estate nobody leads"])
def test_5_9_otherwise_the_first_listed_team_leader(estate: str | None) -> None:
    employee = Complainant(anonymous=False, is_employee=True)
    assert assign(case(estate=estate, complainant=employee), directory()).staff_id == "s-tl"


def test_5_9_with_no_team_leader_in_the_directory_the_case_waits_under_the_employee_rule() -> None:
    only_officers = directory(staff=[{"id": "s-ha", "name": "Hana", "roles": ["housing_officer"]}])
    outcome = assign(case(involved=(InvolvedPerson(is_employee=True),)), only_officers)
    assert (outcome.rule, outcome.staff) == (AssignmentRule.EMPLOYEE_INVOLVED, None)


# --- 5.9.1: a colleague harassed by a customer: risk assessment within 48 hours -----------


def test_5_9_1_risk_assessment_is_due_48_hours_after_the_report() -> None:
    harassed = case(colleague_harassment=True)
    assert staff_risk_assessment_due_at(harassed) == TUESDAY_MORNING + timedelta(hours=48)


def test_5_9_1_no_risk_assessment_clock_without_colleague_harassment() -> None:
    assert staff_risk_assessment_due_at(case()) is None
    assert evaluate(case(), directory(), ENGLAND).staff_risk_assessment_due_at is None


def test_5_9_1_the_48_hours_are_real_hours_across_the_clocks_going_forward() -> None:
    # Saturday 28 March 2026 noon GMT; clocks go forward on Sunday 29 March.
    received = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    due = staff_risk_assessment_due_at(case(received_at=received, colleague_harassment=True))
    assert due is not None
    assert due == datetime(2026, 3, 30, 12, 0, tzinfo=UTC)  # 13:00 BST, not 12:00 BST
    assert due.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=48)


# --- the contract's order: employee beats scheme beats patch ------------------------------


@pytest.mark.parametrize(
    ("employee", "scheme", "estate", "rule", "staff_id"),
    [
        (True, "SCH-ELM", "EST-NORTH", AssignmentRule.EMPLOYEE_INVOLVED, "s-tn"),
        (True, "SCH-ELM", None, AssignmentRule.EMPLOYEE_INVOLVED, "s-tl"),
        (False, "SCH-ELM", "EST-NORTH", AssignmentRule.SUPPORTED_SCHEME, "s-id"),
        (False, None, "EST-NORTH", AssignmentRule.PATCH_OFFICER, "s-ha"),
        (False, None, None, AssignmentRule.UNASSIGNED, None),
    ],
)
def test_the_first_rule_whose_condition_holds_decides_the_assignment(
    employee: bool,
    scheme: str | None,
    estate: str | None,
    rule: AssignmentRule,
    staff_id: str | None,
) -> None:
    subject = case(
        complainant=Complainant(anonymous=False, name="Kim", is_employee=employee),
        supported_scheme=scheme,
        estate=estate,
    )
    outcome = evaluate(subject, directory(), ENGLAND)
    assert outcome.assignment.rule is rule
    assert outcome.assignment.staff_id == staff_id

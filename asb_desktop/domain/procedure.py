"""Section 5 of the ASB procedure as plain functions: one function per clause, named after it.

Nothing here reads a clock or a database: callers pass `now`, the directory and the calendar, so
every rule can be tested the way the procedure is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from asb_desktop.domain.calendar import WorkingDayCalendar, close_of_business, london_day
from asb_desktop.domain.case import (
    Case,
    Complainant,
    ConsentStatus,
    ConsentToShare,
    Referral,
    ReferralRole,
    Severity,
    SharingBasis,
    SourceKind,
    StaffRiskAssessment,
)
from asb_desktop.domain.case_management import RiskLevel, latest_risk_level
from asb_desktop.domain.case_policy import DEFAULT_POLICY, CasePolicy
from asb_desktop.domain.case_review import NO_REVIEW, CaseReview, as_of, case_review
from asb_desktop.domain.case_rules import (
    RISK_ASSESSMENT_GROUP,
    TEAM_LEADER_OR_ABOVE,
    assignee_problems,
    referral_problems,
    referral_staff_problems,
    risk_assessment_problems,
    risk_group_problems,
    sentences,
)
from asb_desktop.domain.directory import Directory, Role, StaffMember
from asb_desktop.domain.due_words import describe_due as describe_due
from asb_desktop.domain.due_words import working_days_overdue as working_days_overdue
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.keeping_informed import next_update_due_at
from asb_desktop.domain.retention import destroy_after
from asb_desktop.domain.review_applications import decision_due_at, first_awaiting_decision

__all__ = ["RISK_ASSESSMENT_GROUP", "TEAM_LEADER_OR_ABOVE"]

# 5.3: serious cases within 1 working day, general cases within 3.
RESPONSE_WORKING_DAYS = {Severity.SERIOUS: 1, Severity.GENERAL: 3}
# 5.9.1: the staff risk assessment happens within 48 hours of the report.
STAFF_RISK_ASSESSMENT_WINDOW = timedelta(hours=48)


class AssignmentRule(StrEnum):
    """Which clause picked the assignee, in the order the contract tries them."""

    EMPLOYEE_INVOLVED = "employee_involved"  # 5.9
    SUPPORTED_SCHEME = "supported_scheme"  # 5.4
    PATCH_OFFICER = "patch_officer"  # 5.3
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Assignment:
    rule: AssignmentRule
    staff: StaffMember | None
    manual: bool = False  # chosen by hand; the rule's name is kept to show why it needed one

    @property
    def staff_id(self) -> str | None:
        return self.staff.id if self.staff else None

    def explain(self) -> str:
        """Why the case goes where it goes, in the officer's words."""
        who = self.staff.name if self.staff else "no one yet (awaiting manual assignment)"
        if self.manual:
            return f"Assigned by hand to {who}."
        reasons = {
            AssignmentRule.EMPLOYEE_INVOLVED: (
                "an employee is involved, so a Team Leader at least must handle it (5.9)"
            ),
            AssignmentRule.SUPPORTED_SCHEME: (
                "it concerns a supported housing scheme, so it goes to the scheme's officer (5.4)"
            ),
            AssignmentRule.PATCH_OFFICER: "it goes to the housing officer for the estate (5.3)",
            AssignmentRule.UNASSIGNED: "no estate or scheme is recorded, so no rule picks anyone",
        }
        return f"Assigned to {who}: {reasons[self.rule]}."


def assignment_rule(case: Case) -> AssignmentRule:
    if case.involves_employee:
        return AssignmentRule.EMPLOYEE_INVOLVED
    if case.supported_scheme:
        return AssignmentRule.SUPPORTED_SCHEME
    if case.estate:
        return AssignmentRule.PATCH_OFFICER
    return AssignmentRule.UNASSIGNED


def _first(candidates: list[StaffMember]) -> StaffMember | None:
    return candidates[0] if candidates else None


def assign(case: Case, directory: Directory) -> Assignment:
    """5.3, 5.4 and 5.9: who the case goes to, first-listed in the directory winning; a manual
    assignment, once made, stands."""
    rule = assignment_rule(case)
    if case.manual_assignment is not None:
        chosen = case.manual_assignment.staff_id
        member = directory.member(chosen) or StaffMember(id=chosen, name=chosen, roles=frozenset())
        return Assignment(rule=rule, staff=member, manual=True)
    staff: StaffMember | None = None
    if rule is AssignmentRule.EMPLOYEE_INVOLVED:
        leaders = directory.with_role(Role.TEAM_LEADER)
        on_patch = [s for s in leaders if case.estate and case.estate in s.patches]
        staff = _first(on_patch) or _first(leaders)
    elif rule is AssignmentRule.SUPPORTED_SCHEME:
        coordinators = directory.with_role(Role.SCHEME_COORDINATOR)
        staff = _first([s for s in coordinators if case.supported_scheme in s.schemes])
    elif rule is AssignmentRule.PATCH_OFFICER:
        officers = directory.with_role(Role.HOUSING_OFFICER)
        staff = _first([s for s in officers if case.estate in s.patches])
    return Assignment(rule=rule, staff=staff)


def response_due_at(
    received_at: datetime, severity: Severity, calendar: WorkingDayCalendar
) -> datetime:
    """5.3: 17:00 London time on the 1st (serious) or 3rd (general) working day after receipt."""
    day = calendar.nth_working_day_after(london_day(received_at), RESPONSE_WORKING_DAYS[severity])
    return close_of_business(day)


def staff_risk_assessment_due_at(case: Case) -> datetime | None:
    """5.9.1: a colleague harassed by a customer gets a risk assessment within 48 hours."""
    if not case.colleague_harassment:
        return None
    # In UTC: adding to a zone-aware time is wall-clock arithmetic, an hour out over a clock change.
    return case.received_at.astimezone(UTC) + STAFF_RISK_ASSESSMENT_WINDOW


# --- 5.7, 5.8: anonymous reports -------------------------------------------------------------

ANONYMITY_STEPS = (
    (
        "reassured",
        "Reassured them we will not tell the alleged perpetrator who they are "
        "without their prior consent",
    ),
    ("information_gathered", "Gathered as much information as possible about the incidents"),
    (
        "action_and_support_discussed",
        "Discussed the action we can take, and the support and protection we can provide",
    ),
    ("no_undue_pressure", "Placed no undue pressure on them to give their name or address"),
)
ANONYMITY_LIMITATIONS = (
    "Remaining anonymous limits how far we can investigate, and we will not be able to give "
    "any feedback on our investigation or the action taken (5.8)."
)


def anonymity_steps_outstanding(case: Case) -> list[str]:
    """The 5.7/5.8 steps not yet recorded as done for an anonymous complainant."""
    if not case.complainant.anonymous:
        return []
    checklist = case.anonymity
    done = {name for name, _ in ANONYMITY_STEPS if checklist and getattr(checklist, name)}
    missing = [text for name, text in ANONYMITY_STEPS if name not in done]
    if not (checklist and checklist.limitations_explained):
        missing.append("Explained the limitations anonymity imposes (5.8)")
    return missing


def anonymised(complainant: Complainant) -> Complainant:
    """5.8: an anonymous complainant is recorded as anonymous, with no contact details kept."""
    if not complainant.anonymous:
        return complainant
    return Complainant(
        anonymous=True,
        is_employee=complainant.is_employee,
        vulnerabilities=complainant.vulnerabilities,  # not identifying: they shape the risk
        adjustments=complainant.adjustments,
    )


def feedback_possible(case: Case) -> bool:
    """5.8: no feedback on the investigation can be given to an anonymous complainant."""
    return not case.complainant.anonymous


# --- 5.6: third-party reports ----------------------------------------------------------------


def sharing_ground(consent: ConsentToShare) -> SharingBasis | None:
    """5.6: the ground on which a third party may be told the individual's circumstances, or
    None. Consent given is confirmation of consent gained, so it is the ground whether or not
    a basis was also recorded; the information sharing protocol is a ground on its own."""
    if consent.basis is SharingBasis.INFORMATION_SHARING_PROTOCOL:
        return SharingBasis.INFORMATION_SHARING_PROTOCOL
    if consent.status is ConsentStatus.GIVEN:
        return SharingBasis.CONSENT
    return None


def may_share_with_third_party(case: Case) -> bool:
    """5.6: the individual's circumstances go to the third party only with consent or under the
    information sharing protocol (and only when a third party made the report)."""
    if case.source.kind is not SourceKind.THIRD_PARTY:
        return False
    return sharing_ground(case.consent_to_share) is not None


def may_share_document(document: Mapping[str, Any]) -> bool:
    """`may_share_with_third_party` read straight from a case document (as a summary has it);
    a value it cannot read counts as no ground at all."""
    source = document.get("source")
    consent = document.get("consent_to_share")
    if not isinstance(source, Mapping) or source.get("kind") != SourceKind.THIRD_PARTY.value:
        return False
    if not isinstance(consent, Mapping):
        return False
    try:
        status = ConsentStatus(consent.get("status") or ConsentStatus.NOT_ASKED.value)
        basis = SharingBasis(consent["basis"]) if consent.get("basis") else None
    except (ValueError, TypeError):
        return False
    return sharing_ground(ConsentToShare(status=status, basis=basis)) is not None


def sharing_consequence(case: Case) -> str:
    """What the officer should be told about sharing with the third party, in a sentence."""
    if case.source.kind is not SourceKind.THIRD_PARTY:
        return "Reported directly: there is no third party to share with."
    if may_share_with_third_party(case):
        ground = (
            "the information sharing protocol"
            if sharing_ground(case.consent_to_share) is SharingBasis.INFORMATION_SHARING_PROTOCOL
            else "the complainant's consent"
        )
        return (
            f"Relevant circumstances may be shared with the third party on the basis of {ground}."
        )
    return (
        "Nothing about the complainant's circumstances may be shared with the third party: "
        "no consent has been confirmed and no information sharing protocol applies (5.6)."
    )


# --- 5.5: escalation from a supported scheme --------------------------------------------------


def check_referral(
    case: Case,
    to_role: ReferralRole,
    reason: str,
    *,
    at: datetime | None = None,
    to_staff_id: str | None = None,
    directory: Directory | None = None,
) -> None:
    """5.5: refer to a Housing or Enforcement Officer only after the scheme officer tried and
    failed; with `directory`, the officer named must be in it and hold the role. The rules are
    `case_rules.referral_problems` and `referral_staff_problems`, as on every other path."""
    if to_role not in (ReferralRole.HOUSING_OFFICER, ReferralRole.ENFORCEMENT_OFFICER):
        raise ProcedureError("A 5.5 referral goes to a Housing Officer or an Enforcement Officer.")
    moment = at or datetime.max.replace(tzinfo=UTC)
    referral = Referral(to_role=to_role, reason=reason, at=moment, by="", to_staff_id=to_staff_id)
    problems = referral_problems(case, referral)
    if directory is not None:
        problems += referral_staff_problems(referral, directory)
    if problems:
        raise ProcedureError(sentences(problems))
    if case.referral is not None:
        raise ProcedureError("This case has already been referred.")


def check_reassignment(case: Case, staff: StaffMember | None, reason: str) -> None:
    """Manual assignment: a known member of staff, a reason, and 5.9 still respected."""
    if staff is None:
        raise ProcedureError("Choose a member of staff from the directory.")
    if not reason.strip():
        raise ProcedureError("Give a reason for assigning the case by hand.")
    problems = assignee_problems(case, staff, staff.id)
    if problems:
        raise ProcedureError(sentences(problems))


def response_met(case: Case, due_at: datetime) -> bool | None:
    """5.3: was the first response made by the deadline? None while there is no response yet."""
    if case.first_response is None:
        return None
    return case.first_response.at <= due_at


def check_staff_risk_assessment(
    case: Case, assessment: StaffRiskAssessment, directory: Directory | None = None
) -> None:
    """5.9.1: the group reviews and decides; if it cannot agree, the Director of Operations does.
    With `directory`, the group's make-up is checked too (`case_rules.risk_group_problems`)."""
    problems = risk_assessment_problems(case, assessment)
    if not problems and directory is not None:
        problems = risk_group_problems(assessment, directory)
    if problems:
        raise ProcedureError(sentences(problems))


# --- the whole outcome ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What the procedure works out for a case: the contract's computed fields."""

    assignment: Assignment
    response_due_at: datetime
    staff_risk_assessment_due_at: datetime | None
    risk_level: RiskLevel | None = None
    next_update_due_at: datetime | None = None
    case_review: CaseReview = NO_REVIEW
    # `retention.destroy_after` (domain/retention.py): None while open or under a legal hold.
    destroy_after: date | None = None
    # When the first ASB Case Review application awaiting a decision is to be decided by
    # (None when none is): `case_review_decision_due_at`.
    case_review_decision_due_at: datetime | None = None


def evaluate(
    case: Case,
    directory: Directory,
    calendar: WorkingDayCalendar,
    *,
    policy: CasePolicy = DEFAULT_POLICY,
    review: CaseReview | None = None,
) -> Outcome:
    """`review`: the Case Review worked out across the complainant's cases by the caller, which
    knows the store and the clock (`case_review.case_review`); without one, the case alone as
    of its latest report."""
    return Outcome(
        assignment=assign(case, directory),
        response_due_at=response_due_at(case.received_at, case.severity, calendar),
        staff_risk_assessment_due_at=staff_risk_assessment_due_at(case),
        risk_level=latest_risk_level(case.risk_assessments),
        next_update_due_at=next_update_due_at(case, calendar, policy),
        case_review=review or case_review(case, (), as_of(case), policy),
        destroy_after=destroy_after(case, policy),
        case_review_decision_due_at=review_decision_due_at(case, calendar, policy),
    )


def review_decision_due_at(
    case: Case, calendar: WorkingDayCalendar, policy: CasePolicy = DEFAULT_POLICY
) -> datetime | None:
    """When the first Case Review application still awaiting its decision is to be decided;
    None when none awaits one, or the case is closed."""
    waiting = first_awaiting_decision(case.case_review_applications)
    if waiting is None or not case.is_open:
        return None
    return decision_due_at(waiting, calendar, policy.review_decision_working_days)


# --- worked-out facts are never stale ---------------------------------------------------------


def kept_outcome(document: Mapping[str, Any]) -> Outcome | None:
    """The computed fields a stored document carries, as an Outcome; None when it carries none
    that can be read (a document written before they existed, or damaged)."""
    from asb_desktop.domain.timestamps import parse_timestamp

    try:
        rule = AssignmentRule(str(document.get("assignment_rule")))
        due = parse_timestamp(document.get("response_due_at"), "response_due_at")
        raw_risk = document.get("staff_risk_assessment_due_at")
        risk = parse_timestamp(raw_risk, "staff_risk_assessment_due_at") if raw_risk else None
    except (ValueError, TypeError):
        return None
    staff_id, name = document.get("assigned_to"), document.get("assigned_to_name")
    staff = None
    if isinstance(staff_id, str) and staff_id:
        shown_as = name if isinstance(name, str) and name else staff_id
        staff = StaffMember(id=staff_id, name=shown_as, roles=frozenset())
    manual = document.get("manual_assignment") is not None
    level, next_due, review, decision = _kept_management(document)
    return Outcome(
        Assignment(rule, staff, manual=manual),
        due,
        risk,
        risk_level=level,
        next_update_due_at=next_due,
        case_review=review,
        case_review_decision_due_at=decision,
    )


def _kept_management(
    document: Mapping[str, Any],
) -> tuple[RiskLevel | None, datetime | None, CaseReview, datetime | None]:
    """The case-management fields a stored document carries (absent in one written before
    they existed: none, and no review)."""
    from asb_desktop.domain.timestamps import parse_timestamp

    try:
        raw_level = document.get("risk_level")
        level = RiskLevel(raw_level) if raw_level else None
        raw_next = document.get("next_update_due_at")
        due = parse_timestamp(raw_next, "next_update_due_at") if raw_next else None
    except (ValueError, TypeError):
        level, due = None, None
    try:
        raw_decision = document.get("case_review_decision_due_at")
        decision = (
            parse_timestamp(raw_decision, "case_review_decision_due_at") if raw_decision else None
        )
    except (ValueError, TypeError):
        decision = None
    review = document.get("case_review")
    if not isinstance(review, Mapping):
        return level, due, NO_REVIEW, decision
    count = review.get("qualifying_reports")
    eligible = review.get("eligible")
    if isinstance(count, bool) or not isinstance(count, int) or not isinstance(eligible, bool):
        return level, due, NO_REVIEW, decision
    return level, due, CaseReview(count, eligible), decision


def kept_case_review(document: Mapping[str, Any]) -> CaseReview | None:
    """The ASB Case Review a stored document carries, for working a case out again when only
    the directory or the nation changed (they do not move it); None when it carries none."""
    if not isinstance(document.get("case_review"), Mapping):
        return None
    return _kept_management(document)[2]


def current_outcome(
    case: Case,
    directory: Directory,
    calendar: WorkingDayCalendar,
    stored: Mapping[str, Any] | None = None,
    *,
    policy: CasePolicy = DEFAULT_POLICY,
    review: CaseReview | None = None,
) -> Outcome:
    """The computed fields a case should carry now. An open case follows the current directory
    and nation (a manual assignment stands); a closed case keeps what held when it closed: the
    stored document's, when it was already closed there. A case that closes now, or comes in
    closed with nothing stored before, is worked out now and kept from then on."""
    if not case.is_open and stored is not None:
        status = stored.get("status")
        was_closed = isinstance(status, Mapping) and status.get("state") == "closed"
        kept = kept_outcome(stored) if was_closed else None
        if kept is not None:
            # A hold set or released after closing moves the day: it is worked out every time.
            return replace(kept, destroy_after=destroy_after(case, policy))
    return evaluate(case, directory, calendar, policy=policy, review=review)

"""What a valid case and a valid change to a case are, under section 5 of the procedure.

Every path a case comes in by asks these functions: the window's save (through the services),
`asb-desktop import`, a case pulled from the central store, and the central store's push. Each
rule gives its problem as an InputError naming the field, with a sentence an officer can act on;
the same sentence on every path.

Two kinds of rule:

- `case_problems(case)`: what the case itself must satisfy, whatever the directory says (5.5's
  failed attempt before a referral, 5.8's no feedback to an anonymous complainant, 5.9.1's
  review records its decision…). Checked on every path, a pulled case included.
- `change_problems(before, after, directory)`: what a new or changed fact must satisfy against
  the staff directory of the place that takes it in (a referral to a Housing or Enforcement
  Officer who exists, a manual assignment of an employee case to a Team Leader at least, the
  5.9.1 group's make-up). Checked where the change is made or taken in (the window, import,
  the central store's push), only for facts that are new or changed, so a case recorded under
  last year's directory is not refused for it; a pulled case has already passed the central
  store's check, with the central directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from asb_desktop.domain.case import (
    Case,
    EntryKind,
    ManualAssignment,
    Referral,
    ReferralRole,
    StaffRiskAssessment,
)
from asb_desktop.domain.closing_rules import closing_change_problems, closing_problems
from asb_desktop.domain.directory import Directory, Role, StaffMember
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.limits import shown
from asb_desktop.domain.review_applications import application_problems
from asb_desktop.domain.risk_questions import ours, score_answers

# --- 5.5: a supported-scheme case is referred only after the scheme officer tried and failed --

REFERRAL_NEEDS_FAILED_ATTEMPT = (
    "Record at least one unsuccessful attempt by the scheme officer to resolve the issue, "
    "dated before the referral, before referring (5.5)"
)
REFERRAL_ROLES = {
    ReferralRole.HOUSING_OFFICER: (Role.HOUSING_OFFICER, "a Housing Officer"),
    ReferralRole.ENFORCEMENT_OFFICER: (Role.ENFORCEMENT_OFFICER, "an Enforcement Officer"),
}


def referral_problems(case: Case, referral: Referral) -> list[InputError]:
    """5.5 as the case records it: a scheme case, and an unsuccessful attempt before the referral."""
    if not case.supported_scheme:
        return [
            InputError(
                "referral",
                "Only a supported housing scheme case is referred under 5.5; this case has no "
                "scheme.",
            )
        ]
    found: list[InputError] = []
    failed = [a for a in case.resolution_attempts if not a.successful]
    if not case.resolution_attempts:
        why = "no attempt is recorded"
    elif not failed:
        why = "every attempt recorded succeeded"
    elif not any(a.at <= referral.at for a in failed):
        why = "the unsuccessful attempts recorded are dated after the referral"
    else:
        why = ""
    if why:
        found.append(InputError("referral", f"{REFERRAL_NEEDS_FAILED_ATTEMPT}: {why}."))
    if not referral.reason.strip():
        found.append(
            InputError(
                "referral.reason",
                "Give the reason for the referral: persistent ASB, or behaviour not moderated "
                "(5.5).",
            )
        )
    return found


def referral_staff_problems(referral: Referral, directory: Directory) -> list[InputError]:
    """5.5: the officer referred to, when named, is in the directory and holds the role."""
    if referral.to_staff_id is None:
        return []
    role, words = REFERRAL_ROLES[referral.to_role]
    member = directory.member(referral.to_staff_id)
    if member is None:
        return [_not_in_directory("referral.to_staff_id", referral.to_staff_id)]
    if not member.has_role(role):
        return [
            InputError(
                "referral.to_staff_id",
                f"{member.name} ({shown(member.id)}) is not {words}: a 5.5 referral goes to "
                f"{words}, as its to_role says.",
            )
        ]
    return []


# --- 5.8: no feedback to an anonymous complainant ----------------------------------------------

# A contact or a first response that says the complainant was told something, or given feedback:
# impossible for an anonymous complainant (5.8). Words, not a field, because the window records
# these as the officer's own sentence; "no feedback" and its kin are the 5.8 explanation itself
# and are not counted.
_NEGATED = re.compile(
    r"\b(?:no|not|never|without|cannot|can't|unable to|won't|will not)\s+"
    r"(?:\w+\s+){0,5}?feed[\s-]?back\b",
    re.IGNORECASE,
)
_FEEDBACK = re.compile(
    r"\bfeed[\s-]?back\b"
    r"|\b(?:told|tell|telling|informed|inform|informing|updated|update|updating|notified|notify|"
    r"advised|advise|let)\s+(?:the\s+)?complainants?\b",
    re.IGNORECASE,
)
NO_FEEDBACK_WHEN_ANONYMOUS = (
    "The complainant is anonymous, so no feedback on the investigation or the action taken can "
    "be given to them (5.8): record a contact with someone else, or a note."
)


def reads_as_feedback(text: str) -> bool:
    """Does this sentence say the complainant was given feedback or told something?"""
    return _FEEDBACK.search(_NEGATED.sub(" ", text)) is not None


def feedback_problems(case: Case) -> list[InputError]:
    """5.8: an anonymous complainant gets no feedback; no contact or first response says so."""
    if not case.complainant.anonymous:
        return []
    found = []
    if case.first_response is not None and reads_as_feedback(case.first_response.summary):
        found.append(InputError("first_response.summary", NO_FEEDBACK_WHEN_ANONYMOUS))
    for index, entry in enumerate(case.entries):
        if entry.kind is EntryKind.CONTACT and reads_as_feedback(entry.text):
            found.append(InputError(f"entries[{index}].text", NO_FEEDBACK_WHEN_ANONYMOUS))
        if entry.kind is EntryKind.UPDATE:  # an update is feedback, whatever its words
            found.append(InputError(f"entries[{index}].kind", NO_UPDATE_WHEN_ANONYMOUS))
    return found


NO_UPDATE_WHEN_ANONYMOUS = (
    "The complainant is anonymous, so no update can be given to them (5.8): record a contact "
    "with someone else, or a note."
)


# --- after intake: reports, risk assessments --------------------------------------------------


def report_problems(case: Case) -> list[InputError]:
    """A report cannot be made before the behaviour it reports. Only a `reported_at` given is
    judged: the default (the case's receipt) is not, as an incident added to a case before
    `reported_at` existed may well have happened after the first report."""
    return [
        InputError(
            f"incidents[{index}].reported_at",
            "An incident cannot be reported before it happened: reported_at is before occurred_at.",
        )
        for index, incident in enumerate(case.incidents)
        if incident.reported_at is not None and incident.reported_at < incident.occurred_at
    ]


def assessment_problems(case: Case) -> list[InputError]:
    """A score is worked out from the answers when they are answers to our questions (one from
    another system is kept with its score as given)."""
    found = []
    for index, assessment in enumerate(case.risk_assessments):
        if ours(assessment.answers) and assessment.score != score_answers(assessment.answers):
            found.append(
                InputError(
                    f"risk_assessments[{index}].score",
                    f"The score is worked out from the answers: they give "
                    f"{score_answers(assessment.answers)}, not {assessment.score:g}.",
                )
            )
    return found


def append_only_problems(before: Case | None, after: Case) -> list[InputError]:
    """Risk assessments are append-only: one recorded stays as it was."""
    if before is None:
        return []
    kept = {a.id: a for a in after.risk_assessments}
    return [
        InputError(
            "risk_assessments",
            f"A risk assessment once recorded is kept as it was (append-only): "
            f"{shown(a.id)} was {'removed' if a.id not in kept else 'changed'}. Record a new "
            "assessment instead.",
        )
        for a in before.risk_assessments
        if kept.get(a.id) != a
    ]


# --- 5.9: an employee case stays with a Team Leader at least ------------------------------------

# Roles that are "a Team Leader (as a minimum)" for 5.9.
TEAM_LEADER_OR_ABOVE = frozenset(
    {Role.TEAM_LEADER, Role.HOUSING_MANAGER, Role.DIRECTOR_OF_OPERATIONS}
)


def _not_in_directory(where: str, staff_id: str) -> InputError:
    return InputError(where, f"{shown(staff_id)} is not in the staff directory.")


def assignee_problems(case: Case, staff: StaffMember | None, staff_id: str) -> list[InputError]:
    """A manual assignment: someone in the directory, and 5.9 still respected."""
    where = "manual_assignment.staff_id"
    if staff is None:
        return [_not_in_directory(where, staff_id)]
    if case.involves_employee and not (staff.roles & TEAM_LEADER_OR_ABOVE):
        return [
            InputError(
                where,
                f"{staff.name} is not a Team Leader or above: a case involving an employee must "
                "be assigned to a Team Leader as a minimum (5.9).",
            )
        ]
    return []


# --- 5.9.1: the colleague's risk assessment ----------------------------------------------------

# 5.9.1: who reviews a colleague's risk assessment together, and the role each holds.
RISK_ASSESSMENT_ROLES = (
    (Role.LINE_MANAGER, "the colleague's line manager"),
    (Role.HEALTH_SAFETY_ADVISER, "the Health and Safety Business Adviser"),
    (Role.HR_OD_MANAGER, "the Human Resources and Organisational Development Manager"),
    (Role.HOUSING_MANAGER, "the Housing Manager"),
)
RISK_ASSESSMENT_GROUP = tuple(words for _, words in RISK_ASSESSMENT_ROLES)


def risk_assessment_problems(case: Case, assessment: StaffRiskAssessment) -> list[InputError]:
    """5.9.1: the group reviews and decides; if it cannot agree, the Director of Operations does."""
    where = "staff_risk_assessment"
    if not case.colleague_harassment:
        return [
            InputError(
                where,
                "A staff risk assessment is for a colleague harassed by a customer (5.9.1); "
                "this case does not record colleague harassment.",
            )
        ]
    found = []
    if not [p for p in assessment.participants if p.strip()]:
        found.append(
            InputError(
                f"{where}.participants",
                "List who took part: " + ", ".join(RISK_ASSESSMENT_GROUP) + ".",
            )
        )
    if assessment.agreed and not (assessment.decision or "").strip():
        found.append(
            InputError(f"{where}.decision", "Record the course of action the group agreed.")
        )
    if not assessment.agreed and not (assessment.director_decision or "").strip():
        found.append(
            InputError(
                f"{where}.director_decision",
                "The group did not agree, so record the Director of Operations' decision, "
                "which is final (5.9.1).",
            )
        )
    return found


def _who(participant: str, directory: Directory) -> StaffMember | None:
    """A participant named by staff id, or by their name as the directory spells it."""
    found = directory.member(participant)
    if found is not None:
        return found
    folded = " ".join(participant.casefold().split())
    return next((s for s in directory.staff if " ".join(s.name.casefold().split()) == folded), None)


def risk_group_problems(assessment: StaffRiskAssessment, directory: Directory) -> list[InputError]:
    """5.9.1: the group is the line manager with the Health and Safety Business Adviser, the
    HR and OD Manager and the Housing Manager; one member may hold more than one of the roles."""
    members = [m for m in (_who(p, directory) for p in assessment.participants) if m is not None]
    held = {role for member in members for role in member.roles}
    missing = [words for role, words in RISK_ASSESSMENT_ROLES if role not in held]
    if not missing:
        return []
    return [
        InputError(
            "staff_risk_assessment.participants",
            "The 5.9.1 review is carried out by " + ", ".join(RISK_ASSESSMENT_GROUP) + "; "
            "no one listed (by staff id or by name, as in the staff directory) is "
            + " or ".join(missing)
            + ".",
        )
    ]


# --- the whole case, and a change to it --------------------------------------------------------


# The top-level keys each group of rules reads: when one of them could not be read, the group is
# not judged (it would be judging a placeholder), and the reading's own problem is told instead.
_RULE_INPUTS = {
    "attempts": ("supported_scheme", "resolution_attempts"),
    "referral": ("supported_scheme", "resolution_attempts", "referral"),
    "feedback": ("complainant", "first_response", "entries"),
    "risk": ("colleague_harassment", "staff_risk_assessment"),
    "reports": ("received_at", "incidents"),
    "assessments": ("risk_assessments",),
    "closing": ("status", "closure", "complainant"),
    "applications": ("complainant", "case_review_applications"),
}


def case_problems(case: Case, unreadable: Iterable[str] = ()) -> list[InputError]:
    """Every rule the case itself breaks, whatever the directory: empty when it is valid.
    `unreadable` names top-level keys whose values could not be read (their rules are skipped)."""
    skipped = set(unreadable)
    judged = {name for name, keys in _RULE_INPUTS.items() if not skipped.intersection(keys)}
    found: list[InputError] = []
    if "attempts" in judged and case.resolution_attempts and not case.supported_scheme:
        found.append(
            InputError(
                "resolution_attempts",
                "Resolution attempts are recorded for supported scheme cases (5.5); this case "
                "has no scheme.",
            )
        )
    if "referral" in judged and case.referral is not None:
        found += referral_problems(case, case.referral)
    if "feedback" in judged:
        found += feedback_problems(case)
    if "risk" in judged and case.staff_risk_assessment is not None:
        found += risk_assessment_problems(case, case.staff_risk_assessment)
    if "reports" in judged:
        found += report_problems(case)
    if "assessments" in judged:
        found += assessment_problems(case)
    if "closing" in judged:
        found += closing_problems(case)
    if "applications" in judged:
        found += application_problems(
            case.case_review_applications, anonymous=case.complainant.anonymous
        )
    return found


def _changed(before: Case | None, after: Case, *parts: str) -> bool:
    return before is None or any(getattr(before, p) != getattr(after, p) for p in parts)


def change_problems(before: Case | None, after: Case, directory: Directory) -> list[InputError]:
    """The rules a new or changed fact must meet against the staff directory (`before` is the
    case as stored, None for a new one). Only what changed is judged, so a fact recorded under
    an older directory stands."""
    found = append_only_problems(before, after) + closing_change_problems(before, after)
    if after.referral is not None and _changed(before, after, "referral"):
        found += referral_staff_problems(after.referral, directory)
    manual: ManualAssignment | None = after.manual_assignment
    if manual is not None and (
        _changed(before, after, "manual_assignment")
        or (before is not None and after.involves_employee and not before.involves_employee)
    ):
        found += assignee_problems(after, directory.member(manual.staff_id), manual.staff_id)
    assessment = after.staff_risk_assessment
    if assessment is not None and _changed(before, after, "staff_risk_assessment"):
        found += risk_group_problems(assessment, directory)
    return found


def sentences(problems: Iterable[InputError]) -> str:
    """The problems as the window says them: the sentences alone, one after another."""
    return " ".join(_sentence(p.problem) for p in problems)


def _sentence(problem: str) -> str:
    text = problem.strip()
    return text if text.endswith((".", ")")) else text + "."

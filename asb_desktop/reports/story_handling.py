"""The second half of a summary: how the case has been handled since it was logged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from asb_desktop.domain.directory import StaffMember
from asb_desktop.domain.disclosure import disclosed_words
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import Assignment, AssignmentRule
from asb_desktop.domain.wording import counted
from asb_desktop.reports.pdf_tables import facts, listing
from asb_desktop.reports.styles import (
    NOTE,
    NOTICE,
    Gap,
    Para,
    moment,
    none_recorded,
    para,
    section,
    text,
    when,
)
from asb_desktop.reports.view import Profile, SummaryView

RULES = {
    "employee_involved": "Employee involved (5.9)",
    "supported_scheme": "Supported housing scheme (5.4)",
    "patch_officer": "Patch officer for the estate (5.3)",
    "unassigned": "No rule applies",
}
ENTRY_KINDS = {
    "note": "Note",
    "contact": "Contact",
    "action": "Action",
    "update": "Update given",
}
REFERRAL_ROLES = {
    "housing_officer": "Housing Officer",
    "enforcement_officer": "Enforcement Officer",
}
CONSENT_STATUSES = {
    "given": "Given",
    "refused": "Refused",
    "not_asked": "Not asked",
}
BASES = {
    "consent": "The complainant's consent",
    "information_sharing_protocol": "Information sharing protocol",
}


def _explain(doc: dict[str, Any]) -> str:
    """The domain's own sentence for why the case went where it went."""
    try:
        rule = AssignmentRule(str(doc.get("assignment_rule")))
    except ValueError:
        return "The assignment rule is not recorded."
    name = doc.get("assigned_to_name") or doc.get("assigned_to")
    staff = None
    if name:
        staff = StaffMember(id=doc.get("assigned_to") or "", name=name, roles=frozenset())
    manual = bool(doc.get("manual_assignment"))
    return Assignment(rule=rule, staff=staff, manual=manual).explain()


def assignment_section(view: SummaryView) -> list[Flowable]:
    """The rule of 5.3/5.4/5.9 and whom it picks; a manual assignment overrides it (and says so)."""
    doc = view.doc
    rows: list[tuple[str, Any]] = [
        ("Rule", RULES.get(doc.get("assignment_rule") or "", doc.get("assignment_rule"))),
        ("Assigned to", doc.get("assigned_to_name") or doc.get("assigned_to") or "No one yet"),
        ("Why", _explain(doc)),
    ]
    manual = doc.get("manual_assignment")
    if manual:
        rows += [
            ("Assigned by hand by", manual.get("by")),
            ("On", when(manual.get("at"), "manual_assignment.at")),
            ("Reason", manual.get("reason")),
        ]
    return section("9. Assignment", facts(rows))


def actions_section(view: SummaryView) -> list[Flowable]:
    entries = list(enumerate(view.doc.get("entries") or []))
    body: list[Flowable] = []
    if view.entries_withheld:
        body.append(
            para(
                f"{counted(view.entries_withheld, 'internal note, contact record or update', 'internal notes, contact records and updates')} "
                f"{'is' if view.entries_withheld == 1 else 'are'} not included in a summary for a third party.",
                NOTE,
            )
        )
    if entries:
        ordered = sorted(entries, key=lambda p: (p[1].get("at") is None, _sort_at(p)))
        rows = [
            [
                when(e.get("at"), f"entries[{i}].at", short=True),
                ENTRY_KINDS.get(e.get("kind") or "", e.get("kind")),
                e.get("by"),
                e.get("text"),
            ]
            for i, e in ordered
        ]
        body.append(listing(["When", "Kind", "By", "What"], rows, [35, 17, 28, 94]))
    else:
        body.append(none_recorded())
    return section("10. Actions and contacts", *body)


def _sort_at(pair: tuple[int, dict[str, Any]]) -> tuple[float, int]:
    index, entry = pair
    at = moment(entry.get("at"), f"entries[{index}].at")
    return (at.timestamp() if at else 0.0), index


def escalations_section(view: SummaryView) -> list[Flowable]:
    doc = view.doc
    attempts = doc.get("resolution_attempts") or []
    body: list[Flowable] = []
    if attempts:
        rows = [
            [
                when(a.get("at"), f"resolution_attempts[{i}].at", short=True),
                a.get("by"),
                a.get("description"),
                "Resolved" if a.get("successful") else "Not resolved",
            ]
            for i, a in enumerate(attempts)
        ]
        body.append(para("Attempts by the scheme officer to resolve the issue (5.5):", NOTE))
        body.append(listing(["When", "By", "What was tried", "Outcome"], rows, [35, 30, 85, 24]))
        body.append(Gap(3 * mm))
    referral = doc.get("referral")
    if referral:
        role = REFERRAL_ROLES.get(referral.get("to_role") or "", referral.get("to_role"))
        body.append(para("Referral (5.5):", NOTE))
        referred: list[tuple[str, Any]] = [("Referred to", role)]
        if referral.get("to_staff_id"):
            referred.append(("Officer", referral["to_staff_id"]))  # a name once the view named it
        referred += [
            ("On", when(referral.get("at"), "referral.at")),
            ("By", referral.get("by")),
            ("Reason", referral.get("reason")),
        ]
        body.append(facts(referred))
    if not body:
        body.append(none_recorded("No resolution attempts or referrals recorded."))
    return section("11. Escalations", *body)


def risk_assessment_section(view: SummaryView, produced_at: datetime) -> list[Flowable]:
    doc = view.doc
    title = "13. Staff risk assessment (5.9.1)"
    if view.profile is Profile.THIRD_PARTY:
        return section(title, none_recorded("Internal to the landlord: not included."))
    assessment = doc.get("staff_risk_assessment")
    if not doc.get("colleague_harassment") and not assessment:
        return section(title, none_recorded("Not required: no colleague harassment recorded."))
    due = moment(doc.get("staff_risk_assessment_due_at"), "staff_risk_assessment_due_at")
    rows: list[tuple[str, Any]] = [("Due by", when(due, "staff_risk_assessment_due_at"))]
    if not assessment:
        late = due is not None and produced_at > due
        rows.append(("Completed", "Not yet (overdue)" if late else "Not yet"))
        return section(title, facts(rows))
    participants = assessment.get("participants") or []
    rows += [
        ("Completed", when(assessment.get("completed_at"), "staff_risk_assessment.completed_at")),
        ("Participants", ", ".join(str(p) for p in participants) or None),
        ("Decision", assessment.get("decision")),
        ("Group agreed", bool(assessment.get("agreed"))),
    ]
    if not assessment.get("agreed") or assessment.get("director_decision"):
        rows.append(("Director of Operations' decision", assessment.get("director_decision")))
    return section(title, facts(rows))


def consent_section(view: SummaryView) -> list[Flowable]:
    doc = view.doc
    consent = doc.get("consent_to_share") or {}
    source = doc.get("source") or {}
    if source.get("kind") != "third_party":
        meaning = "Reported directly: there is no third party to share with."
    elif view.sharing_allowed:
        meaning = "Relevant circumstances may be shared with the third party (5.6)."
    else:
        meaning = (
            "Nothing about the complainant's circumstances may be shared with the third party: "
            "no consent has been confirmed and no information sharing protocol applies (5.6)."
        )
    rows: list[tuple[str, Any]] = [
        ("Consent to share", CONSENT_STATUSES.get(consent.get("status") or "not_asked")),
        ("Basis for sharing", BASES.get(consent.get("basis") or "", "None")),
        ("What this means", meaning),
    ]
    body: list[Flowable] = [facts(rows)]
    if view.profile is Profile.THIRD_PARTY:
        body.append(Para(text(_audience_note(view)), NOTICE))
    return section("14. Consent to share", *body)


def _audience_note(view: SummaryView) -> str:
    left_out = [
        "internal notes, contact records and what updates said",
        "witnesses' contact details",
    ]
    if not view.sharing_allowed:
        left_out[:0] = [
            "the complainant's identity, contact details, address",
            "impact statements",
            "anyone's vulnerabilities and adjustments",
            "the risk assessments' notes",
        ]
    return "This summary was prepared for a third party. Left out: " + ", ".join(left_out) + "."


def disclosures_part(view: SummaryView) -> list[Flowable]:
    """What left the team about this case, for whom (`disclosures[]`), oldest first."""
    items = [d for d in view.doc.get("disclosures") or [] if isinstance(d, dict)]
    if not items:
        return [para("Disclosures: none recorded.", NOTE)]
    rows = [
        [
            _audit_when(str(d.get("at") or "")),
            str(d.get("by") or ""),
            str(d.get("to") or ""),
            disclosed_words(d.get("what"), d.get("profile")),
        ]
        for d in items
    ]
    return [
        para(
            f"Disclosures: {counted(len(items), 'record')} of what was given outside the team.",
            NOTE,
        ),
        listing(["When", "By", "To", "What"], rows, [35, 34, 50, 55]),
    ]


def audit_section(view: SummaryView) -> list[Flowable]:
    disclosed = disclosures_part(view)
    if not view.audit:
        return section("15. Audit trail", none_recorded("No audit records supplied."), *disclosed)
    body: list[Flowable] = []
    if view.audit_hidden:
        body.append(
            para(
                f"The {len(view.audit)} most recent of {len(view.audit) + view.audit_hidden} records.",
                NOTE,
            )
        )
    rows = [[_audit_when(at), actor, action] for at, actor, action in view.audit]
    body.append(listing(["When", "Who", "What"], rows, [35, 36, 103]))
    return section("15. Audit trail", *body, Gap(3 * mm), *disclosed)


def _audit_when(at: str) -> str:
    try:
        return when(at, "audit_trail.at", short=True) or at
    except InputError:
        return at

"""Writing the case document: the facts as recorded plus the contract's computed fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asb_desktop.domain.attachment import attachment_document
from asb_desktop.domain.case import Case
from asb_desktop.domain.case_management import ActionPlan, Vulnerability
from asb_desktop.domain.closing_document import closure_document, reopening_document
from asb_desktop.domain.disclosure import disclosure_document
from asb_desktop.domain.procedure import Outcome
from asb_desktop.domain.review_applications import ReviewApplication
from asb_desktop.domain.timestamps import format_timestamp

CASE_FORMAT = "asb-case/1"
ANONYMITY_FIELDS = (
    "reassured",
    "information_gathered",
    "action_and_support_discussed",
    "no_undue_pressure",
    "limitations_explained",
)


def _ts(moment: datetime | None) -> str | None:
    return format_timestamp(moment) if moment else None


def case_to_document(case: Case, outcome: Outcome) -> dict[str, Any]:
    """The full document: facts as recorded plus the computed fields of the contract."""
    c = case.complainant
    staff = outcome.assignment.staff
    return {
        "format": CASE_FORMAT,
        "id": case.id,
        "reference": case.reference,
        "received_at": format_timestamp(case.received_at),
        "channel": case.channel.value,
        "source": {
            "kind": case.source.kind.value,
            "organisation": case.source.organisation.value if case.source.organisation else None,
            "organisation_name": case.source.organisation_name,
            "contact": case.source.contact,
        },
        "severity": case.severity.value,
        "estate": case.estate,
        "supported_scheme": case.supported_scheme,
        "complainant": {
            "anonymous": c.anonymous,
            "name": c.name,
            "address": c.address,
            "phone": c.phone,
            "email": c.email,
            "is_employee": c.is_employee,
            **_person_needs(c.vulnerabilities, c.adjustments),
        },
        "incidents": [
            {
                "id": i.id,
                "occurred_at": format_timestamp(i.occurred_at),
                "location": i.location,
                "description": i.description,
                "how_it_made_them_feel": i.how_it_made_them_feel,
                "effect_since": i.effect_since,
                "measures_taken": i.measures_taken,
                "reported_at": format_timestamp(case.reported_at(i)),
            }
            for i in case.incidents
        ],
        "frequency": case.frequency,
        "involved": [
            {
                "name": p.name,
                "address": p.address,
                "description": p.description,
                "is_employee": p.is_employee,
                **_person_needs(p.vulnerabilities, p.adjustments),
            }
            for p in case.involved
        ],
        "targeting": {"targeted": case.targeting.targeted, "reason": case.targeting.reason},
        "hate_strands": sorted(h.value for h in case.hate_strands),
        "witnesses": [
            {
                "name": w.name,
                "address": w.address,
                "contact": w.contact,
                "account": w.account,
                **_person_needs(w.vulnerabilities, w.adjustments),
            }
            for w in case.witnesses
        ],
        "consent_to_share": {
            "status": case.consent_to_share.status.value,
            "basis": case.consent_to_share.basis.value if case.consent_to_share.basis else None,
        },
        "colleague_harassment": case.colleague_harassment,
        "anonymity": (
            {name: getattr(case.anonymity, name) for name in ANONYMITY_FIELDS}
            if case.anonymity
            else None
        ),
        "resolution_attempts": [
            {
                "at": format_timestamp(a.at),
                "by": a.by,
                "description": a.description,
                "successful": a.successful,
            }
            for a in case.resolution_attempts
        ],
        "referral": (
            {
                "to_role": case.referral.to_role.value,
                "reason": case.referral.reason,
                "at": format_timestamp(case.referral.at),
                "by": case.referral.by,
                "to_staff_id": case.referral.to_staff_id,
            }
            if case.referral
            else None
        ),
        "status": {
            "state": case.status.state.value,
            "reason": case.status.reason,
            "at": _ts(case.status.at),
            "outcome": case.status.outcome.value if case.status.outcome else None,
        },
        "recorded_by": case.recorded_by,
        "first_response": (
            {
                "at": format_timestamp(case.first_response.at),
                "by": case.first_response.by,
                "summary": case.first_response.summary,
            }
            if case.first_response
            else None
        ),
        "entries": [
            {
                "id": e.id,
                "kind": e.kind.value,
                "at": format_timestamp(e.at),
                "by": e.by,
                "text": e.text,
            }
            for e in case.entries
        ],
        "staff_risk_assessment": _risk_assessment(case),
        "manual_assignment": (
            {
                "staff_id": case.manual_assignment.staff_id,
                "staff_name": staff.name if staff else None,
                "by": case.manual_assignment.by,
                "at": format_timestamp(case.manual_assignment.at),
                "reason": case.manual_assignment.reason,
            }
            if case.manual_assignment
            else None
        ),
        "asb_types": sorted(t.value for t in case.asb_types),
        "nsir_category": case.nsir_category.value if case.nsir_category else None,
        "risk_assessments": [
            {
                "id": a.id,
                "at": format_timestamp(a.at),
                "by": a.by,
                "answers": dict(a.answers),
                "score": a.score,
                "level": a.level.value,
                "notes": a.notes,
            }
            for a in case.risk_assessments
        ],
        "action_plan": _action_plan(case.action_plan),
        "closure": closure_document(case.closure),
        "reopenings": [reopening_document(r) for r in case.reopenings],
        "case_review_applications": [_application(a) for a in case.case_review_applications],
        "retention": {
            "legal_hold": case.legal_hold,
            "destroy_after": (
                outcome.destroy_after.isoformat() if outcome.destroy_after is not None else None
            ),
        },
        "disclosures": [disclosure_document(d) for d in case.disclosures],
        "attachments": [attachment_document(a) for a in case.attachments],
        "assignment_rule": outcome.assignment.rule.value,
        "assigned_to": staff.id if staff else None,
        "assigned_to_name": staff.name if staff else None,
        "response_due_at": format_timestamp(outcome.response_due_at),
        "staff_risk_assessment_due_at": _ts(outcome.staff_risk_assessment_due_at),
        "risk_level": outcome.risk_level.value if outcome.risk_level else None,
        "next_update_due_at": _ts(outcome.next_update_due_at),
        "case_review": {
            "qualifying_reports": outcome.case_review.qualifying_reports,
            "eligible": outcome.case_review.eligible,
        },
        "case_review_decision_due_at": _ts(outcome.case_review_decision_due_at),
    }


def _person_needs(vulnerabilities: frozenset[Vulnerability], adjustments: str | None) -> Any:
    return {"vulnerabilities": sorted(v.value for v in vulnerabilities), "adjustments": adjustments}


def _action_plan(plan: ActionPlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "agreed_at": _ts(plan.agreed_at),
        "agreed_with": plan.agreed_with,
        "actions": [
            {
                "id": a.id,
                "what": a.what,
                "who": a.who,
                "due_at": format_timestamp(a.due_at),
                "done_at": _ts(a.done_at),
            }
            for a in plan.actions
        ],
    }


def _application(a: ReviewApplication) -> dict[str, Any]:
    return {
        "id": a.id,
        "applied_at": format_timestamp(a.applied_at),
        "applied_by": a.applied_by,
        "received_by": a.received_by,
        "threshold_met": a.threshold_met,
        "decision": a.decision,
        "decided_at": _ts(a.decided_at),
        "decided_by": a.decided_by,
        "outcome": a.outcome,
        "outcome_at": _ts(a.outcome_at),
    }


def _risk_assessment(case: Case) -> dict[str, Any] | None:
    done = case.staff_risk_assessment
    if done is None:
        return None
    return {
        "completed_at": format_timestamp(done.completed_at),
        "participants": list(done.participants),
        "agreed": done.agreed,
        "decision": done.decision,
        "director_decision": done.director_decision,
    }

"""How the case is managed (issue 13): the kind of ASB, the victim risk assessments, the action
plan agreed with the complainant, the updates given, the ASB Case Review, and each person's
vulnerabilities and adjustments (special category data: the view keeps them only where the
audience may see them, `view.VULNERABILITY_KEYS`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from asb_desktop.domain.wording import counted
from asb_desktop.reports.pdf_tables import facts, listing
from asb_desktop.reports.story_closing import closing_part
from asb_desktop.reports.styles import NOTE, NOTICE, Gap, Para, moment, para, section, text, when
from asb_desktop.reports.view import Profile, SummaryView

NSIR = {
    "personal": "Personal (aimed at a person or household)",
    "nuisance": "Nuisance (aimed at the community)",
    "environmental": "Environmental (aimed at the surroundings)",
}
ASB_TYPES = {
    "harassment_intimidation": "Harassment or intimidation",
    "damage_vandalism": "Damage or vandalism",
    "litter_dumping": "Litter or fly-tipping",
    "garden_boundary": "Gardens and boundaries",
    "hate": "Hate incident",
    "misuse_of_communal_areas": "Misuse of communal areas",
}
LEVELS = {"standard": "Standard", "medium": "Medium", "high": "HIGH"}
PARTIES = {"complainant": "the complainant"}


def words(code: Any) -> str:
    """A documented code as words: `harassment_intimidation` → "Harassment intimidation"."""
    spoken = str(code).replace("_", " ").strip()
    return spoken[:1].upper() + spoken[1:]


def asb_types_words(doc: dict[str, Any]) -> str:
    kinds = [ASB_TYPES.get(k, words(k)) for k in doc.get("asb_types") or []]
    return ", ".join(kinds) if kinds else "Not yet classified"


def nsir_words(doc: dict[str, Any]) -> str:
    category = doc.get("nsir_category")
    return NSIR.get(category, words(category)) if category else "Not yet classified"


def risk_level_words(doc: dict[str, Any]) -> str:
    """The latest risk assessment's level; a high one stands out in capitals and says why."""
    level = doc.get("risk_level")
    if not level:
        return "Not assessed"
    if level == "high":
        return "HIGH RISK (the latest risk assessment)"
    return f"{LEVELS.get(level, words(level))} (the latest risk assessment)"


def vulnerability_parts(person: dict[str, Any]) -> list[tuple[str, str]]:
    """("Vulnerable", "Language, Mental health") and ("Adjustments for contact", …), each when
    the view holds it."""
    kinds = [words(v) for v in person.get("vulnerabilities") or []]
    adjustments = " ".join(str(person.get("adjustments") or "").split())
    parts = [("Vulnerable", ", ".join(kinds))] if kinds else []
    return parts + ([("Adjustments for contact", adjustments)] if adjustments else [])


def vulnerability_words(person: dict[str, Any]) -> str | None:
    """ "Vulnerable: Mental health, Language. Adjustments: …"; None when the view holds none."""
    kinds = [words(v) for v in person.get("vulnerabilities") or []]
    adjustments = " ".join(str(person.get("adjustments") or "").split())
    if not kinds and not adjustments:
        return None
    said = "Vulnerable: " + ", ".join(kinds) + "." if kinds else "No vulnerability recorded."
    return said + (f" Adjustments for contact: {adjustments}" if adjustments else "")


def _risk_part(view: SummaryView) -> list[Flowable]:
    doc = view.doc
    withheld = view.profile is Profile.THIRD_PARTY and not view.sharing_allowed
    assessments = list(enumerate(doc.get("risk_assessments") or []))
    if not assessments:
        return [para("Victim risk assessments: none recorded.", NOTE)]
    ordered = sorted(assessments, key=lambda p: _at(p[1].get("at"), f"risk_assessments[{p[0]}].at"))
    rows = [
        [
            when(a.get("at"), f"risk_assessments[{i}].at", short=True),
            a.get("by"),
            _score(a.get("score")),
            LEVELS.get(a.get("level") or "", words(a.get("level") or "")),
            "Not included (5.6)" if withheld else a.get("notes"),
        ]
        for i, a in ordered
    ]
    return [
        para(f"Victim risk assessments ({len(rows)}), oldest first:", NOTE),
        listing(["When", "By", "Score", "Level", "Notes"], rows, [35, 32, 14, 20, 73]),
    ]


def _score(score: Any) -> str:
    if isinstance(score, float) and score.is_integer():
        return str(int(score))
    return "" if score is None else str(score)


def _at(value: Any, where: str) -> float:
    at = moment(value, where)
    return at.timestamp() if at else 0.0


def _plan_part(doc: dict[str, Any], produced_at: datetime) -> list[Flowable]:
    plan = doc.get("action_plan")
    if not plan:
        return [para("Action plan: none agreed yet.", NOTE)]
    agreed = when(plan.get("agreed_at"), "action_plan.agreed_at") or "date not recorded"
    whom = plan.get("agreed_with") or "not recorded"
    # The line saying when it was agreed is never left at a page's foot without its table.
    body: list[Flowable] = [
        CondPageBreak(30 * mm),
        para(f"Action plan agreed on {agreed} with {whom}.", NOTE),
    ]
    actions = list(enumerate(plan.get("actions") or []))
    if not actions:
        body.append(para("No actions recorded on the plan.", NOTE))
        return body
    rows = []
    for i, action in actions:
        where = f"action_plan.actions[{i}]"
        due = moment(action.get("due_at"), f"{where}.due_at")
        done = moment(action.get("done_at"), f"{where}.done_at")
        if done is not None:
            state = "Done " + (when(done, f"{where}.done_at", short=True) or "")
            if due is not None and done > due:
                state += " (late)"
        elif due is not None and produced_at > due:
            state = "OVERDUE"
        else:
            state = "To do"
        who = action.get("who")
        rows.append(
            [
                action.get("what"),
                PARTIES.get(who, who) if isinstance(who, str) else who,
                when(due, f"{where}.due_at", short=True),
                state,
            ]
        )
    body.append(listing(["What", "Who", "By when", "Done / overdue"], rows, [76, 32, 32, 34]))
    return body


def _informed_part(view: SummaryView, produced_at: datetime) -> list[Flowable]:
    doc = view.doc
    updates = view.update_times
    complainant = doc.get("complainant") or {}
    rows: list[tuple[str, Any]] = [("Updates given", str(len(updates)) if updates else "None")]
    if updates:
        latest = max(updates, key=lambda at: _at(at, "entries.at"))
        rows.append(("Latest update", when(latest, "entries.at")))
    due = moment(doc.get("next_update_due_at"), "next_update_due_at")
    if complainant.get("anonymous"):
        next_update = "None: an anonymous complainant gets no feedback (5.8)"
    elif due is None:
        closed = (doc.get("status") or {}).get("state") == "closed"
        next_update = "None: the case is closed" if closed else "After the first response"
    else:
        next_update = when(due, "next_update_due_at") or ""
        if produced_at > due:
            next_update = f"OVERDUE: was due by {next_update}"
    rows.append(("Next update due", next_update))
    return [para("Keeping the complainant informed:", NOTE), facts(rows)]


def _review_part(doc: dict[str, Any]) -> list[Flowable]:
    review = doc.get("case_review") or {}
    count = review.get("qualifying_reports") or 0
    reports = counted(int(count), "qualifying report")
    head = para("ASB Case Review (community trigger):", NOTE)
    if review.get("eligible"):
        said = f"{reports} in the last 6 months: the complainant may apply for a Case Review."
        return [head, Para(text(said), NOTICE), *_applications_part(doc)]
    said = f"{reports} in the last 6 months: not eligible for a Case Review yet."
    return [head, facts([("Reports", said)]), *_applications_part(doc)]


def _applications_part(doc: dict[str, Any]) -> list[Flowable]:
    """Each application for a Case Review: who applied and when, the decision, the outcome."""
    applications = list(enumerate(doc.get("case_review_applications") or []))
    if not applications:
        return [para("No application for a Case Review recorded.", NOTE)]
    rows = []
    for i, a in applications:
        where = f"case_review_applications[{i}]"
        by = a.get("applied_by")
        applicant = "the complainant" if by == "complainant" else f"{by}, on their behalf"
        applied = f"{when(a.get('applied_at'), f'{where}.applied_at', short=True)}, by {applicant}"
        decided = when(a.get("decided_at"), f"{where}.decided_at", short=True)
        if decided is None:
            due = when(doc.get("case_review_decision_due_at"), "case_review_decision_due_at")
            decision = f"Not yet made (due by {due})" if due else "Not yet made"
        else:
            met = "Threshold met" if a.get("threshold_met") else "Threshold not met"
            whom = f" by {a['decided_by']}" if a.get("decided_by") else ""
            decision = f"{met}, {decided}{whom}: {a.get('decision') or ''}"
        done = when(a.get("outcome_at"), f"{where}.outcome_at", short=True)
        if done is not None:
            outcome = f"{done}: {a.get('outcome') or ''}"
        elif decided is None:
            outcome = "Awaits the decision"
        else:
            outcome = "Awaited" if a.get("threshold_met") else "None: no review"
        rows.append([applied, decision, outcome])
    return [
        para(f"Applications for a Case Review ({len(rows)}):", NOTE),
        listing(["Applied", "Decision", "Outcome (recommendations)"], rows, [50, 62, 62]),
    ]


def managing_section(view: SummaryView, produced_at: datetime) -> list[Flowable]:
    doc = view.doc
    body: list[Flowable] = [
        *_risk_part(view),
        Gap(3 * mm),
        *_plan_part(doc, produced_at),
        Gap(3 * mm),
        *_informed_part(view, produced_at),
        Gap(3 * mm),
        *_review_part(doc),
    ]
    closing = closing_part(view)
    if closing:
        body += [Gap(3 * mm), *closing]
    return section("12. Managing the case", *body)

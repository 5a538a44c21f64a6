"""The workspace's actions: which apply to a case (and why not), and the form for each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from asb_desktop.app import Services
from asb_desktop.domain.case import Case, EntryKind, Incident, ReferralRole
from asb_desktop.domain.case_management import PlanAction, RiskLevel
from asb_desktop.domain.directory import Role
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.procedure import RISK_ASSESSMENT_GROUP
from asb_desktop.domain.risk_questions import QUESTIONS, score_answers, suggested_level
from asb_desktop.services.case_actions import CaseView
from asb_desktop.ui.words import when
from asb_desktop.ui.workspace import closing_forms
from asb_desktop.ui.workspace.action_dialog import ActionDialog, Field, moment

BUTTONS = (
    ("first_response", "Record &first response"),
    ("incident", "Add &incident"),
    ("note", "Add &note"),
    ("contact", "Record c&ontact"),
    ("reassign", "Re&assign"),
    ("attempt", "Scheme officer's a&ttempt (5.5)"),
    ("refer", "Ref&er (5.5)"),
    ("risk", "Staff &risk assessment (5.9.1)"),
    ("close", "C&lose case"),
    ("update", "Give an &update"),
    # the long ones under the long ones above: the grid fits a 1024-pixel-wide screen
    ("plan", "A&gree the action plan"),
    ("action", "A&dd an action"),
    ("victim_risk", "&Victim risk assessment"),
    ("action_done", "&Mark action done"),
    *closing_forms.BUTTONS,
)

ANSWER_WORDS = {
    "none": "None",
    "some": "Some",
    "serious": "Serious",
    "no": "No",
    "yes": "Yes",
    "a_few_times": "A few times",
    "often": "Often",
}
LEVEL_WORDS = {
    RiskLevel.STANDARD: "Standard",
    RiskLevel.MEDIUM: "Medium",
    RiskLevel.HIGH: "High",
}


def unavailable(key: str, case: Case) -> str | None:
    """Why an action does not apply to this case, in words; None when it does."""
    if key in closing_forms.KEYS:
        return closing_forms.unavailable(key, case)
    if not case.is_open and key != "note":
        return "The case is closed."
    if key == "first_response" and case.first_response is not None:
        return "The first response is already recorded."
    if key in ("attempt", "refer") and not case.supported_scheme:
        return "Only for supported scheme cases (5.5)."
    if key == "refer" and case.referral is not None:
        return "The case has already been referred."
    if key == "risk" and not case.colleague_harassment:
        return "Only when a colleague was harassed by a customer (5.9.1)."
    if key == "risk" and case.staff_risk_assessment is not None:
        return "The staff risk assessment is already recorded."
    if key == "update" and case.complainant.anonymous:
        return "The complainant is anonymous: no update can be given to them (5.8)."
    if key == "update" and case.first_response is None:
        return "Record the first response first (5.3)."
    if key == "action_done" and not outstanding_actions(case):
        return "No action of the plan is waiting to be done."
    return None


def outstanding_actions(case: Case) -> list[PlanAction]:
    plan = case.action_plan
    return [a for a in (plan.actions if plan else ()) if a.done_at is None]


def score_words(values: dict[str, Any]) -> str:
    """The questionnaire's score as the officer answers, and the level it suggests."""
    answers = {q.id: values.get(q.id) for q in QUESTIONS if values.get(q.id)}
    score = score_answers(answers)
    left = len(QUESTIONS) - len(answers)
    still = f" ({left} question{'s' if left != 1 else ''} not answered)" if left else ""
    suggested = LEVEL_WORDS[suggested_level(score)].lower()
    return f"Score: {score}{still}. It suggests {suggested} risk; the level is your decision."


def dialog_for(
    key: str,
    parent: QWidget,
    view: CaseView,
    services: Services,
    on_done: Callable[[CaseView], None],
) -> ActionDialog:
    case = view.case
    act = services.actions
    cid = case.id
    staff = services.casework.directory().staff

    def make(
        title: str,
        fields: list[Field],
        submit: Callable[[dict[str, Any]], Any],
        intro: str | None = None,
        submit_text: str = "&Save",
        live: Callable[[dict[str, Any]], str] | None = None,
    ) -> ActionDialog:
        return ActionDialog(
            parent,
            name=f"case.{key}",
            title=title,
            fields=fields,
            submit=submit,
            on_done=on_done,
            now=services.casework.clock(),
            intro=intro,
            submit_text=submit_text,
            live=live,
        )

    if key == "first_response":
        return make(
            "Record the first response",
            [
                Field("at", "&When:", "moment", faults=("in the future", "before the report")),
                Field("summary", "What was &done:", "text", faults=("say what",)),
            ],
            lambda v: act.record_first_response(cid, v["summary"], moment(v["at"])),
            intro=f"This stops the response clock (5.3). Target: {when(view.outcome.response_due_at)}.",
        )
    if key == "incident":
        fields = [
            Field("occurred_at", "&Date and time:", "moment", faults=("in the future",)),
            Field("location", "&Where:"),
            Field("description", "What &happened:", "text", faults=("describe",)),
            Field("feel", "How it made them &feel:"),
            Field("since", "How it has affected them s&ince:"),
            Field("measures", "What they have done to &avoid it:"),
        ]

        def add(v: dict[str, Any]) -> CaseView:
            import uuid

            incident = Incident(
                id=str(uuid.uuid4()),
                occurred_at=moment(v["occurred_at"]),
                description=v["description"].strip(),
                location=v["location"].strip() or None,
                how_it_made_them_feel=v["feel"].strip() or None,
                effect_since=v["since"].strip() or None,
                measures_taken=v["measures"].strip() or None,
            )
            return act.add_incident(cid, incident)

        return make("Add an incident", fields, add)
    if key in ("note", "contact"):
        kind = EntryKind.NOTE if key == "note" else EntryKind.CONTACT
        return make(
            "Add a note" if key == "note" else "Record a contact",
            [
                Field(
                    "text",
                    "&Note:" if key == "note" else "&Who, how, and what was said:",
                    "text",
                    faults=("write the note",),
                )
            ],
            lambda v: act.add_entry(cid, kind, v["text"]),
        )
    if key == "reassign":
        options = [(None, "Choose a member of staff…")] + [
            (s.id, f"{s.name} ({', '.join(sorted(r.value.replace('_', ' ') for r in s.roles))})")
            for s in staff
        ]
        intro = (
            "A case involving an employee must stay with a Team Leader or above (5.9)."
            if case.involves_employee
            else None
        )
        return make(
            "Reassign the case",
            [
                Field(
                    "staff",
                    "&Assign to:",
                    "choice",
                    options,
                    faults=("choose a member", "not a team leader"),
                ),
                Field("reason", "&Reason:", "text", faults=("give a reason",)),
            ],
            lambda v: act.reassign(cid, v["staff"] or "", v["reason"]),
            intro=intro,
        )
    if key == "attempt":
        return make(
            "Record the scheme officer's attempt to resolve it (5.5)",
            [
                Field("at", "&When:", "moment"),
                Field("description", "What they &tried:", "text", faults=("describe",)),
                Field("successful", "It &resolved the issue", "check"),
            ],
            lambda v: act.record_resolution_attempt(
                cid, v["description"], successful=v["successful"], at=moment(v["at"])
            ),
        )
    if key == "refer":
        failed = [a for a in case.resolution_attempts if not a.successful]
        officers = [
            (s.id, s.name)
            for s in staff
            if s.has_role(Role.HOUSING_OFFICER) or s.has_role(Role.ENFORCEMENT_OFFICER)
        ]
        return make(
            "Refer to a Housing or Enforcement Officer (5.5)",
            [
                Field(
                    "role",
                    "Refer &to:",
                    "choice",
                    [
                        (ReferralRole.HOUSING_OFFICER, "A Housing Officer"),
                        (ReferralRole.ENFORCEMENT_OFFICER, "An Enforcement Officer"),
                    ],
                ),
                Field("staff", "&Officer (optional):", "choice", [(None, "Not chosen"), *officers]),
                Field(
                    "reason",
                    "&Reason:",
                    "text",
                    hint="Persistent ASB, or behaviour not moderated.",
                    faults=("reason for the referral",),
                ),
            ],
            lambda v: act.refer(cid, ReferralRole(v["role"]), v["reason"], v["staff"]),
            intro=f"Unsuccessful attempts by the scheme officer recorded: {len(failed)}. "
            "A referral needs at least one (5.5).",
            submit_text="Re&fer",
        )
    if key == "risk":
        due = view.outcome.staff_risk_assessment_due_at
        return make(
            "Complete the staff risk assessment (5.9.1)",
            [
                Field(
                    "participants",
                    "Who took &part (one a line):",
                    "text",
                    hint="The group: " + "; ".join(RISK_ASSESSMENT_GROUP) + ".",
                    faults=("who took part",),
                ),
                Field("agreed", "The group &agreed a course of action", "check"),
                Field(
                    "decision",
                    "Agreed &decision:",
                    "text",
                    faults=("course of action the group agreed",),
                ),
                Field(
                    "director",
                    "Di&rector of Operations' decision (if no agreement):",
                    "text",
                    faults=("director of operations' decision",),
                ),
            ],
            lambda v: act.complete_risk_assessment(
                cid,
                participants=v["participants"].splitlines(),
                agreed=v["agreed"],
                decision=v["decision"],
                director_decision=v["director"],
            ),
            intro=f"Due by {when(due) if due else 'unknown'}. If the group cannot agree, the "
            "Director of Operations decides, and that decision is final.",
        )
    if key in closing_forms.KEYS:
        return closing_forms.dialog(key, make, view, act)
    if key == "update":
        due = view.outcome.next_update_due_at
        return make(
            "Give an update to the complainant",
            [
                Field(
                    "text",
                    "What the complainant was &told:",
                    "text",
                    faults=("what the complainant was told",),
                )
            ],
            lambda v: act.give_update(cid, v["text"]),
            intro=(
                f"Next update {'overdue: it was due' if view.now and view.now > due else 'due'} "
                f"by {when(due)}. Saving this starts the next one's clock."
            )
            if due
            else None,
        )
    if key == "plan":
        plan = case.action_plan
        return make(
            "Agree the action plan with the complainant",
            [
                Field("agreed_with", "Agreed &with:", faults=("who the plan",)),
                Field("agreed_at", "Agreed &on:", "moment", faults=("in the future",)),
            ],
            lambda v: act.agree_action_plan(cid, v["agreed_with"], moment(v["agreed_at"])),
            intro=(
                f"Agreed with {plan.agreed_with} on {when(plan.agreed_at)}; saving records it again."
                if plan is not None and plan.agreed_at is not None
                else "Who the plan was agreed with (the complainant, their advocate) and when."
            ),
        )
    if key == "action":
        people = [(None, "Choose who will do it…")] + [(s.id, s.name) for s in staff]
        people.append(("complainant", "The complainant"))

        def add_action(v: dict[str, Any]) -> CaseView:
            if not v["who"]:
                raise ProcedureError("Say who will do the action.")
            return act.add_plan_action(cid, v["what"], v["who"], moment(v["due_at"]))

        return make(
            "Add an action to the plan",
            [
                Field("what", "&What will be done:", "text", faults=("what the action is",)),
                Field("who", "W&ho will do it:", "choice", people, faults=("who will do",)),
                Field("due_at", "&Due by:", "moment"),
            ],
            add_action,
        )
    if key == "action_done":
        waiting = [(a.id, f"{a.what} (due {when(a.due_at)})") for a in outstanding_actions(case)]
        return make(
            "Mark an action of the plan done",
            [
                Field("action", "&Action:", "choice", waiting),
                Field("at", "Done &on:", "moment", faults=("in the future",)),
            ],
            lambda v: act.mark_action_done(cid, v["action"], moment(v["at"])),
        )
    if key == "victim_risk":
        fields = [
            Field(
                q.id,
                f"&{number} {q.text}",
                "choice",
                [(None, "Not answered"), *((a, ANSWER_WORDS.get(a, a)) for a in q.points)],
                faults=(q.text.lower(),),
            )
            for number, q in enumerate(QUESTIONS, start=1)
        ]
        fields.append(
            Field(
                "level",
                "Risk &level (your decision):",
                "choice",
                [(None, "Choose the level…"), *LEVEL_WORDS.items()],
                faults=("choose the level",),
            )
        )
        fields.append(Field("notes", "&Notes:", "text"))
        latest = view.outcome.risk_level

        def assess(v: dict[str, Any]) -> CaseView:
            if not v["level"]:
                raise ProcedureError("Choose the level of risk.")
            answers = {q.id: v[q.id] for q in QUESTIONS if v[q.id]}
            return act.assess_risk(cid, answers, RiskLevel(v["level"]), v["notes"])

        return make(
            "Assess the risk to the complainant",
            fields,
            assess,
            intro=(f"Latest level: {LEVEL_WORDS[latest].lower()}. " if latest else "")
            + "Answer each question with the complainant. A high level shortens the update "
            "cadence and suggests serious severity.",
            live=score_words,
        )
    raise KeyError(key)

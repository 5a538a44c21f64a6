"""What an officer does to a case from the workspace, each action one small typed function.

Built on `Casework`: an action loads the stored case, checks the procedure's rule for it,
changes the case with `dataclasses.replace` and stores it with `Casework.update` (audited and
queued for sync in one transaction). A refused action raises ProcedureError with a sentence
for the officer and stores nothing.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from asb_desktop.domain.case import (
    Case,
    CaseState,
    Entry,
    EntryKind,
    FirstResponse,
    Incident,
    ManualAssignment,
    Referral,
    ReferralRole,
    ResolutionAttempt,
    StaffRiskAssessment,
)
from asb_desktop.domain.case_management import ActionPlan, PlanAction, RiskAssessment, RiskLevel
from asb_desktop.domain.case_review import complainant_key, qualifies
from asb_desktop.domain.case_rules import NO_UPDATE_WHEN_ANONYMOUS
from asb_desktop.domain.closing import ReportAfterClosure, closed_case_label, follows_closed_note
from asb_desktop.domain.deadlines import (
    Deadline,
    DeadlineKind,
    case_deadlines,
    describe_deadline,
)
from asb_desktop.domain.document import case_from_document
from asb_desktop.domain.errors import ProcedureError
from asb_desktop.domain.keeping_informed import update_cadence
from asb_desktop.domain.procedure import (
    RESPONSE_WORKING_DAYS,
    Outcome,
    check_reassignment,
    check_referral,
    check_staff_risk_assessment,
    describe_due,
    response_met,
)
from asb_desktop.domain.review_applications import (
    NO_APPLICATION_WHEN_ANONYMOUS,
    ReviewApplication,
)
from asb_desktop.domain.risk_questions import QUESTIONS, score_answers
from asb_desktop.services.actors import NO_NAMES, OFFICER_SETTING, ActorNames, chosen_officer
from asb_desktop.services.case_closing import ClosingActions
from asb_desktop.services.casework import Casework
from asb_desktop.services.drafts import CASE_SAVED, Drafts
from asb_desktop.store import cases as case_table
from asb_desktop.store.audit import AuditEntry, AuditWriter
from asb_desktop.store.cases import CaseFilter, SortKey
from asb_desktop.store.settings import set_setting
from asb_desktop.support.logs import log_event

_log = logging.getLogger(__name__)
# The ASB Case Review ("community trigger") threshold: 3 reports in 6 months.
CASE_REVIEW_REPORTS = 3
CASE_REVIEW_WINDOW = timedelta(days=183)
_CANDIDATES = 200
StoreToo = Callable[[Any, AuditWriter], None]
"""More stored in a report's own transaction (connection, audit): the resident's evidence."""


@dataclass(frozen=True)
class PossibleDuplicate:
    case_id: str
    reference: str | None
    received_at: datetime
    reasons: tuple[str, ...]  # "same complainant", "same address", "same person involved"


@dataclass(frozen=True)
class DuplicateCheck:
    matches: tuple[PossibleDuplicate, ...]
    complainant_reports: int  # reports by this complainant in the last 6 months, this one included
    closed: tuple[PossibleDuplicate, ...] = ()
    """Closed cases it matches: a report after closure is a new case, so none is added to."""

    @property
    def case_review_threshold_met(self) -> bool:
        return self.complainant_reports >= CASE_REVIEW_REPORTS


def _key(text: str | None) -> str:
    """Names and addresses compared without case, accents, punctuation or extra spaces."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c if c.isalnum() else " " for c in plain if not unicodedata.combining(c))
    return " ".join(kept.split())


def _first_line(address: str | None) -> str:
    return _key((address or "").split(",")[0])


@dataclass(frozen=True)
class SavedReport:
    """What the officer is told after saving: where the case goes, when, and why."""

    case_id: str
    assigned_to: str | None
    explanation: str
    response_due_at: datetime
    due_in_words: str
    staff_risk_assessment_due_at: datetime | None
    added_to_existing: bool = False
    follows_closed: str | None = None  # the closed case it notes (a report after closure)


@dataclass(frozen=True)
class CaseView:
    """Everything the workspace shows for one case, loaded in one go off the GUI thread."""

    case: Case
    outcome: Outcome
    due_in_words: str
    response_met: bool | None
    history: list[AuditEntry]
    names: ActorNames = NO_NAMES
    """Who the stored actor ids are (history, notes, first response, referral), by name."""
    clocks: tuple[Clock, ...] = ()
    """Every deadline the case carries, in the order they fall due, in words."""
    review_reports: tuple[ReviewReport, ...] = ()
    """The reports that count toward an ASB Case Review for this complainant."""
    now: datetime | None = None
    """The moment the view was read (what is overdue is judged against it)."""


@dataclass(frozen=True)
class Clock:
    """One deadline of the case: what, when, and why, in words."""

    deadline: Deadline
    words: str  # "next update to the complainant: due in 3 working days (Thu 3 Dec, 17:00)"
    why: str  # the rule that sets it
    overdue: bool


@dataclass(frozen=True)
class ReviewReport:
    """One report counting toward the ASB Case Review."""

    case_id: str
    reference: str | None
    occurred_at: datetime
    reported_at: datetime
    description: str


class CaseActions(ClosingActions):
    def __init__(self, casework: Casework, drafts: Drafts) -> None:
        self.casework = casework
        self.drafts = drafts

    # --- who is at the keyboard ---------------------------------------------------------------

    def officer(self) -> str | None:
        """The directory id of the officer using this laptop ("mine" in the caseload)."""
        with self.casework.store.read() as conn:
            return chosen_officer(conn)

    def set_officer(self, staff_id: str) -> None:
        """The officer chose themselves (first run, Settings): from the next action on, the
        audit log and the case record them as the actor, without a restart."""
        if self.casework.directory().member(staff_id) is None:
            raise ProcedureError("Choose yourself from the staff directory.")
        with self.casework.store.write() as conn:
            set_setting(conn, OFFICER_SETTING, staff_id)
        self.casework.actor = staff_id
        log_event(_log, "settings.officer_set")

    def follow_officer(self) -> str:
        """The actor from the stored choice: the officer's staff id, else the computer account.
        Run at start-up and when settings may have changed behind our back (enrolling with the
        central store chooses the officer too). Returns the actor."""
        chosen = self.officer()
        self.casework.actor = chosen or self.casework.account
        return self.casework.actor

    def _by(self) -> str:
        return self.casework.actor

    # --- intake -------------------------------------------------------------------------------

    def preview(self, report: Case) -> tuple[Outcome, str]:
        """Where a report would go and when it would be due, in words, as the officer types."""
        outcome = self.casework.preview(report)
        words = describe_due(
            outcome.response_due_at, self.casework.clock(), self.casework.calendar()
        )
        return outcome, words

    def check_duplicates(self, report: Case) -> DuplicateCheck:
        """Open cases with the same complainant, address or person involved; and how many
        reports this complainant made in the last six months (the ASB Case Review threshold)."""
        work = self.casework
        name = None if report.complainant.anonymous else _key(report.complainant.name)
        address = None if report.complainant.anonymous else _first_line(report.complainant.address)
        people = {_key(p.name) for p in report.involved if p.name} - {""}
        places = {_first_line(p.address) for p in report.involved if p.address} - {""}
        probes = (
            []
            if report.complainant.anonymous
            else [report.complainant.name, report.complainant.address]
        )
        probes += [t for p in report.involved for t in (p.name, p.address)]
        candidates: dict[str, Any] = {}
        for probe in filter(None, probes):
            words = probe.split(",")[0]
            newest_first = CaseFilter(search=words, sort=SortKey.RECEIVED, descending=True)
            for row in work.list_cases(newest_first, limit=_CANDIDATES):
                candidates[row.id] = row
        matches: list[PossibleDuplicate] = []
        closed: list[PossibleDuplicate] = []
        since = work.clock() - CASE_REVIEW_WINDOW
        earlier = 0
        for row in sorted(candidates.values(), key=lambda r: r.received_at, reverse=True):
            if row.id == report.id:
                continue
            document = work.document(row.id, as_of_now=False) or {}  # names and addresses only
            complainant = document.get("complainant") or {}
            reasons = []
            if name and _key(complainant.get("name")) == name:
                reasons.append("same complainant")
                if row.received_at >= since:
                    earlier += 1
            if address and _first_line(complainant.get("address")) == address:
                reasons.append("same complainant address")
            for person in document.get("involved") or []:
                if people and _key(person.get("name")) in people:
                    reasons.append("same person involved")
                    break
                if places and _first_line(person.get("address")) in places:
                    reasons.append("same address of a person involved")
                    break
            if reasons:
                found = PossibleDuplicate(row.id, row.reference, row.received_at, tuple(reasons))
                (matches if row.state == CaseState.OPEN.value else closed).append(found)
        return DuplicateCheck(tuple(matches[:10]), earlier + 1 if name else 0, tuple(closed[:3]))

    def record_report(
        self, case: Case, *, follows_closed: str | None = None, then: StoreToo | None = None
    ) -> SavedReport:
        """Save a new report and drop its draft (the draft id is the case id). `follows_closed`:
        the closed case the report was first meant for, which the new case notes (a report
        after closure is a new case). `then`: more to store in the same transaction (the
        evidence the resident showed)."""
        closed = self.casework.case(follows_closed) if follows_closed else None
        if closed is not None:
            note = Entry(
                id=str(uuid.uuid4()),
                kind=EntryKind.NOTE,
                at=self.casework.clock(),
                by=self._by(),
                text=follows_closed_note(
                    closed_case_label(closed.reference, closed.id),
                    closed.status.at,
                    closed.status.outcome,
                ),
            )
            case = replace(case, entries=(*case.entries, note))
        document = self.casework.record(case, then=then)  # logs case.saved
        self.drafts.delete(case.id, reason=CASE_SAVED)
        saved = self._saved(self.casework.case(case.id) or case, document)
        if closed is None:
            return saved
        return replace(saved, follows_closed=closed_case_label(closed.reference, closed.id))

    def add_report_to_case(
        self, case_id: str, report: Case, *, then: StoreToo | None = None
    ) -> SavedReport:
        """A new report about an open case: its incident (and any new people, and its
        evidence) join that case. `then`: more to store in the same transaction."""
        target = self._load(case_id)
        if not target.is_open:  # a report after closure is a new case
            raise ReportAfterClosure(target.id, closed_case_label(target.reference, target.id))
        involved = target.involved + tuple(p for p in report.involved if p not in target.involved)
        witnesses = target.witnesses + tuple(
            w for w in report.witnesses if w not in target.witnesses
        )
        note = Entry(
            id=str(uuid.uuid4()),
            kind=EntryKind.ACTION,
            at=self.casework.clock(),
            by=self._by(),
            text=f"Further report received ({report.channel.value.replace('_', ' ')}) and "
            "added to this case as a new incident.",
        )
        changed = replace(
            target,
            incidents=target.incidents + report.incidents,
            involved=involved,
            witnesses=witnesses,
            entries=(*target.entries, note),
            attachments=target.attachments + report.attachments,
        )
        document = self.casework.update(
            changed, action="case.report_added", then=then
        )  # logs case.saved
        self.drafts.delete(report.id, reason=CASE_SAVED)
        saved = self._saved(changed, document)
        return replace(saved, added_to_existing=True)

    def _saved(self, case: Case, document: dict[str, Any]) -> SavedReport:
        outcome = self.casework.preview(case)
        return SavedReport(
            case_id=case.id,
            assigned_to=document.get("assigned_to"),
            explanation=outcome.assignment.explain(),
            response_due_at=outcome.response_due_at,
            due_in_words=describe_due(
                outcome.response_due_at, self.casework.clock(), self.casework.calendar()
            ),
            staff_risk_assessment_due_at=outcome.staff_risk_assessment_due_at,
        )

    # --- the workspace ------------------------------------------------------------------------

    def _load(self, case_id: str) -> Case:
        case = self.casework.case(case_id)
        if case is None:
            raise ProcedureError("This case is no longer in the store.")
        return case

    def view(self, case_id: str) -> CaseView:
        case = self._load(case_id)
        outcome = self.casework.outcome(case)  # a closed case's as it closed
        return CaseView(
            case=case,
            outcome=outcome,
            due_in_words=describe_due(
                outcome.response_due_at, self.casework.clock(), self.casework.calendar()
            ),
            response_met=response_met(case, outcome.response_due_at),
            history=self.casework.history(case.id),
            names=self.casework.names(),
            clocks=self.clocks(case, outcome),
            review_reports=self.review_reports(case),
            now=self.casework.clock(),
        )

    def clocks(self, case: Case, outcome: Outcome) -> tuple[Clock, ...]:
        """Every deadline of the case with its due time and the rule behind it, in words."""
        now, calendar = self.casework.clock(), self.casework.calendar()
        return tuple(
            Clock(d, describe_deadline(d, now, calendar), self._why(d, case), d.overdue(now))
            for d in case_deadlines(case, outcome)
        )

    def _why(self, deadline: Deadline, case: Case) -> str:
        if deadline.kind is DeadlineKind.FIRST_RESPONSE:
            days = RESPONSE_WORKING_DAYS[case.severity]
            return (
                f"5.3: a {case.severity.value} case is answered within {days} working "
                f"day{'s' if days != 1 else ''} of the report, by 17:00."
            )
        if deadline.kind is DeadlineKind.STAFF_RISK_ASSESSMENT:
            return "5.9.1: a colleague harassed by a customer is risk assessed within 48 hours."
        if deadline.kind is DeadlineKind.CASE_REVIEW_DECISION:
            days = self.casework.policy().review_decision_working_days
            return (
                f"ASB Case Review: an application is decided within {days} working days of "
                "being made (the organisation's target), by 17:00."
            )
        if deadline.kind is DeadlineKind.NEXT_UPDATE:
            days = update_cadence(case, self.casework.policy())
            high = " (the latest risk assessment is high)" if days != self._usual() else ""
            return (
                f"Keeping the complainant informed: an update every {days} working days"
                f"{high}, counted from the first response or the latest update."
            )
        plan = case.action_plan
        action = next((a for a in (plan.actions if plan else ()) if a.id == deadline.item_id), None)
        who = ""
        if action is not None:
            names = self.casework.names()
            who = (
                " by the complainant" if action.who == "complainant" else f" by {names(action.who)}"
            )
        agreed = (
            f", agreed with {plan.agreed_with}"
            if plan is not None and plan.agreed_with
            else ", not yet agreed with the complainant"
        )
        return f"The action plan{agreed}: to be done{who} by this date."

    def _usual(self) -> int:
        return self.casework.policy().update_working_days

    def review_reports(self, case: Case) -> tuple[ReviewReport, ...]:
        """The reports counted toward the ASB Case Review: this case's and those of every other
        stored case of the same complainant (none when anonymous)."""
        if case.complainant.anonymous:
            return ()
        cases = [case]
        key = complainant_key(case.complainant)
        if key is not None:
            with self.casework.store.read() as conn:
                stored = case_table.complainant_documents(conn, key, besides=case.id)
            cases += [case_from_document(d) for d in stored]
        now, policy = self.casework.clock(), self.casework.policy()
        found = [
            ReviewReport(c.id, c.reference, i.occurred_at, c.reported_at(i), i.description)
            for c in cases
            for i in c.incidents
            if qualifies(c.reported_at(i), i, now, policy)
        ]
        return tuple(sorted(found, key=lambda r: r.reported_at))

    def _store(self, case: Case, action: str) -> CaseView:
        self.casework.update(case, action=action)
        return self.view(case.id)

    def record_first_response(self, case_id: str, summary: str, at: datetime) -> CaseView:
        """5.3: the first response stops the clock; the view then says met or missed."""
        case = self._load(case_id)
        if case.first_response is not None:
            raise ProcedureError("The first response is already recorded.")
        if not summary.strip():
            raise ProcedureError("Say what the first response was.")
        if at > self.casework.clock() + timedelta(minutes=5):
            raise ProcedureError("The first response cannot be in the future.")
        if at < case.received_at:
            raise ProcedureError("The first response cannot be before the report was received.")
        response = FirstResponse(at=at, by=self._by(), summary=summary.strip())
        return self._store(replace(case, first_response=response), "case.first_response")

    def add_incident(self, case_id: str, incident: Incident) -> CaseView:
        case = self._load(case_id)
        if not case.is_open:  # a report after closure is a new case
            raise ReportAfterClosure(case.id, closed_case_label(case.reference, case.id))
        if not incident.description.strip():
            raise ProcedureError("Describe the incident.")
        if incident.occurred_at > self.casework.clock() + timedelta(minutes=5):
            raise ProcedureError("The incident's date and time cannot be in the future.")
        return self._store(replace(case, incidents=(*case.incidents, incident)), "case.incident")

    def add_entry(self, case_id: str, kind: EntryKind, text: str) -> CaseView:
        case = self._load(case_id)
        if not text.strip():
            raise ProcedureError("Write the note or the contact before saving it.")
        entry = Entry(
            id=str(uuid.uuid4()),
            kind=kind,
            at=self.casework.clock(),
            by=self._by(),
            text=text.strip(),
        )
        return self._store(replace(case, entries=(*case.entries, entry)), f"case.{kind.value}")

    def reassign(self, case_id: str, staff_id: str, reason: str) -> CaseView:
        case = self._load(case_id)
        staff = self.casework.directory().member(staff_id)
        check_reassignment(case, staff, reason)
        manual = ManualAssignment(
            staff_id=staff_id, by=self._by(), at=self.casework.clock(), reason=reason.strip()
        )
        return self._store(replace(case, manual_assignment=manual), "case.reassigned")

    def record_resolution_attempt(
        self, case_id: str, description: str, *, successful: bool, at: datetime
    ) -> CaseView:
        """5.5: what the scheme officer tried; a referral needs at least one that failed."""
        case = self._load(case_id)
        if not case.supported_scheme:
            raise ProcedureError(
                "Resolution attempts are recorded for supported scheme cases (5.5)."
            )
        if not description.strip():
            raise ProcedureError("Describe what the scheme officer tried.")
        attempt = ResolutionAttempt(
            at=at, by=self._by(), description=description.strip(), successful=successful
        )
        changed = replace(case, resolution_attempts=(*case.resolution_attempts, attempt))
        return self._store(changed, "case.resolution_attempt")

    def refer(
        self, case_id: str, role: ReferralRole, reason: str, staff_id: str | None = None
    ) -> CaseView:
        case = self._load(case_id)
        at = self.casework.clock()
        check_referral(
            case,
            role,
            reason,
            at=at,
            to_staff_id=staff_id or None,
            directory=self.casework.directory(),
        )
        referral = Referral(
            to_role=role,
            reason=reason.strip(),
            at=at,
            by=self._by(),
            to_staff_id=staff_id or None,
        )
        return self._store(replace(case, referral=referral), "case.referred")

    def complete_risk_assessment(
        self,
        case_id: str,
        *,
        participants: list[str],
        agreed: bool,
        decision: str = "",
        director_decision: str = "",
    ) -> CaseView:
        case = self._load(case_id)
        if case.staff_risk_assessment is not None:
            raise ProcedureError("The staff risk assessment is already recorded.")
        assessment = StaffRiskAssessment(
            completed_at=self.casework.clock(),
            participants=tuple(p.strip() for p in participants if p.strip()),
            agreed=agreed,
            decision=decision.strip() or None,
            director_decision=director_decision.strip() or None,
        )
        check_staff_risk_assessment(case, assessment, self.casework.directory())
        changed = replace(case, staff_risk_assessment=assessment)
        return self._store(changed, "case.staff_risk_assessment")

    # --- managing the case (December 2026 additions) -----------------------------------------

    def give_update(self, case_id: str, text: str) -> CaseView:
        """An update given to the complainant: moves the next update on (never when anonymous,
        5.8)."""
        case = self._load(case_id)
        if case.complainant.anonymous:
            raise ProcedureError(NO_UPDATE_WHEN_ANONYMOUS)
        if not case.is_open:
            raise ProcedureError("This case is closed.")
        if not text.strip():
            raise ProcedureError("Say what the complainant was told.")
        entry = Entry(
            id=str(uuid.uuid4()),
            kind=EntryKind.UPDATE,
            at=self.casework.clock(),
            by=self._by(),
            text=text.strip(),
        )
        return self._store(replace(case, entries=(*case.entries, entry)), "case.update")

    def agree_action_plan(self, case_id: str, agreed_with: str, agreed_at: datetime) -> CaseView:
        """The action plan agreed: when, and with whom."""
        case = self._load(case_id)
        if not case.is_open:
            raise ProcedureError("This case is closed.")
        if not agreed_with.strip():
            raise ProcedureError("Say who the plan was agreed with.")
        if agreed_at > self.casework.clock() + timedelta(minutes=5):
            raise ProcedureError("The plan cannot be agreed in the future.")
        plan = case.action_plan or ActionPlan()
        changed = replace(plan, agreed_at=agreed_at, agreed_with=agreed_with.strip())
        return self._store(replace(case, action_plan=changed), "case.action_plan_agreed")

    def add_plan_action(self, case_id: str, what: str, who: str, due_at: datetime) -> CaseView:
        """An action of the plan: what, who does it, by when."""
        case = self._load(case_id)
        if not case.is_open:
            raise ProcedureError("This case is closed.")
        if not what.strip():
            raise ProcedureError("Say what the action is.")
        if not who.strip():
            raise ProcedureError("Say who will do the action.")
        action = PlanAction(id=str(uuid.uuid4()), what=what.strip(), who=who.strip(), due_at=due_at)
        plan = case.action_plan or ActionPlan()
        changed = replace(plan, actions=(*plan.actions, action))
        return self._store(replace(case, action_plan=changed), "case.action_added")

    def mark_action_done(self, case_id: str, action_id: str, at: datetime) -> CaseView:
        case = self._load(case_id)
        plan = case.action_plan
        action = next((a for a in (plan.actions if plan else ()) if a.id == action_id), None)
        if plan is None or action is None:
            raise ProcedureError("Choose an action of the plan.")
        if action.done_at is not None:
            raise ProcedureError("That action is already done.")
        if at > self.casework.clock() + timedelta(minutes=5):
            raise ProcedureError("An action cannot be done in the future.")
        actions = tuple(replace(a, done_at=at) if a.id == action_id else a for a in plan.actions)
        changed = replace(case, action_plan=replace(plan, actions=actions))
        return self._store(changed, "case.action_done")

    def assess_risk(
        self, case_id: str, answers: dict[str, str], level: RiskLevel, notes: str = ""
    ) -> CaseView:
        """A victim risk assessment (append-only): our questions' answers, their score, and the
        level the officer chose seeing it."""
        case = self._load(case_id)
        if not case.is_open:
            raise ProcedureError("This case is closed.")
        missing = [q.text for q in QUESTIONS if q.id not in answers]
        if missing:
            raise ProcedureError(f"Answer every question: {missing[0]}")
        assessment = RiskAssessment(
            id=str(uuid.uuid4()),
            at=self.casework.clock(),
            by=self._by(),
            level=RiskLevel(level),
            score=score_answers(answers),
            answers=dict(answers),
            notes=notes.strip() or None,
        )
        changed = replace(case, risk_assessments=(*case.risk_assessments, assessment))
        return self._store(changed, "case.risk_assessed")

    # --- the ASB Case Review: an application and its steps -----------------------------------

    def _not_future(self, at: datetime, what: str) -> None:
        if at > self.casework.clock() + timedelta(minutes=5):
            raise ProcedureError(f"{what} cannot be in the future.")

    def _application(self, case: Case, application_id: str) -> ReviewApplication:
        found = next((a for a in case.case_review_applications if a.id == application_id), None)
        if found is None:
            raise ProcedureError("Choose an application for an ASB Case Review.")
        return found

    def _store_application(self, case: Case, changed: ReviewApplication, action: str) -> CaseView:
        applications = tuple(
            changed if a.id == changed.id else a for a in case.case_review_applications
        )
        return self._store(replace(case, case_review_applications=applications), action)

    def apply_for_case_review(
        self, case_id: str, applied_by: str, applied_at: datetime
    ) -> CaseView:
        """An application for an ASB Case Review, by the complainant or someone on their
        behalf; its decision is then due (domain/review_applications.py)."""
        case = self._load(case_id)
        if case.complainant.anonymous:
            raise ProcedureError(NO_APPLICATION_WHEN_ANONYMOUS)
        if not applied_by.strip():
            raise ProcedureError(
                "Say who applied: the complainant, or who applied on their behalf."
            )
        self._not_future(applied_at, "The application")
        if applied_at < case.received_at:
            raise ProcedureError("The application cannot be before the report was received.")
        application = ReviewApplication(
            id=str(uuid.uuid4()),
            applied_at=applied_at,
            applied_by=applied_by.strip(),
            received_by=self._by(),
        )
        changed = replace(
            case, case_review_applications=(*case.case_review_applications, application)
        )
        return self._store(changed, "case.review_applied")

    def decide_case_review(
        self,
        case_id: str,
        application_id: str,
        *,
        threshold_met: bool,
        decision: str,
        decided_at: datetime,
    ) -> CaseView:
        """Whether the threshold is met, and what was decided (the review goes ahead or not)."""
        case = self._load(case_id)
        application = self._application(case, application_id)
        if application.decided:
            raise ProcedureError("This application has been decided already.")
        if not decision.strip():
            raise ProcedureError("Say what was decided, and why.")
        self._not_future(decided_at, "The decision")
        if decided_at < application.applied_at:
            raise ProcedureError("The decision cannot be before the application.")
        decided = replace(
            application,
            threshold_met=threshold_met,
            decision=decision.strip(),
            decided_at=decided_at,
            decided_by=self._by(),
        )
        return self._store_application(case, decided, "case.review_decided")

    def record_case_review_outcome(
        self, case_id: str, application_id: str, outcome: str, outcome_at: datetime
    ) -> CaseView:
        """The review's outcome: its recommendations, once it went ahead."""
        case = self._load(case_id)
        application = self._application(case, application_id)
        if not application.awaiting_outcome:
            raise ProcedureError(
                "An outcome is recorded once the review was decided to go ahead, and only once."
            )
        if not outcome.strip():
            raise ProcedureError("Give the review's recommendations.")
        self._not_future(outcome_at, "The outcome")
        assert application.decided_at is not None
        if outcome_at < application.decided_at:
            raise ProcedureError("The outcome cannot be before the decision.")
        done = replace(application, outcome=outcome.strip(), outcome_at=outcome_at)
        return self._store_application(case, done, "case.review_outcome")

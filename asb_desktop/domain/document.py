"""The case document (`asb-case/1`): reading it strictly, writing it with the computed fields.

Reading names the exact field of every problem (`incidents[2].occurred_at: …`), never only the
first. Unknown keys are errors, never silently dropped, because a dropped field would be a lost
word of a report.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from asb_desktop.domain.attachment import Attachment
from asb_desktop.domain.case import (
    AnonymityChecklist,
    Case,
    CaseState,
    Channel,
    Complainant,
    ConsentStatus,
    ConsentToShare,
    Entry,
    EntryKind,
    FirstResponse,
    HateStrand,
    Incident,
    InvolvedPerson,
    ManualAssignment,
    Organisation,
    Referral,
    ReferralRole,
    ResolutionAttempt,
    Severity,
    SharingBasis,
    Source,
    SourceKind,
    StaffRiskAssessment,
    Status,
    Targeting,
    Witness,
)
from asb_desktop.domain.case_management import (
    ActionPlan,
    AsbType,
    NsirCategory,
    PlanAction,
    RiskAssessment,
    RiskLevel,
    Vulnerability,
)
from asb_desktop.domain.closing import (
    CaseOutcome,
    Closure,
    ComplainantTold,
    Reopening,
    ReportAgain,
    Satisfaction,
    SatisfactionAnswers,
    ToldHow,
)
from asb_desktop.domain.disclosure import Disclosure, DisclosureProfile, DisclosureWhat
from asb_desktop.domain.document_writer import ANONYMITY_FIELDS, CASE_FORMAT, case_to_document
from asb_desktop.domain.errors import InputError, InvalidDocument, Problems
from asb_desktop.domain.limits import MAX_PROBLEMS_LISTED, shown
from asb_desktop.domain.review_applications import ReviewApplication
from asb_desktop.domain.timestamps import format_timestamp, parse_timestamp

__all__ = [
    "CASE_FORMAT",
    "COMPUTED_KEYS",
    "FACT_KEYS",
    "case_from_document",
    "case_to_document",
    "format_timestamp",
    "parse_timestamp",
    "read_case",
    "without_computed",
]

# Worked out by the project: an import may carry them (as an export does); they are recomputed.
COMPUTED_KEYS = frozenset(
    {
        "reference",
        "assignment_rule",
        "assigned_to",
        "assigned_to_name",
        "response_due_at",
        "staff_risk_assessment_due_at",
        "risk_level",
        "next_update_due_at",
        "case_review",
        "case_review_decision_due_at",
    }
)
FACT_KEYS = frozenset(
    {
        "format",
        "id",
        "received_at",
        "channel",
        "source",
        "severity",
        "estate",
        "supported_scheme",
        "complainant",
        "incidents",
        "frequency",
        "involved",
        "targeting",
        "hate_strands",
        "witnesses",
        "consent_to_share",
        "colleague_harassment",
        # Our additions (the contract allows new fields, never renamed ones).
        "anonymity",
        "resolution_attempts",
        "referral",
        "status",
        "recorded_by",
        "first_response",
        "entries",
        "staff_risk_assessment",
        "manual_assignment",
        # Managing the case after intake (the contract's additions of December 2026).
        "asb_types",
        "nsir_category",
        "risk_assessments",
        "action_plan",
        # Closing: how it ended (`status.outcome`), what followed, and reopenings (ours).
        "closure",
        "reopenings",
        "disclosures",  # append-only: what left the team, for whom (domain/disclosure.py)
        # `legal_hold` recorded; `destroy_after` beside it is worked out (DESTROY_AFTER).
        "retention",
        # Applications for an ASB Case Review (ours: the contract does not name it).
        "case_review_applications",
        # Evidence: what was attached (domain/attachment.py); the bytes travel apart.
        "attachments",
    }
)
# The one worked-out key inside a recorded object: `retention.destroy_after`.
DESTROY_AFTER = "destroy_after"
# A placeholder for a required value that could not be read: the reading goes on, to find every
# problem, and the case it builds is thrown away (the reading raises InvalidDocument).
_NO_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)

E = TypeVar("E", bound=StrEnum)


class _Reader:
    """Walks one JSON object, checking keys and types, remembering the dotted path for errors.

    A problem is added to `problems` and reading goes on with a placeholder, so one reading
    finds every problem of a document, never only the first."""

    def __init__(self, obj: Any, where: str, allowed: frozenset[str] | set[str],
                 problems: Problems) -> None:  # fmt: skip
        self.problems = problems
        self.prefix = f"{where}." if where else ""
        if not isinstance(obj, dict):
            problems.add(where or "(document)", "must be a JSON object")
            obj = {}
        for key in sorted((k for k in obj if k not in allowed), key=str):
            problems.add(f"{self.prefix}{_key_shown(key)}", "is not a known field")
        self.obj: dict[str, Any] = {k: v for k, v in obj.items() if k in allowed}

    def fail(self, where: str, problem: str) -> None:
        self.problems.add(where, problem)

    def path(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def has(self, key: str) -> bool:
        return self.obj.get(key) is not None

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                self.fail(self.path(key), "is required")
            return None
        if not isinstance(value, str):
            self.fail(self.path(key), "must be a string")
            return None
        stripped = value.strip()
        if required and not stripped:
            self.fail(self.path(key), "must not be empty")
        return stripped or None

    def required_text(self, key: str) -> str:
        return self.text(key, required=True) or ""

    def flag(self, key: str, *, default: bool = False, required: bool = False) -> bool:
        value = self.obj.get(key)
        if value is None:
            if required:
                self.fail(self.path(key), "is required (true or false)")
            return default
        if not isinstance(value, bool):
            self.fail(self.path(key), "must be true or false")
            return default
        return value

    def choice(self, key: str, kind: type[E], *, required: bool = False) -> E | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                self.fail(self.path(key), f"is required: one of {_options(kind)}")
            return None
        try:
            return kind(value)
        except (ValueError, TypeError):
            self.fail(self.path(key), f"{_value_shown(value)} is not one of {_options(kind)}")
            return None

    def required_choice(self, key: str, kind: type[E]) -> E:
        value = self.choice(key, kind, required=True)
        return value if value is not None else next(iter(kind))

    def timestamp(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                self.fail(self.path(key), "is required (ISO 8601 with a UTC offset)")
            return None
        try:
            return parse_timestamp(value, self.path(key))
        except InputError as error:
            self.fail(error.field, error.problem)
            return None

    def required_timestamp(self, key: str) -> datetime:
        return self.timestamp(key, required=True) or _NO_MOMENT

    def choices(self, key: str, kind: type[E]) -> frozenset[E]:
        """A list of choices, read as a set (each named once, in any order)."""
        found = []
        for where, value in self.items(key):
            try:
                found.append(kind(value))
            except (ValueError, TypeError):
                self.fail(where, f"{_value_shown(value)} is not one of {_options(kind)}")
        return frozenset(found)

    def number(self, key: str) -> float:
        value = self.obj.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(self.path(key), "is required: a number")
            return 0
        if isinstance(value, float) and not math.isfinite(value):
            return 0  # told by the limits check (NaN and Infinity are not JSON)
        return value

    def items(self, key: str) -> list[tuple[str, Any]]:
        value = self.obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(self.path(key), "must be a list")
            return []
        return [(f"{self.path(key)}[{i}]", item) for i, item in enumerate(value)]

    def child(self, key: str, allowed: set[str]) -> _Reader:
        value = self.obj.get(key)
        # Only a missing or null part reads as empty; false, [] or "" is a mistake to report.
        return _Reader({} if value is None else value, self.path(key), allowed, self.problems)


def _options(kind: type[StrEnum]) -> str:
    return ", ".join(m.value for m in kind)


def _key_shown(key: Any) -> str:
    """An unknown key as the path names it: plain when it is a plain name, else quoted."""
    text = str(key)
    plain = text.isidentifier() and text.isascii() and len(text) <= 40
    return text if plain else shown(text)


def _value_shown(value: Any) -> str:
    return shown(value) if isinstance(value, str) else shown(repr(value))[1:-1]


T = TypeVar("T")


def _each(
    reader: _Reader, key: str, allowed: set[str], build: Callable[[_Reader], T]
) -> tuple[T, ...]:
    return tuple(
        build(_Reader(item, where, allowed, reader.problems)) for where, item in reader.items(key)
    )


def _source(r: _Reader) -> Source:
    kind = r.required_choice("kind", SourceKind)
    organisation = r.choice("organisation", Organisation)
    if kind is SourceKind.DIRECT and organisation is not None:
        r.fail(r.path("organisation"), "must be null for a direct report")
    return Source(
        kind=kind,
        organisation=organisation,
        organisation_name=r.text("organisation_name"),
        contact=r.text("contact"),
    )


IDENTIFYING = ("name", "address", "phone", "email")


def _complainant(r: _Reader) -> Complainant:
    anonymous = r.flag("anonymous", required=True)
    if anonymous:
        for key in IDENTIFYING:
            if r.has(key):
                r.fail(
                    r.path(key),
                    "must be absent: the complainant wishes to remain anonymous (5.7, 5.8)",
                )
    return Complainant(
        anonymous=anonymous,
        name=r.text("name"),
        address=r.text("address"),
        phone=r.text("phone"),
        email=r.text("email"),
        is_employee=r.flag("is_employee"),
        vulnerabilities=r.choices("vulnerabilities", Vulnerability),
        adjustments=r.text("adjustments"),
    )


def _incident(r: _Reader) -> Incident:
    return Incident(
        id=r.text("id") or "",  # filled in by _incident_ids
        occurred_at=r.required_timestamp("occurred_at"),
        description=r.required_text("description"),
        location=r.text("location"),
        how_it_made_them_feel=r.text("how_it_made_them_feel"),
        effect_since=r.text("effect_since"),
        measures_taken=r.text("measures_taken"),
        reported_at=r.timestamp("reported_at"),
    )


def _involved(r: _Reader) -> InvolvedPerson:
    return InvolvedPerson(
        name=r.text("name"),
        address=r.text("address"),
        description=r.text("description"),
        is_employee=r.flag("is_employee"),
        vulnerabilities=r.choices("vulnerabilities", Vulnerability),
        adjustments=r.text("adjustments"),
    )


def _witness(r: _Reader) -> Witness:
    return Witness(
        name=r.text("name"),
        address=r.text("address"),
        contact=r.text("contact"),
        account=r.text("account"),
        vulnerabilities=r.choices("vulnerabilities", Vulnerability),
        adjustments=r.text("adjustments"),
    )


def _consent(r: _Reader) -> ConsentToShare:
    status = r.choice("status", ConsentStatus) or ConsentStatus.NOT_ASKED
    basis = r.choice("basis", SharingBasis)
    if basis is SharingBasis.CONSENT and status is not ConsentStatus.GIVEN:
        r.fail(r.path("basis"), "cannot be consent unless consent_to_share.status is given")
    return ConsentToShare(status=status, basis=basis)


def _anonymity(r: _Reader) -> AnonymityChecklist:
    return AnonymityChecklist(**{name: r.flag(name) for name in _ANONYMITY_FIELDS})


_ANONYMITY_FIELDS = set(ANONYMITY_FIELDS)


def _incident_ids(
    case_id: str | None, incidents: tuple[Incident, ...], problems: Problems
) -> tuple[Incident, ...]:
    """Give each incident without an id one derived from the case id and its position, so that
    importing the same document twice gives the same ids (incidents merge by id), and refuse
    an id used twice, which a merge would collapse into one incident."""
    named: list[Incident] = []
    seen: set[str] = set()
    for index, incident in enumerate(incidents):
        if not incident.id and case_id is not None:
            derived = uuid.uuid5(uuid.UUID(case_id), f"incident/{index}")
            incident = replace(incident, id=str(derived))
        if incident.id and incident.id in seen:
            problems.add(f"incidents[{index}].id", f"{shown(incident.id)} is used twice")
        seen.add(incident.id)
        named.append(incident)
    return tuple(named)


U = TypeVar("U", Entry, RiskAssessment, PlanAction, ReviewApplication, Attachment)


def _as_received(incidents: tuple[Incident, ...], received_at: datetime) -> tuple[Incident, ...]:
    """A `reported_at` equal to the case's receipt is the default, kept as None (as a case made
    in the window has it), so a document reads back to the same case however it was written."""
    return tuple(
        replace(i, reported_at=None) if i.reported_at == received_at else i for i in incidents
    )


def _unique_ids(name: str, items: tuple[U, ...], problems: Problems) -> tuple[U, ...]:
    """Entries, risk assessments and actions merge by id across laptops, so one id used twice
    would lose one of them."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id and item.id in seen:
            problems.add(f"{name}[{index}].id", f"{shown(item.id)} is used twice")
        seen.add(item.id)
    return items


def _attempt(r: _Reader) -> ResolutionAttempt:
    return ResolutionAttempt(
        at=r.required_timestamp("at"),
        by=r.required_text("by"),
        description=r.required_text("description"),
        successful=r.flag("successful"),
    )


def _referral(r: _Reader) -> Referral:
    return Referral(
        to_role=r.required_choice("to_role", ReferralRole),
        reason=r.required_text("reason"),
        at=r.required_timestamp("at"),
        by=r.required_text("by"),
        to_staff_id=r.text("to_staff_id"),
    )


def _status(r: _Reader) -> Status:
    state = r.choice("state", CaseState) or CaseState.OPEN
    reason = r.text("reason")
    # (a reason that is not a string at all is told as that, not as missing too)
    if state is CaseState.CLOSED and not reason and isinstance(r.obj.get("reason"), str | None):
        r.fail(r.path("reason"), "is required when the case is closed")
    outcome = r.choice("outcome", CaseOutcome)
    return Status(state=state, reason=reason, at=r.timestamp("at"), outcome=outcome)


def _told(r: _Reader) -> ComplainantTold:
    return ComplainantTold(
        at=r.required_timestamp("at"),
        by=r.required_text("by"),
        how=r.required_choice("how", ToldHow),
    )


def _satisfaction(r: _Reader) -> SatisfactionAnswers:
    return SatisfactionAnswers(
        at=r.required_timestamp("at"),
        by=r.required_text("by"),
        kept_informed=r.choice("kept_informed", Satisfaction),
        timescales=r.choice("timescales", Satisfaction),
        outcome=r.choice("outcome", Satisfaction),
        would_report_again=r.choice("would_report_again", ReportAgain),
    )


def _closure(r: _Reader) -> Closure:
    return Closure(
        complainant_told=_optional(r, "complainant_told", _TOLD_KEYS, _told),
        satisfaction=_optional(r, "satisfaction", _SATISFACTION_KEYS, _satisfaction),
    )


def _reopening(r: _Reader) -> Reopening:
    return Reopening(
        at=r.required_timestamp("at"),
        by=r.required_text("by"),
        reason=r.required_text("reason"),
        closed_at=r.timestamp("closed_at"),
        outcome=r.choice("outcome", CaseOutcome),
        closure=_optional(r, "closure", _CLOSURE_KEYS, _closure),
    )


def _first_response(r: _Reader) -> FirstResponse:
    return FirstResponse(
        at=r.required_timestamp("at"), by=r.required_text("by"), summary=r.required_text("summary")
    )


def _entry(r: _Reader) -> Entry:
    return Entry(
        id=r.required_text("id"),
        kind=r.required_choice("kind", EntryKind),
        at=r.required_timestamp("at"),
        by=r.required_text("by"),
        text=r.required_text("text"),
    )


def _risk_assessment(r: _Reader) -> StaffRiskAssessment:
    participants = []
    for where, value in r.items("participants"):
        if not isinstance(value, str) or not value.strip():
            r.fail(where, "must be a non-empty string")
            continue
        participants.append(value.strip())
    return StaffRiskAssessment(
        completed_at=r.required_timestamp("completed_at"),
        participants=tuple(participants),
        agreed=r.flag("agreed", required=True),
        decision=r.text("decision"),
        director_decision=r.text("director_decision"),
    )


def _manual_assignment(r: _Reader) -> ManualAssignment:
    return ManualAssignment(
        staff_id=r.required_text("staff_id"),
        by=r.required_text("by"),
        at=r.required_timestamp("at"),
        reason=r.required_text("reason"),
    )


def _assessment(r: _Reader) -> RiskAssessment:
    answers = r.obj.get("answers")
    if answers is not None and not isinstance(answers, dict):
        r.fail(r.path("answers"), "must be a JSON object (question id: answer)")
    return RiskAssessment(
        id=r.required_text("id"),
        at=r.required_timestamp("at"),
        by=r.required_text("by"),
        level=r.required_choice("level", RiskLevel),
        score=r.number("score"),
        answers=dict(answers) if isinstance(answers, dict) else {},
        notes=r.text("notes"),
    )


def _plan_action(r: _Reader) -> PlanAction:
    return PlanAction(
        id=r.required_text("id"),
        what=r.required_text("what"),
        who=r.required_text("who"),
        due_at=r.required_timestamp("due_at"),
        done_at=r.timestamp("done_at"),
    )


def _action_plan(r: _Reader) -> ActionPlan:
    return ActionPlan(
        agreed_at=r.timestamp("agreed_at"),
        agreed_with=r.text("agreed_with"),
        actions=_unique_ids(
            r.path("actions"), _each(r, "actions", _ACTION_KEYS, _plan_action), r.problems
        ),
    )


def _disclosure(r: _Reader) -> Disclosure:
    return Disclosure(
        at=r.required_timestamp("at"),
        by=r.required_text("by"),
        to=r.required_text("to"),
        profile=r.required_choice("profile", DisclosureProfile),
        what=r.required_choice("what", DisclosureWhat),
    )


def _attachment(r: _Reader) -> Attachment:
    size = r.obj.get("size")
    if isinstance(size, bool) or not isinstance(size, int):
        r.fail(r.path("size"), "is required: a whole number of bytes")
        size = 0
    scrubbed = r.obj.get("scrubbed")
    if not isinstance(scrubbed, bool):
        r.fail(r.path("scrubbed"), "is required (true or false)")
        scrubbed = False
    return Attachment(
        id=r.required_text("id"),
        name=r.required_text("name"),
        media_type=r.required_text("media_type"),
        size=size,
        sha256=r.required_text("sha256"),
        added_at=r.required_timestamp("added_at"),
        added_by=r.required_text("added_by"),
        incident_id=r.text("incident_id"),
        scrubbed=scrubbed,
    )


def _review_application(r: _Reader) -> ReviewApplication:
    threshold = r.obj.get("threshold_met")
    if threshold is not None and not isinstance(threshold, bool):
        r.fail(r.path("threshold_met"), "must be true, false or null")
        threshold = None
    return ReviewApplication(
        id=r.required_text("id"),
        applied_at=r.required_timestamp("applied_at"),
        applied_by=r.required_text("applied_by"),
        received_by=r.required_text("received_by"),
        threshold_met=threshold,
        decision=r.text("decision"),
        decided_at=r.timestamp("decided_at"),
        decided_by=r.text("decided_by"),
        outcome=r.text("outcome"),
        outcome_at=r.timestamp("outcome_at"),
    )


def _optional(r: _Reader, key: str, allowed: set[str], build: Callable[[_Reader], T]) -> T | None:
    return build(r.child(key, allowed)) if r.has(key) else None


def _case_id(r: _Reader) -> str | None:
    raw = r.required_text("id")
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        r.fail(r.path("id"), f"{_value_shown(raw)} is not a UUID")
        return None


def read_case(obj: Any, problems: Problems) -> Case:
    """Read one case document, adding every problem found to `problems`. The reading goes
    through the whole document to find them all, so the case it returns holds placeholders
    where a value could not be read: use it only when no problem was added."""
    r = _Reader(obj, "", FACT_KEYS | COMPUTED_KEYS, problems)
    if isinstance(obj, dict) and obj.get("format") != CASE_FORMAT:
        r.fail("format", f'must be "{CASE_FORMAT}"')
    case_id = _case_id(r)
    incidents = _each(r, "incidents", _INCIDENT_KEYS, _incident)
    if not incidents and isinstance(obj, dict):
        r.fail("incidents", "must list at least one incident (5.2)")
    incidents = _incident_ids(case_id, incidents, problems)
    hate = []
    for where, value in r.items("hate_strands"):
        try:
            hate.append(HateStrand(value))
        except (ValueError, TypeError):
            r.fail(where, f"{_value_shown(value)} is not one of {_options(HateStrand)}")
    targeting = r.child("targeting", {"targeted", "reason"})
    complainant = _complainant(r.child("complainant", _COMPLAINANT_KEYS))
    anonymity = _anonymity(r.child("anonymity", _ANONYMITY_FIELDS)) if r.has("anonymity") else None
    referral = _referral(r.child("referral", _REFERRAL_KEYS)) if r.has("referral") else None
    received_at = r.required_timestamp("received_at")
    case = Case(
        id=case_id or "",
        received_at=received_at,
        channel=r.required_choice("channel", Channel),
        source=_source(r.child("source", {"kind", "organisation", "organisation_name", "contact"})),
        severity=r.required_choice("severity", Severity),
        complainant=complainant,
        incidents=_as_received(incidents, received_at),
        estate=r.text("estate"),
        supported_scheme=r.text("supported_scheme"),
        frequency=r.text("frequency") or "",
        involved=_each(r, "involved", _INVOLVED_KEYS, _involved),
        targeting=Targeting(targeted=targeting.flag("targeted"), reason=targeting.text("reason")),
        hate_strands=frozenset(hate),
        witnesses=_each(r, "witnesses", _WITNESS_KEYS, _witness),
        consent_to_share=_consent(r.child("consent_to_share", {"status", "basis"})),
        colleague_harassment=r.flag("colleague_harassment"),
        anonymity=anonymity,
        resolution_attempts=_each(r, "resolution_attempts", _ATTEMPT_KEYS, _attempt),
        referral=referral,
        status=_status(r.child("status", {"state", "reason", "at", "outcome"})),
        recorded_by=r.text("recorded_by"),
        first_response=_optional(r, "first_response", {"at", "by", "summary"}, _first_response),
        entries=_unique_ids(
            "entries", _each(r, "entries", {"id", "kind", "at", "by", "text"}, _entry), problems
        ),
        staff_risk_assessment=_optional(r, "staff_risk_assessment", _RISK_KEYS, _risk_assessment),
        manual_assignment=_optional(
            r,
            "manual_assignment",
            {"staff_id", "staff_name", "by", "at", "reason"},
            _manual_assignment,
        ),
        asb_types=r.choices("asb_types", AsbType),
        nsir_category=r.choice("nsir_category", NsirCategory),
        risk_assessments=_unique_ids(
            "risk_assessments",
            _each(r, "risk_assessments", _ASSESSMENT_KEYS, _assessment),
            problems,
        ),
        action_plan=_optional(r, "action_plan", _PLAN_KEYS, _action_plan),
        closure=_optional(r, "closure", _CLOSURE_KEYS, _closure),
        reopenings=_each(r, "reopenings", _REOPENING_KEYS, _reopening),
        # `destroy_after` is worked out again, whatever the document says.
        legal_hold=r.child("retention", {"legal_hold", DESTROY_AFTER}).flag("legal_hold"),
        disclosures=_each(r, "disclosures", _DISCLOSURE_KEYS, _disclosure),
        case_review_applications=_unique_ids(
            "case_review_applications",
            _each(r, "case_review_applications", _APPLICATION_KEYS, _review_application),
            problems,
        ),
        attachments=_unique_ids(
            "attachments", _each(r, "attachments", _ATTACHMENT_KEYS, _attachment), problems
        ),
    )
    return case


def without_computed(document: Mapping[str, Any]) -> dict[str, Any]:
    """The recorded facts of a document: without the computed keys, and without
    `retention.destroy_after` (worked out from the closing day and the organisation's period)."""
    facts = {k: v for k, v in document.items() if k not in COMPUTED_KEYS}
    retention = facts.get("retention")
    if isinstance(retention, Mapping):
        facts["retention"] = {k: v for k, v in retention.items() if k != DESTROY_AFTER}
    return facts


def case_from_document(obj: Any) -> Case:
    """Read one case document; raises InvalidDocument (an InputError) naming every wrong field.

    This is the reading of the document's shape only, as stored data is read back. What may come
    in from outside (import, the window's save, a pulled case, a push) is checked further by
    `domain.validation.check_document`: the limits, the characters and the procedure's rules."""
    problems = Problems(keep=MAX_PROBLEMS_LISTED)
    case = read_case(obj, problems)
    if problems:
        raise InvalidDocument.of(problems)
    return case


_INCIDENT_KEYS = {
    "id",
    "occurred_at",
    "location",
    "description",
    "how_it_made_them_feel",
    "effect_since",
    "measures_taken",
    "reported_at",
}
_PERSON_KEYS = {"vulnerabilities", "adjustments"}
_COMPLAINANT_KEYS = {*IDENTIFYING, "anonymous", "is_employee", *_PERSON_KEYS}
_INVOLVED_KEYS = {"name", "address", "description", "is_employee", *_PERSON_KEYS}
_WITNESS_KEYS = {"name", "address", "contact", "account", *_PERSON_KEYS}
_ASSESSMENT_KEYS = {"id", "at", "by", "answers", "score", "level", "notes"}
_PLAN_KEYS = {"agreed_at", "agreed_with", "actions"}
_ACTION_KEYS = {"id", "what", "who", "due_at", "done_at"}
_DISCLOSURE_KEYS = {"at", "by", "to", "profile", "what"}
_ATTACHMENT_KEYS = {
    "id", "name", "media_type", "size", "sha256", "added_at", "added_by", "incident_id", "scrubbed"
}  # fmt: skip
_APPLICATION_KEYS = {
    "id",
    "applied_at",
    "applied_by",
    "received_by",
    "threshold_met",
    "decision",
    "decided_at",
    "decided_by",
    "outcome",
    "outcome_at",
}
_TOLD_KEYS = {"at", "by", "how"}
_SATISFACTION_KEYS = {"at", "by", "kept_informed", "timescales", "outcome", "would_report_again"}
_CLOSURE_KEYS = {"complainant_told", "satisfaction"}
_REOPENING_KEYS = {"at", "by", "reason", "closed_at", "outcome", "closure"}
_RISK_KEYS = {"completed_at", "participants", "agreed", "decision", "director_decision"}
_ATTEMPT_KEYS = {"at", "by", "description", "successful"}
_REFERRAL_KEYS = {"to_role", "reason", "at", "by", "to_staff_id"}

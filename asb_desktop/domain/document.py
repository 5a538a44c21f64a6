"""The case document (`asb-case/1`): reading it strictly, writing it with the computed fields.

Reading names the exact field of the first problem (`incidents[2].occurred_at: …`). Unknown keys
are errors, never silently dropped, because a dropped field would be a lost word of a report.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

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
from asb_desktop.domain.document_writer import ANONYMITY_FIELDS, CASE_FORMAT, case_to_document
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.timestamps import format_timestamp, parse_timestamp

__all__ = [
    "CASE_FORMAT",
    "COMPUTED_KEYS",
    "FACT_KEYS",
    "case_from_document",
    "case_to_document",
    "format_timestamp",
    "parse_timestamp",
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
    }
)
MAX_TEXT = 100_000  # characters in one free-text field; far beyond any real statement

E = TypeVar("E", bound=StrEnum)


class _Reader:
    """Walks one JSON object, checking keys and types, remembering the dotted path for errors."""

    def __init__(self, obj: Any, where: str, allowed: frozenset[str] | set[str]) -> None:
        if not isinstance(obj, dict):
            raise InputError(where or "(document)", "must be a JSON object")
        prefix = f"{where}." if where else ""
        unknown = sorted(set(obj) - set(allowed))
        if unknown:
            raise InputError(f"{prefix}{unknown[0]}", "is not a known field")
        self.obj = obj
        self.prefix = prefix

    def path(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def has(self, key: str) -> bool:
        return self.obj.get(key) is not None

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise InputError(self.path(key), "is required")
            return None
        if not isinstance(value, str):
            raise InputError(self.path(key), "must be a string")
        if len(value) > MAX_TEXT:
            raise InputError(self.path(key), f"is longer than {MAX_TEXT:,} characters")
        stripped = value.strip()
        if required and not stripped:
            raise InputError(self.path(key), "must not be empty")
        return stripped or None

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def flag(self, key: str, *, default: bool = False, required: bool = False) -> bool:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise InputError(self.path(key), "is required (true or false)")
            return default
        if not isinstance(value, bool):
            raise InputError(self.path(key), "must be true or false")
        return value

    def choice(self, key: str, kind: type[E], *, required: bool = False) -> E | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise InputError(self.path(key), f"is required: one of {_options(kind)}")
            return None
        try:
            return kind(value)
        except ValueError:
            raise InputError(self.path(key), f"{value!r} is not one of {_options(kind)}") from None

    def required_choice(self, key: str, kind: type[E]) -> E:
        value = self.choice(key, kind, required=True)
        assert value is not None
        return value

    def timestamp(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise InputError(self.path(key), "is required (ISO 8601 with a UTC offset)")
            return None
        return parse_timestamp(value, self.path(key))

    def required_timestamp(self, key: str) -> datetime:
        value = self.timestamp(key, required=True)
        assert value is not None
        return value

    def items(self, key: str) -> list[tuple[str, Any]]:
        value = self.obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise InputError(self.path(key), "must be a list")
        return [(f"{self.path(key)}[{i}]", item) for i, item in enumerate(value)]

    def child(self, key: str, allowed: set[str]) -> _Reader:
        value = self.obj.get(key)
        # Only a missing or null part reads as empty; false, [] or "" is a mistake to report.
        return _Reader({} if value is None else value, self.path(key), allowed)


def _options(kind: type[StrEnum]) -> str:
    return ", ".join(m.value for m in kind)


T = TypeVar("T")


def _each(
    reader: _Reader, key: str, allowed: set[str], build: Callable[[_Reader], T]
) -> tuple[T, ...]:
    return tuple(build(_Reader(item, where, allowed)) for where, item in reader.items(key))


def _source(r: _Reader) -> Source:
    kind = r.required_choice("kind", SourceKind)
    organisation = r.choice("organisation", Organisation)
    if kind is SourceKind.DIRECT and organisation is not None:
        raise InputError(r.path("organisation"), "must be null for a direct report")
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
        given = [key for key in IDENTIFYING if r.has(key)]
        if given:
            raise InputError(
                r.path(given[0]),
                "must be absent: the complainant wishes to remain anonymous (5.7, 5.8)",
            )
    return Complainant(
        anonymous=anonymous,
        name=r.text("name"),
        address=r.text("address"),
        phone=r.text("phone"),
        email=r.text("email"),
        is_employee=r.flag("is_employee"),
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
    )


def _involved(r: _Reader) -> InvolvedPerson:
    return InvolvedPerson(
        name=r.text("name"),
        address=r.text("address"),
        description=r.text("description"),
        is_employee=r.flag("is_employee"),
    )


def _witness(r: _Reader) -> Witness:
    return Witness(
        name=r.text("name"),
        address=r.text("address"),
        contact=r.text("contact"),
        account=r.text("account"),
    )


def _consent(r: _Reader) -> ConsentToShare:
    status = r.choice("status", ConsentStatus) or ConsentStatus.NOT_ASKED
    basis = r.choice("basis", SharingBasis)
    if basis is SharingBasis.CONSENT and status is not ConsentStatus.GIVEN:
        raise InputError(
            r.path("basis"), "cannot be consent unless consent_to_share.status is given"
        )
    return ConsentToShare(status=status, basis=basis)


def _anonymity(r: _Reader) -> AnonymityChecklist:
    return AnonymityChecklist(**{name: r.flag(name) for name in _ANONYMITY_FIELDS})


_ANONYMITY_FIELDS = set(ANONYMITY_FIELDS)


def _incident_ids(case_id: str, incidents: tuple[Incident, ...]) -> tuple[Incident, ...]:
    """Give each incident without an id one derived from the case id and its position, so that
    importing the same document twice gives the same ids (incidents merge by id), and refuse
    an id used twice, which a merge would collapse into one incident."""
    named: list[Incident] = []
    seen: set[str] = set()
    for index, incident in enumerate(incidents):
        if not incident.id:
            derived = uuid.uuid5(uuid.UUID(case_id), f"incident/{index}")
            incident = replace(incident, id=str(derived))
        if incident.id in seen:
            raise InputError(f"incidents[{index}].id", f"{incident.id!r} is used twice")
        seen.add(incident.id)
        named.append(incident)
    return tuple(named)


def _unique_entries(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Entries merge by id across laptops, so one id used twice would lose an entry."""
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.id in seen:
            raise InputError(f"entries[{index}].id", f"{entry.id!r} is used twice")
        seen.add(entry.id)
    return entries


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
    if state is CaseState.CLOSED and not reason:
        raise InputError(r.path("reason"), "is required when the case is closed")
    return Status(state=state, reason=reason, at=r.timestamp("at"))


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
            raise InputError(where, "must be a non-empty string")
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


def _optional(r: _Reader, key: str, allowed: set[str], build: Callable[[_Reader], T]) -> T | None:
    return build(r.child(key, allowed)) if r.has(key) else None


def _case_id(r: _Reader) -> str:
    raw = r.required_text("id")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise InputError(r.path("id"), f"{raw!r} is not a UUID") from None


def case_from_document(obj: Any) -> Case:
    """Read one case document; raises InputError naming the first wrong field."""
    r = _Reader(obj, "", FACT_KEYS | COMPUTED_KEYS)
    if obj.get("format") != CASE_FORMAT:
        raise InputError("format", f'must be "{CASE_FORMAT}"')
    case_id = _case_id(r)
    incidents = _each(r, "incidents", _INCIDENT_KEYS, _incident)
    if not incidents:
        raise InputError("incidents", "must list at least one incident (5.2)")
    incidents = _incident_ids(case_id, incidents)
    hate = []
    for where, value in r.items("hate_strands"):
        try:
            hate.append(HateStrand(value))
        except ValueError:
            raise InputError(where, f"{value!r} is not one of {_options(HateStrand)}") from None
    targeting = r.child("targeting", {"targeted", "reason"})
    complainant = _complainant(r.child("complainant", {*IDENTIFYING, "anonymous", "is_employee"}))
    anonymity = _anonymity(r.child("anonymity", _ANONYMITY_FIELDS)) if r.has("anonymity") else None
    referral = _referral(r.child("referral", _REFERRAL_KEYS)) if r.has("referral") else None
    return Case(
        id=case_id,
        received_at=r.required_timestamp("received_at"),
        channel=r.required_choice("channel", Channel),
        source=_source(r.child("source", {"kind", "organisation", "organisation_name", "contact"})),
        severity=r.required_choice("severity", Severity),
        complainant=complainant,
        incidents=incidents,
        estate=r.text("estate"),
        supported_scheme=r.text("supported_scheme"),
        frequency=r.text("frequency") or "",
        involved=_each(r, "involved", {"name", "address", "description", "is_employee"}, _involved),
        targeting=Targeting(targeted=targeting.flag("targeted"), reason=targeting.text("reason")),
        hate_strands=frozenset(hate),
        witnesses=_each(r, "witnesses", {"name", "address", "contact", "account"}, _witness),
        consent_to_share=_consent(r.child("consent_to_share", {"status", "basis"})),
        colleague_harassment=r.flag("colleague_harassment"),
        anonymity=anonymity,
        resolution_attempts=_each(r, "resolution_attempts", _ATTEMPT_KEYS, _attempt),
        referral=referral,
        status=_status(r.child("status", {"state", "reason", "at"})),
        recorded_by=r.text("recorded_by"),
        first_response=_optional(r, "first_response", {"at", "by", "summary"}, _first_response),
        entries=_unique_entries(_each(r, "entries", {"id", "kind", "at", "by", "text"}, _entry)),
        staff_risk_assessment=_optional(r, "staff_risk_assessment", _RISK_KEYS, _risk_assessment),
        manual_assignment=_optional(
            r,
            "manual_assignment",
            {"staff_id", "staff_name", "by", "at", "reason"},
            _manual_assignment,
        ),
    )


_INCIDENT_KEYS = {
    "id",
    "occurred_at",
    "location",
    "description",
    "how_it_made_them_feel",
    "effect_since",
    "measures_taken",
}
_RISK_KEYS = {"completed_at", "participants", "agreed", "decision", "director_decision"}
_ATTEMPT_KEYS = {"at", "by", "description", "successful"}
_REFERRAL_KEYS = {"to_role", "reason", "at", "by", "to_staff_id"}

"""The case document (`asb-case/1`): reading it strictly, writing it with the computed fields.

Reading names the exact field of the first problem (`incidents[2].occurred_at: …`). Unknown keys
are errors, never silently dropped, because a dropped field would be a lost word of a report.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.case import (
    AnonymityChecklist,
    Case,
    CaseState,
    Channel,
    Complainant,
    ConsentStatus,
    ConsentToShare,
    HateStrand,
    Incident,
    InvolvedPerson,
    Organisation,
    Referral,
    ReferralRole,
    ResolutionAttempt,
    Severity,
    SharingBasis,
    Source,
    SourceKind,
    Status,
    Targeting,
    Witness,
)
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.procedure import Outcome

CASE_FORMAT = "asb-case/1"

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
    }
)
MAX_TEXT = 100_000  # characters in one free-text field; far beyond any real statement

E = TypeVar("E", bound=StrEnum)


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in London time with its UTC offset, to the second; a fraction only when given,
    so that reading a document back gives the very same moment."""
    return moment.astimezone(LONDON).isoformat(timespec="auto")


def parse_timestamp(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(where, "must be an ISO 8601 timestamp string with a UTC offset")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(where, f"{value!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(where, f"{value!r} has no UTC offset (add e.g. Z or +01:00)")
    return moment


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
    incident_id = r.text("id") or str(uuid.uuid4())
    return Incident(
        id=incident_id,
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


_ANONYMITY_FIELDS = {
    "reassured",
    "information_gathered",
    "action_and_support_discussed",
    "no_undue_pressure",
    "limitations_explained",
}


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
    incidents = _each(r, "incidents", _INCIDENT_KEYS, _incident)
    if not incidents:
        raise InputError("incidents", "must list at least one incident (5.2)")
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
        id=_case_id(r),
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
        anonymity=anonymity if complainant.anonymous else None,
        resolution_attempts=_each(r, "resolution_attempts", _ATTEMPT_KEYS, _attempt),
        referral=referral,
        status=_status(r.child("status", {"state", "reason", "at"})),
        recorded_by=r.text("recorded_by"),
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
_ATTEMPT_KEYS = {"at", "by", "description", "successful"}
_REFERRAL_KEYS = {"to_role", "reason", "at", "by", "to_staff_id"}


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
            }
            for p in case.involved
        ],
        "targeting": {"targeted": case.targeting.targeted, "reason": case.targeting.reason},
        "hate_strands": sorted(h.value for h in case.hate_strands),
        "witnesses": [
            {"name": w.name, "address": w.address, "contact": w.contact, "account": w.account}
            for w in case.witnesses
        ],
        "consent_to_share": {
            "status": case.consent_to_share.status.value,
            "basis": case.consent_to_share.basis.value if case.consent_to_share.basis else None,
        },
        "colleague_harassment": case.colleague_harassment,
        "anonymity": (
            {name: getattr(case.anonymity, name) for name in sorted(_ANONYMITY_FIELDS)}
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
        },
        "recorded_by": case.recorded_by,
        "assignment_rule": outcome.assignment.rule.value,
        "assigned_to": staff.id if staff else None,
        "assigned_to_name": staff.name if staff else None,
        "response_due_at": format_timestamp(outcome.response_due_at),
        "staff_risk_assessment_due_at": _ts(outcome.staff_risk_assessment_due_at),
    }

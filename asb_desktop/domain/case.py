"""The ASB case as the procedure (section 5) describes it: plain values, no I/O.

Names follow the case document contract (shared/specs/case-document-v1.md) so a reader can map
every field to the clause that asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from asb_desktop.domain.attachment import Attachment
from asb_desktop.domain.case_management import (
    ActionPlan,
    AsbType,
    NsirCategory,
    RiskAssessment,
    Vulnerability,
)
from asb_desktop.domain.case_states import CaseState as CaseState
from asb_desktop.domain.case_states import Severity as Severity
from asb_desktop.domain.closing import CaseOutcome, Closure, Reopening
from asb_desktop.domain.disclosure import Disclosure
from asb_desktop.domain.review_applications import ReviewApplication


class Channel(StrEnum):
    """How the report came in (5.1)."""

    TELEPHONE = "telephone"
    WRITING = "writing"
    IN_PERSON = "in_person"
    WEBSITE = "website"


class SourceKind(StrEnum):
    DIRECT = "direct"
    THIRD_PARTY = "third_party"


class Organisation(StrEnum):
    """The third party a report came through (5.1)."""

    POLICE = "police"
    MP = "mp"
    LOCAL_AUTHORITY = "local_authority"
    OTHER = "other"


class HateStrand(StrEnum):
    RACE = "race"
    RELIGION = "religion"
    DISABILITY = "disability"
    SEXUAL_ORIENTATION = "sexual_orientation"
    TRANSGENDER_IDENTITY = "transgender_identity"


class ConsentStatus(StrEnum):
    """5.6: did the complainant agree their circumstances may be shared with the third party."""

    GIVEN = "given"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"


class SharingBasis(StrEnum):
    CONSENT = "consent"
    INFORMATION_SHARING_PROTOCOL = "information_sharing_protocol"


class ReferralRole(StrEnum):
    """Who a supported-scheme case may be referred to under 5.5."""

    HOUSING_OFFICER = "housing_officer"
    ENFORCEMENT_OFFICER = "enforcement_officer"


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    organisation: Organisation | None = None
    organisation_name: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class Complainant:
    """The person reporting. When anonymous (5.7, 5.8) no identifying detail is kept at all."""

    anonymous: bool
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    is_employee: bool = False
    vulnerabilities: frozenset[Vulnerability] = frozenset()  # special category data
    adjustments: str | None = None  # reasonable adjustments agreed for contacting them


@dataclass(frozen=True)
class Incident:
    """One incident of 5.2, with the three impact questions the procedure insists on."""

    id: str
    occurred_at: datetime
    description: str
    location: str | None = None
    how_it_made_them_feel: str | None = None
    effect_since: str | None = None
    measures_taken: str | None = None
    # When it was reported to us; None reads as the case's received_at (`reported_at`).
    reported_at: datetime | None = None


@dataclass(frozen=True)
class InvolvedPerson:
    """An alleged perpetrator; the name may be unknown."""

    name: str | None = None
    address: str | None = None
    description: str | None = None
    is_employee: bool = False
    vulnerabilities: frozenset[Vulnerability] = frozenset()
    adjustments: str | None = None


@dataclass(frozen=True)
class Targeting:
    targeted: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class Witness:
    name: str | None = None
    address: str | None = None
    contact: str | None = None
    account: str | None = None
    vulnerabilities: frozenset[Vulnerability] = frozenset()
    adjustments: str | None = None


@dataclass(frozen=True)
class ConsentToShare:
    status: ConsentStatus = ConsentStatus.NOT_ASKED
    basis: SharingBasis | None = None


@dataclass(frozen=True)
class AnonymityChecklist:
    """What 5.7 and 5.8 ask the officer to do when a reporter wishes to stay anonymous."""

    reassured: bool = False
    information_gathered: bool = False
    action_and_support_discussed: bool = False
    no_undue_pressure: bool = False
    limitations_explained: bool = False


@dataclass(frozen=True)
class ResolutionAttempt:
    """A scheme officer's recorded attempt to resolve the ASB (5.5) and how it ended."""

    at: datetime
    by: str
    description: str
    successful: bool = False


@dataclass(frozen=True)
class Referral:
    """A referral to a Housing or Enforcement Officer (5.5)."""

    to_role: ReferralRole
    reason: str
    at: datetime
    by: str
    to_staff_id: str | None = None


@dataclass(frozen=True)
class Status:
    state: CaseState = CaseState.OPEN
    reason: str | None = None
    at: datetime | None = None
    outcome: CaseOutcome | None = None  # how it ended (domain/closing.py), when closed


class EntryKind(StrEnum):
    """Append-only entries on a case's file; they merge by union when laptops sync."""

    NOTE = "note"
    CONTACT = "contact"
    ACTION = "action"
    UPDATE = "update"  # an update given to the complainant (never when anonymous, 5.8)


@dataclass(frozen=True)
class Entry:
    id: str
    kind: EntryKind
    at: datetime
    by: str
    text: str


@dataclass(frozen=True)
class FirstResponse:
    """The first response to the complainant, which stops the 5.3 clock."""

    at: datetime
    by: str
    summary: str


@dataclass(frozen=True)
class StaffRiskAssessment:
    """5.9.1: the group's review of a colleague's health, safety and wellbeing."""

    completed_at: datetime
    participants: tuple[str, ...]
    agreed: bool
    decision: str | None = None
    director_decision: str | None = None  # when the group could not agree


@dataclass(frozen=True)
class ManualAssignment:
    """Someone chose the assignee by hand (reassignment, or no one fitted the rule)."""

    staff_id: str
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class Case:
    """Everything recorded about one report: the facts of 5.2 plus how it is being handled."""

    id: str
    received_at: datetime
    channel: Channel
    source: Source
    severity: Severity
    complainant: Complainant
    incidents: tuple[Incident, ...]
    estate: str | None = None
    supported_scheme: str | None = None
    frequency: str = ""
    involved: tuple[InvolvedPerson, ...] = ()
    targeting: Targeting = field(default_factory=Targeting)
    hate_strands: frozenset[HateStrand] = frozenset()
    witnesses: tuple[Witness, ...] = ()
    consent_to_share: ConsentToShare = field(default_factory=ConsentToShare)
    colleague_harassment: bool = False
    anonymity: AnonymityChecklist | None = None
    resolution_attempts: tuple[ResolutionAttempt, ...] = ()
    referral: Referral | None = None
    status: Status = field(default_factory=Status)
    reference: str | None = None
    recorded_by: str | None = None
    first_response: FirstResponse | None = None
    entries: tuple[Entry, ...] = ()
    staff_risk_assessment: StaffRiskAssessment | None = None
    manual_assignment: ManualAssignment | None = None
    asb_types: frozenset[AsbType] = frozenset()
    nsir_category: NsirCategory | None = None
    risk_assessments: tuple[RiskAssessment, ...] = ()
    action_plan: ActionPlan | None = None
    case_review_applications: tuple[ReviewApplication, ...] = ()  # ASB Case Review applications
    # `retention.legal_hold`: never destroyed under the retention rules while it holds
    # (domain/retention.py); set and released centrally (asb-central retention hold/release).
    legal_hold: bool = False
    disclosures: tuple[Disclosure, ...] = ()  # append-only: what left the team, for whom
    attachments: tuple[Attachment, ...] = ()  # evidence: the bytes are kept apart (store/)
    closure: Closure | None = None  # the complainant told, their satisfaction (while closed)
    reopenings: tuple[Reopening, ...] = ()  # append-only (domain/closing.py)

    def reported_at(self, incident: Incident) -> datetime:
        """When the incident was reported to us: its own `reported_at`, else the case's receipt."""
        return incident.reported_at or self.received_at

    @property
    def involves_employee(self) -> bool:
        """5.9: an employee is the complainant or among those involved; a colleague harassed by
        a customer (5.9.1) is an employee involved too, as the contract's assignment rule says."""
        return (
            self.complainant.is_employee
            or self.colleague_harassment
            or any(p.is_employee for p in self.involved)
        )

    @property
    def is_open(self) -> bool:
        return self.status.state is CaseState.OPEN

"""The form's values (also the draft's payload) turned into a Case, and what is still missing.

Plain values in, plain values out: no widgets here, so the rules of the form can be read and
tested apart from the screens. Keys of the payload are the form's field names.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from asb_desktop.domain.case import (
    AnonymityChecklist,
    Case,
    Channel,
    Complainant,
    ConsentStatus,
    ConsentToShare,
    Entry,
    EntryKind,
    HateStrand,
    Incident,
    InvolvedPerson,
    Organisation,
    Severity,
    SharingBasis,
    Source,
    SourceKind,
    Targeting,
    Witness,
)
from asb_desktop.domain.case_management import (
    AsbType,
    NsirCategory,
    RiskAssessment,
    RiskLevel,
    Vulnerability,
)
from asb_desktop.domain.procedure import ANONYMITY_STEPS
from asb_desktop.domain.risk_questions import QUESTIONS, score_answers

CONTACT_FIELDS = ("name", "address", "phone", "email")
PAYLOAD_VERSION = 1
VULNERABILITIES = [
    (Vulnerability.MENTAL_HEALTH.value, "Mental health"),
    (Vulnerability.PHYSICAL_DISABILITY.value, "Physical disability"),
    (Vulnerability.LEARNING_DISABILITY.value, "Learning disability"),
    (Vulnerability.LONG_TERM_ILLNESS.value, "Long-term illness"),
    (Vulnerability.NEURODIVERGENCE.value, "Neurodivergence"),
    (Vulnerability.SENSORY_IMPAIRMENT.value, "Sight or hearing"),
    (Vulnerability.AGE.value, "Age"),
    (Vulnerability.DOMESTIC_ABUSE.value, "Domestic abuse"),
    (Vulnerability.LANGUAGE.value, "Language"),
    (Vulnerability.LITERACY.value, "Reading and writing"),
    (Vulnerability.PREGNANCY.value, "Pregnancy"),
    (Vulnerability.SUBSTANCE_MISUSE.value, "Drugs or alcohol"),
    (Vulnerability.CARER.value, "A carer"),
    (Vulnerability.CHILDREN_IN_HOUSEHOLD.value, "Children at home"),
    (Vulnerability.BEREAVEMENT.value, "Bereavement"),
    (Vulnerability.SOCIAL_ISOLATION.value, "Isolated"),
    (Vulnerability.FINANCIAL_HARDSHIP.value, "Money worries"),
    (Vulnerability.OTHER.value, "Other"),
]
ASB_TYPES = [
    (AsbType.NOISE.value, "Noise"),
    (AsbType.VERBAL_ABUSE.value, "Verbal abuse"),
    (AsbType.HARASSMENT_INTIMIDATION.value, "Harassment, intimidation"),
    (AsbType.VIOLENCE.value, "Violence"),
    (AsbType.DAMAGE_VANDALISM.value, "Damage, vandalism"),
    (AsbType.DRUGS.value, "Drugs"),
    (AsbType.ALCOHOL.value, "Alcohol"),
    (AsbType.VEHICLES.value, "Vehicles"),
    (AsbType.LITTER_DUMPING.value, "Litter, dumping"),
    (AsbType.ANIMALS.value, "Animals"),
    (AsbType.GARDEN_BOUNDARY.value, "Gardens, boundaries"),
    (AsbType.HATE.value, "Hate"),
    (AsbType.DOMESTIC_ABUSE.value, "Domestic abuse"),
    (AsbType.CRIMINAL_BEHAVIOUR.value, "Criminal behaviour"),
    (AsbType.MISUSE_OF_COMMUNAL_AREAS.value, "Misuse of communal areas"),
    (AsbType.OTHER.value, "Other"),
]
NSIR_CATEGORIES = [
    (NsirCategory.PERSONAL.value, "Personal: aimed at a person or household"),
    (NsirCategory.NUISANCE.value, "Nuisance: aimed at the community"),
    (NsirCategory.ENVIRONMENTAL.value, "Environmental: aimed at the surroundings"),
]
RISK_PREFIX = "risk_"  # a question's answer is kept under "risk_<question id>"
CONTACT_METHODS = [
    (None, "No preference"),
    ("phone", "Phone"),
    ("text", "Text message"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("in_person", "In person"),
]


@dataclass(frozen=True)
class Missing:
    """One thing a page still needs: the field's key and what to tell the officer."""

    field: str
    message: str


def _text(values: dict[str, Any], key: str) -> str | None:
    value = values.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _moment(values: dict[str, Any], key: str) -> datetime | None:
    raw = values.get(key)
    try:
        return datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def format_moment(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def for_draft(values: dict[str, Any]) -> dict[str, Any]:
    """What is kept in the draft: an anonymous complainant's contact details never are (5.8)."""
    kept = dict(values, version=PAYLOAD_VERSION)
    if values.get("anonymous"):
        for key in CONTACT_FIELDS:
            kept.pop(key, None)
    return kept


def missing_how(values: dict[str, Any], now: datetime) -> list[Missing]:
    found = []
    received = _moment(values, "received_at")
    if received is None:
        found.append(Missing("received_at", "Give the date and time the report was received."))
    elif received > now + timedelta(minutes=5):
        found.append(Missing("received_at", "The report cannot have been received in the future."))
    if values.get("source_kind") == SourceKind.THIRD_PARTY.value:
        if not values.get("organisation"):
            found.append(Missing("organisation", "Choose the organisation that passed it on."))
        if values.get("consent_status") not in (ConsentStatus.GIVEN, ConsentStatus.REFUSED):
            found.append(
                Missing(
                    "consent_status",
                    "Ask whether the complainant consents to sharing with the third party (5.6).",
                )
            )
    return found


def missing_complainant(values: dict[str, Any]) -> list[Missing]:
    if values.get("anonymous"):
        steps = [key for key, _ in ANONYMITY_STEPS] + ["limitations_explained"]
        if not all(values.get(key) for key in steps):
            return [Missing("anonymity", "Tick each step once you have done it (5.7, 5.8).")]
        return []
    found = []
    if not _text(values, "name"):
        found.append(Missing("name", "Give the complainant's name, or tick anonymous."))
    if not any(_text(values, key) for key in ("address", "phone", "email")):
        found.append(
            Missing("address", "Give at least one way to reach them: address, phone or email.")
        )
    return found


def missing_incident(values: dict[str, Any], now: datetime) -> list[Missing]:
    found = []
    occurred = _moment(values, "occurred_at")
    if occurred is None:
        found.append(Missing("occurred_at", "Give the date and time of the most recent incident."))
    elif occurred > now:
        found.append(Missing("occurred_at", "The incident's date and time is in the future."))
    if not _text(values, "description"):
        found.append(Missing("description", "Describe what happened."))
    return found


def missing_frequency(values: dict[str, Any]) -> list[Missing]:
    if not _text(values, "frequency"):
        return [Missing("frequency", "Say how often it happens and any history (5.2).")]
    return []


def missing_targeting(values: dict[str, Any]) -> list[Missing]:
    if values.get("targeted") and not _text(values, "targeting_reason"):
        return [Missing("targeting_reason", "Say why they think they are being targeted.")]
    return []


def risk_answers(values: dict[str, Any]) -> dict[str, str]:
    """The questionnaire's answers given so far (question id: answer)."""
    found = {}
    for question in QUESTIONS:
        answer = values.get(RISK_PREFIX + question.id)
        if isinstance(answer, str) and answer in question.points:
            found[question.id] = answer
    return found


def risk_score(values: dict[str, Any]) -> int:
    return score_answers(risk_answers(values))


def missing_risk(values: dict[str, Any]) -> list[Missing]:
    """Every question answered and a level set, or the page skipped with a reason typed."""
    if values.get("risk_skipped"):
        if not _text(values, "risk_skip_reason"):
            return [Missing("risk_skip_reason", "Say why the risk assessment is not done now.")]
        return []
    found = []
    answered = risk_answers(values)
    left = [q for q in QUESTIONS if q.id not in answered]
    if left:  # one problem, said beside the first question not answered
        found.append(
            Missing(
                RISK_PREFIX + left[0].id,
                f"Answer every question ({len(left)} of {len(QUESTIONS)} not answered yet).",
            )
        )
    if values.get("risk_level") not in set(RiskLevel):
        found.append(
            Missing(
                "risk_level", "Set the risk level (standard, medium or high), seeing the score."
            )
        )
    return found


def adjustments_text(values: dict[str, Any]) -> str | None:
    """The complainant's reasonable adjustments, as one sentence (`adjustments`)."""
    parts = []
    method = values.get("contact_method")
    if method:
        shown = dict(CONTACT_METHODS).get(method, str(method))
        parts.append(f"Contact by {shown.lower()}")
    if _text(values, "contact_times"):
        parts.append(f"best times: {_text(values, 'contact_times')}")
    if _text(values, "interpreter"):
        parts.append(f"interpreter: {_text(values, 'interpreter')}")
    if values.get("large_print"):
        parts.append("large print")
    if _text(values, "advocate"):
        parts.append(f"advocate: {_text(values, 'advocate')}")
    if _text(values, "adjustments_other"):
        parts.append(str(_text(values, "adjustments_other")))
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _vulnerabilities(values: dict[str, Any], key: str = "vulnerabilities") -> frozenset[Any]:
    chosen = values.get(key)
    known = set(Vulnerability)
    return frozenset(
        Vulnerability(v) for v in (chosen if isinstance(chosen, list) else []) if v in known
    )


def missing_classification(values: dict[str, Any]) -> list[Missing]:
    if values.get("severity") not in (Severity.SERIOUS, Severity.GENERAL):
        return [
            Missing("severity", "Choose serious or general: it sets the response target (5.3).")
        ]
    return []


def unanswered_impact(values: dict[str, Any]) -> list[str]:
    """5.2's three impact questions still blank: a reminder, not a block."""
    questions = {
        "feel": "how the incident made them feel",
        "effect_since": "how it has affected them since",
        "measures": "what they have had to do to avoid it happening again",
    }
    return [text for key, text in questions.items() if not _text(values, key)]


def _people(values: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = values.get(key)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _blank(item: dict[str, Any]) -> bool:
    return not any(isinstance(v, str) and v.strip() for v in item.values())


def build_case(
    values: dict[str, Any], *, case_id: str, now: datetime | None = None, by: str | None = None
) -> Case:
    """The Case the form describes; call once nothing is missing. `by` is the officer (the
    risk assessment's, or the note saying why it was not done)."""
    now = now or datetime.now(UTC)
    officer = by or "local"
    third_party = values.get("source_kind") == SourceKind.THIRD_PARTY.value
    anonymous = bool(values.get("anonymous"))
    named = not anonymous
    complainant = Complainant(
        anonymous=anonymous,
        is_employee=bool(values.get("is_employee")),
        name=_text(values, "name") if named else None,
        address=_text(values, "address") if named else None,
        phone=_text(values, "phone") if named else None,
        email=_text(values, "email") if named else None,
        vulnerabilities=_vulnerabilities(values),
        # 5.8: no one contacts an anonymous complainant, so no contact adjustments either
        adjustments=adjustments_text(values) if named else None,
    )
    involved = tuple(
        InvolvedPerson(
            name=_text(p, "name"),
            address=_text(p, "address"),
            description=_text(p, "description"),
            is_employee=bool(p.get("is_employee")),
            vulnerabilities=_vulnerabilities(p),
            adjustments=_text(p, "adjustments"),
        )
        for p in _people(values, "involved")
        if not _blank(p) or p.get("is_employee")
    )
    witnesses = tuple(
        Witness(
            name=_text(w, "name"),
            address=_text(w, "address"),
            contact=_text(w, "contact"),
            account=_text(w, "account"),
            vulnerabilities=_vulnerabilities(w),
            adjustments=_text(w, "adjustments"),
        )
        for w in _people(values, "witnesses")
        if not _blank(w)
    )
    consent = ConsentToShare()
    if third_party:
        status = ConsentStatus(values.get("consent_status") or ConsentStatus.NOT_ASKED)
        basis_value = values.get("consent_basis")
        basis = SharingBasis(basis_value) if basis_value else None
        if status is ConsentStatus.GIVEN and basis is None:
            basis = SharingBasis.CONSENT
        consent = ConsentToShare(status=status, basis=basis)
    checklist = None
    if anonymous:
        checklist = AnonymityChecklist(
            **{key: bool(values.get(key)) for key, _ in ANONYMITY_STEPS},
            limitations_explained=bool(values.get("limitations_explained")),
        )
    incident = Incident(
        id=str(uuid.uuid5(uuid.UUID(case_id), "incident-1")),
        occurred_at=_moment(values, "occurred_at") or now,
        description=_text(values, "description") or "",
        location=_text(values, "location"),
        how_it_made_them_feel=_text(values, "feel"),
        effect_since=_text(values, "effect_since"),
        measures_taken=_text(values, "measures"),
    )
    organisation = values.get("organisation")
    assessments: tuple[RiskAssessment, ...] = ()
    entries: tuple[Entry, ...] = ()
    level = values.get("risk_level")
    if values.get("risk_skipped"):
        reason = _text(values, "risk_skip_reason")
        if reason:
            entries = (
                Entry(
                    id=str(uuid.uuid5(uuid.UUID(case_id), "risk-assessment-skipped")),
                    kind=EntryKind.NOTE,
                    at=now,
                    by=officer,
                    text=f"Victim risk assessment not done at intake: {reason}",
                ),
            )
    elif level in set(RiskLevel):
        answers = risk_answers(values)
        assessments = (
            RiskAssessment(
                id=str(uuid.uuid5(uuid.UUID(case_id), "risk-assessment-1")),
                at=now,
                by=officer,
                level=RiskLevel(level),
                score=score_answers(answers),
                answers=dict(answers),
                notes=_text(values, "risk_notes"),
            ),
        )
    nsir = values.get("nsir_category")
    return Case(
        id=case_id,
        received_at=_moment(values, "received_at") or now,
        channel=Channel(values.get("channel") or Channel.TELEPHONE),
        source=Source(
            kind=SourceKind.THIRD_PARTY if third_party else SourceKind.DIRECT,
            organisation=Organisation(organisation) if third_party and organisation else None,
            organisation_name=_text(values, "organisation_name") if third_party else None,
            contact=_text(values, "source_contact") if third_party else None,
        ),
        severity=Severity(values.get("severity") or Severity.GENERAL),
        complainant=complainant,
        incidents=(incident,),
        estate=values.get("estate") or None,
        supported_scheme=values.get("scheme") or None,
        frequency=_text(values, "frequency") or "",
        involved=involved,
        targeting=Targeting(
            targeted=bool(values.get("targeted")),
            reason=_text(values, "targeting_reason") if values.get("targeted") else None,
        ),
        hate_strands=frozenset(
            HateStrand(s) for s in values.get("hate_strands") or [] if s in set(HateStrand)
        ),
        witnesses=witnesses,
        consent_to_share=consent,
        colleague_harassment=bool(values.get("colleague_harassment")),
        anonymity=checklist,
        asb_types=frozenset(AsbType(t) for t in values.get("asb_types") or [] if t in set(AsbType)),
        nsir_category=NsirCategory(nsir) if nsir in set(NsirCategory) else None,
        risk_assessments=assessments,
        entries=entries,
    )

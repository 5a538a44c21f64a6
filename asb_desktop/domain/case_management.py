"""What the case records after intake (the contract's "Additions (December 2026)"): the kind of
ASB, the victim risk assessments, vulnerabilities, and the action plan agreed with the
complainant. Plain values; `case.py` holds them on the case.

The lists of values (`AsbType`, `Vulnerability`) are the project's documented lists
(docs/case-document.md); a document naming anything else is refused, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class AsbType(StrEnum):
    """What kind of ASB it is (`asb_types[]`)."""

    NOISE = "noise"
    VERBAL_ABUSE = "verbal_abuse"
    HARASSMENT_INTIMIDATION = "harassment_intimidation"
    VIOLENCE = "violence"
    DAMAGE_VANDALISM = "damage_vandalism"
    DRUGS = "drugs"
    ALCOHOL = "alcohol"
    VEHICLES = "vehicles"
    LITTER_DUMPING = "litter_dumping"
    ANIMALS = "animals"
    GARDEN_BOUNDARY = "garden_boundary"
    HATE = "hate"
    DOMESTIC_ABUSE = "domestic_abuse"
    CRIMINAL_BEHAVIOUR = "criminal_behaviour"
    MISUSE_OF_COMMUNAL_AREAS = "misuse_of_communal_areas"
    OTHER = "other"


class NsirCategory(StrEnum):
    """The National Standard for Incident Recording class (`nsir_category`)."""

    PERSONAL = "personal"  # aimed at a person or household
    NUISANCE = "nuisance"  # aimed at the community
    ENVIRONMENTAL = "environmental"  # aimed at the surroundings


class Vulnerability(StrEnum):
    """What makes a person vulnerable (`…vulnerabilities[]`): special category data."""

    MENTAL_HEALTH = "mental_health"
    PHYSICAL_DISABILITY = "physical_disability"
    LEARNING_DISABILITY = "learning_disability"
    LONG_TERM_ILLNESS = "long_term_illness"
    NEURODIVERGENCE = "neurodivergence"
    SENSORY_IMPAIRMENT = "sensory_impairment"
    AGE = "age"
    DOMESTIC_ABUSE = "domestic_abuse"
    LANGUAGE = "language"
    LITERACY = "literacy"
    PREGNANCY = "pregnancy"
    SUBSTANCE_MISUSE = "substance_misuse"
    CARER = "carer"
    CHILDREN_IN_HOUSEHOLD = "children_in_household"
    BEREAVEMENT = "bereavement"
    SOCIAL_ISOLATION = "social_isolation"
    FINANCIAL_HARDSHIP = "financial_hardship"
    OTHER = "other"


class RiskLevel(StrEnum):
    """The officer's decision on a risk assessment, informed by its score."""

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class RiskAssessment:
    """One victim risk assessment (append-only). `answers` maps a question id to its answer;
    one brought in from another system may hold foreign answers, kept with its score and level
    as given."""

    id: str
    at: datetime
    by: str
    level: RiskLevel
    score: float
    answers: dict[str, Any] = field(default_factory=dict, hash=False)
    notes: str | None = None


@dataclass(frozen=True)
class PlanAction:
    """One action of the plan agreed with the complainant; `done_at` None until done."""

    id: str
    what: str
    who: str
    due_at: datetime
    done_at: datetime | None = None


@dataclass(frozen=True)
class ActionPlan:
    agreed_at: datetime | None = None
    agreed_with: str | None = None
    actions: tuple[PlanAction, ...] = ()


def latest_risk_level(assessments: tuple[RiskAssessment, ...]) -> RiskLevel | None:
    """`risk_level`: the level of the latest assessment (the later listed wins a tie)."""
    if not assessments:
        return None
    latest = max(enumerate(assessments), key=lambda pair: (pair[1].at, pair[0]))[1]
    return latest.level

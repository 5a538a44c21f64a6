"""The victim risk assessment's questions and how its score is worked out.

Our own questions, in the manner of the published ASB risk-assessment matrices: harm to the person
and household, vulnerability, repeat and escalation, hate motivation, impact on daily life, and
risk of retaliation. Each answer is worth points; the score is their sum. The officer sets the
level seeing the score (`suggested_level` is only a suggestion).

Question ids are part of stored documents: a question's wording may change, its id and its
answers' points never (a new question gets a new id).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asb_desktop.domain.case_management import RiskLevel


@dataclass(frozen=True)
class RiskQuestion:
    id: str
    text: str
    points: Mapping[str, int]  # answer -> points, in the order offered


_YES_NO = {"no": 0, "yes": 3}
_SCALE = {"none": 0, "some": 1, "serious": 3}

QUESTIONS: tuple[RiskQuestion, ...] = (
    RiskQuestion("harm_person", "Has anyone in the household been hurt or threatened?", _SCALE),
    RiskQuestion("harm_household", "Are children or others in the home affected?", _SCALE),
    RiskQuestion(
        "vulnerable", "Is anyone in the household vulnerable (health, age, disability)?", _YES_NO
    ),
    RiskQuestion("repeat", "Has this happened before?", {"no": 0, "a_few_times": 1, "often": 3}),
    RiskQuestion("escalating", "Is it getting worse or more frequent?", _YES_NO),
    RiskQuestion("hate", "Do they feel targeted because of who they are?", _YES_NO),
    RiskQuestion("daily_life", "Has it changed how they live (sleep, going out, work)?", _SCALE),
    RiskQuestion("retaliation", "Do they fear reprisals for reporting?", _YES_NO),
)
QUESTION_IDS = frozenset(q.id for q in QUESTIONS)
# Score at or above which a level is suggested (the officer decides).
MEDIUM_FROM = 6
HIGH_FROM = 12


def ours(answers: Mapping[str, Any]) -> bool:
    """Are these answers to our questions, each one of its answers? (Empty answers are not.)"""
    by_id = {q.id: q for q in QUESTIONS}
    return bool(answers) and all(
        key in by_id and isinstance(value, str) and value in by_id[key].points
        for key, value in answers.items()
    )


def score_answers(answers: Mapping[str, Any]) -> int:
    """The score of answers to our questions: the sum of their points (unknown ones count 0)."""
    by_id = {q.id: q for q in QUESTIONS}
    return sum(
        by_id[key].points.get(value, 0)
        for key, value in answers.items()
        if key in by_id and isinstance(value, str)
    )


def suggested_level(score: float) -> RiskLevel:
    if score >= HIGH_FROM:
        return RiskLevel.HIGH
    if score >= MEDIUM_FROM:
        return RiskLevel.MEDIUM
    return RiskLevel.STANDARD

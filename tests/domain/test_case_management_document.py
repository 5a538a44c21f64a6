"""The contract's additions of December 2026 in the case document: read, checked on every path
(`domain.validation.check_document`), written, and read back to the same case."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case_management import AsbType, NsirCategory, RiskLevel, Vulnerability
from asb_desktop.domain.deadlines import (
    DeadlineKind,
    case_deadlines,
    describe_deadline,
    next_outstanding_due,
    overdue_deadlines,
)
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.limits import MAX_ANSWERS, MAX_ITEMS
from asb_desktop.domain.procedure import evaluate
from asb_desktop.domain.risk_questions import QUESTIONS, score_answers, suggested_level
from asb_desktop.domain.validation import check_case, check_document
from tests.domain.domain_builders import at, case_document, directory
from tests.domain.test_case_schema import VALIDATOR

OURS = {"harm_person": "serious", "repeat": "often", "escalating": "yes", "retaliation": "yes"}


def managed(**changes: Any) -> dict[str, Any]:
    """A document using every new key."""
    doc = case_document(
        complainant={
            "anonymous": False,
            "name": "Ann Example",
            "address": "1 High Street",
            "vulnerabilities": ["mental_health", "age"],
            "adjustments": "Call after 4pm; large print letters",
        },
        incidents=[
            {
                "id": "inc-1",
                "occurred_at": "2026-03-09T22:00:00+00:00",
                "description": "Loud music until 3am",
            },
            {
                "id": "inc-2",
                "occurred_at": "2026-03-20T22:00:00+00:00",
                "description": "Shouting at the door",
                "reported_at": "2026-03-23T09:00:00+00:00",
            },
        ],
        involved=[{"name": "Ben", "vulnerabilities": ["substance_misuse"], "adjustments": None}],
        witnesses=[{"name": "Cat", "vulnerabilities": ["language"], "adjustments": "Polish"}],
        asb_types=["noise", "verbal_abuse"],
        nsir_category="personal",
        first_response={"at": "2026-03-10T15:00:00Z", "by": "s-ha", "summary": "Rang Ann"},
        entries=[
            {
                "id": "e-1",
                "kind": "update",
                "at": "2026-03-17T10:00:00Z",
                "by": "s-ha",
                "text": "Told Ann the letter went to Ben",
            },
        ],
        risk_assessments=[
            {
                "id": "ra-1",
                "at": "2026-03-10T10:00:00Z",
                "by": "s-ha",
                "answers": OURS,
                "score": score_answers(OURS),
                "level": "high",
                "notes": "Ann is frightened",
            },
            {
                "id": "ra-ext",
                "at": "2026-03-01T10:00:00Z",
                "by": "civica",
                "answers": {"Q7": 4, "Q9": ["a", "b"]},
                "score": 31.5,
                "level": "medium",
                "notes": None,
            },
        ],
        action_plan={
            "agreed_at": "2026-03-10T16:00:00Z",
            "agreed_with": "Ann Example, by telephone",
            "actions": [
                {
                    "id": "a-1",
                    "what": "Write to Ben",
                    "who": "s-ha",
                    "due_at": "2026-03-13T17:00:00Z",
                    "done_at": "2026-03-12T11:00:00Z",
                },
                {
                    "id": "a-2",
                    "what": "Fit a door camera",
                    "who": "Repairs team",
                    "due_at": "2026-03-27T17:00:00Z",
                    "done_at": None,
                },
            ],
        },
    )
    doc.update(changes)
    return doc


def written(doc: dict[str, Any]) -> dict[str, Any]:
    read = case_from_document(doc)
    return case_to_document(read, evaluate(read, directory(), WorkingDayCalendar()))


def problems(doc: Any) -> dict[str, str]:
    return {p.field: p.problem for p in check_document(doc).problems.kept}


def test_every_new_key_is_read() -> None:
    read = check_document(managed()).case
    assert read is not None
    assert read.asb_types == {AsbType.NOISE, AsbType.VERBAL_ABUSE}
    assert read.nsir_category is NsirCategory.PERSONAL
    assert read.complainant.vulnerabilities == {Vulnerability.MENTAL_HEALTH, Vulnerability.AGE}
    assert read.complainant.adjustments == "Call after 4pm; large print letters"
    assert read.involved[0].vulnerabilities == {Vulnerability.SUBSTANCE_MISUSE}
    assert read.witnesses[0].adjustments == "Polish"
    assert read.reported_at(read.incidents[0]) == read.received_at  # the default
    assert read.reported_at(read.incidents[1]) == at("2026-03-23T09:00:00+00:00")
    assert [a.level for a in read.risk_assessments] == [RiskLevel.HIGH, RiskLevel.MEDIUM]
    assert read.action_plan is not None and read.action_plan.actions[1].done_at is None


def test_the_export_writes_every_key_and_reads_back_to_the_same_case() -> None:
    exported = written(managed())
    VALIDATOR.validate(exported)
    again = written(exported)
    assert again == exported
    assert exported["incidents"][0]["reported_at"] == "2026-03-10T09:30:00+00:00"
    assert exported["risk_assessments"][1]["answers"] == {"Q7": 4, "Q9": ["a", "b"]}
    assert exported["risk_assessments"][1]["score"] == 31.5  # foreign: kept as given
    assert exported["complainant"]["vulnerabilities"] == ["age", "mental_health"]


def test_the_worked_out_keys_are_exported_and_ignored_on_import() -> None:
    exported = written(managed())
    # The latest assessment (10 March) is high, so updates are due every 5 working days from
    # the latest update, Tuesday 17 March: Tuesday 24 March.
    assert exported["risk_level"] == "high"
    assert exported["next_update_due_at"] == "2026-03-24T17:00:00+00:00"
    assert exported["case_review"] == {"qualifying_reports": 2, "eligible": False}
    forged = {
        **managed(),
        "risk_level": "standard",
        "next_update_due_at": None,
        "case_review": {"qualifying_reports": 9, "eligible": True},
    }
    assert written(forged) == exported


def test_a_document_without_the_new_keys_is_still_valid() -> None:
    read = check_document(case_document()).case
    assert read is not None
    assert read.asb_types == frozenset() and read.risk_assessments == ()
    assert read.action_plan is None and read.nsir_category is None


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"asb_types": ["noise", "loud"]}, "asb_types[1]", "is not one of noise"),
        ({"nsir_category": "criminal"}, "nsir_category", "is not one of personal"),
        (
            {"complainant": {"anonymous": False, "vulnerabilities": ["sad"]}},
            "complainant.vulnerabilities[0]",
            "is not one of mental_health",
        ),
        (
            {
                "risk_assessments": [
                    {
                        "id": "r",
                        "at": "2026-03-10T10:00:00Z",
                        "by": "s",
                        "score": 1,
                        "level": "severe",
                    }
                ]
            },
            "risk_assessments[0].level",
            "is not one of standard, medium, high",
        ),
        (
            {
                "risk_assessments": [
                    {
                        "id": "r",
                        "at": "2026-03-10T10:00:00Z",
                        "by": "s",
                        "score": "4",
                        "level": "high",
                    }
                ]
            },
            "risk_assessments[0].score",
            "a number",
        ),
        (
            {"action_plan": {"actions": [{"id": "a", "what": "Visit", "who": "s-ha"}]}},
            "action_plan.actions[0].due_at",
            "is required",
        ),
        (
            {
                "action_plan": {
                    "actions": [
                        {"id": "a", "what": "x", "who": "s", "due_at": "2026-03-13T17:00:00"}
                    ]
                }
            },
            "action_plan.actions[0].due_at",
            "has no UTC offset",
        ),
    ],
)
def test_each_wrong_value_is_named_by_its_field(
    changes: dict[str, Any], field: str, words: str
) -> None:
    found = problems(case_document(**changes))
    assert field in found, found
    assert words in found[field]


def test_ids_used_twice_are_refused_as_a_merge_would_lose_one() -> None:
    doc = managed()
    doc["risk_assessments"][1]["id"] = "ra-1"
    doc["action_plan"]["actions"][1]["id"] = "a-1"
    found = problems(doc)
    assert "is used twice" in found["risk_assessments[1].id"]
    assert "is used twice" in found["action_plan.actions[1].id"]


def test_an_update_is_never_given_to_an_anonymous_complainant() -> None:
    doc = managed(complainant={"anonymous": True})
    assert "no update can be given to them (5.8)" in problems(doc)["entries[0].kind"]
    assert "entries[0].kind" not in problems(managed())


def test_a_report_cannot_come_before_the_behaviour() -> None:
    doc = managed()
    doc["incidents"][1]["reported_at"] = "2026-03-19T09:00:00+00:00"
    assert "before it happened" in problems(doc)["incidents[1].reported_at"]
    # An incident added before reported_at existed, after the case was received, stands.
    del doc["incidents"][1]["reported_at"]
    assert problems(doc) == {}


def test_our_answers_give_the_score_and_foreign_answers_keep_theirs() -> None:
    doc = managed()
    doc["risk_assessments"][0]["score"] = 2
    assert f"they give {score_answers(OURS)}, not 2" in problems(doc)["risk_assessments[0].score"]
    empty = managed()
    empty["risk_assessments"][0]["answers"] = {}
    empty["risk_assessments"][0]["score"] = 99
    assert problems(empty) == {}


def test_the_questionnaire_scores_and_suggests_a_level() -> None:
    assert len(QUESTIONS) >= 6
    assert score_answers(OURS) == 12
    assert suggested_level(score_answers(OURS)) is RiskLevel.HIGH
    assert suggested_level(0) is RiskLevel.STANDARD


def test_the_new_lists_have_limits_on_every_path() -> None:
    too_many = list(range(MAX_ANSWERS + 1))
    doc = managed()
    doc["risk_assessments"][1]["answers"] = {f"q{i}": "x" for i in too_many}
    assert "at most 200 are allowed" in problems(doc)["risk_assessments[1].answers"]
    doc = managed()
    doc["complainant"]["vulnerabilities"] = ["age"] * (MAX_ITEMS["vulnerabilities"] + 1)
    assert "at most 30 are allowed" in problems(doc)["complainant.vulnerabilities"]
    assert not VALIDATOR.is_valid(doc)
    action = managed()["action_plan"]["actions"][1]
    doc = managed()
    doc["action_plan"]["actions"] = [action] * (MAX_ITEMS["actions"] + 1)
    assert "at most 500 are allowed" in problems(doc)["action_plan.actions"]


def test_a_risk_assessment_once_recorded_stays_as_it_was() -> None:
    before = check_document(managed()).case
    assert before is not None
    doc = managed()
    doc["risk_assessments"][0]["notes"] = "rewritten"
    changed = check_document(doc).case
    assert changed is not None
    [problem] = check_case(changed, before, directory())
    assert problem.field == "risk_assessments" and "append-only" in problem.problem
    doc = managed()
    doc["risk_assessments"].append(
        {"id": "ra-2", "at": "2026-03-20T10:00:00Z", "by": "s-ha", "score": 0, "level": "standard"}
    )
    added = check_document(doc).case
    assert added is not None and check_case(added, before, directory()) == []


def test_the_next_update_and_each_action_are_deadlines_in_words() -> None:
    read = case_from_document(managed())
    deadlines = case_deadlines(read, evaluate(read, directory(), WorkingDayCalendar()))
    kinds = [(d.kind, d.detail) for d in deadlines]
    assert (DeadlineKind.NEXT_UPDATE, None) in kinds
    assert (DeadlineKind.ACTION, "Fit a door camera") in kinds
    done = next(d for d in deadlines if d.detail == "Write to Ben")
    now = at("2026-03-26T09:00:00+00:00")
    calendar = WorkingDayCalendar()
    assert describe_deadline(done, now, calendar) == "action “Write to Ben”: done (on time)"
    late = [describe_deadline(d, now, calendar) for d in overdue_deadlines(deadlines, now)]
    assert late == ["next update to the complainant: overdue by 2 working days"]
    camera = next(d for d in deadlines if d.detail == "Fit a door camera")
    assert (
        describe_deadline(camera, now, calendar)
        == "action “Fit a door camera”: due next working day"
    )
    assert next_outstanding_due(deadlines) == at("2026-03-24T17:00:00+00:00")
    schema_doc = managed()
    jsonschema.validate(schema_doc, VALIDATOR.schema)

"""The ASB Case Review after it is applied for: `case_review_applications[]` read and written
(round trip), its steps in order on every path, the decision's due time as a clock (10 working
days by default, across weekends and bank holidays), and the local thresholds the organisation
sets: one hate incident, and reports about the same place by different people."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import Case, Complainant, HateStrand
from asb_desktop.domain.case_policy import (
    DEFAULT_POLICY,
    CasePolicy,
    policy_from_presets,
    preset_values,
)
from asb_desktop.domain.case_review import case_review
from asb_desktop.domain.deadlines import DeadlineKind, case_deadlines, document_deadlines
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.procedure import evaluate
from asb_desktop.domain.review_applications import ReviewApplication
from asb_desktop.domain.validation import check_document
from tests.domain.domain_builders import at, directory
from tests.domain.test_case_review import NOW, complaint, incident

CASE = "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"


def applied(**changes: Any) -> ReviewApplication:
    base = ReviewApplication(
        id="app-1",
        applied_at=at("2026-08-21T15:00:00+01:00"),  # a Friday, before the August bank holiday
        applied_by="complainant",
        received_by="s-ha",
    )
    return replace(base, **changes)


def with_applications(*applications: ReviewApplication) -> Case:
    base = complaint(CASE, "2026-08-10T10:00:00+01:00", incident(1, "2026-08-09T22:00:00+01:00"))
    return replace(base, case_review_applications=applications)


def document_of(case: Case) -> dict[str, Any]:
    return case_to_document(case, evaluate(case, directory(), WorkingDayCalendar()))


def problems_of(document: dict[str, Any]) -> list[str]:
    return [p.problem for p in check_document(document).problems.kept]


def test_an_application_and_its_steps_read_back_the_same() -> None:
    decided = applied(
        applied_by="Cllr Dee Patel, on their behalf",
        threshold_met=True,
        decision="Three reports in six months: the review goes ahead.",
        decided_at=at("2026-08-28T11:00:00+01:00"),
        decided_by="s-tn",
        outcome="Mediation offered; a noise monitor installed.",
        outcome_at=at("2026-09-10T16:00:00+01:00"),
    )
    case = with_applications(
        decided, applied(id="app-2", applied_at=at("2026-09-12T10:00:00+01:00"))
    )
    document = document_of(case)
    assert document["case_review_applications"][0]["threshold_met"] is True
    assert document["case_review_applications"][1]["decided_at"] is None
    assert case_from_document(document).case_review_applications == case.case_review_applications
    assert problems_of(document) == []


def test_the_steps_must_come_in_order_and_whole() -> None:
    early = document_of(
        with_applications(
            applied(
                threshold_met=False,
                decision="Not met",
                decided_at=at("2026-08-20T10:00:00+01:00"),
            )
        )
    )
    assert any("decision cannot be made before the application" in p for p in problems_of(early))
    half = document_of(with_applications(applied(decision="Goes ahead")))
    assert any("threshold_met, decision and decided_at together" in p for p in problems_of(half))
    refused = document_of(
        with_applications(
            applied(
                threshold_met=False,
                decision="Not met",
                decided_at=at("2026-08-24T10:00:00+01:00"),
                outcome="Recommendations",
                outcome_at=at("2026-08-25T10:00:00+01:00"),
            )
        )
    )
    assert any("only after a decision that the threshold is" in p for p in problems_of(refused))
    twice = document_of(with_applications(applied(), applied()))
    assert any("used twice" in p for p in problems_of(twice))


def test_an_anonymous_complainant_cannot_apply() -> None:
    case = replace(with_applications(applied()), complainant=Complainant(anonymous=True))
    assert any("anonymous complainant cannot apply" in p for p in problems_of(document_of(case)))


def test_the_decision_is_due_in_ten_working_days_past_weekends_and_bank_holidays() -> None:
    # Friday 21 August 2026; Monday 31 August is the summer bank holiday (England and Wales):
    # ten working days on, past two weekends and the holiday, is Monday 7 September.
    case = with_applications(applied())
    outcome = evaluate(case, directory(), WorkingDayCalendar())
    assert outcome.case_review_decision_due_at == at("2026-09-07T17:00:00+01:00")
    clocks = [
        d for d in case_deadlines(case, outcome) if d.kind is DeadlineKind.CASE_REVIEW_DECISION
    ]
    assert [(c.item_id, c.overdue(at("2026-09-07T17:01:00+01:00"))) for c in clocks] == [
        ("app-1", True)
    ]
    # The stored document carries it, so `list --overdue` and the caseload's filter see it.
    kept = document_deadlines(document_of(case))
    assert any(d.kind is DeadlineKind.CASE_REVIEW_DECISION for d in kept)
    quicker = evaluate(
        case, directory(), WorkingDayCalendar(), policy=CasePolicy(review_decision_working_days=5)
    )
    assert quicker.case_review_decision_due_at == at("2026-08-28T17:00:00+01:00")
    done = with_applications(
        applied(
            threshold_met=True, decision="Goes ahead", decided_at=at("2026-08-24T09:00:00+01:00")
        )
    )
    assert evaluate(done, directory(), WorkingDayCalendar()).case_review_decision_due_at is None


def test_one_hate_incident_is_enough_only_when_the_organisation_says_so() -> None:
    hate = replace(complaint("c-1", "2026-09-01T10:00:00+01:00"), hate_strands={HateStrand.RACE})
    assert not case_review(hate, [], NOW).eligible
    chosen = policy_from_presets({"case_review_one_hate_incident": True})
    review = case_review(hate, [], NOW, chosen)
    assert review.eligible and review.by_hate_incident
    assert preset_values(chosen) == {"case_review_one_hate_incident": True}
    with pytest.raises(ValueError, match="case_review_one_hate_incident"):
        policy_from_presets({"case_review_one_hate_incident": "yes"})


def neighbour(number: int, name: str, **changes: Any) -> Case:
    """A report about Northfields by someone else (a different name and address)."""
    person = Complainant(anonymous=False, name=name, address=f"{number} Élan Court, Northfields")
    return replace(
        complaint(
            f"n-{number}",
            "2026-09-01T10:00:00+01:00",
            incident(number, "2026-08-31T22:00:00+01:00"),
        ),
        complainant=person,
        estate="EST-NORTH",
        **changes,
    )


def test_five_different_people_reporting_about_the_same_estate_make_each_eligible() -> None:
    mine = replace(complaint("c-1", "2026-09-01T10:00:00+01:00"), estate="EST-NORTH")
    others = [neighbour(n, f"Neighbour {n}") for n in range(2, 6)]  # four more people
    five = CasePolicy(review_place_reporters=5)
    assert not case_review(mine, [], NOW, DEFAULT_POLICY, others).eligible  # off unless set
    review = case_review(mine, [], NOW, five, others)
    assert (review.qualifying_reports, review.place_reporters, review.eligible) == (1, 5, True)
    # The same person twice (spelled without accents) is one person, not two.
    again = replace(neighbour(6, "Neighbour 2"), complainant=others[0].complainant)
    assert case_review(mine, [], NOW, five, [*others[:3], again]).place_reporters == 4
    # Anonymous reports count as no one: two of them may be the same person.
    unnamed = [replace(neighbour(n, "x"), complainant=Complainant(anonymous=True)) for n in (7, 8)]
    assert case_review(mine, [], NOW, five, [*others[:3], *unnamed]).place_reporters == 4
    # Another estate, or a report too old to qualify, is not about this place now.
    elsewhere = replace(neighbour(9, "Far Away"), estate="EST-SOUTH")
    late = replace(
        neighbour(10, "Late Reporter"),
        incidents=(incident(10, "2026-06-01T22:00:00+01:00", "2026-08-31T10:00:00+01:00"),),
    )
    assert case_review(mine, [], NOW, five, [*others[:3], elsewhere, late]).place_reporters == 4
    # An anonymous complainant of this case still has nothing.
    assert not case_review(
        replace(mine, complainant=Complainant(anonymous=True)), [], NOW, five, others
    ).eligible


def test_the_preset_keys_match_the_laptops_preset_file() -> None:
    from asb_desktop.domain.case_policy import CENTRAL_PRESET_KEYS
    from asb_desktop.support.presets import POLICY_FLAGS, POLICY_NUMBERS

    laptop = {k: v[0] for k, v in POLICY_NUMBERS.items()} | dict(POLICY_FLAGS)
    for key, (name, _) in CENTRAL_PRESET_KEYS.items():
        assert laptop.get(key) == name, key


def test_the_laptops_preset_file_sets_both_local_thresholds(tmp_path: Any) -> None:
    from pathlib import Path

    from asb_desktop.support.presets import parse_presets

    presets = parse_presets(
        {
            "format": "asb-desktop-defaults/1",
            "case_review_one_hate_incident": True,
            "case_review_same_place_reporters": 5,
            "case_review_decision_working_days": 15,
        },
        Path(tmp_path) / "asb-desktop.defaults.json",
    )
    policy = presets.case_policy
    assert (policy.review_one_hate_incident, policy.review_place_reporters) == (True, 5)
    assert policy.review_decision_working_days == 15
    hate = replace(complaint("c-1", "2026-09-01T10:00:00+01:00"), hate_strands={HateStrand.RACE})
    assert case_review(hate, [], NOW, policy).eligible
    assert presets.summary()["case_review_same_place_reporters"] == "5"

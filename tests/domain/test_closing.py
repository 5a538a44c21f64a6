"""Closing (our keys, domain/closing.py): the outcome from the documented list, the complainant
told (never when anonymous, 5.8), their satisfaction, reopening with a reason, and a report
after closure being a new case. Read, checked on every path, written and read back the same;
the schema says the same; a reopened case's clocks run again as the rules say."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from asb_desktop.domain.calendar import Nation, WorkingDayCalendar
from asb_desktop.domain.case import CaseState, Complainant, FirstResponse, Incident, Status
from asb_desktop.domain.closing import CaseOutcome, Closure, ReportAgain, Satisfaction
from asb_desktop.domain.deadlines import DeadlineKind, case_deadlines
from asb_desktop.domain.document import case_from_document, case_to_document
from asb_desktop.domain.keeping_informed import next_update_due_at
from asb_desktop.domain.procedure import current_outcome, evaluate
from asb_desktop.domain.validation import check_case, check_document
from tests.domain.domain_builders import at, case, case_document, directory
from tests.domain.test_case_schema import VALIDATOR

ENGLAND = WorkingDayCalendar(Nation.ENGLAND_AND_WALES)
TOLD = {"at": "2026-04-02T10:00:00+01:00", "by": "s-ha", "how": "telephone"}
ANSWERS = {
    "at": "2026-04-03T10:00:00+01:00",
    "by": "s-ha",
    "kept_informed": "fairly_satisfied",
    "timescales": "very_dissatisfied",
    "outcome": None,
    "would_report_again": "not_sure",
}
CLOSED = {
    "state": "closed",
    "reason": "No reports for eight weeks",
    "at": "2026-04-01T12:00:00+01:00",
    "outcome": "resolved",
}


def closed(**changes: Any) -> dict[str, Any]:
    keys: dict[str, Any] = {
        "first_response": {"at": "2026-03-10T15:00:00Z", "by": "s-ha", "summary": "Rang Ann"},
        "status": CLOSED,
        "closure": {"complainant_told": TOLD, "satisfaction": ANSWERS},
        "reopenings": [
            {
                "at": "2026-03-20T10:00:00Z",
                "by": "s-tl",
                "reason": "The music started again",
                "closed_at": "2026-03-18T10:00:00Z",
                "outcome": "no_further_action",
                "closure": {"complainant_told": None, "satisfaction": None},
            }
        ],
    }
    return case_document(**{**keys, **changes})


def problems(document: dict[str, Any]) -> dict[str, str]:
    return {p.field: p.problem for p in check_document(document).problems.kept}


def test_every_closing_key_is_read_and_written_back_the_same() -> None:
    document = closed()
    VALIDATOR.validate(document)
    read = case_from_document(document)
    assert read.status.outcome is CaseOutcome.RESOLVED
    assert read.closure is not None and read.closure.complainant_told is not None
    assert read.closure.satisfaction is not None
    assert read.closure.satisfaction.timescales is Satisfaction.VERY_DISSATISFIED
    assert read.closure.satisfaction.outcome is None  # not given: kept as not given
    assert read.closure.satisfaction.would_report_again is ReportAgain.NOT_SURE
    assert read.reopenings[0].outcome is CaseOutcome.NO_FURTHER_ACTION
    written = case_to_document(read, evaluate(read, directory(), ENGLAND))
    VALIDATOR.validate(written)
    assert written["status"]["outcome"] == "resolved"
    assert written["closure"]["complainant_told"]["how"] == "telephone"
    assert written["reopenings"][0]["reason"] == "The music started again"
    assert case_from_document(written) == read


def test_a_case_closed_before_outcomes_existed_is_still_valid() -> None:
    legacy = case_document(status={"state": "closed", "reason": "Resolved", "at": CLOSED["at"]})
    assert check_document(legacy).ok
    assert case_from_document(legacy).status.outcome is None


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"status": {**CLOSED, "outcome": "sorted"}}, "status.outcome", "resolved, no_further"),
        (
            {"closure": {"complainant_told": {**TOLD, "how": "pigeon"}}},
            "closure.complainant_told.how",
            "letter",
        ),
        (
            {"closure": {"satisfaction": {**ANSWERS, "outcome": "ok"}}},
            "closure.satisfaction.outcome",
            "fairly_satisfied",
        ),
        ({"closure": {"told": TOLD}}, "closure.told", "not a known field"),
        (
            {"reopenings": [{"at": "2026-04-05T10:00:00Z", "by": "s-ha"}]},
            "reopenings[0].reason",
            "required",
        ),
    ],
)
def test_a_wrong_value_is_named_by_its_field(
    change: dict[str, Any], where: str, words: str
) -> None:
    document = closed(**change)
    found = problems(document)
    assert words in found[where], found
    assert not VALIDATOR.is_valid(document)


def test_an_outcome_and_a_closure_belong_to_a_closed_case() -> None:
    found = problems(closed(status={"state": "open", "outcome": "resolved"}))
    assert "closed case only" in found["status.outcome"]
    assert "closed case only" in found["closure"]


def test_an_anonymous_complainant_is_neither_told_nor_asked_5_8() -> None:
    found = problems(closed(complainant={"anonymous": True}))
    assert "cannot be told the outcome (5.8)" in found["closure.complainant_told"]
    assert "cannot be asked how satisfied" in found["closure.satisfaction"]


def test_the_complainant_is_told_once_the_case_is_closed() -> None:
    early = {**TOLD, "at": "2026-04-01T11:00:00+01:00"}
    found = problems(closed(closure={"complainant_told": early}))
    assert "before status.at" in found["closure.complainant_told.at"]


def closed_case(**changes: Any):  # type: ignore[no-untyped-def]
    return case(
        first_response=FirstResponse(at=at("2026-03-10T15:00:00Z"), by="s-ha", summary="Rang"),
        status=Status(
            CaseState.CLOSED, "Resolved", at("2026-03-12T10:00:00Z"), CaseOutcome.RESOLVED
        ),
        **changes,
    )


def test_a_closed_case_opened_again_records_why_on_every_path() -> None:
    before = closed_case()
    bare = replace(before, status=Status())
    found = check_case(bare, before, directory())
    assert [p.field for p in found] == ["reopenings"]
    assert "reopened with a reason" in found[0].problem
    document = case_from_document(closed())
    reopening = document.reopenings[0]
    reopened = replace(bare, reopenings=(reopening,))
    assert check_case(reopened, before, directory()) == []
    # and a reopening once recorded stays
    forgotten = check_case(replace(reopened, reopenings=()), reopened, directory())
    assert any("append-only" in p.problem for p in forgotten)


def test_a_report_after_closure_is_a_new_case_on_every_path() -> None:
    before = closed_case()
    later = Incident(id="inc-2", occurred_at=at("2026-03-20T22:00:00Z"), description="Again")
    added = replace(before, incidents=(*before.incidents, later))
    found = check_case(added, before, directory())
    assert [p.field for p in found] == ["incidents[1]"]
    assert "A report after closure is a new case" in found[0].problem
    # reopened with it, the incident joins the case
    document = case_from_document(closed())
    reopened = replace(added, status=Status(), reopenings=document.reopenings)
    assert check_case(reopened, before, directory()) == []


def test_a_reopened_case_has_its_clocks_again() -> None:
    shut = closed_case()
    assert next_update_due_at(shut, ENGLAND) is None
    assert all(
        not d.outstanding for d in case_deadlines(shut, evaluate(shut, directory(), ENGLAND))
    )
    reopening = case_from_document(closed()).reopenings[0]
    opened = replace(shut, status=Status(), reopenings=(reopening,), closure=None)
    # the rule as the contract states it: 10 working days after the first response (Tue 10th)
    assert next_update_due_at(opened, ENGLAND) == at("2026-03-24T17:00:00+00:00")
    stored = case_to_document(shut, evaluate(shut, directory(), ENGLAND))
    outcome = current_outcome(opened, directory(), ENGLAND, stored)  # no longer kept as closed
    assert outcome.next_update_due_at == at("2026-03-24T17:00:00+00:00")
    kinds = {d.kind for d in case_deadlines(opened, outcome) if d.outstanding}
    assert DeadlineKind.NEXT_UPDATE in kinds


def test_an_anonymous_case_reopened_still_has_no_update_clock() -> None:
    shut = closed_case(complainant=Complainant(anonymous=True))
    reopening = case_from_document(closed()).reopenings[0]
    opened = replace(shut, status=Status(), reopenings=(reopening,))
    assert next_update_due_at(opened, ENGLAND) is None
    assert Closure() == Closure(None, None)

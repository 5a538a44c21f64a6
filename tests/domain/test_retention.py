"""Retention in the case document: `retention.legal_hold` recorded and kept through a round trip,
`retention.destroy_after` worked out (the closing day plus the organisation's period) and ignored
on import, and both said in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.case import CaseState, Status
from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.domain.document import case_from_document, case_to_document, without_computed
from asb_desktop.domain.procedure import current_outcome, evaluate
from asb_desktop.domain.retention import destroy_after, is_due, retention_words
from asb_desktop.domain.validation import check_document
from tests.domain.domain_builders import case, case_document, directory
from tests.domain.test_case_schema import VALIDATOR

CLOSED = Status(CaseState.CLOSED, "Resolved", datetime(2026, 3, 3, 23, 30, tzinfo=UTC))


def test_a_closed_case_is_kept_six_years_from_the_london_day_it_closed() -> None:
    closed = case(status=CLOSED)  # 23:30 UTC on 3 March is still 3 March in London (GMT)
    assert destroy_after(closed) == date(2032, 3, 3)
    assert not is_due(closed, date(2032, 3, 3)) and is_due(closed, date(2032, 3, 4))
    summer = replace(CLOSED, at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))  # 1 July in London
    assert destroy_after(case(status=summer)) == date(2032, 7, 1)
    leap = replace(CLOSED, at=datetime(2028, 2, 29, 12, 0, tzinfo=UTC))
    assert destroy_after(case(status=leap), CasePolicy(retention_years=3)) == date(2031, 2, 28)
    assert destroy_after(case()) is None  # open
    assert destroy_after(case(status=CLOSED, legal_hold=True)) is None


def test_the_period_is_the_organisations() -> None:
    assert destroy_after(case(status=CLOSED), CasePolicy(retention_years=2)) == date(2028, 3, 3)


def test_retention_is_said_in_words() -> None:
    assert retention_words(False, destroy_after(case())) is None
    assert retention_words(False, destroy_after(case(status=CLOSED))) == (
        "Kept until 3 March 2032, then destroyed under the retention rules."
    )
    assert retention_words(True, None) == "On legal hold: kept until the hold is released."


def test_legal_hold_round_trips_and_destroy_after_is_worked_out_again() -> None:
    document = case_document(
        status={"state": "closed", "reason": "Resolved", "at": "2026-03-03T12:00:00Z"},
        retention={"legal_hold": True, "destroy_after": "1999-01-01"},
    )
    check_document(document)
    held = case_from_document(document)
    assert held.legal_hold
    written = case_to_document(held, evaluate(held, directory(), WorkingDayCalendar()))
    VALIDATOR.validate(written)
    assert written["retention"] == {"legal_hold": True, "destroy_after": None}
    released = replace(held, legal_hold=False)
    again = case_to_document(released, evaluate(released, directory(), WorkingDayCalendar()))
    assert again["retention"] == {"legal_hold": False, "destroy_after": "2032-03-03"}
    assert case_from_document(again) == released
    # The worked-out day is no recorded fact: comparing facts never sees it.
    assert without_computed(again)["retention"] == {"legal_hold": False}


def test_a_document_without_retention_is_not_held_and_a_kept_closed_outcome_gets_its_day() -> None:
    closed = case(status=CLOSED)
    assert not case_from_document(case_document()).legal_hold
    first = case_to_document(closed, evaluate(closed, directory(), WorkingDayCalendar()))
    # A closed case keeps what held when it closed, but a hold set later moves its day.
    held = replace(closed, legal_hold=True)
    outcome = current_outcome(held, directory(), WorkingDayCalendar(), stored=first)
    assert outcome.destroy_after is None
    outcome = current_outcome(closed, directory(), WorkingDayCalendar(), stored=first,
                              policy=CasePolicy(retention_years=10))  # fmt: skip
    assert outcome.destroy_after == date(2036, 3, 3)


def test_the_retention_period_is_an_organisation_preset(tmp_path: Path) -> None:
    from asb_desktop.support.presets import PresetError, read_preset_file
    from tests.support.test_case_policy_presets import preset

    assert read_preset_file(preset(tmp_path)).case_policy.retention_years == 6
    assert read_preset_file(preset(tmp_path, retention_years=10)).case_policy.retention_years == 10
    with pytest.raises(PresetError, match="from 1 to 100"):
        read_preset_file(preset(tmp_path, retention_years=0))

"""`next_update_due_at`: keeping the complainant informed, 17:00 London on the Nth working day
after the day of the latest of the first response and every update (N = 10, or 5 when the
latest risk assessment is high), never for an anonymous complainant (5.8), none before the first
response or once the case is closed."""

from __future__ import annotations

from dataclasses import replace

from asb_desktop.domain.calendar import Nation, WorkingDayCalendar
from asb_desktop.domain.case import CaseState, Complainant, Entry, EntryKind, FirstResponse, Status
from asb_desktop.domain.case_management import RiskAssessment, RiskLevel
from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.domain.keeping_informed import next_update_due_at
from asb_desktop.domain.procedure import evaluate
from tests.domain.domain_builders import at, case, directory

ENGLAND = WorkingDayCalendar(Nation.ENGLAND_AND_WALES)
SCOTLAND = WorkingDayCalendar(Nation.SCOTLAND)


def responded(moment: str, **changes: object):  # type: ignore[no-untyped-def]
    return case(first_response=FirstResponse(at=at(moment), by="s-ha", summary="Rang"), **changes)


def update(moment: str, entry_id: str = "u-1") -> Entry:
    return Entry(id=entry_id, kind=EntryKind.UPDATE, at=at(moment), by="s-ha", text="Told her")


def assessed(level: RiskLevel, moment: str, assessment_id: str = "ra-1") -> RiskAssessment:
    return RiskAssessment(id=assessment_id, at=at(moment), by="s-ha", level=level, score=0)


def test_none_before_the_first_response() -> None:
    assert next_update_due_at(case(), ENGLAND) is None


def test_ten_working_days_after_the_first_response_skipping_weekends() -> None:
    # Responded Wednesday 11 March 2026: ten working days on is Wednesday 25 March.
    due = next_update_due_at(responded("2026-03-11T10:00:00+00:00"), ENGLAND)
    assert due == at("2026-03-25T17:00:00+00:00")


def test_counted_from_the_london_day_of_the_response_and_across_the_clock_change() -> None:
    # 23:30 UTC on Friday 27 March is still Friday in London (GMT). Counting from Monday 30
    # March skips Good Friday (3 April) and Easter Monday (6 April): the tenth working day is
    # Tuesday 14 April, at 17:00 summer time (the clocks went forward on 29 March).
    due = next_update_due_at(responded("2026-03-27T23:30:00+00:00"), ENGLAND)
    assert due == at("2026-04-14T17:00:00+01:00")


def test_bank_holidays_of_the_configured_nation_are_skipped() -> None:
    # Responded Friday 24 July 2026. Scotland's summer bank holiday is Monday 3 August;
    # England's is 31 August, so England's tenth working day is Friday 7 August.
    sent = responded("2026-07-24T12:00:00+01:00")
    assert next_update_due_at(sent, ENGLAND) == at("2026-08-07T17:00:00+01:00")
    assert next_update_due_at(sent, SCOTLAND) == at("2026-08-10T17:00:00+01:00")


def test_counted_from_the_latest_update_given() -> None:
    sent = responded(
        "2026-03-11T10:00:00+00:00",
        entries=(
            update("2026-03-20T09:00:00+00:00", "u-1"),
            update("2026-03-16T09:00:00+00:00", "u-2"),  # an earlier one listed later
        ),
    )
    # Friday 20 March + ten working days would be Friday 3 April, but that is Good Friday and
    # Monday 6 April Easter Monday: Tuesday 7 April, in summer time.
    assert next_update_due_at(sent, ENGLAND) == at("2026-04-07T17:00:00+01:00")


def test_a_note_or_contact_is_not_an_update() -> None:
    note = Entry(id="n-1", kind=EntryKind.CONTACT, at=at("2026-03-20T09:00:00Z"), by="s", text="x")
    sent = responded("2026-03-11T10:00:00+00:00", entries=(note,))
    assert next_update_due_at(sent, ENGLAND) == at("2026-03-25T17:00:00+00:00")


def test_five_working_days_when_the_latest_risk_assessment_is_high() -> None:
    high = responded(
        "2026-03-11T10:00:00+00:00",
        risk_assessments=(assessed(RiskLevel.HIGH, "2026-03-11T11:00:00Z"),),
    )
    assert next_update_due_at(high, ENGLAND) == at("2026-03-18T17:00:00+00:00")
    lowered = replace(
        high,
        risk_assessments=(
            *high.risk_assessments,
            assessed(RiskLevel.MEDIUM, "2026-03-12T11:00:00Z", "ra-2"),
        ),
    )
    assert next_update_due_at(lowered, ENGLAND) == at("2026-03-25T17:00:00+00:00")


def test_the_organisation_sets_both_cadences() -> None:
    policy = CasePolicy(update_working_days=3, update_working_days_high_risk=1)
    sent = responded("2026-03-13T10:00:00+00:00")  # a Friday
    assert next_update_due_at(sent, ENGLAND, policy) == at("2026-03-18T17:00:00+00:00")
    high = replace(sent, risk_assessments=(assessed(RiskLevel.HIGH, "2026-03-13T11:00:00Z"),))
    assert next_update_due_at(high, ENGLAND, policy) == at("2026-03-16T17:00:00+00:00")


def test_never_for_an_anonymous_complainant() -> None:
    anonymous = responded("2026-03-11T10:00:00+00:00", complainant=Complainant(anonymous=True))
    assert next_update_due_at(anonymous, ENGLAND) is None


def test_none_once_the_case_is_closed() -> None:
    closed = responded(
        "2026-03-11T10:00:00+00:00",
        status=Status(state=CaseState.CLOSED, reason="Resolved", at=at("2026-03-12T10:00:00Z")),
    )
    assert next_update_due_at(closed, ENGLAND) is None


def test_the_outcome_carries_it_with_the_risk_level() -> None:
    high = responded(
        "2026-03-11T10:00:00+00:00",
        risk_assessments=(assessed(RiskLevel.HIGH, "2026-03-11T11:00:00Z"),),
    )
    outcome = evaluate(high, directory(), ENGLAND)
    assert outcome.risk_level is RiskLevel.HIGH
    assert outcome.next_update_due_at == at("2026-03-18T17:00:00+00:00")
    assert evaluate(case(), directory(), ENGLAND).risk_level is None


def test_a_response_late_on_a_summer_evening_counts_from_the_next_london_day() -> None:
    # 23:30 UTC on Friday 24 July is 00:30 on Saturday 25 July in London: counting starts
    # after Saturday, so the tenth working day is Friday 7 August (England), not Thursday 6th.
    late = responded("2026-07-23T23:30:00+00:00")  # Thursday 23rd in UTC, Friday 24th in London
    assert next_update_due_at(late, ENGLAND) == at("2026-08-07T17:00:00+01:00")

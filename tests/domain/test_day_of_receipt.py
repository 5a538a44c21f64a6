"""The contract's "Day of receipt": the London calendar day at `received_at`, whatever offset it
was written with; weekends, evenings and bank holidays all count from the day after."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from asb_desktop.domain.calendar import Nation, WorkingDayCalendar, london_day
from asb_desktop.domain.case import Severity
from asb_desktop.domain.procedure import response_due_at
from tests.domain.domain_builders import at

LONDON = ZoneInfo("Europe/London")
ENGLAND = WorkingDayCalendar()


def due(received: str, severity: Severity, calendar: WorkingDayCalendar = ENGLAND) -> datetime:
    return response_due_at(at(received), severity, calendar)


def cob(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 17, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "serious", "general"),
    [
        ("2026-03-14T10:00:00Z", cob(2026, 3, 16), cob(2026, 3, 18)),  # Saturday
        ("2026-03-15T23:59:00Z", cob(2026, 3, 16), cob(2026, 3, 18)),  # Sunday night
        ("2026-03-13T16:59:00Z", cob(2026, 3, 16), cob(2026, 3, 18)),  # Friday before 17:00
        ("2026-03-13T17:01:00Z", cob(2026, 3, 16), cob(2026, 3, 18)),  # Friday after 17:00
    ],
    ids=["saturday", "sunday night", "friday before 17:00", "friday after 17:00"],
)
def test_weekend_reports_count_from_the_next_working_day(
    received: str, serious: datetime, general: datetime
) -> None:
    assert due(received, Severity.SERIOUS) == serious
    assert due(received, Severity.GENERAL) == general


def test_a_report_after_17_00_counts_from_the_day_after_its_day_of_receipt() -> None:
    morning = due("2026-03-10T08:00:00Z", Severity.SERIOUS)
    evening = due("2026-03-10T18:30:00Z", Severity.SERIOUS)
    assert morning == evening == cob(2026, 3, 11)


def test_a_report_received_on_a_bank_holiday_counts_from_the_next_working_day() -> None:
    # Good Friday 3 April 2026; Easter Monday 6 April is a bank holiday in England too.
    assert due("2026-04-03T11:00:00+01:00", Severity.SERIOUS) == cob(2026, 4, 7)
    assert due("2026-04-03T11:00:00+01:00", Severity.GENERAL) == cob(2026, 4, 9)


def test_a_report_received_the_day_before_a_bank_holiday_weekend_skips_it() -> None:
    assert due("2026-04-02T09:00:00+01:00", Severity.SERIOUS) == cob(2026, 4, 7)
    scotland = WorkingDayCalendar(Nation.SCOTLAND)  # Easter Monday is a working day there
    assert due("2026-04-02T09:00:00+01:00", Severity.SERIOUS, scotland) == cob(2026, 4, 6)


def test_a_utc_timestamp_already_tomorrow_in_london_during_bst_counts_from_that_day() -> None:
    # 23:30 UTC on Tuesday 30 June is 00:30 BST on Wednesday 1 July.
    assert london_day(at("2026-06-30T23:30:00Z")).isoformat() == "2026-07-01"
    assert due("2026-06-30T23:30:00Z", Severity.SERIOUS) == cob(2026, 7, 2)
    assert due("2026-06-30T23:30:00Z", Severity.GENERAL) == cob(2026, 7, 6)
    # Half an hour earlier it is still Tuesday in London.
    assert due("2026-06-30T22:59:00Z", Severity.SERIOUS) == cob(2026, 7, 1)


def test_in_winter_london_is_on_utc_so_23_30z_is_still_the_same_day() -> None:
    # Thursday 31 December 2026 23:30 GMT; 1 January is a holiday, then a weekend.
    assert due("2026-12-31T23:30:00Z", Severity.SERIOUS) == cob(2027, 1, 4)
    scotland = WorkingDayCalendar(Nation.SCOTLAND)  # 2 January's substitute is Monday 4th
    assert due("2026-12-31T23:30:00Z", Severity.SERIOUS, scotland) == cob(2027, 1, 5)


@pytest.mark.parametrize(
    "written",
    ["2026-06-30T23:30:00Z", "2026-07-01T00:30:00+01:00", "2026-07-01T05:00:00+05:30"],
)
def test_the_offset_a_timestamp_is_written_with_does_not_change_the_day(written: str) -> None:
    assert due(written, Severity.SERIOUS) == cob(2026, 7, 2)


def test_a_negative_offset_still_lands_on_the_london_day() -> None:
    # 20:00 in New York on Sunday 5 July 2026 is 01:00 BST on Monday 6 July.
    assert due("2026-07-05T20:00:00-04:00", Severity.SERIOUS) == cob(2026, 7, 7)


def test_close_of_business_follows_the_clocks() -> None:
    winter = due("2026-03-27T10:00:00Z", Severity.SERIOUS)  # Friday before clocks go forward
    assert winter.isoformat() == "2026-03-30T17:00:00+01:00"  # Monday, now BST
    assert winter == at("2026-03-30T16:00:00Z")
    autumn = due("2026-10-23T10:00:00+01:00", Severity.SERIOUS)  # Friday before they go back
    assert autumn == at("2026-10-26T17:00:00Z")


@pytest.mark.parametrize(
    ("received", "serious", "general"),
    [
        ("2026-12-24T09:00:00Z", cob(2026, 12, 29), cob(2026, 12, 31)),
        ("2026-12-24T18:00:00Z", cob(2026, 12, 29), cob(2026, 12, 31)),
        ("2026-12-25T12:00:00Z", cob(2026, 12, 29), cob(2026, 12, 31)),
        ("2026-12-31T09:00:00Z", cob(2027, 1, 4), cob(2027, 1, 6)),
    ],
    ids=["christmas eve", "christmas eve evening", "christmas day", "new year's eve"],
)
def test_over_christmas_and_new_year(received: str, serious: datetime, general: datetime) -> None:
    # 2026: Christmas Friday 25th, Boxing Day Saturday so Monday 28th is its substitute.
    assert due(received, Severity.SERIOUS) == serious
    assert due(received, Severity.GENERAL) == general


def test_a_moment_without_an_offset_has_no_day_of_receipt() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        london_day(datetime(2026, 6, 30, 23, 30))

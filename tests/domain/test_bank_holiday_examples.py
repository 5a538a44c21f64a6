"""Named bank holidays the response clock must know, nation by nation, as worked examples."""

from __future__ import annotations

from datetime import date

import pytest

from asb_desktop.domain.calendar import Nation, WorkingDayCalendar

ENGLAND = WorkingDayCalendar(Nation.ENGLAND_AND_WALES)
SCOTLAND = WorkingDayCalendar(Nation.SCOTLAND)
NI = WorkingDayCalendar(Nation.NORTHERN_IRELAND)
EVERYWHERE = [ENGLAND, SCOTLAND, NI]


@pytest.mark.parametrize(
    ("christmas_eve", "days_off", "next_working_day"),
    [
        # Christmas Saturday, Boxing Day Sunday: both move, to Monday and Tuesday.
        (date(2021, 12, 24), [date(2021, 12, 27), date(2021, 12, 28)], date(2021, 12, 29)),
        # Christmas Sunday: Boxing Day stays Monday, Christmas moves to Tuesday.
        (date(2022, 12, 23), [date(2022, 12, 26), date(2022, 12, 27)], date(2022, 12, 28)),
        # Christmas Friday, Boxing Day Saturday: Boxing Day moves to Monday.
        (date(2026, 12, 24), [date(2026, 12, 25), date(2026, 12, 28)], date(2026, 12, 29)),
        (date(2027, 12, 24), [date(2027, 12, 27), date(2027, 12, 28)], date(2027, 12, 29)),
    ],
    ids=["2021", "2022", "2026", "2027"],
)
def test_christmas_and_boxing_day_substitutes(
    christmas_eve: date, days_off: list[date], next_working_day: date
) -> None:
    for calendar in EVERYWHERE:
        assert all(calendar.is_bank_holiday(d) for d in days_off)
        assert calendar.nth_working_day_after(christmas_eve, 1) == next_working_day


def test_the_last_working_day_before_christmas_2026_is_thursday_the_24th() -> None:
    assert ENGLAND.is_working_day(date(2026, 12, 24))
    assert ENGLAND.nth_working_day_after(date(2026, 12, 23), 1) == date(2026, 12, 24)
    assert ENGLAND.nth_working_day_after(date(2026, 12, 23), 3) == date(2026, 12, 30)


def test_easter_2026_good_friday_and_easter_monday_in_england() -> None:
    assert ENGLAND.is_bank_holiday(date(2026, 4, 3))
    assert ENGLAND.is_bank_holiday(date(2026, 4, 6))
    assert ENGLAND.nth_working_day_after(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert NI.nth_working_day_after(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_scotland_has_good_friday_but_no_easter_monday() -> None:
    assert SCOTLAND.is_bank_holiday(date(2026, 4, 3))
    assert SCOTLAND.is_working_day(date(2026, 4, 6))
    assert SCOTLAND.nth_working_day_after(date(2026, 4, 2), 1) == date(2026, 4, 6)


def test_scotland_keeps_2_january_and_england_does_not() -> None:
    # Friday 2 January 2026.
    assert SCOTLAND.is_bank_holiday(date(2026, 1, 2))
    assert ENGLAND.is_working_day(date(2026, 1, 2))
    assert ENGLAND.nth_working_day_after(date(2025, 12, 31), 1) == date(2026, 1, 2)
    assert SCOTLAND.nth_working_day_after(date(2025, 12, 31), 1) == date(2026, 1, 5)


def test_new_year_2022_on_a_saturday_costs_scotland_monday_and_tuesday() -> None:
    assert ENGLAND.nth_working_day_after(date(2021, 12, 31), 1) == date(2022, 1, 4)
    assert SCOTLAND.nth_working_day_after(date(2021, 12, 31), 1) == date(2022, 1, 5)


def test_st_patricks_day_is_a_bank_holiday_in_northern_ireland_only() -> None:
    # Tuesday 17 March 2026.
    assert NI.is_bank_holiday(date(2026, 3, 17))
    assert ENGLAND.is_working_day(date(2026, 3, 17))
    assert SCOTLAND.is_working_day(date(2026, 3, 17))
    assert NI.nth_working_day_after(date(2026, 3, 16), 1) == date(2026, 3, 18)
    assert ENGLAND.nth_working_day_after(date(2026, 3, 16), 1) == date(2026, 3, 17)


def test_st_patricks_day_on_a_sunday_moves_to_monday_in_northern_ireland() -> None:
    # Sunday 17 March 2024: Monday 18th is the substitute.
    assert NI.nth_working_day_after(date(2024, 3, 15), 1) == date(2024, 3, 19)
    assert ENGLAND.nth_working_day_after(date(2024, 3, 15), 1) == date(2024, 3, 18)


def test_the_twelfth_of_july_in_northern_ireland() -> None:
    assert NI.nth_working_day_after(date(2027, 7, 9), 1) == date(2027, 7, 13)
    assert ENGLAND.nth_working_day_after(date(2027, 7, 9), 1) == date(2027, 7, 12)


def test_the_2022_one_off_holidays_everywhere() -> None:
    for calendar in EVERYWHERE:
        # Spring bank holiday moved to Thursday 2 June for the Platinum Jubilee on Friday 3rd...
        assert calendar.nth_working_day_after(date(2022, 6, 1), 1) == date(2022, 6, 6)
        # ...so the usual last Monday in May was a working day.
        assert calendar.is_working_day(date(2022, 5, 30))
        # The State Funeral of Queen Elizabeth II, Monday 19 September.
        assert calendar.nth_working_day_after(date(2022, 9, 16), 1) == date(2022, 9, 20)


def test_the_2023_coronation_bank_holiday() -> None:
    for calendar in EVERYWHERE:
        assert calendar.nth_working_day_after(date(2023, 5, 5), 1) == date(2023, 5, 9)


def test_summer_bank_holiday_is_early_august_in_scotland_late_august_elsewhere() -> None:
    assert SCOTLAND.is_bank_holiday(date(2026, 8, 3))
    assert ENGLAND.is_working_day(date(2026, 8, 3))
    assert ENGLAND.is_bank_holiday(date(2026, 8, 31))
    assert SCOTLAND.is_working_day(date(2026, 8, 31))


def test_st_andrews_day_substitute_in_scotland() -> None:
    # Saturday 30 November 2024: Monday 2 December is the substitute.
    assert SCOTLAND.nth_working_day_after(date(2024, 11, 29), 1) == date(2024, 12, 3)
    assert ENGLAND.nth_working_day_after(date(2024, 11, 29), 1) == date(2024, 12, 2)

"""Working-day arithmetic for the 5.3 response clock, checked as properties over many years and
all three UK holiday lists, with an Easter date worked out here independently of `holidays`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asb_desktop.domain.calendar import Nation, WorkingDayCalendar

CALENDARS = {nation: WorkingDayCalendar(nation) for nation in Nation}
YEARS = st.integers(min_value=2000, max_value=2060)
nations = st.sampled_from(list(Nation))


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous "Meeus/Jones/Butcher" computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@st.composite
def receipt_days(draw: st.DrawFn) -> date:
    """Days anywhere, weighted towards the awkward ones: year ends and Easter."""
    year = draw(YEARS)
    around = draw(st.sampled_from(["anywhere", "year end", "easter"]))
    if around == "year end":
        return date(year, 12, 18) + timedelta(days=draw(st.integers(0, 21)))
    if around == "easter":
        return easter_sunday(year) + timedelta(days=draw(st.integers(-10, 10)))
    return date(year, 1, 1) + timedelta(days=draw(st.integers(0, 364)))


def working_days_in(calendar: WorkingDayCalendar, after: date, until: date) -> list[date]:
    """Working days in (after, until], counted one by one."""
    days = (after + timedelta(days=i) for i in range(1, (until - after).days + 1))
    return [d for d in days if calendar.is_working_day(d)]


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(day=receipt_days(), nation=nations, n=st.sampled_from([1, 3]) | st.integers(1, 12))
def test_the_due_day_is_the_nth_working_day_after_receipt(
    day: date, nation: Nation, n: int
) -> None:
    calendar = CALENDARS[nation]
    due = calendar.nth_working_day_after(day, n)
    assert due > day
    assert calendar.is_working_day(due)
    assert due.weekday() < 5
    assert len(working_days_in(calendar, day, due)) == n
    # No working day skipped: one day earlier there were only n - 1.
    assert len(working_days_in(calendar, day, due - timedelta(days=1))) == n - 1
    assert calendar.working_days_between(day, due) == n
    assert calendar.working_days_between(due, day) == -n


@PROPERTY
@given(day=receipt_days(), nation=nations, n=st.integers(1, 6))
def test_each_further_working_day_is_later(day: date, nation: Nation, n: int) -> None:
    calendar = CALENDARS[nation]
    assert calendar.nth_working_day_after(day, n + 1) > calendar.nth_working_day_after(day, n)
    nth = calendar.nth_working_day_after(day, n)
    assert calendar.nth_working_day_after(nth, 1) == calendar.nth_working_day_after(day, n + 1)


@PROPERTY
@given(day=receipt_days(), nation=nations, n=st.integers(1, 5))
def test_never_due_on_christmas_boxing_or_new_years_day(day: date, nation: Nation, n: int) -> None:
    due = CALENDARS[nation].nth_working_day_after(day, n)
    assert (due.month, due.day) not in {(12, 25), (12, 26), (1, 1)}
    assert due != easter_sunday(due.year) - timedelta(days=2)  # Good Friday


@settings(max_examples=60, deadline=None)
@given(year=YEARS, nation=nations)
def test_christmas_and_boxing_day_always_cost_two_weekdays(year: int, nation: Nation) -> None:
    # Falling on a weekend, each moves to a substitute weekday within 25-28 December.
    calendar = CALENDARS[nation]
    window = [date(year, 12, d) for d in range(25, 29)]
    days_off = [d for d in window if d.weekday() < 5 and not calendar.is_working_day(d)]
    assert len(days_off) == 2


@settings(max_examples=60, deadline=None)
@given(year=YEARS, nation=nations)
def test_new_year_costs_one_weekday_or_two_in_scotland(year: int, nation: Nation) -> None:
    calendar = CALENDARS[nation]
    weekdays = [date(year, 1, d) for d in range(1, 8) if date(year, 1, d).weekday() < 5]
    first_working = next(d for d in weekdays if calendar.is_working_day(d))
    expected_off = 2 if nation is Nation.SCOTLAND else 1
    assert weekdays.index(first_working) == expected_off


@settings(max_examples=60, deadline=None)
@given(year=YEARS)
def test_easter_good_friday_everywhere_easter_monday_except_scotland(year: int) -> None:
    good_friday = easter_sunday(year) - timedelta(days=2)
    easter_monday = easter_sunday(year) + timedelta(days=1)
    for nation, calendar in CALENDARS.items():
        assert not calendar.is_working_day(good_friday)
        assert calendar.is_working_day(easter_monday) is (nation is Nation.SCOTLAND)


def test_the_computus_here_agrees_with_known_easters() -> None:
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2038) == date(2038, 4, 25)


def test_there_is_no_zeroth_working_day() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        WorkingDayCalendar().nth_working_day_after(date(2026, 1, 5), 0)


def test_the_default_nation_is_england_and_wales() -> None:
    assert WorkingDayCalendar().nation is Nation.ENGLAND_AND_WALES

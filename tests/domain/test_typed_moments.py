"""Dates and times typed as officers type them, read in UK time: what is understood, what is
refused (and that the refusal says why and what works), the year when none is typed, the clock
changes, and the words shown beside the field reading back as the same moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from asb_desktop.domain.errors import InputError
from asb_desktop.domain.typed_moments import (
    EXAMPLE,
    describe_moment,
    format_typed_moment,
    parse_typed_moment,
    typed_time,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday 30 November 2026, 10:00 GMT


def london(year: int, month: int, day: int, hour: int, minute: int, fold: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON, fold=fold)


def refusal(text: str, now: datetime = NOW) -> str:
    with pytest.raises(InputError) as caught:
        parse_typed_moment(text, now, field="Received")
    assert caught.value.field == "Received"
    assert EXAMPLE in caught.value.problem  # every refusal says what works
    return caught.value.problem


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("30/11/2026 23:15", london(2026, 11, 30, 23, 15)),
        ("30/11/26 23:15", london(2026, 11, 30, 23, 15)),
        ("30/11 23:15", london(2026, 11, 30, 23, 15)),
        ("30-11-2026 23:15", london(2026, 11, 30, 23, 15)),
        ("30.11.2026 23.15", london(2026, 11, 30, 23, 15)),
        ("30.11 23.15", london(2026, 11, 30, 23, 15)),
        ("23.15 30.11", london(2026, 11, 30, 23, 15)),
        ("1/3/2026 7:05", london(2026, 3, 1, 7, 5)),
        ("2026-11-30 08:00", london(2026, 11, 30, 8, 0)),
        ("30 Nov 2026 23:15", london(2026, 11, 30, 23, 15)),
        ("30th November 11pm", london(2026, 11, 30, 23, 0)),
        ("Mon 30 Nov 2026, 23:15", london(2026, 11, 30, 23, 15)),
        ("today 14:05", london(2026, 11, 30, 14, 5)),
        ("TODAY 9AM", london(2026, 11, 30, 9, 0)),
        ("today 9am", london(2026, 11, 30, 9, 0)),
        ("today at noon", london(2026, 11, 30, 12, 0)),
        ("yesterday 11pm", london(2026, 11, 29, 23, 0)),
        ("Yesterday 11:30pm", london(2026, 11, 29, 23, 30)),
        ("yesterday 11.30 p.m.", london(2026, 11, 29, 23, 30)),
        ("yesterday 11 pm", london(2026, 11, 29, 23, 0)),
        ("11pm yesterday", london(2026, 11, 29, 23, 0)),
        ("yesterday 12am", london(2026, 11, 29, 0, 0)),
        ("yesterday 12pm", london(2026, 11, 29, 12, 0)),
        ("  yesterday   00:00  ", london(2026, 11, 29, 0, 0)),
        ("now", NOW),
        ("NOW", NOW),
    ],
)
def test_the_forms_officers_type_are_understood(typed: str, meant: datetime) -> None:
    moment = parse_typed_moment(typed, NOW)
    assert moment == meant
    assert moment.tzinfo is UTC


def test_now_is_the_clock_to_the_minute() -> None:
    clock = datetime(2026, 7, 1, 9, 41, 37, 123456, tzinfo=UTC)
    assert parse_typed_moment("now", clock) == datetime(2026, 7, 1, 9, 41, tzinfo=UTC)


def test_today_and_yesterday_are_london_days_not_utc_days() -> None:
    just_after_midnight_bst = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    assert parse_typed_moment("today 00:10", just_after_midnight_bst) == london(2026, 7, 2, 0, 10)
    assert parse_typed_moment("yesterday 23:00", just_after_midnight_bst) == london(
        2026, 7, 1, 23, 0
    )


def test_summer_times_are_bst() -> None:
    assert parse_typed_moment("1/7/2026 12:00", NOW) == datetime(2026, 7, 1, 11, 0, tzinfo=UTC)


# --- the year, when none is typed ------------------------------------------------------------


def test_early_in_january_a_december_date_is_last_december() -> None:
    second_of_january = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
    assert parse_typed_moment("30/12 16:00", second_of_january) == london(2026, 12, 30, 16, 0)
    assert parse_typed_moment("1/1 8am", second_of_january) == london(2027, 1, 1, 8, 0)


def test_today_without_a_year_is_this_year_even_later_in_the_day() -> None:
    # 10:00 on 30 November: "30/11 23:15" is this evening (the form then says it is in the
    # future), not a year ago.
    assert parse_typed_moment("30/11 23:15", NOW) == london(2026, 11, 30, 23, 15)


def test_a_date_after_today_without_a_year_is_last_year() -> None:
    assert parse_typed_moment("1/12 10:00", NOW) == london(2025, 12, 1, 10, 0)


def test_29_february_without_a_year_is_looked_for_this_year_and_last_only() -> None:
    in_2025 = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    assert parse_typed_moment("29/02 10:00", in_2025) == london(2024, 2, 29, 10, 0)
    in_2028_before_it = datetime(2028, 2, 1, 12, 0, tzinfo=UTC)
    assert "add the year" in refusal("29/02 10:00", in_2028_before_it)
    assert "add the year" in refusal("29/02 10:00", NOW)  # not 2024, nearly three years back
    assert parse_typed_moment("29/02 10:00", datetime(2028, 3, 1, tzinfo=UTC)) == london(
        2028, 2, 29, 10, 0
    )


def test_two_digit_years_are_this_century() -> None:
    assert parse_typed_moment("1/2/99 10:00", NOW) == london(2099, 2, 1, 10, 0)
    assert parse_typed_moment("1/2/05 10:00", NOW) == london(2005, 2, 1, 10, 0)


# --- refusals, each saying what was wrong ------------------------------------------------------


def test_a_date_without_a_time_is_refused_not_taken_as_midnight() -> None:
    assert "give a time as well, like 30/11/2026 14:05" in refusal("30/11/2026")
    assert "give a time" in refusal("today")
    assert "give a time" in refusal("Mon 30 Nov 2026")


def test_a_time_without_a_day_is_refused() -> None:
    assert "give the day as well, like today 14:05" in refusal("14:05")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31/11 9am", "November has 30 days"),
        ("31/11/2026 9am", "November has 30 days"),
        ("29/02/2027 9am", "February 2027 has 28 days"),
        ("30/02 9am", "February has 28 days, 29 in a leap year"),
        ("0/11/2026 9am", "not a date"),
        ("12/13/2026 9am", "13 is not a month"),
        ("today 25:00", "25:00 is not a time"),
        ("today 24:00", "24:00 is not a time"),
        ("today 11:60", "an hour has 60 minutes"),
        ("today 13pm", "the hour is 1 to 12"),
        ("today 0am", "the hour is 1 to 12"),
        ("yesterday 11", "11 on its own could be a day or an hour"),
        ("today midnight", "type 00:00 or 23:59"),
        ("30/11 2026 9am", "write the year 2026 with the date"),
        ("1/1/1850 9am", "1850 is not a year"),
        ("30/11 1/12 9am", "two dates were typed"),
        ("today 9am 10am", "two times were typed"),
        ("today yesterday 9am", "two dates were typed"),
        ("now 9am", "type it alone"),
        ("Tue 30 Nov 2026 9am", "30 Nov 2026 is a Monday, not a Tuesday"),
        ("Sun 29 Nov 2026, 10:00 (today)", "is not today (today is Mon 30 Nov 2026)"),
        ("30/11/2026 9am BST", "BST was not in use at 30/11/2026 09:00 (UK time was GMT)"),
        ("1/7/2026 9am GMT", "GMT was not in use"),
        ("next tuesday 9am", "“next” is not a date or a time"),
        ("", "nothing was typed"),
        ("   ", "nothing was typed"),
        ("9am", "give the day as well"),
        ("nov 9am", "“nov” is not a date or a time"),
    ],
)
def test_what_cannot_be_read_is_refused_saying_why(typed: str, said: str) -> None:
    assert said in refusal(typed)


def test_the_refusal_names_the_field() -> None:
    with pytest.raises(InputError) as caught:
        parse_typed_moment("31/11 9am", NOW, field="Received")
    assert str(caught.value).startswith("field Received: 31/11 is not a date")


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_typed_moment("now", datetime(2026, 1, 1))


# --- the clock changes --------------------------------------------------------------------------


def clock_changes(year: int) -> list[tuple[datetime, timedelta]]:
    """Each instant (UTC) in the year when London's offset changes, and by how much, found from
    the time zone database hour by hour (not from the rule the parser relies on)."""
    found = []
    hour = datetime(year, 1, 1, tzinfo=UTC)
    while hour.year == year:
        before = (hour - timedelta(minutes=1)).astimezone(LONDON).utcoffset()
        after = hour.astimezone(LONDON).utcoffset()
        assert before is not None and after is not None
        if before != after:
            found.append((hour, after - before))
        hour += timedelta(hours=1)
    return found


CHANGES = [change for year in range(2025, 2033) for change in clock_changes(year)]


def test_there_are_two_changes_a_year() -> None:
    assert len(CHANGES) == 16


@pytest.mark.parametrize(("instant", "shift"), CHANGES, ids=lambda v: str(v))
def test_every_clock_change_2025_to_2032(instant: datetime, shift: timedelta) -> None:
    before = (instant - timedelta(minutes=1)).astimezone(LONDON)  # last minute of the old time
    after = instant.astimezone(LONDON)  # first minute of the new
    day = f"{after:%d/%m/%Y}"
    if shift > timedelta(0):  # spring: 01:00 to 01:59 GMT never shows on a clock
        assert (before.hour, before.minute, after.hour, after.minute) == (0, 59, 2, 0)
        for skipped in ("01:00", "01:30", "01:59"):
            problem = refusal(f"{day} {skipped}", instant)
            assert "did not happen in UK time" in problem
            assert "the clocks went forward from 01:00 to 02:00 that night" in problem
        assert "(01:30 on a clock not put forward was 02:30 BST)" in refusal(
            f"{day} 01:30", instant
        )
        assert parse_typed_moment(f"{day} 00:59", instant) == before
        assert parse_typed_moment(f"{day} 02:00", instant) == after
    else:  # autumn: 01:00 to 01:59 shows twice, first in BST, then in GMT
        assert (before.hour, before.minute, after.hour, after.minute) == (1, 59, 1, 0)
        first = parse_typed_moment(f"{day} 01:30", instant)
        assert first == instant - timedelta(minutes=30)  # the first 01:30, in BST
        assert parse_typed_moment(f"{day} 01:30 BST", instant) == first
        second = parse_typed_moment(f"{day} 01:30 GMT", instant)
        assert second == first + timedelta(hours=1)
        assert describe_moment(first).endswith("01:30 BST")
        assert describe_moment(second).endswith("01:30 GMT")
        assert parse_typed_moment(f"{day} 00:59", instant).astimezone(LONDON).hour == 0
        assert parse_typed_moment(f"{day} 02:00", instant) == instant + timedelta(hours=1)
        assert describe_moment(instant + timedelta(hours=1)).endswith("02:00")  # no zone


# --- the words beside the field -----------------------------------------------------------------


def test_the_words() -> None:
    assert describe_moment(london(2026, 11, 30, 23, 15)) == "Mon 30 Nov 2026, 23:15"
    assert describe_moment(london(2026, 12, 1, 7, 5)) == "Tue 1 Dec 2026, 07:05"
    assert describe_moment(datetime(2026, 7, 1, 11, 0, tzinfo=UTC)) == "Wed 1 Jul 2026, 12:00"


def test_the_words_say_today_and_yesterday_when_given_the_clock() -> None:
    assert describe_moment(london(2026, 11, 30, 8, 0), NOW) == "Mon 30 Nov 2026, 08:00 (today)"
    assert describe_moment(london(2026, 11, 29, 23, 0), NOW) == (
        "Sun 29 Nov 2026, 23:00 (yesterday)"
    )
    assert describe_moment(london(2026, 11, 28, 23, 0), NOW) == "Sat 28 Nov 2026, 23:00"


def test_the_typed_form() -> None:
    assert format_typed_moment(london(2026, 12, 1, 7, 5)) == "01/12/2026 07:05"
    assert format_typed_moment(london(2026, 10, 25, 1, 30, fold=1)) == "25/10/2026 01:30 GMT"


minutes = st.datetimes(
    min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(second=0, microsecond=0))
clocks = st.datetimes(
    min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31), timezones=st.just(UTC)
)


@given(moment=minutes, now=clocks)
@example(moment=datetime(2026, 10, 25, 0, 30, tzinfo=UTC), now=NOW)  # the first 01:30
@example(moment=datetime(2026, 10, 25, 1, 30, tzinfo=UTC), now=NOW)  # the second 01:30
@example(moment=datetime(2026, 3, 29, 1, 0, tzinfo=UTC), now=NOW)  # 02:00 BST, after the gap
def test_the_words_typed_back_give_the_same_moment(moment: datetime, now: datetime) -> None:
    assert parse_typed_moment(describe_moment(moment), now) == moment
    assert parse_typed_moment(format_typed_moment(moment), now) == moment


@given(moment=minutes)
def test_the_words_with_today_or_yesterday_read_back(moment: datetime) -> None:
    for now in (moment, moment + timedelta(hours=13), moment + timedelta(days=1)):
        assert parse_typed_moment(describe_moment(moment, now), now) == moment


@given(
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    now=clocks,
)
def test_a_date_without_a_year_is_never_after_today_nor_more_than_a_year_back(
    day: int, month: int, hour: int, minute: int, now: datetime
) -> None:
    try:
        moment = parse_typed_moment(f"{day}/{month} {hour:02}:{minute:02}", now)
    except InputError as refused:
        assert EXAMPLE in refused.problem  # an impossible date, or a clock-change gap
        return
    local = moment.astimezone(LONDON)
    today = now.astimezone(LONDON).date()
    assert (local.day, local.month, local.hour, local.minute) == (day, month, hour, minute)
    assert today - timedelta(days=366) < local.date() <= today


def understood_or_refused_in_words(text: str) -> None:
    try:
        moment = parse_typed_moment(text, NOW)
    except InputError as refused:
        assert EXAMPLE in refused.problem
    else:
        assert moment.tzinfo is UTC


@given(st.text(max_size=40))
def test_anything_typed_is_understood_or_refused_in_words(text: str) -> None:
    understood_or_refused_in_words(text)


@given(st.text(alphabet="0123456789/.-: apmAPMtodayesrnwGMTBST()", max_size=30))
def test_anything_date_like_is_understood_or_refused_in_words(text: str) -> None:
    understood_or_refused_in_words(text)


def test_the_time_typed_is_found_even_without_a_day() -> None:
    assert typed_time("11pm") == "11pm"
    assert typed_time("30/11/2026 23:15") == "23:15"
    assert typed_time("yesterday 11.30 p.m.") == "11.30pm"
    assert typed_time("30/11/2026") is None
    assert typed_time("31/11 gibberish") is None

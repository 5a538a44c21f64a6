"""The team view's words and rules (domain/team_figures.py): overdue work by officer said in
words with the oldest in working days, who may see the view, the twelve months, the SLA share."""

from __future__ import annotations

from datetime import UTC, datetime

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.directory import Role
from asb_desktop.domain.team_figures import (
    MonthLine,
    OfficerLine,
    Overdue,
    may_see_team_view,
    overdue_words,
    trend_months,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
CALENDAR = WorkingDayCalendar()


def test_overdue_work_is_said_in_words_with_the_oldest_in_working_days() -> None:
    line = OfficerLine(
        officer="s-ak",
        name="Amira Khan",
        first_responses_overdue=2,
        actions_overdue=1,
        oldest={
            # due Wednesday 18 November at 17:00: Thursday, Friday, Monday are late
            Overdue.FIRST_RESPONSE: datetime(2026, 11, 18, 17, 0, tzinfo=UTC),
            Overdue.ACTION: datetime(2026, 11, 20, 17, 0, tzinfo=UTC),
        },
    )
    assert overdue_words(line, NOW, CALENDAR) == (
        "Amira Khan: 2 first responses overdue, the oldest by 3 working days; "
        "1 action overdue by 1 working day"
    )


def test_nothing_overdue_says_nothing_and_today_is_less_than_a_working_day() -> None:
    assert overdue_words(OfficerLine("s-ak", "Amira Khan"), NOW, CALENDAR) is None
    late_today = OfficerLine(
        "s-ak",
        "Amira Khan",
        updates_overdue=1,
        oldest={Overdue.UPDATE: datetime(2026, 11, 23, 9, 0, tzinfo=UTC)},
    )
    assert overdue_words(late_today, NOW, CALENDAR) == (
        "Amira Khan: 1 update overdue by less than a working day"
    )


def test_only_a_team_leader_or_above_sees_the_team_view() -> None:
    assert may_see_team_view([Role.TEAM_LEADER])
    assert may_see_team_view(["housing_manager", "line_manager"])
    assert may_see_team_view([Role.DIRECTOR_OF_OPERATIONS])
    assert not may_see_team_view([Role.HOUSING_OFFICER, Role.SCHEME_COORDINATOR])
    assert not may_see_team_view([])


def test_the_trend_is_the_last_twelve_london_months_up_to_this_one() -> None:
    months = trend_months(datetime(2026, 3, 31, 23, 30, tzinfo=UTC))  # 1 April in London
    assert months[0] == "2025-05" and months[-1] == "2026-04" and len(months) == 12


def test_the_share_on_time_counts_only_responses_due() -> None:
    line = MonthLine("2026-10", 9, {"serious": 3, "general": 0}, {"serious": 1})
    assert line.compliance("serious") == 0.75
    assert line.compliance("general") is None  # none due: not 0%
    assert line.compliance_all() == 0.75

"""A clock deadline long overdue is said in days, not thousands of hours, and a due date in
another year says its year (the reminders' walk showed "overdue by 14194 hours (was due Sat 19
Apr 13:28)" for an action due in 2025)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asb_desktop.domain.calendar import WorkingDayCalendar
from asb_desktop.domain.deadlines import Deadline, DeadlineKind, describe_deadline

NOW = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)


def words(due_at: datetime) -> str:
    deadline = Deadline(DeadlineKind.ACTION, due_at, None, detail="Visit the neighbour")
    return describe_deadline(deadline, NOW, WorkingDayCalendar())


def test_long_overdue_is_in_days_with_the_year() -> None:
    said = words(datetime(2025, 4, 19, 12, 28, tzinfo=UTC))
    assert said == (
        "action “Visit the neighbour”: overdue by 591 days (was due Sat 19 Apr 2025 13:28)"
    )


def test_within_three_days_it_is_still_in_hours_without_the_year() -> None:
    assert words(NOW - timedelta(hours=49, minutes=5)).endswith(
        "overdue by 49 hours (was due Sun 29 Nov 20:55)"
    )
    assert words(NOW + timedelta(hours=2)).endswith("(in 2 hours)")

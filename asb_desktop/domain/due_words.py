"""A response deadline in words, apart from domain/procedure.py (which re-exports these): the
caseload's first page says each deadline before the case model and procedure are imported."""

from __future__ import annotations

from datetime import datetime

from asb_desktop.domain.calendar import WorkingDayCalendar, london_day


def working_days_overdue(due_at: datetime, now: datetime, calendar: WorkingDayCalendar) -> int:
    """How many working days late a response is (0 when not yet late)."""
    if now <= due_at:
        return 0
    return max(calendar.working_days_between(london_day(due_at), london_day(now)), 0)


def describe_due(due_at: datetime, now: datetime, calendar: WorkingDayCalendar) -> str:
    """The response deadline in words, never by colour alone: "due today", "overdue by 2 working days"."""
    today = london_day(now)
    due_day = london_day(due_at)
    if now > due_at:
        late = working_days_overdue(due_at, now, calendar)
        if late == 0 and due_day == today:
            return "overdue (due today at 17:00)"
        if late == 0:  # a weekend or bank holiday since the deadline: not "today"
            return f"overdue (was due {due_day:%A} {due_day.day} {due_day:%B} at 17:00)"
        return f"overdue by {late} working day{'s' if late != 1 else ''}"
    if due_day == today:
        return "due today by 17:00"
    left = calendar.working_days_between(today, due_day)
    if left == 1:
        return "due next working day"
    return f"due in {left} working days"

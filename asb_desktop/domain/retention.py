"""Retention: how long a closed case is kept before it is destroyed (`retention.destroy_after`).

A closed case is kept for the organisation's retention period (CasePolicy.retention_years,
default 6) after the London day it closed; it may be destroyed after that day. An open case, or
one under a legal hold (`retention.legal_hold`), has no such day. The central store destroys what
is due (`asb-central retention apply`); laptops then purge it.
"""

from __future__ import annotations

from datetime import date

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.case import Case
from asb_desktop.domain.case_policy import DEFAULT_POLICY, CasePolicy

LEGAL_HOLD_WORDS = "On legal hold: kept until the hold is released."


def years_after(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def closed_day(case: Case) -> date | None:
    """The London day a closed case closed; None while open (or closed with no time given)."""
    if case.is_open or case.status.at is None:
        return None
    return case.status.at.astimezone(LONDON).date()


def destroy_after(case: Case, policy: CasePolicy = DEFAULT_POLICY) -> date | None:
    """The last day a closed case must be kept; None while open or under a legal hold."""
    closed = closed_day(case)
    if closed is None or case.legal_hold:
        return None
    return years_after(closed, policy.retention_years)


def is_due(case: Case, today: date, policy: CasePolicy = DEFAULT_POLICY) -> bool:
    """Past its `destroy_after` day (a case is kept for the whole of that day)."""
    last = destroy_after(case, policy)
    return last is not None and today > last


def day_words(day: date) -> str:
    """3 March 2032 (no leading zero, the month by name)."""
    return f"{day.day} {day:%B %Y}"


def retention_words(legal_hold: bool, last: date | None) -> str | None:
    """What happens to a case under retention, in words, from its hold and its worked-out
    `destroy_after` day; None while it is open and not held."""
    if legal_hold:
        return LEGAL_HOLD_WORDS
    if last is None:
        return None
    return f"Kept until {day_words(last)}, then destroyed under the retention rules."

"""Keeping the complainant informed: when the next update to them is due (`next_update_due_at`).

The contract's rule: none before the first response, none once the case is closed, and never
for an anonymous complainant (5.8: no feedback can be given). Otherwise 17:00 London on the Nth
working day after the London day of the latest of the first response and every `update` entry:
N is the organisation's high-risk cadence (default 5) when `risk_level` is high, else its usual
one (default 10).
"""

from __future__ import annotations

from datetime import datetime

from asb_desktop.domain.calendar import WorkingDayCalendar, close_of_business, london_day
from asb_desktop.domain.case import Case, EntryKind
from asb_desktop.domain.case_management import RiskLevel, latest_risk_level
from asb_desktop.domain.case_policy import DEFAULT_POLICY, CasePolicy


def last_update_at(case: Case) -> datetime | None:
    """The latest moment the complainant was told something: the first response or an update."""
    moments = [e.at for e in case.entries if e.kind is EntryKind.UPDATE]
    if case.first_response is not None:
        moments.append(case.first_response.at)
    return max(moments, default=None)


def update_cadence(case: Case, policy: CasePolicy = DEFAULT_POLICY) -> int:
    """Working days between updates: shorter when the latest risk assessment is high."""
    if latest_risk_level(case.risk_assessments) is RiskLevel.HIGH:
        return policy.update_working_days_high_risk
    return policy.update_working_days


def next_update_due_at(
    case: Case, calendar: WorkingDayCalendar, policy: CasePolicy = DEFAULT_POLICY
) -> datetime | None:
    if case.first_response is None or not case.is_open or case.complainant.anonymous:
        return None
    last = last_update_at(case)
    assert last is not None  # the first response at least
    day = calendar.nth_working_day_after(london_day(last), update_cadence(case, policy))
    return close_of_business(day)

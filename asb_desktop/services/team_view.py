"""The team view's figures for a period (domain/team_figures.py), read from the store's columns
by aggregate queries (store/team_figures.py; a headline of two small ones first, for the
screen's first paint), and the cases behind any one figure; and
who may see them: a Team Leader or above, by their roles in the directory (else the role they
gave at first run)."""

from __future__ import annotations

from datetime import datetime

from asb_desktop.domain.directory import Directory
from asb_desktop.domain.figures import Period
from asb_desktop.domain.team_figures import (
    NOT_ASSIGNED,
    SECTION_FIELDS,
    SECTIONS,
    STATE_HEADING,
    MonthLine,
    OfficerLine,
    Slice,
    TeamFigures,
    TeamHeadline,
    may_see_team_view,
    section_figures,
    trend_months,
)
from asb_desktop.services.casework import Casework
from asb_desktop.services.officer import ROLE_SETTING
from asb_desktop.store.settings import get_setting
from asb_desktop.store.team_figures import (
    FigureCase,
    OpenCounts,
    figure_cases,
    month_counts,
    open_counts,
    overdue_counts,
    period_counts,
    state_counts,
)

CASES_LISTED = 10_000  # a figure's list shows at most this many (newest first), and says so


class TeamView:
    def __init__(self, casework: Casework) -> None:
        self.casework = casework

    def may_see(self, officer: str | None) -> bool:
        """`officer`: the staff id chosen on this laptop (None: none chosen)."""
        member = self.casework.directory().member(officer) if officer else None
        if member is not None:
            return may_see_team_view(member.roles)
        with self.casework.store.read() as conn:
            role = get_setting(conn, ROLE_SETTING)
        return may_see_team_view([role] if role else [])

    def headline(self, period: Period, now: datetime | None = None) -> TeamHeadline:
        """What the screen paints first: the period's cases by state and the open cases'
        overdue work by officer (two small index reads; `figures` reads them all)."""
        now = now or self.casework.clock()
        with self.casework.store.read() as conn:
            states = state_counts(conn, period)
            late = {o.officer: o for o in overdue_counts(conn, now)}
        officers = _officer_lines(self.casework.directory(), {}, late)
        return TeamHeadline(period, now, section_figures(STATE_HEADING, states), officers)

    def figures(self, period: Period, now: datetime | None = None) -> TeamFigures:
        now = now or self.casework.clock()
        months = trend_months(now)
        with self.casework.store.read() as conn:
            counted = period_counts(conn, period)
            by_month = month_counts(conn, months, now)
            open_now = {o.officer: o for o in open_counts(conn, now)}
        counts = {
            section: section_figures(section, counted.sections[SECTION_FIELDS[section][0]])
            for section in SECTIONS
        }
        officers = _officer_lines(self.casework.directory(), counted.by_officer, open_now)
        lines = tuple(
            MonthLine(m, by_month.received[m], by_month.met[m], by_month.missed[m]) for m in months
        )
        return TeamFigures(period, now, counts, officers, lines)

    def cases(
        self, where: Slice, period: Period, now: datetime, *, limit: int = CASES_LISTED
    ) -> tuple[list[FigureCase], int]:
        """The cases behind one figure (newest first, at most `limit`) and how many there are."""
        with self.casework.store.read() as conn:
            return figure_cases(conn, where, period, now, limit=limit)

    def officer_name(self, officer: str | None) -> str:
        return _name(self.casework.directory(), officer or NOT_ASSIGNED)


def _officer_lines(
    directory: Directory, received: dict[str, int], open_now: dict[str, OpenCounts]
) -> tuple[OfficerLine, ...]:
    officers = []
    for officer in _officer_order(directory, set(received) | set(open_now)):
        held = open_now.get(officer)
        officers.append(
            OfficerLine(
                officer=officer,
                name=_name(directory, officer),
                received=received.get(officer, 0),
                open_now=held.open_now if held else 0,
                first_responses_overdue=held.first_responses_overdue if held else 0,
                updates_overdue=held.updates_overdue if held else 0,
                actions_overdue=held.actions_overdue if held else 0,
                high_risk=held.high_risk if held else 0,
                review_candidates=held.review_candidates if held else 0,
                oldest=held.oldest if held else {},
            )
        )
    return tuple(officers)


def _name(directory: Directory, officer: str) -> str:
    if officer == NOT_ASSIGNED:
        return "Not assigned"
    member = directory.member(officer)
    return member.name if member else officer


def _officer_order(directory: Directory, present: set[str]) -> list[str]:
    """The directory's order, then anyone no longer in it, then cases assigned to no one."""
    listed = [s.id for s in directory.staff if s.id in present]
    rest = sorted(present - set(listed) - {NOT_ASSIGNED})
    return listed + rest + ([NOT_ASSIGNED] if NOT_ASSIGNED in present else [])

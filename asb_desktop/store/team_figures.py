"""The team view's figures as SQL aggregates over the case rows' columns (domain/team_figures.py
says what each figure counts). Three queries, each read from one covering index (migrations
0013 and 0015; tests/store/test_case_index_plans.py), never a document: the period's counts
by officer, the last twelve months' new cases and first responses, and the open cases' overdue
work by officer. A figure's cases are listed by the same conditions (`slice_conditions`) its
count used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, and_, case, func, or_, select

from asb_desktop.domain.case import CaseState
from asb_desktop.domain.figures import Period
from asb_desktop.domain.team_figures import (
    ASB_LABELS,
    NOT_ASSIGNED,
    NSIR_LABELS,
    RISK_LABELS,
    Overdue,
    Response,
    Scope,
    Slice,
    month_period,
)
from asb_desktop.store.db_time import from_db, to_db
from asb_desktop.store.tables import cases

OPEN = CaseState.OPEN.value
c = cases.c


def _period_bounds(period: Period) -> ColumnElement[bool]:
    start, end = period.utc_bounds()
    return and_(c.received_at >= to_db(start), c.received_at < to_db(end))


def _matches(column: Any, value: str, none_word: str) -> ColumnElement[bool]:
    return cast(ColumnElement[bool], column.is_(None) if value == none_word else column == value)


def response_condition(response: Response, now: datetime) -> ColumnElement[bool]:
    at = to_db(now)
    if response is Response.MET:
        return and_(c.responded_at.is_not(None), c.responded_at <= c.response_due_at)
    if response is Response.MISSED:
        return or_(
            c.responded_at > c.response_due_at,
            and_(c.responded_at.is_(None), c.response_due_at < at),
        )
    return and_(c.responded_at.is_(None), c.response_due_at >= at)


def overdue_condition(kind: Overdue, now: datetime) -> ColumnElement[bool]:
    """Still to do on an open case and past due (domain/deadlines.py's `overdue`)."""
    at = to_db(now)
    each = {
        Overdue.FIRST_RESPONSE: and_(c.responded_at.is_(None), c.response_due_at < at),
        Overdue.UPDATE: c.update_due_at < at,
        Overdue.ACTION: c.actions_due_at < at,
    }
    found = or_(*each.values()) if kind is Overdue.ANY else each[kind]
    return and_(c.state == OPEN, found)


def slice_conditions(where: Slice, period: Period, now: datetime) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if where.month is not None:
        found.append(_period_bounds(month_period(where.month)))
    elif where.scope is Scope.PERIOD:
        found.append(_period_bounds(period))
    else:
        found.append(c.state == OPEN)
    if where.state is not None:
        found.append(c.state == where.state)
    if where.severity is not None:
        found.append(c.severity == where.severity)
    if where.risk_level is not None:
        found.append(_matches(c.risk_level, where.risk_level, "none"))
    if where.asb_type is not None:
        found.append(c.asb_types.contains(f"|{where.asb_type}|", autoescape=True))
    if where.nsir_category is not None:
        found.append(_matches(c.nsir_category, where.nsir_category, "unclassified"))
    if where.officer is not None:
        found.append(_matches(c.assigned_to, where.officer, NOT_ASSIGNED))
    if where.response is not None:
        found.append(response_condition(where.response, now))
    if where.overdue is not None:
        found.append(overdue_condition(where.overdue, now))
    if where.review_candidate:
        found.extend((c.state == OPEN, c.review_eligible == 1))
    return found


# --- the period: cases by officer and by each section's value -------------------------------
#
# Counted by grouping on the columns themselves (officer, state, severity, risk, NSIR
# category, kinds of ASB) in the order of an index that leads with them, so SQLite walks the
# index once and counts, with no sort and nothing worked out per row; the few hundred groups
# are summed into each section here. Measured on 100,000 cases: a sum of CASE expressions per
# value took ten times as long.

PERIOD_SECTIONS: dict[str, tuple[str, ...]] = {
    "state": ("open", "closed"),
    "severity": ("serious", "general"),
    "risk_level": tuple(RISK_LABELS),
    "nsir_category": tuple(NSIR_LABELS),
    "asb_type": tuple(ASB_LABELS),
}


@dataclass(frozen=True)
class PeriodCounts:
    by_officer: dict[str, int]  # staff id (NOT_ASSIGNED for no one) -> cases received
    sections: dict[str, dict[str, int]]  # Slice field -> value -> cases


def period_counts(conn: Connection, period: Period) -> PeriodCounts:
    grouped = (c.assigned_to, c.state, c.severity, c.risk_level, c.nsir_category, c.asb_types)
    start, end = (to_db(moment) for moment in period.utc_bounds())
    # `received_at || ''`: the period is a filter as the index is walked in the groups' order;
    # left to itself SQLite reads the period's rows through a received_at index and sorts them.
    received = c.received_at.concat("")
    query = (
        select(*grouped, func.count()).where(received >= start, received < end).group_by(*grouped)
    )
    by_officer: dict[str, int] = {}
    sections = {name: dict.fromkeys(values, 0) for name, values in PERIOD_SECTIONS.items()}
    for officer, state, severity, risk, nsir, kinds, count in conn.execute(query):
        officer = officer or NOT_ASSIGNED
        by_officer[officer] = by_officer.get(officer, 0) + count
        for name, value in (
            ("state", state),
            ("severity", severity),
            ("risk_level", risk or "none"),
            ("nsir_category", nsir or "unclassified"),
        ):
            if value in sections[name]:
                sections[name][value] += count
        for kind in (kinds or "").strip("|").split("|"):
            if kind in sections["asb_type"]:
                sections["asb_type"][kind] += count
    return PeriodCounts(by_officer, sections)


def state_counts(conn: Connection, period: Period) -> dict[str, int]:
    """The period's cases by state: one range of ix_cases_state_order_received_at a state (a
    few milliseconds at 100,000 cases), for the team view's first paint."""
    found = {}
    for state in PERIOD_SECTIONS["state"]:
        query = select(func.count()).where(c.state == state, _period_bounds(period))
        found[state] = int(conn.execute(query).scalar_one())
    return found


# --- the months: new cases and first responses met or missed, by severity -------------------


@dataclass(frozen=True)
class MonthCounts:
    received: dict[str, int]  # month -> cases
    met: dict[str, dict[str, int]]  # month -> severity -> responses met
    missed: dict[str, dict[str, int]]


def month_counts(conn: Connection, months: Sequence[str], now: datetime) -> MonthCounts:
    """One range of an index led by `received_at` a month; comparisons summed, not CASEs."""
    at = to_db(now)
    met = and_(c.responded_at.is_not(None), c.responded_at <= c.response_due_at)
    missed = or_(
        c.responded_at > c.response_due_at,
        and_(c.responded_at.is_(None), c.response_due_at < at),
    )
    serious = c.severity == "serious"
    columns = (
        func.count(),
        func.total(serious),
        func.total(and_(serious, met)),
        func.total(and_(serious, missed)),
        func.total(met),
        func.total(missed),
    )
    received = dict.fromkeys(months, 0)
    met_by: dict[str, dict[str, int]] = {}
    missed_by: dict[str, dict[str, int]] = {}
    for month in months:
        row = conn.execute(select(*columns).where(_period_bounds(month_period(month)))).one()
        count, _serious, met_s, missed_s, met_all, missed_all = (int(v or 0) for v in row)
        received[month] = count
        met_by[month] = {"serious": met_s, "general": met_all - met_s}
        missed_by[month] = {"serious": missed_s, "general": missed_all - missed_s}
    return MonthCounts(received, met_by, missed_by)


# --- the open cases: overdue work, high risk and Case Review candidates, by officer ----------


@dataclass(frozen=True)
class OpenCounts:
    officer: str
    open_now: int
    first_responses_overdue: int
    updates_overdue: int
    actions_overdue: int
    high_risk: int
    review_candidates: int
    oldest: dict[Overdue, datetime]


def _late(now: datetime) -> dict[Overdue, tuple[ColumnElement[bool], Any]]:
    """Each kind of overdue work: its condition on an open case, and the due time it is late by."""
    at = to_db(now)
    return {
        Overdue.FIRST_RESPONSE: (
            and_(c.responded_at.is_(None), c.response_due_at < at),
            c.response_due_at,
        ),
        Overdue.UPDATE: (c.update_due_at < at, c.update_due_at),
        Overdue.ACTION: (c.actions_due_at < at, c.actions_due_at),
    }


def overdue_counts(conn: Connection, now: datetime) -> list[OpenCounts]:
    """The open cases' overdue work by officer and the oldest of each kind, alone (the team
    view's first paint): `open_counts` less its other sums, from the same index."""
    late = _late(now)
    columns: list[Any] = [c.assigned_to]
    for condition, due in late.values():
        columns += [func.total(condition), func.min(case((condition, due)))]
    query = select(*columns).where(c.state == OPEN).group_by(c.assigned_to)
    found = []
    for row in conn.execute(query):
        oldest = {kind: from_db(row[2 + 2 * i]) for i, kind in enumerate(late) if row[2 + 2 * i]}
        found.append(
            OpenCounts(
                officer=row[0] or NOT_ASSIGNED,
                open_now=0,
                first_responses_overdue=int(row[1] or 0),
                updates_overdue=int(row[3] or 0),
                actions_overdue=int(row[5] or 0),
                high_risk=0,
                review_candidates=0,
                oldest=oldest,
            )
        )
    return found


def open_counts(conn: Connection, now: datetime) -> list[OpenCounts]:
    """In the order of an index led by (state, assigned_to): no sort; comparisons summed, and
    the oldest of each kind a MIN over the due times past `now` (NULL for the others)."""
    late = _late(now)
    columns: list[Any] = [c.assigned_to, func.count()]
    for condition, due in late.values():
        columns += [func.total(condition), func.min(case((condition, due)))]
    columns += [func.total(c.risk_level == "high"), func.total(c.review_eligible)]
    query = select(*columns).where(c.state == OPEN).group_by(c.assigned_to)
    found = []
    for row in conn.execute(query):
        oldest = {
            kind: from_db(row[3 + 2 * i])
            for i, kind in enumerate(late)
            if row[3 + 2 * i] is not None
        }
        found.append(
            OpenCounts(
                officer=row[0] or NOT_ASSIGNED,
                open_now=int(row[1]),
                first_responses_overdue=int(row[2] or 0),
                updates_overdue=int(row[4] or 0),
                actions_overdue=int(row[6] or 0),
                high_risk=int(row[8] or 0),
                review_candidates=int(row[9] or 0),
                oldest=oldest,
            )
        )
    return found


# --- the cases behind a figure -------------------------------------------------------------


@dataclass(frozen=True)
class FigureCase:
    """One case behind a figure, as its list shows it (no document read)."""

    id: str
    reference: str | None
    received_at: datetime
    assigned_to: str | None
    state: str
    severity: str
    risk_level: str | None
    response_due_at: datetime


def figure_cases(
    conn: Connection, where: Slice, period: Period, now: datetime, *, limit: int
) -> tuple[list[FigureCase], int]:
    """The first `limit` cases behind a figure, newest first, and how many there are."""
    conditions = slice_conditions(where, period, now)
    total = conn.execute(select(func.count()).select_from(cases).where(*conditions)).scalar_one()
    query = (
        select(
            c.id,
            c.reference,
            c.received_at,
            c.assigned_to,
            c.state,
            c.severity,
            c.risk_level,
            c.response_due_at,
        )
        .where(*conditions)
        .order_by(c.received_at.desc(), c.id)
        .limit(limit)
    )
    rows = [
        FigureCase(
            r.id,
            r.reference,
            from_db(r.received_at),
            r.assigned_to,
            r.state,
            r.severity,
            r.risk_level,
            from_db(r.response_due_at),
        )
        for r in conn.execute(query)
    ]
    return rows, int(total)

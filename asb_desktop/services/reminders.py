"""The morning reminders: what falls due today and what is overdue on the officer's cases, in
words, from the same deadlines `list --overdue` and the workspace use (`domain.deadlines`):
first responses, staff risk assessments, updates to the complainant, actions of the plan and
Case Review decisions. Nothing here works a deadline out afresh.

Seen once a London day: the day last shown is kept in the encrypted store's settings, never in a
file of its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.deadlines import Deadline, describe_deadline, document_deadlines
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.wording import counted
from asb_desktop.services.casework import Casework
from asb_desktop.store.cases import CaseFilter
from asb_desktop.store.settings import get_setting, set_setting
from asb_desktop.support.logs import log_event

SEEN_SETTING = "reminders_seen_day"
PAGE = 500
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    case_id: str
    reference: str | None
    words: str  # "next update to the complainant: overdue by 2 working days"
    overdue: bool
    due_at: datetime


@dataclass(frozen=True)
class Reminders:
    day: date  # the London day they are for
    overdue: tuple[Reminder, ...]
    due_today: tuple[Reminder, ...]

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.due_today

    def counts_in_words(self) -> str:
        """For a desktop notification: counts only, no case or person named."""
        today, late = len(self.due_today), len(self.overdue)
        if not today and not late:
            return "nothing due today or overdue"
        if not late:
            return f"{counted(today, 'thing')} due today"
        if not today:
            return f"{counted(late, 'thing')} overdue"
        return f"{counted(today, 'thing')} due today, {late:,} overdue"


def london_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def next_london_midnight(now: datetime) -> datetime:
    """The moment the next London day starts (a clock change that day included)."""
    tomorrow = london_day(now) + timedelta(days=1)
    return datetime.combine(tomorrow, time(0, 0), tzinfo=LONDON)


def _is_today(deadline: Deadline, day: date) -> bool:
    return london_day(deadline.due_at) == day


def gather(casework: Casework, officer: str | None, now: datetime) -> Reminders:
    """The officer's open cases with a deadline still to do that falls due by the end of today
    (every case when no officer is chosen), each such deadline in words, overdue first."""
    day = london_day(now)
    where = CaseFilter(assigned_to=officer, overdue_at=next_london_midnight(now))
    calendar = casework.calendar()
    overdue: list[Reminder] = []
    today: list[Reminder] = []
    offset = 0
    while True:
        rows = casework.list_cases(where, offset=offset, limit=PAGE)
        for row in rows:
            document = casework.document(row.id)
            if document is None:
                continue
            try:
                deadlines = document_deadlines(document)
            except InputError:
                continue
            for deadline in deadlines:
                if not deadline.outstanding:
                    continue
                late = deadline.overdue(now)
                if not late and not _is_today(deadline, day):
                    continue
                reminder = Reminder(
                    row.id,
                    row.reference,
                    describe_deadline(deadline, now, calendar),
                    late,
                    deadline.due_at,
                )
                (overdue if late else today).append(reminder)
        if len(rows) < PAGE:
            break
        offset += PAGE
    log_event(_log, "reminders.gathered", overdue=len(overdue), due_today=len(today))
    return Reminders(
        day,
        tuple(sorted(overdue, key=lambda r: r.due_at)),
        tuple(sorted(today, key=lambda r: r.due_at)),
    )


def seen_on(casework: Casework, day: date) -> bool:
    with casework.store.read() as conn:
        return get_setting(conn, SEEN_SETTING) == day.isoformat()


def mark_seen(casework: Casework, day: date) -> None:
    with casework.store.write() as conn:
        set_setting(conn, SEEN_SETTING, day.isoformat())


def due_unseen(casework: Casework, officer: str | None) -> Reminders | None:
    """Today's reminders if they have not been seen today (None when they have)."""
    now = casework.clock()
    if seen_on(casework, london_day(now)):
        return None
    return gather(casework, officer, now)

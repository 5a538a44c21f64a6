"""Working days for the response clock (5.3): Monday to Friday less the nation's bank holidays."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
CLOSE_OF_BUSINESS = time(17, 0)


class Nation(StrEnum):
    """The UK nation whose bank holidays apply; England and Wales share one list."""

    ENGLAND_AND_WALES = "england_and_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


_SUBDIVISION = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


_LOADING = threading.Lock()
_UK_MODULE = "holidays.countries.united_kingdom"


@lru_cache(maxsize=1)
def _united_kingdom() -> Any:
    """The holidays package's United Kingdom calendar, and only it. `holidays` and
    `holidays.countries` import every country they know (246 modules, about a second of a cold
    start) before one is used, so they stand in unrun while the one module is imported, and
    are taken out again after: a later `import holidays` gets the whole package as usual."""
    with _LOADING:
        if _UK_MODULE in sys.modules:
            return sys.modules[_UK_MODULE].UnitedKingdom
        standing_in = []
        try:
            for package in ("holidays", "holidays.countries"):
                if package not in sys.modules:
                    spec = importlib.util.find_spec(package)
                    if spec is None:
                        raise ModuleNotFoundError(f"No module named {package!r}", name=package)
                    sys.modules[package] = importlib.util.module_from_spec(spec)
                    standing_in.append(package)
            return importlib.import_module(_UK_MODULE).UnitedKingdom
        finally:
            for package in standing_in:
                del sys.modules[package]


# Room for every nation and year in use: with 8, counting across a few years evicted its own
# years and rebuilt them (about 1 ms each) on every call.
@lru_cache(maxsize=1024)
def _bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    # The holidays package includes substitute ("observed") days by default.
    found = _united_kingdom()(subdiv=_SUBDIVISION[nation], years=year)
    return frozenset(found.keys())


class WorkingDayCalendar:
    def __init__(self, nation: Nation = Nation.ENGLAND_AND_WALES) -> None:
        self.nation = nation

    def is_bank_holiday(self, day: date) -> bool:
        return day in _bank_holidays(self.nation, day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The n-th working day strictly after `day` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        current = day
        while n:
            current += timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start.

        Counted, not stepped: weekdays by arithmetic, less the weekday bank holidays in range,
        so a caseload of long-overdue cases costs microseconds a row.
        """
        if end < start:
            return -self.working_days_between(end, start)
        holidays_in_range = sum(
            1
            for year in range(start.year, end.year + 1)
            for day in _bank_holidays(self.nation, year)
            if start < day <= end and day.weekday() < 5
        )
        return _weekdays_up_to(end) - _weekdays_up_to(start) - holidays_in_range


def _weekdays_up_to(day: date) -> int:
    """Monday-to-Friday days from a fixed Monday (day 1 of the proleptic calendar) to `day`."""
    ordinal = day.toordinal()  # 1 = Monday 1 January of year 1
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def london_day(moment: datetime) -> date:
    """The calendar day in Europe/London at an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("a moment without a UTC offset has no day")
    return moment.astimezone(LONDON).date()


def close_of_business(day: date) -> datetime:
    return datetime.combine(day, CLOSE_OF_BUSINESS, tzinfo=LONDON)

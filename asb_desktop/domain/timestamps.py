"""Timestamps in documents: ISO 8601 with a UTC offset, always; a time without one is an error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.limits import shown

# Years a real report can carry. Far-off years are typing slips, and the year 1 or 9999 cannot
# even be moved into London time or given a working-day deadline.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in London time with its UTC offset, to the second; a fraction only when given,
    so that reading a document back gives the very same moment."""
    return moment.astimezone(LONDON).isoformat(timespec="auto")


def parse_timestamp(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(where, "must be an ISO 8601 timestamp string with a UTC offset")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(where, f"{shown(value)} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(where, f"{shown(value)} has no UTC offset (add e.g. Z or +01:00)")
    # The year as written, and in UTC (as the central store keeps it): 2199-12-31T23:00-05:00
    # is already 2200 there.
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR or not (
        EARLIEST_YEAR <= moment.astimezone(UTC).year <= LATEST_YEAR
    ):
        raise InputError(where, f"{shown(value)} is not between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return moment

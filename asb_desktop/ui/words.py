"""Dates, times and codes in the words an officer reads: UK local time, no ISO strings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def when(moment: datetime) -> str:
    """ "Tue 24 Nov 2026, 17:00" in UK local time."""
    local = moment.astimezone(LONDON)
    return local.strftime("%a %d %b %Y, %H:%M")


def day(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%d %b %Y")


def label(code: str | None) -> str:
    """An enum value as words: "local_authority" -> "Local authority"."""
    return (code or "").replace("_", " ").capitalize()


def short_id(case_id: str) -> str:
    return case_id.split("-")[0].upper()


def case_label(reference: str | None, case_id: str) -> str:
    """The reference once the central store gave one; until then a short local id."""
    return reference or f"Local {short_id(case_id)}"

"""A date and time typed as an officer types it, read in UK (Europe/London) local time.

`parse_typed_moment` understands, in any mix of upper and lower case:

- a date and a time: "30/11/2026 23:15", "30-11-26 11.15pm", "30.11.2026 23.15",
  "30 Nov 2026 23:15", "Mon 30 Nov 2026, 23:15" (the words `describe_moment` writes), "2026-11-30
  23:15"; the time may come first ("11pm 30/11");
- a date without a year: "30/11 23:15", "30 Nov 11pm";
- a day in words: "today 14:05", "yesterday 11pm", "yesterday at 11:30 pm";
- "now".

Times are 24-hour ("23:15", "23.15") or 12-hour ("11pm", "11:30pm", "11.30 p.m."); "noon" and
"midday" are 12:00. A bare hour ("yesterday 11") is refused, because 11:00 and 23:00 are equally
likely. "midnight" is refused because it is unclear which day's midnight is meant.

Decisions, each one a refusal rather than a guess when the officer's meaning is not certain:

- **A time is required.** "30/11/2026" or "today" alone is refused with a message asking for the
  time; midnight is never assumed. A time alone ("14:05") is refused too: today or yesterday?
- **A date without a year** is the most recent such date on or before today (London), because a
  report is received, and an incident happens, in the past: "30/12" typed on 2 January 2027 is
  30 December 2026. Only the date is compared, not the time, so "30/11 23:15" typed at 10:00 on
  30 November is that evening (the form then says it is in the future) rather than a year ago.
  "29/02" with no year is looked for in this year and last year only; otherwise the year is asked
  for, so a date is never moved years back.
- **Two-digit years** are 2000 + the digits: "30/11/26" is 2026.
- **Impossible dates and times** ("31/11", "29/02/2027", "25:00", "24:00", "13pm", "11:60") are
  refused, saying why.
- **The spring clock change.** A local time in the hour that is skipped (01:00 to 01:59 on the
  last Sunday of March) did not happen; it is refused, saying so, with the time a clock that was
  not put forward would have meant (29/03/2026 01:30 -> 02:30 BST).
- **The autumn clock change.** A local time in the hour that happens twice (01:00 to 01:59 on the
  last Sunday of October) is the first of the two, in BST, unless "GMT" is typed after it
  ("25/10/2026 01:30 GMT" is the second). `describe_moment` writes "BST" or "GMT" after such a
  time, so its words always read back as the same moment. A "BST" or "GMT" that does not fit the
  date is refused.
- A weekday typed with a date ("Mon 30 Nov 2026") must be that date's weekday, and "(today)" or
  "(yesterday)" after a date must be true; otherwise it is refused rather than one part believed.

Everything is to the minute; the result is an aware datetime in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from asb_desktop.domain.calendar import LONDON
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.timestamps import EARLIEST_YEAR, LATEST_YEAR

EXAMPLE = "type a date and time like 30/11/2026 23:15, 30/11 23:15 or yesterday 11pm"
"""What every refusal ends with: the forms that work."""

DEFAULT_FIELD = "date and time"

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAY_WORDS = {
    **{name.lower(): i for i, name in enumerate(WEEKDAYS)},
    **{
        name: i
        for i, names in enumerate(
            (
                ("monday",),
                ("tues", "tuesday"),
                ("wednesday",),
                ("thur", "thurs", "thursday"),
                ("friday",),
                ("saturday",),
                ("sunday",),
            )
        )
        for name in names
    },
}
_MONTH_WORDS = {
    **{name.lower(): i + 1 for i, name in enumerate(MONTHS)},
    **{name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)},
    "sept": 9,
}
_DAY_WORDS = {"today": 0, "yesterday": 1}
_ZONE_WORDS = ("gmt", "bst")

_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?")
_ISO_DATE = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})")
_DOTTED_PAIR = re.compile(r"(\d{1,2})\.(\d{2})")  # 30.11 (a date) or 23.15 (a time)
_CLOCK_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(am|pm)?")
_HOUR_TIME = re.compile(r"(\d{1,2})(am|pm)")
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR_NUMBER = re.compile(r"\d{4}")


@dataclass
class _Pieces:
    """What was found in the text, before any of it is checked against the calendar."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    days_ago: int | None = None
    hour: int | None = None
    minute: int | None = None
    half: str | None = None  # "am" | "pm" | None (24-hour)
    weekday: int | None = None
    zone: str | None = None
    marker: int | None = None  # (today) = 0, (yesterday) = 1
    now: bool = False
    date_text: str = ""
    time_text: str = ""

    @property
    def has_date(self) -> bool:
        return self.month is not None or self.days_ago is not None

    @property
    def has_time(self) -> bool:
        return self.hour is not None


def _refuse(field: str, problem: str) -> InputError:
    return InputError(field, f"{problem}; {EXAMPLE}.")


def _normalise(text: str) -> str:
    cleaned = text.strip().lower()
    cleaned = re.sub(r"\b([ap])\.\s*m\b\.?", r"\1m", cleaned)  # a.m. / p.m.
    cleaned = cleaned.replace(",", " ")
    cleaned = re.sub(r"\(\s*(today|yesterday)\s*\)", r" (\1) ", cleaned)
    cleaned = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", cleaned)  # 11 pm -> 11pm
    return " ".join(cleaned.split())


def _take_date(
    pieces: _Pieces, field: str, text: str, day: int, month: int, year: int | None
) -> None:
    if pieces.has_date:
        raise _refuse(field, f"two dates were typed ({pieces.date_text} and {text})")
    pieces.day, pieces.month, pieces.year, pieces.date_text = day, month, year, text


def _take_time(
    pieces: _Pieces, field: str, text: str, hour: int, minute: int, half: str | None
) -> None:
    if pieces.has_time:
        raise _refuse(field, f"two times were typed ({pieces.time_text} and {text})")
    pieces.hour, pieces.minute, pieces.half, pieces.time_text = hour, minute, half, text


def _year(digits: str) -> int:
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _dotted_pairs_are_dates(tokens: list[str]) -> list[bool]:
    """ "30.11 23.15": a pair of numbers with a dot is a date or a time. It is a time when a date
    is given some other way, a date when a time is; otherwise a pair that can only be one of them
    ("30.11" is no time, "23.45" no date) is that, and the first of two undecided is the date."""
    other_date = any(
        _NUMERIC_DATE.fullmatch(t) and not _DOTTED_PAIR.fullmatch(t) for t in tokens
    ) or any(t in _DAY_WORDS or t in _MONTH_WORDS for t in tokens)
    other_time = any(
        (_CLOCK_TIME.fullmatch(t) and not _DOTTED_PAIR.fullmatch(t))
        or _HOUR_TIME.fullmatch(t)
        or t in ("noon", "midday")
        for t in tokens
    )
    answers: dict[int, bool] = {}
    undecided: list[int] = []
    for index, token in enumerate(tokens):
        if not (pair := _DOTTED_PAIR.fullmatch(token)):
            continue
        first, second = int(pair[1]), int(pair[2])
        can_be_date = 1 <= first <= 31 and 1 <= second <= 12
        can_be_time = first <= 23
        if other_date or other_time:
            answers[index] = not other_date
        elif can_be_date != can_be_time:
            answers[index] = can_be_date
        else:
            undecided.append(index)
    for index in undecided:
        answers[index] = True not in answers.values()
    return [answers.get(index, False) for index in range(len(tokens))]


def _read(text: str, field: str) -> _Pieces:
    tokens = [t for t in _normalise(text).split(" ") if t and t != "at"]
    if not tokens:
        raise _refuse(field, "nothing was typed")
    pieces = _Pieces()
    dotted_dates = _dotted_pairs_are_dates(tokens)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token == "now":
            pieces.now = True
        elif token in _DAY_WORDS:
            if pieces.has_date:
                raise _refuse(field, f"two dates were typed ({pieces.date_text} and {token})")
            pieces.days_ago, pieces.date_text = _DAY_WORDS[token], token
        elif token in ("(today)", "(yesterday)"):
            pieces.marker = _DAY_WORDS[token.strip("()")]
        elif token in _WEEKDAY_WORDS:
            pieces.weekday = _WEEKDAY_WORDS[token]
        elif token in _ZONE_WORDS:
            pieces.zone = token
        elif token in ("noon", "midday"):
            _take_time(pieces, field, token, 12, 0, None)
        elif token == "midnight":
            raise _refuse(
                field, "midnight could be the start or the end of a day: type 00:00 or 23:59"
            )
        elif dotted_dates[index] and (m := _DOTTED_PAIR.fullmatch(token)):
            _take_date(pieces, field, token, int(m[1]), int(m[2]), None)
        elif m := _ISO_DATE.fullmatch(token):
            _take_date(pieces, field, token, int(m[3]), int(m[2]), int(m[1]))
        elif (m := _NUMERIC_DATE.fullmatch(token)) and not _DOTTED_PAIR.fullmatch(token):
            _take_date(pieces, field, token, int(m[1]), int(m[2]), _year(m[3]) if m[3] else None)
        elif m := _CLOCK_TIME.fullmatch(token):
            _take_time(pieces, field, token, int(m[1]), int(m[2]), m[3])
        elif m := _HOUR_TIME.fullmatch(token):
            _take_time(pieces, field, token, int(m[1]), 0, m[2])
        elif (m := _DAY_NUMBER.fullmatch(token)) and following in _MONTH_WORDS:
            words = f"{token} {following}"
            year: int | None = None
            index += 1
            after = tokens[index + 1] if index + 1 < len(tokens) else ""
            if _YEAR_NUMBER.fullmatch(after):
                year = int(after)
                words += f" {after}"
                index += 1
            _take_date(pieces, field, words, int(m[1]), _MONTH_WORDS[following], year)
        elif _YEAR_NUMBER.fullmatch(token):
            raise _refuse(field, f"write the year {token} with the date, like 30/11/{token}")
        elif token.isdigit():
            raise _refuse(
                field,
                f"{token} on its own could be a day or an hour: "
                "write a time with minutes or am/pm (11:00, 11pm)",
            )
        else:
            raise _refuse(field, f"“{token}” is not a date or a time this field understands")
        index += 1
    return pieces


def _days_in(month: int, year: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _calendar_date(pieces: _Pieces, field: str, today: date) -> date:
    if pieces.days_ago is not None:
        return today - timedelta(days=pieces.days_ago)
    day, month = pieces.day or 0, pieces.month or 0
    if not 1 <= month <= 12:
        raise _refuse(field, f"{pieces.date_text}: {month} is not a month (1 to 12)")
    if not 1 <= day <= 31 or day > _days_in(month, 2024):  # 2024: a leap year
        longest = _days_in(month, 2024)
        raise _refuse(
            field,
            f"{pieces.date_text} is not a date: {MONTH_NAMES[month - 1]} has {longest} days"
            if month != 2
            else f"{pieces.date_text} is not a date: February has 28 days, 29 in a leap year",
        )
    if pieces.year is not None:
        if not EARLIEST_YEAR <= pieces.year <= LATEST_YEAR:
            raise _refuse(field, f"{pieces.year} is not a year a report can carry")
        if day > _days_in(month, pieces.year):
            raise _refuse(
                field,
                f"{pieces.date_text} is not a date: {MONTH_NAMES[month - 1]} {pieces.year} "
                f"has {_days_in(month, pieces.year)} days",
            )
        return date(pieces.year, month, day)
    for year in (today.year, today.year - 1):  # the most recent such date, not after today
        if day <= _days_in(month, year) and date(year, month, day) <= today:
            return date(year, month, day)
    raise _refuse(
        field,
        f"{day} {MONTH_NAMES[month - 1]} was not in {today.year} or {today.year - 1}: "
        "add the year, like 29/02/2024 14:05",
    )


def _clock_time(pieces: _Pieces, field: str) -> time:
    hour, minute = pieces.hour or 0, pieces.minute or 0
    shown = pieces.time_text
    if minute > 59:
        raise _refuse(field, f"{shown} is not a time: an hour has 60 minutes (00 to 59)")
    if pieces.half is None:
        if hour == 24 and minute == 0:
            raise _refuse(field, "24:00 is not a time: type 23:59, or 00:00 of the next day")
        if hour > 23:
            raise _refuse(field, f"{shown} is not a time: the 24-hour clock goes to 23:59")
        return time(hour, minute)
    if not 1 <= hour <= 12:
        raise _refuse(field, f"{shown} is not a time: with am or pm the hour is 1 to 12")
    return time(hour % 12 + (12 if pieces.half == "pm" else 0), minute)


def _words_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _exists(wall: datetime) -> bool:
    return wall.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON).replace(
        tzinfo=None
    ) == wall.replace(tzinfo=None)


def _local_moment(wall: datetime, zone: str | None, field: str) -> datetime:
    """The moment a London wall-clock time names: refused in the spring gap; in the autumn
    overlap the first (BST) unless GMT is typed."""
    shown = f"{wall:%d/%m/%Y %H:%M}"
    if not _exists(wall):
        start = wall
        while not _exists(start - timedelta(minutes=1)):
            start -= timedelta(minutes=1)
        end = wall
        while not _exists(end):
            end += timedelta(minutes=1)
        meant = wall.replace(tzinfo=LONDON, fold=0).astimezone(UTC).astimezone(LONDON)
        raise _refuse(
            field,
            f"{shown} did not happen in UK time: the clocks went forward from {start:%H:%M} to "
            f"{end:%H:%M} that night ({wall:%H:%M} on a clock not put forward was "
            f"{meant:%H:%M} {meant.tzname()})",
        )
    first = wall.replace(tzinfo=LONDON, fold=0)
    second = wall.replace(tzinfo=LONDON, fold=1)
    choices = [first] if first.utcoffset() == second.utcoffset() else [first, second]
    if zone is None:
        return first
    for choice in choices:
        if (choice.tzname() or "").lower() == zone:
            return choice
    actual = " or ".join(c.tzname() or "" for c in choices)
    raise _refuse(
        field,
        f"{zone.upper()} was not in use at {shown} (UK time was {actual}): leave it out",
    )


def parse_typed_moment(text: str, now: datetime, *, field: str = DEFAULT_FIELD) -> datetime:
    """The moment `text` names, read in London time as set out in this module's docstring;
    `now` (aware) gives "now", "today", "yesterday" and the year when none is typed. Raises
    `InputError` for `field`, saying what was wrong and what works, rather than guessing."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    pieces = _read(text, field)
    local_now = now.astimezone(LONDON)
    today = local_now.date()
    if pieces.now:
        others = pieces.has_date or pieces.has_time or pieces.weekday is not None
        if others or pieces.zone or pieces.marker is not None:
            raise _refuse(field, "“now” is the present moment: type it alone, or a date and time")
        return now.astimezone(UTC).replace(second=0, microsecond=0)
    if not pieces.has_date and not pieces.has_time:
        raise _refuse(field, "there is no date or time in it")
    if not pieces.has_time:
        raise _refuse(field, f"give a time as well, like {pieces.date_text} 14:05")
    if not pieces.has_date:
        raise _refuse(
            field,
            f"give the day as well, like today {pieces.time_text} or 30/11 {pieces.time_text}",
        )
    day = _calendar_date(pieces, field, today)
    at = _clock_time(pieces, field)
    if pieces.weekday is not None and pieces.weekday != day.weekday():
        raise _refuse(
            field,
            f"{_words_date(day)[4:]} is a {WEEKDAY_NAMES[day.weekday()]}, "
            f"not a {WEEKDAY_NAMES[pieces.weekday]}",
        )
    if pieces.marker is not None and today - day != timedelta(days=pieces.marker):
        said = "today" if pieces.marker == 0 else "yesterday"
        raise _refuse(field, f"{_words_date(day)} is not {said} (today is {_words_date(today)})")
    return _local_moment(datetime.combine(day, at), pieces.zone, field).astimezone(UTC)


def _is_ambiguous(local: datetime) -> bool:
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def describe_moment(moment: datetime, now: datetime | None = None) -> str:
    """The words shown beside a date field, in London time: "Mon 30 Nov 2026, 23:15". A time in
    the hour the autumn clock change repeats carries its zone ("01:30 BST", "01:30 GMT"). Given
    `now`, a moment today or yesterday says so: "Mon 30 Nov 2026, 23:15 (today)". The words
    typed back into `parse_typed_moment` give the same moment (to the minute)."""
    local = moment.astimezone(LONDON)
    words = f"{_words_date(local.date())}, {local:%H:%M}"
    if _is_ambiguous(local):
        words += f" {local.tzname()}"
    if now is not None:
        ago = now.astimezone(LONDON).date() - local.date()
        if ago == timedelta(0):
            words += " (today)"
        elif ago == timedelta(days=1):
            words += " (yesterday)"
    return words


def format_typed_moment(moment: datetime) -> str:
    """The moment as an officer would type it: "30/11/2026 23:15" (with "BST" or "GMT" in the
    hour the autumn change repeats); it reads back as the same moment, to the minute."""
    local = moment.astimezone(LONDON)
    text = f"{local:%d/%m/%Y %H:%M}"
    return f"{text} {local.tzname()}" if _is_ambiguous(local) else text


def typed_time(text: str) -> str | None:
    """The time in `text` as typed ("11pm", "23:15"), even when the whole is not understood
    (a time with no day, say), so that choosing a day from a calendar can keep it."""
    try:
        pieces = _read(text, DEFAULT_FIELD)
    except InputError:
        return None
    return pieces.time_text or None

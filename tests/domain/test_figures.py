"""The figures' rules on a small hand-built set (domain/figures.py): London days across the
clock changes, NM01 counting a case once (repeat reports and reopenings are not new cases),
first responses on time / late / outstanding, and no rate without homes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from asb_desktop.domain.directory import Directory, Estate
from asb_desktop.domain.figures import (
    Period,
    PeriodError,
    figures_csv,
    figures_in_words,
    parse_period,
    work_out_figures,
)

HOMES = Directory(estates=(Estate("E1", "One", homes=1200), Estate("E2", "Two", homes=None)))


def case(received_at: str, **more: Any) -> dict[str, Any]:
    return {"received_at": received_at, "severity": "general", "hate_strands": [], **more}


def figures(documents: list[dict[str, Any]], first: str, last: str, directory: Directory = HOMES):
    period = Period(date.fromisoformat(first), date.fromisoformat(last))
    return work_out_figures(documents, directory, period)


def test_a_case_belongs_to_the_london_day_it_was_received_across_the_clock_changes() -> None:
    documents = [
        case("2026-03-28T23:30:00Z"),  # GMT: 28 March in London
        case("2026-03-29T23:30:00Z"),  # BST from 29 March 01:00 UTC: 00:30 on 30 March
        case("2026-10-24T23:30:00Z"),  # still BST: 00:30 on 25 October
        case("2026-10-25T23:30:00Z"),  # GMT again: 23:30 on 25 October
        case("2026-10-26T00:00:00+00:00"),  # midnight after: 26 October
    ]
    assert figures(documents, "2026-03-29", "2026-03-29")["cases_opened"] == 0
    assert figures(documents, "2026-03-30", "2026-03-30")["cases_opened"] == 1
    assert figures(documents, "2026-03-28", "2026-03-28")["cases_opened"] == 1
    assert figures(documents, "2026-10-25", "2026-10-25")["cases_opened"] == 2
    assert figures(documents, "2026-10-24", "2026-10-24")["cases_opened"] == 0
    assert figures(documents, "2026-10-26", "2026-10-26")["cases_opened"] == 1


def test_nm01_counts_a_case_once_whatever_reports_and_reopenings_followed() -> None:
    repeat = case(
        "2026-04-02T10:00:00Z",
        incidents=[{"id": "a"}, {"id": "b", "reported_at": "2026-05-20T09:00:00Z"}, {"id": "c"}],
    )
    reopened = case(
        "2026-03-20T10:00:00Z",
        hate_strands=["race"],
        reopenings=[{"at": "2026-04-15T09:00:00Z", "by": "s-tl", "reason": "Started again"}],
    )
    april = figures([repeat, reopened], "2026-04-01", "2026-04-30")
    assert april["cases_opened"] == 1  # the repeat reports are its incidents: one case
    assert april["hate_cases_opened"] == 0  # reopened in April, received in March: not new
    march = figures([repeat, reopened], "2026-03-01", "2026-03-31")
    assert (march["cases_opened"], march["hate_cases_opened"]) == (1, 1)
    assert march["nm01_cases_per_1000_homes"] == 0.83  # 1 x 1,000 / 1,200, 2 decimals
    assert march["homes"] == 1200  # an estate without `homes` counts none


def test_first_responses_severity_and_nsir_category() -> None:
    due = "2026-04-03T16:00:00Z"
    documents = [
        case("2026-04-01T09:00:00Z", response_due_at=due, first_response={"at": due}),
        case(
            "2026-04-01T09:00:00Z",
            response_due_at=due,
            first_response={"at": "2026-04-03T16:00:01Z"},
            severity="serious",
            nsir_category="personal",
        ),
        case("2026-04-01T09:00:00Z", response_due_at=due, nsir_category="environmental"),
    ]
    got = figures(documents, "2026-04-01", "2026-04-01")
    assert got["first_responses"] == {"on_time": 1, "late": 1, "outstanding": 1}
    assert got["by_severity"] == {"serious": 1, "general": 2}
    assert got["by_nsir_category"] == {
        "personal": 1,
        "nuisance": 0,
        "environmental": 1,
        "unclassified": 1,
    }


def test_no_homes_no_rate() -> None:
    got = figures([case("2026-04-01T09:00:00Z")], "2026-04-01", "2026-04-01", Directory())
    assert got["homes"] == 0
    assert got["nm01_cases_per_1000_homes"] is None
    assert got["nm01_hate_cases_per_1000_homes"] is None
    assert "not worked out (no homes in the directory)" in figures_in_words(got)
    assert "nm01,nm01_cases_per_1000_homes,\n" in figures_csv(got)


def test_the_period_defaults_to_the_financial_year_so_far() -> None:
    assert parse_period(None, None, today=date(2026, 12, 1)) == Period(
        date(2026, 4, 1), date(2026, 12, 1)
    )
    assert parse_period(None, None, today=date(2027, 3, 31)).first == date(2026, 4, 1)
    assert parse_period(None, "2026-02-10", today=date(2026, 12, 1)).first == date(2025, 4, 1)
    with pytest.raises(PeriodError, match="is after --to"):
        parse_period("2026-05-02", "2026-05-01", today=date(2026, 12, 1))
    with pytest.raises(PeriodError, match="'2026-13-01' is not a date"):
        parse_period("2026-13-01", None, today=date(2026, 12, 1))


def test_estates_homes_is_optional_a_whole_number_and_kept() -> None:
    from asb_desktop.domain.directory import directory_to_document, parse_directory
    from asb_desktop.domain.errors import InputError

    document = {
        "format": "asb-directory/1",
        "estates": [{"code": "E1", "name": "One", "homes": 40}, {"code": "E2", "name": "Two"}],
    }
    parsed = parse_directory(document)
    assert [e.homes for e in parsed.estates] == [40, None]
    assert directory_to_document(parsed)["estates"] == document["estates"]
    for bad in (-1, 2.5, "40", True):
        wrong = {**document, "estates": [{"code": "E1", "name": "One", "homes": bad}]}
        with pytest.raises(InputError, match=r"estates\[0\]\.homes: must be a whole number"):
            parse_directory(wrong)

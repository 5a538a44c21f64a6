"""`asb-central figures` over the whole organisation (SQLite and PostgreSQL): cases pushed by a
real laptop client to a real server, the homes from the central directory, counted against the
plain count of tests/cli/test_figures.py over the documents pulled back; London days across
the clock change, a reopened case and a case of repeat reports each counted once; CSV, XLSX,
and a bad period said in a sentence (exit 2)."""

from __future__ import annotations

import contextlib
import copy
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from asb_central import cli
from tests.central.central_support import DIRECTORY, Device, Server, admin, case_document, op
from tests.cli.test_figures import independent_count

HOMES = 700 + 300


def _incident(n: int) -> dict[str, Any]:
    return {"id": f"inc-{n}", "occurred_at": "2026-03-01T22:00:00Z", "description": "Loud music"}


CASES = [
    # 23:30 UTC on 29 March 2026 is 00:30 BST on the 30th in London.
    case_document(
        received_at="2026-03-29T23:30:00Z",
        hate_strands=["race"],
        first_response={"at": "2026-03-30T09:00:00Z", "by": "s-ho", "summary": "Rang"},
    ),
    case_document(received_at="2026-03-28T23:30:00Z", severity="serious", nsir_category="personal"),
    case_document(  # reopened in April: still one case, received in March
        received_at="2026-03-10T09:00:00Z",
        reopenings=[
            {
                "at": "2026-04-20T10:00:00+00:00",
                "by": "s-ho",
                "reason": "Started again",
                "closed_at": "2026-04-01T10:00:00+00:00",
                "outcome": "resolved",
                "closure": None,
            }
        ],
    ),
    case_document(  # the same people reported three times while open: one case
        received_at="2026-04-01T08:00:00Z",
        incidents=[_incident(1), _incident(2), _incident(3)],
        nsir_category="nuisance",
    ),
]


@pytest.fixture(scope="module")
def pulled(central: Server, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    directory = copy.deepcopy(DIRECTORY)
    for estate, homes in zip(directory["estates"], (700, 300), strict=True):
        estate["homes"] = homes
    path = tmp_path_factory.mktemp("figures") / "directory.json"
    path.write_text(json.dumps(directory), encoding="utf-8")
    admin(central.db_url, "directory", "import", str(path))
    officer = Device(central, "s-ho")
    results = officer.push(*(op({**c, "estate": "EST-NORTH"}) for c in CASES))
    assert [r["status"] for r in results] == ["applied"] * len(CASES), results
    changes = officer.pull(limit=200)
    # Laptops are sent the homes with the directory (their own `asb-desktop figures`).
    assert [e.get("homes") for e in changes["directory"]["estates"]] == [700, 300]
    return [change["document"] for change in changes["cases"] if change.get("document")]


def figures(central: Server, *args: str) -> str:
    return admin(central.db_url, "figures", *args)


@pytest.mark.parametrize(
    ("first", "last", "opened", "hate"),
    [
        ("2026-03-29", "2026-03-29", 0, 0),
        ("2026-03-30", "2026-03-31", 1, 1),
        ("2026-03-01", "2026-03-31", 3, 1),
        ("2026-04-01", "2026-04-30", 1, 0),
    ],
)
def test_figures_count_each_case_once_by_its_london_day(
    central: Server, pulled: list[dict[str, Any]], first: str, last: str, opened: int, hate: int
) -> None:
    got = json.loads(figures(central, "--from", first, "--to", last, "--json"))
    expected = independent_count(pulled, date.fromisoformat(first), date.fromisoformat(last), HOMES)
    assert {k: got[k] for k in expected} == expected
    assert (got["cases_opened"], got["hate_cases_opened"]) == (opened, hate)
    assert got["homes"] == HOMES


def test_first_responses_and_categories_in_march(
    central: Server, pulled: list[dict[str, Any]]
) -> None:
    got = json.loads(figures(central, "--from", "2026-03-01", "--to", "2026-03-31", "--json"))
    assert got["first_responses"] == {"on_time": 1, "late": 0, "outstanding": 2}
    assert got["by_severity"] == {"serious": 1, "general": 2}
    assert got["by_nsir_category"]["personal"] == 1
    assert got["nm01_cases_per_1000_homes"] == 3.0


def test_csv_and_the_spreadsheet_hold_the_same_rows(
    central: Server, pulled: list[dict[str, Any]], tmp_path: Path
) -> None:
    book = tmp_path / "figures.xlsx"
    text = figures(
        central, "--from", "2026-03-01", "--to", "2026-04-30", "--csv", "--xlsx", str(book)
    )
    rows = [line.split(",") for line in text.splitlines()]
    assert ["cases", "cases_opened", "4"] in rows
    sheet = load_workbook(book).active
    assert sheet is not None
    cells = [[_plain(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == [[_plain(v) for v in row] for row in rows]
    assert isinstance(sheet["C5"].value, int)  # numbers as numbers, for a board's sums


def _plain(value: Any) -> Any:
    """A cell or CSV field as a number when it is one (4 and 4.0 alike), else text."""
    text = "" if value is None else str(value)
    try:
        return float(text)
    except ValueError:
        return text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--from", "2026-02-30"), "--from '2026-02-30' is not a date written YYYY-MM-DD"),
        (("--from", "2026-05-02", "--to", "2026-05-01"), "--from 2026-05-02 is after --to"),
        (("--xlsx", "/no/such/folder/f.xlsx"), "/no/such/folder is not a folder"),
    ],
)
def test_a_bad_period_or_file_is_said_and_exits_2(
    central: Server, pulled: list[dict[str, Any]], args: tuple[str, ...], said: str
) -> None:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(["--db", central.db_url, "figures", *args])
    assert code == 2
    assert said in err.getvalue() and "Traceback" not in err.getvalue()

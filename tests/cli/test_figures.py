"""`asb-desktop figures` (the real command on a real store) checked against an independent
count: 10,000 synthetic cases imported once for the module through `asb-desktop import`, then
counted here with plain code over `asb-desktop export`, for JSON and CSV, over periods whose
edges are London days across the clock changes. Some cases were reopened and many have repeat
reports (several incidents): each still counts once, by the day it was received."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY, Cli

SEEDED = 10_000
HOMES = 1240 + 860 + 415  # resources/demo/directory.json
LONDON = ZoneInfo("Europe/London")


def _seeded_documents() -> list[dict[str, Any]]:
    """Synthetic cases with what the generator leaves out: NSIR categories, first responses
    (some after their deadline), and reopenings."""
    rng = random.Random(16)
    documents = synthetic_cases(SEEDED, seed=16)
    for document in documents:
        received = datetime.fromisoformat(document["received_at"])
        document["nsir_category"] = rng.choice(["personal", "nuisance", "environmental", None])
        if not document["complainant"]["anonymous"] and rng.random() < 0.7:
            at = received + timedelta(hours=rng.randint(1, 150))
            document["first_response"] = {"at": at.isoformat(), "by": "s-ha", "summary": "Rang"}
        if rng.random() < 0.05:
            document["reopenings"] = [
                {
                    "at": (received + timedelta(days=45)).isoformat(),
                    "by": "s-tl",
                    "reason": "It started again",
                    "closed_at": (received + timedelta(days=30)).isoformat(),
                    "outcome": "resolved",
                    "closure": None,
                }
            ]
    return documents


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("figures")
    cli = Cli(root / "data")
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    batch = root / "cases.json"
    batch.write_text(json.dumps(_seeded_documents()), encoding="utf-8")
    cli.run("import", str(batch))
    exported = cli.export()
    assert len(exported) == SEEDED
    return cli, exported


def independent_count(
    documents: list[dict[str, Any]], first: date, last: date, homes: int = HOMES
) -> dict[str, Any]:
    """The spec's figures, counted the plain way from exported documents."""
    inside = [
        d
        for d in documents
        if first <= datetime.fromisoformat(d["received_at"]).astimezone(LONDON).date() <= last
    ]
    hate = sum(1 for d in inside if len(d["hate_strands"]) > 0)
    responses = {"on_time": 0, "late": 0, "outstanding": 0}
    for d in inside:
        if d.get("first_response") is None:
            responses["outstanding"] += 1
        elif datetime.fromisoformat(d["first_response"]["at"]) <= datetime.fromisoformat(
            d["response_due_at"]
        ):
            responses["on_time"] += 1
        else:
            responses["late"] += 1
    nsir = {"personal": 0, "nuisance": 0, "environmental": 0, "unclassified": 0}
    for d in inside:
        nsir[d.get("nsir_category") or "unclassified"] += 1
    return {
        "period": {"from": first.isoformat(), "to": last.isoformat()},
        "homes": homes,
        "cases_opened": len(inside),
        "hate_cases_opened": hate,
        "nm01_cases_per_1000_homes": round(len(inside) * 1000 / homes, 2),
        "nm01_hate_cases_per_1000_homes": round(hate * 1000 / homes, 2),
        "first_responses": responses,
        "by_severity": {
            "serious": sum(1 for d in inside if d["severity"] == "serious"),
            "general": sum(1 for d in inside if d["severity"] == "general"),
        },
        "by_nsir_category": nsir,
    }


PERIODS = [
    (date(2025, 1, 1), date(2026, 12, 31)),  # everything
    (date(2025, 4, 1), date(2026, 3, 31)),  # a financial year
    (date(2025, 3, 30), date(2025, 3, 30)),  # the day the clocks went forward
    (date(2025, 10, 26), date(2025, 11, 2)),  # the clocks back, a week
]


@pytest.mark.parametrize(("first", "last"), PERIODS)
def test_json_figures_match_an_independent_count(
    seeded: tuple[Cli, list[dict[str, Any]]], first: date, last: date
) -> None:
    cli, exported = seeded
    got = json.loads(
        cli.run("figures", "--from", first.isoformat(), "--to", last.isoformat(), "--json").stdout
    )
    expected = independent_count(exported, first, last)
    assert {k: got[k] for k in expected} == expected
    assert sum(got["cases_by_month"].values()) == got["cases_opened"]


def test_the_seeded_store_has_what_the_rules_are_about(
    seeded: tuple[Cli, list[dict[str, Any]]],
) -> None:
    _, exported = seeded
    assert sum(1 for d in exported if d.get("reopenings")) > 300
    assert sum(1 for d in exported if len(d["incidents"]) > 1) > 3000
    everything = independent_count(exported, *PERIODS[0])
    assert everything["cases_opened"] == SEEDED  # reopened or not, repeat reports or not: once
    assert min(everything["first_responses"].values()) > 100


def test_csv_figures_and_the_spreadsheet_match_an_independent_count(
    seeded: tuple[Cli, list[dict[str, Any]]], tmp_path: Path
) -> None:
    cli, exported = seeded
    first, last = PERIODS[1]
    book = tmp_path / "board.xlsx"
    text = cli.run(
        "figures", "--from", first.isoformat(), "--to", last.isoformat(), "--csv",
        "--xlsx", str(book),
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(text.stdout)))
    sheet = load_workbook(book).active
    assert sheet is not None
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == rows
    assert isinstance(sheet["C5"].value, int)  # cases_opened as a number a board can sum
    assert rows[0] == ["section", "measure", "value"]
    got = {(section, measure): value for section, measure, value in rows[1:]}
    expected = independent_count(exported, first, last)
    assert got[("period", "from")] == "2025-04-01"
    assert got[("cases", "cases_opened")] == str(expected["cases_opened"])
    assert got[("nm01", "nm01_hate_cases_per_1000_homes")] == str(
        expected["nm01_hate_cases_per_1000_homes"]
    )
    for section in ("first_responses", "by_severity", "by_nsir_category"):
        for key, count in expected[section].items():
            assert got[(section, key)] == str(count), (section, key)


def test_words_by_default_for_this_financial_year_so_far(
    seeded: tuple[Cli, list[dict[str, Any]]],
) -> None:
    cli, exported = seeded
    today = datetime.now(UTC).astimezone(LONDON).date()
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    expected = independent_count(exported, start, today)
    text = cli.run("figures").stdout
    assert text.startswith(f"Figures for 1 April {start.year} to ")
    assert f"Cases opened: {expected['cases_opened']:,}, " in text
    assert f"Homes in the directory: {HOMES:,}" in text
    default = json.loads(cli.run("figures", "--json").stdout)
    assert default["period"] == {"from": start.isoformat(), "to": today.isoformat()}


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--from", "2026-02-30"), "--from '2026-02-30' is not a date written YYYY-MM-DD"),
        (("--to", "yesterday"), "--to 'yesterday' is not a date written YYYY-MM-DD"),
        (("--from", "2026-05-02", "--to", "2026-05-01"), "--from 2026-05-02 is after --to"),
    ],
)
def test_a_bad_period_is_said_and_exits_2(
    seeded: tuple[Cli, list[dict[str, Any]]], args: tuple[str, ...], said: str
) -> None:
    cli, _ = seeded
    assert said in cli.fails("figures", *args, code=2)


def test_json_and_csv_together_are_refused(seeded: tuple[Cli, list[dict[str, Any]]]) -> None:
    cli, _ = seeded
    assert "not allowed with argument" in cli.fails("figures", "--json", "--csv", code=2)


def test_no_homes_in_the_directory_no_rate(cli: Cli, tmp_path: Path) -> None:
    directory = json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8"))
    for estate in directory["estates"]:
        estate.pop("homes")
    (tmp_path / "d.json").write_text(json.dumps(directory), encoding="utf-8")
    cli.run("directory", "import", str(tmp_path / "d.json"))
    got = json.loads(cli.run("figures", "--json").stdout)
    assert got["homes"] == 0 and got["nm01_cases_per_1000_homes"] is None

"""The closing's keys through import -> export -> import on another laptop, `list` telling a
reopened case as open, and import refusing an anonymous complainant told or asked (5.8), each
problem named by its field (the real `asb-desktop` command)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import DEMO_DIRECTORY, Cli
from tests.cli.test_import_export import _case

RECEIVED = "2026-01-05T09:00:00Z"
TOLD = {"at": "2026-02-02T10:00:00Z", "by": "s-ha", "how": "telephone"}
ANSWERS = {
    "at": "2026-02-03T10:00:00Z",
    "by": "s-ha",
    "kept_informed": "neither",
    "timescales": None,
    "outcome": "fairly_satisfied",
    "would_report_again": "no",
}
CLOSED = _case(
    RECEIVED,
    status={
        "state": "closed",
        "reason": "Quiet",
        "at": "2026-02-01T12:00:00Z",
        "outcome": "insufficient_evidence",
    },
    closure={"complainant_told": TOLD, "satisfaction": ANSWERS},
)
REOPENED = _case(
    RECEIVED,
    reopenings=[
        {
            "at": "2026-02-10T09:00:00Z",
            "by": "s-tl",
            "reason": "It started again",
            "closed_at": "2026-02-01T12:00:00Z",
            "outcome": "resolved",
            "closure": {"complainant_told": TOLD, "satisfaction": None},
        }
    ],
)
KEYS = ("status", "closure", "reopenings")


def test_the_closing_keys_survive_import_export_import(cli: Cli, tmp_path: Path) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([CLOSED, REOPENED]), encoding="utf-8")
    cli.run("import", str(batch))
    first = {d["id"]: d for d in cli.export()}
    assert first[CLOSED["id"]]["closure"] == CLOSED["closure"] | {
        "complainant_told": {**TOLD, "at": "2026-02-02T10:00:00+00:00"},
        "satisfaction": {**ANSWERS, "at": "2026-02-03T10:00:00+00:00"},
    }
    assert first[CLOSED["id"]]["status"]["outcome"] == "insufficient_evidence"
    assert first[REOPENED["id"]]["reopenings"][0]["reason"] == "It started again"
    exported = tmp_path / "exported.json"
    exported.write_text(json.dumps(list(first.values())), encoding="utf-8")
    other = Cli(tmp_path / "other")
    other.run("directory", "import", str(DEMO_DIRECTORY))
    other.run("import", str(exported))
    again = {d["id"]: d for d in other.export()}
    for case_id, document in first.items():
        assert {k: again[case_id][k] for k in KEYS} == {k: document[k] for k in KEYS}

    lines = cli.run("list").stdout.splitlines()
    state = {
        case_id: next(line for line in lines if case_id.split("-")[0].upper() in line).split()[-1]
        for case_id in (CLOSED["id"], REOPENED["id"])
    }
    assert state == {CLOSED["id"]: "closed", REOPENED["id"]: "open"}


def test_an_anonymous_complainant_told_is_refused_by_import(cli: Cli, tmp_path: Path) -> None:
    anonymous = {**CLOSED, "complainant": {"anonymous": True}}
    batch = tmp_path / "one.json"
    batch.write_text(json.dumps(anonymous), encoding="utf-8")
    said = cli.fails("import", str(batch))
    assert "closure.complainant_told" in said and "cannot be told the outcome (5.8)" in said
    assert "closure.satisfaction" in said

"""The disclosure log on the command line: a third-party summary needs `--to`, and each output
for someone outside the team is recorded on its case only when the file was produced."""

from __future__ import annotations

import json
from pathlib import Path

from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY


def _store_with_cases(cli, tmp_path: Path, count: int = 2) -> list[dict]:
    documents = synthetic_cases(count, seed=21)
    batch = tmp_path / "cases.json"
    batch.write_text(json.dumps(documents), encoding="utf-8")
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    cli.run("import", str(batch))
    return documents


def _disclosures(cli, case_id: str) -> list[dict]:
    [document] = json.loads(cli.run("export", "--id", case_id).stdout)
    return document["disclosures"]


def test_third_party_summary_needs_to_and_is_recorded(cli, tmp_path: Path) -> None:
    case = _store_with_cases(cli, tmp_path)[0]
    said = cli.fails("pdf", case["id"], "--profile", "third_party", "-o", str(tmp_path), code=2)
    assert "--to" in said and "Nothing was written" in said
    assert not list(tmp_path.glob("*.pdf"))
    assert _disclosures(cli, case["id"]) == []

    done = cli.run(
        "pdf", case["id"], "--profile", "third_party", "-o", str(tmp_path), "--to", "PC Dawson"
    )
    assert "disclosure log" in done.stdout
    [entry] = _disclosures(cli, case["id"])
    assert entry["to"] == "PC Dawson"
    assert (entry["profile"], entry["what"]) == ("third_party", "summary_pdf")
    assert entry["at"].endswith("+00:00") and entry["by"]
    # An internal summary for the team records nothing.
    cli.run("pdf", case["id"], "-o", str(tmp_path / "internal.pdf"))
    assert len(_disclosures(cli, case["id"])) == 1


def test_nothing_recorded_when_nothing_was_written(cli, tmp_path: Path) -> None:
    case = _store_with_cases(cli, tmp_path)[0]
    args = ("pdf", case["id"], "--profile", "third_party", "--to", "Council")
    said = cli.fails(*args, "-o", "/dev/full")  # a full disk
    assert "the disk is full" in said
    said = cli.fails(*args, "-o", str(tmp_path / "no-such-folder" / "x.pdf"))
    assert "there is no folder" in said
    assert _disclosures(cli, case["id"]) == []


def test_every_open_case_to_a_third_party_records_each(cli, tmp_path: Path) -> None:
    documents = _store_with_cases(cli, tmp_path, count=3)
    folder = tmp_path / "out"
    cli.run("pdf", "--all-open", "--profile", "third_party", "-o", str(folder), "--to", "Court")
    written = len(list(folder.glob("*.pdf")))
    recorded = [d for d in documents if _disclosures(cli, d["id"])]
    assert written == len(recorded) > 0


def test_an_export_for_someone_outside_is_recorded(cli, tmp_path: Path) -> None:
    case = _store_with_cases(cli, tmp_path)[0]
    out = tmp_path / "export.json"
    cli.run("export", "--id", case["id"], "-o", str(out), "--to", "Ombudsman")
    [entry] = _disclosures(cli, case["id"])
    assert (entry["to"], entry["profile"], entry["what"]) == (
        "Ombudsman",
        "internal",
        "export_json",
    )
    cli.fails("export", "--id", case["id"], "-o", "/dev/full", "--to", "Ombudsman")
    assert len(_disclosures(cli, case["id"])) == 1


def test_disclosures_survive_export_and_import(cli, tmp_path: Path) -> None:
    case = _store_with_cases(cli, tmp_path)[0]
    cli.run("pdf", case["id"], "--profile", "third_party", "-o", str(tmp_path), "--to", "Police")
    exported = tmp_path / "all.json"
    cli.run("export", "-o", str(exported))
    other = type(cli)(tmp_path / "second")
    other.run("directory", "import", str(DEMO_DIRECTORY))
    other.run("import", str(exported))
    assert _disclosures(other, case["id"]) == _disclosures(cli, case["id"])
    again = tmp_path / "again.json"
    other.run("export", "-o", str(again))
    assert json.loads(again.read_text()) == json.loads(exported.read_text())

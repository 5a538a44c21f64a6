"""`asb-desktop list` says what an officer reads: the reference (else "Local" and a short id),
the complainant's name or "Anonymous", RECEIVED in London time and said so; an officer id the
directory does not know is said, not answered with "0 cases"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import DEMO_DIRECTORY, Cli
from tests.cli.test_import_export import _case

SUMMER = _case("2026-07-01T08:30:00Z")  # 09:30 in London (BST)
WINTER = _case("2026-01-15T08:30:00Z", complainant={"anonymous": True})  # 08:30 in London (GMT)
LONG = _case(
    "2026-03-02T10:00:00Z",
    complainant={"anonymous": False, "name": "Maximilian Alexander Łukasiewicz-Dvořák"},
)


def _import(cli: Cli, tmp_path: Path, documents: list[dict[str, Any]]) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps(documents), encoding="utf-8")
    cli.run("import", str(batch))


def _give_reference(cli: Cli, case_id: str, reference: str, monkeypatch: Any) -> None:
    """As a sync would: the central store's reference on the stored row."""
    from asb_desktop.app import open_services

    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", cli.env["ASB_DESKTOP_PASSPHRASE"])
    services = open_services(cli.data_dir)
    try:
        with services.store.write() as conn:
            conn.exec_driver_sql(
                "UPDATE cases SET reference = ? WHERE id = ?", (reference, case_id)
            )
    finally:
        services.close()


def test_rows_show_reference_name_and_london_time(cli: Cli, tmp_path: Path, monkeypatch) -> None:
    _import(cli, tmp_path, [SUMMER, WINTER, LONG])
    _give_reference(cli, SUMMER["id"], "ASB-2026-000123", monkeypatch)
    lines = cli.run("list").stdout.splitlines()
    header = lines[0]
    assert "RECEIVED (LONDON)" in header and "COMPLAINANT" in header
    rows = {line.split()[0] + (" " + line.split()[1] if line.startswith("Local") else ""): line
            for line in lines[1:4]}  # fmt: skip
    summer = rows["ASB-2026-000123"]
    assert "Zoë O'Brien-Łukasiewicz" in summer and "2026-07-01 09:30" in summer
    winter = rows[f"Local {WINTER['id'].split('-')[0].upper()}"]
    assert "Anonymous" in winter and "2026-01-15 08:30" in winter
    long = rows[f"Local {LONG['id'].split('-')[0].upper()}"]
    assert "Maximilian Alexander Łu…" in long  # cut to the column, never spilling over
    assert SUMMER["id"] not in "\n".join(lines)  # no full ids where a reference exists
    assert lines[4] == "3 cases."
    assert "`asb-desktop list --json` gives each id in full" in lines[5]


def test_an_officer_the_directory_does_not_know(cli: Cli, tmp_path: Path) -> None:
    said = cli.fails("list", "--officer", "nobody")
    assert "there is no case database" in said  # nothing stored yet: and none is made
    assert not cli.data_dir.exists()
    _import(cli, tmp_path, [SUMMER])
    said = cli.fails("list", "--officer", "nobody")
    assert "'nobody' is not a staff id in the directory, and no case is assigned to that id." in (
        said
    )
    said = cli.fails("list", "--officer", "nobody", "--json")
    assert "'nobody' is not a staff id in the directory" in said
    known_but_idle = cli.run("list", "--officer", "s-hr")
    assert known_but_idle.stdout.splitlines()[-1] == "0 cases." and not known_but_idle.stderr
    assert "1 case." in cli.run("list", "--officer", "s-ha").stdout


def test_an_officer_with_no_directory_at_all(cli: Cli, tmp_path: Path) -> None:
    batch = tmp_path / "one.json"
    batch.write_text(json.dumps([SUMMER]), encoding="utf-8")
    cli.run("import", str(batch))
    said = cli.fails("list", "--officer", "s-ha")
    assert "there is no staff directory yet, so 's-ha' is not in it" in said
    assert "asb-desktop directory import FILE" in said

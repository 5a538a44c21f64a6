"""`--data-dir` before or after the command; only a command that needs a store makes one; a
failed command leaves no data folder behind; a case file and a directory are told apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY, Cli


@pytest.fixture
def elsewhere(cli: Cli, tmp_path: Path) -> Path:
    """No ASB_DESKTOP_DATA_DIR: the folder is given with --data-dir only."""
    del cli.env["ASB_DESKTOP_DATA_DIR"]
    cli.env["HOME"] = str(tmp_path / "home")  # the default folder, which must stay untouched
    cli.env.pop("XDG_DATA_HOME", None)
    return tmp_path / "chosen"


def test_data_dir_after_the_command_as_well_as_before(
    cli: Cli, elsewhere: Path, tmp_path: Path
) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY), "--data-dir", str(elsewhere))
    assert (elsewhere / "cases.db").is_file()
    batch = tmp_path / "two.json"
    batch.write_text(json.dumps(synthetic_cases(2)), encoding="utf-8")
    cli.run("import", "--data-dir", str(elsewhere), str(batch))
    assert "2 cases." in cli.run("list", "--data-dir", str(elsewhere)).stdout
    assert "2 cases." in cli.run("--data-dir", str(elsewhere), "list").stdout
    assert "Audit log intact" in cli.run("verify-audit", "--data-dir", str(elsewhere)).stdout
    exported = tmp_path / "out.json"
    cli.run("export", "-o", str(exported), "--data-dir", str(elsewhere))
    assert len(json.loads(exported.read_text(encoding="utf-8"))) == 2
    # After the command wins over before it, as the closer one would be read.
    other = tmp_path / "other"
    said = cli.fails("--data-dir", str(elsewhere), "list", "--data-dir", str(other))
    assert f"there is no case database in {other}" in said
    assert not (tmp_path / "home").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "--json"],
        ["export"],
        ["export", "--id", "ASB-2026-000001"],
        ["pdf", "ASB-2026-000001"],
        ["pdf", "--all-open"],
        ["verify-audit"],
        ["reset-pin"],
        ["sync"],
    ],
)
def test_a_command_that_only_reads_makes_no_store(cli: Cli, args: list[str]) -> None:
    done = cli.run(*args, ok=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    said = done.stdout if args == ["sync"] else done.stderr
    assert f"no case database in {cli.data_dir}" in said
    if "ASB-2026-000001" in args:
        assert "no case with id or reference 'ASB-2026-000001'" in said
    assert not cli.data_dir.exists()


def test_a_failed_command_takes_away_the_store_it_made(cli: Cli, tmp_path: Path) -> None:
    bad = synthetic_cases(2)
    bad[1]["severity"] = "unheard of"
    batch = tmp_path / "bad.json"
    batch.write_text(json.dumps(bad), encoding="utf-8")
    said = cli.fails("import", str(batch))
    assert "record 2, field severity" in said and "nothing was imported" in said
    assert not cli.data_dir.exists()
    said = cli.fails("enrol", "http://asb.example.org", "ABCD-EFGH")
    assert "must use https://" in said and "Nothing was changed." in said
    assert not cli.data_dir.exists()
    nested = tmp_path / "a" / "b" / "c"
    cli.env["ASB_DESKTOP_DATA_DIR"] = str(nested)
    cli.fails("import", str(batch))
    assert not (tmp_path / "a").exists()  # every folder it made, and only those


def test_a_failed_command_leaves_an_existing_store_alone(cli: Cli, tmp_path: Path) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    assert "not valid JSON" in cli.fails("import", str(bad))
    assert (cli.data_dir / "cases.db").is_file()
    assert "Audit log intact: 1 entries" in cli.run("verify-audit").stdout


def test_a_case_file_is_not_a_directory_and_back(cli: Cli, tmp_path: Path) -> None:
    case_file = tmp_path / "cases.json"
    case_file.write_text(json.dumps(synthetic_cases(1)[0]), encoding="utf-8")
    said = cli.fails("directory", "import", str(case_file))
    assert f"{case_file} is a case file (asb-case/1), not a staff directory" in said
    assert f"`asb-desktop import {case_file}`" in said and "channel" not in said
    case_file.write_text(json.dumps(synthetic_cases(2)), encoding="utf-8")  # an array of them
    assert "is a case file" in cli.fails("directory", "import", str(case_file))
    said = cli.fails("import", str(DEMO_DIRECTORY))
    assert f"{DEMO_DIRECTORY} is a staff directory (asb-directory/1), not a file of cases" in said
    assert f"`asb-desktop directory import {DEMO_DIRECTORY}`" in said
    assert not cli.data_dir.exists()

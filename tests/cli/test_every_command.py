"""Every command in the README's Commands table, given a bad path or a missing argument, answers
in a sentence with a non-zero exit, never a traceback, and leaves no data folder behind; every
command takes --data-dir after it; every positional argument has help; the parser loads light."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from asb_desktop.cli.main import COMMANDS, build_parser
from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY, Cli
from tests.paths import REPO


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `asb-desktop ([^`]+)` \|", section, re.MULTILINE)


# For each row of the table (by how it starts): a bad invocation, its exit code and the words
# that must be in what it says. {missing} is a file that is not there, {file} one that is,
# {nofolder} a folder that is not there.
BAD = {
    "directory import": (["directory", "import", "{missing}"], 1, "{missing}: no such file"),
    "import": (["import", "{missing}"], 1, "{missing}: no such file"),
    "list": (["list", "--officer"], 2, "argument --officer: expected one argument"),
    "export": (["export", "-o", "{nofolder}/cases.json"], 1, "there is no folder {nofolder}"),
    "pdf ID": (["pdf", "ASB-2026-000001", "-o", "{nofolder}/a.pdf"], 1, "no folder {nofolder}"),
    "pdf --all-open": (["pdf", "--all-open", "-o", "{file}"], 1, "{file} is not a folder"),
    "letter": (
        ["letter", "ASB-2026-000001", "--kind", "update", "-o", "{nofolder}/a.pdf"],
        1,
        "there is no folder {nofolder}",
    ),
    "subject-access": (
        ["subject-access", "--name", "A", "--address", "B", "-o", "{nofolder}/request"],
        1,
        "there is no folder {nofolder}",
    ),
    "enrol": (
        ["enrol", "https://asb.example.org", "ABCD-EFGH", "--ca-bundle", "{missing}"],
        1,
        "--ca-bundle {missing}: no such file; nothing was changed.",
    ),
    "sync": (["sync", "--batch-size", "0"], 2, "--batch-size must be between 1 and 500."),
    "self-test": (["self-test", "{missing}"], 2, "unrecognized arguments: {missing}"),
    "reset-pin": (["reset-pin"], 1, "there is no case database in {data}"),
    "verify-audit": (["verify-audit"], 1, "there is no case database in {data}"),
    "figures": (["figures", "--from", "2026-13-01"], 2, "--from '2026-13-01' is not a date"),
    "erase-person": (
        ["erase-person", "ASB-2026-000001", "complainant", "--reason", "Request"],
        1,
        "there is no case database in {data}",
    ),
    "rectify": (
        ["rectify", "ASB-2026-000001", "complainant", "name", "Ann", "--reason", "Spelling"],
        1,
        "there is no case database in {data}",
    ),
    "attach": (["attach", "ASB-2026-000001", "{missing}"], 1, "{missing}: no such file"),
    "attachments": (["attachments", "ASB-2026-000001"], 1, "there is no case database in {data}"),
    "attachment get": (
        ["attachment", "get", "ASB-2026-000001", "x", "-o", "{nofolder}/a.jpg"],
        1,
        "there is no folder {nofolder}",
    ),
}
NOT_A_COMMAND = {"--version"}  # prints the version: there is nothing to get wrong


def _which(row: str) -> str:
    matches = [key for key in BAD if row == key or row.startswith(key + " ")]
    assert matches, f"the README lists `asb-desktop {row}`, which this test does not try"
    return max(matches, key=len)


def test_the_table_lists_every_command() -> None:
    rows = readme_commands()
    listed = {row.split()[0] for row in rows}
    registered = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert registered <= listed, registered - listed
    assert {_which(row) for row in rows if row not in NOT_A_COMMAND} == set(BAD)


@pytest.mark.parametrize("row", [r for r in readme_commands() if r not in NOT_A_COMMAND])
def test_each_readme_command_answers_a_bad_path_in_a_sentence(
    cli: Cli, tmp_path: Path, row: str
) -> None:
    args, code, words = BAD[_which(row)]
    a_file = tmp_path / "there.json"
    a_file.write_text("{}", encoding="utf-8")
    names = {
        "missing": str(tmp_path / "missing.json"),
        "file": str(a_file),
        "nofolder": str(tmp_path / "nowhere"),
        "data": str(cli.data_dir),
    }
    said = cli.fails(*[arg.format(**names) for arg in args], code=code)
    assert words.format(**names) in said
    first = said.splitlines()[0] if code == 1 else said.splitlines()[-1]
    assert first.startswith("asb-desktop"), said
    assert not cli.data_dir.exists()
    assert not (tmp_path / "nowhere").exists()


def _store_commands() -> list[list[str]]:
    return [
        ["directory", "import", "FILE"],
        ["import", "FILE"],
        ["list"],
        ["export"],
        ["pdf", "--all-open"],
        ["enrol", "https://asb.example.org", "ABCD-EFGH"],
        ["sync"],
        ["reset-pin"],
        ["verify-audit"],
        ["attachments", "ASB-2026-000001"],
    ]


@pytest.mark.parametrize("args", _store_commands(), ids=lambda a: " ".join(a[:2]))
def test_every_store_command_takes_data_dir_after_it(
    cli: Cli, tmp_path: Path, args: list[str]
) -> None:
    """A data folder under a file cannot be: each says so (or that there is no store there)."""
    a_file = tmp_path / "there.json"
    a_file.write_text("{}", encoding="utf-8")
    bad = f"{a_file}/data"
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(synthetic_cases(1)), encoding="utf-8")
    files = {"directory": DEMO_DIRECTORY, "import": cases}
    given = [str(files[args[0]]) if arg == "FILE" else arg for arg in args]
    done = cli.run(*given, "--data-dir", bad, ok=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    said = (done.stdout if args == ["sync"] else done.stderr).lower()
    if args[0] in ("directory", "import", "enrol"):  # these make a store: the folder is refused
        assert f"the data folder {bad} cannot be used" in said
    else:
        assert f"there is no case database in {bad}" in said
    assert a_file.read_text(encoding="utf-8") == "{}"


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found


def test_every_argument_has_help() -> None:
    for parser in _parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, f"{parser.prog} {action.dest} has no help"
    done = subprocess.run(
        [sys.executable, "-m", "asb_desktop", "import", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "the file of asb-case/1 documents" in done.stdout


def test_the_parser_loads_no_store_qt_or_http() -> None:
    """Every start imports cli/main.py and every command module: they stay light."""
    heavy = ("sqlalchemy", "sqlcipher3", "keyring", "PySide6", "reportlab", "httpx", "alembic")
    code = (
        "import sys\n"
        "import asb_desktop.cli.main as m\n"
        "m.build_parser()\n"
        f"print([name for name in {heavy!r} if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
    assert all(module.__name__.startswith("asb_desktop.cli.") for module in COMMANDS)

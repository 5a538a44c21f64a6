"""Hostile files through the real `asb-desktop import` (a child process): each gives a sentence
and a non-zero exit, never a traceback, and stores nothing. The reading is the services'
(`parse_json_records`, `Casework.import_documents`), the limits the domain's one table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asb_desktop.domain import limits
from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import Cli


@pytest.fixture
def cli(data_dir: Path) -> Cli:
    return Cli(data_dir)


def refused(cli: Cli, path: Path) -> str:
    done = cli.run("import", str(path), ok=False)
    said = done.stderr
    assert done.returncode != 0, said
    assert "Traceback" not in said and "Traceback" not in done.stdout, said
    assert "nothing was imported" in said, said
    assert len(said) < 50_000, "the answer is a few sentences, not the file read back"
    assert_nothing_stored(cli)
    return said


def assert_nothing_stored(cli: Cli) -> None:
    """No case: the store is empty, or (refused before it was opened) there is none at all."""
    done = cli.run("export", ok=False)
    if done.returncode == 0:
        assert json.loads(done.stdout) == []
    else:
        assert "there is no case database" in done.stderr, done.stderr


def write(tmp_path: Path, text: str | bytes, name: str = "cases.json") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def a_case(**changes: Any) -> dict[str, Any]:
    document = synthetic_cases(1, seed=5)[0]
    document.update(changes)
    return document


def test_json_nested_ten_thousand_levels(cli: Cli, tmp_path: Path) -> None:
    said = refused(cli, write(tmp_path, "[" * 10_000 + "]" * 10_000))
    assert "nested too deeply" in said


def test_a_five_thousand_digit_number(cli: Cli, tmp_path: Path) -> None:
    text = json.dumps([a_case()])[:-2] + ', "severity_score": ' + "9" * 5_000 + "}]"
    assert "number written with 5,000 characters" in refused(cli, write(tmp_path, text))


def test_a_lone_surrogate(cli: Cli, tmp_path: Path) -> None:
    text = json.dumps([a_case(frequency="Weekly \ud800")])  # written escaped: "\ud800"
    said = refused(cli, write(tmp_path, text))
    assert "record 1, field frequency: holds a lone surrogate (U+D800)" in said


@pytest.mark.parametrize("key", ["id", "severity"])
def test_a_key_given_twice_is_refused_naming_it(cli: Cli, tmp_path: Path, key: str) -> None:
    one = a_case()
    text = json.dumps([one])[:-2] + f', "{key}": {json.dumps(one[key])}' + "}]"
    said = refused(cli, write(tmp_path, text))
    assert f"record 1, field {key}: is given more than once in one object" in said


def test_a_utf8_byte_order_mark_is_accepted(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + json.dumps([a_case()]).encode("utf-8"))
    done = cli.run("import", str(path))
    assert "Imported 1 case from" in done.stdout


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_said_not_utf8(cli: Cli, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, json.dumps([a_case()]).encode(encoding))
    done = cli.run("import", str(path), ok=False)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "not UTF-8" in done.stderr, done.stderr
    assert_nothing_stored(cli)


@pytest.mark.parametrize(
    ("char", "named"),
    [("\x00", "NUL"), ("\x1b", "ESC"), ("\x07", "BEL"), ("\x08", "backspace")],
)
def test_control_characters_in_text(cli: Cli, tmp_path: Path, char: str, named: str) -> None:
    text = json.dumps([a_case(frequency=f"Weekly{char}")])
    said = refused(cli, write(tmp_path, text))
    assert f"record 1, field frequency: holds a control character (U+{ord(char):04X}, {named})" in (
        said
    )


def test_a_fifty_megabyte_string(cli: Cli, tmp_path: Path) -> None:
    text = json.dumps([a_case(frequency="x" * 50_000_000)])
    said = refused(cli, write(tmp_path, text))
    assert "record 1, field frequency: is longer than 100,000 characters (50,000,000)" in said


def test_a_hundred_thousand_incidents(cli: Cli, tmp_path: Path) -> None:
    one = a_case()
    incident = {k: v for k, v in one["incidents"][0].items() if k != "id"}
    text = json.dumps([{**one, "incidents": [incident] * 100_000}])
    said = refused(cli, write(tmp_path, text))
    assert "record 1, field incidents: lists 100,000 items; at most 1,000 are allowed" in said


@pytest.mark.parametrize("shape", ["array", "lines"])
def test_half_a_million_records(cli: Cli, tmp_path: Path, shape: str) -> None:
    records = ["{}"] * 500_000
    text = "[" + ",".join(records) + "]" if shape == "array" else "\n".join(records)
    said = refused(cli, write(tmp_path, text))
    assert (
        f"the file holds 500,000 records; one import takes at most {limits.MAX_IMPORT_RECORDS:,}"
        in (said)
    )


def test_every_problem_of_every_record_up_to_a_stated_limit(cli: Cli, tmp_path: Path) -> None:
    bad = []
    for document in synthetic_cases(60, seed=9):
        document["severity"] = "urgent"
        document["received_at"] = "2026-11-24T09:00:00"
        document["colour"] = "red"
        document["frequency"] = "Weekly\x1b"
        bad.append(document)
    said = refused(cli, write(tmp_path, json.dumps(bad)))
    record_3 = [line for line in said.splitlines() if "record 3," in line]
    assert len(record_3) == 4, record_3  # all four of its problems, each by field
    assert {line.split("field ")[1].split(":")[0] for line in record_3} == {
        "severity", "received_at", "colour", "frequency"
    }  # fmt: skip
    assert "240 problems:" in said
    assert f"… and {240 - limits.MAX_PROBLEMS_LISTED} more problems" in said
    assert f"only the first {limits.MAX_PROBLEMS_LISTED} are listed" in said

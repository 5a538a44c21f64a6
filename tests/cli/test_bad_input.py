"""Bad input: a message naming the record and the field, and nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_one_bad_record_stops_the_whole_file(cli, tmp_path: Path) -> None:
    documents = synthetic_cases(5)
    documents[2]["received_at"] = "2026-11-24T09:00:00"  # no UTC offset
    documents[4]["incidents"][0]["feelings"] = "an unknown field"
    done = cli.run("import", str(_write(tmp_path, "b.json", json.dumps(documents))), ok=False)
    assert done.returncode == 1
    assert "record 3, field received_at" in done.stderr and "no UTC offset" in done.stderr
    assert "record 5, field incidents[0].feelings: is not a known field" in done.stderr
    assert "nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert not cli.data_dir.exists()  # the store made for the import was taken away again


def test_json_lines_name_the_line(cli, tmp_path: Path) -> None:
    good, bad = synthetic_cases(2)
    bad["complainant"] = {"anonymous": True, "name": "Should Not Be Here"}
    text = json.dumps(good) + "\n\n" + json.dumps(bad) + "\n"
    done = cli.run("import", str(_write(tmp_path, "c.jsonl", text)), ok=False)
    assert "line 3, field complainant.name: must be absent" in done.stderr
    assert "Should Not Be Here" not in done.stderr  # the value itself is never echoed
    assert not cli.data_dir.exists()  # the store made for the import was taken away again


def test_importing_the_same_file_twice_is_refused(cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "d.json", json.dumps(synthetic_cases(3)))
    cli.run("import", str(path))
    done = cli.run("import", str(path), ok=False)
    assert "is already stored" in done.stderr
    assert len(cli.export()) == 3


def test_not_json_and_missing_files(cli, tmp_path: Path) -> None:
    done = cli.run("import", str(_write(tmp_path, "e.json", '[{"format": ')), ok=False)
    assert "not valid JSON" in done.stderr
    done = cli.run("import", str(tmp_path / "missing.json"), ok=False)
    assert "missing.json: no such file; nothing was imported." in done.stderr
    done = cli.run(
        "directory",
        "import",
        str(
            _write(
                tmp_path,
                "dir.json",
                json.dumps(
                    {
                        "format": "asb-directory/1",
                        "staff": [{"id": "x", "name": "X", "roles": ["boss"]}],
                    }
                ),
            )
        ),
        ok=False,
    )
    assert "staff[0].roles[0]: 'boss' is not a known role" in done.stderr


def test_list_and_verify_audit(cli, tmp_path: Path) -> None:
    documents = synthetic_cases(4)
    for document in documents:
        document["received_at"] = "2025-01-06T09:00:00Z"  # long overdue
    documents[0]["received_at"] = "2199-01-06T09:00:00Z"  # not yet due
    cli.run("import", str(_write(tmp_path, "f.json", json.dumps(documents))))
    listed = cli.run("list", "--overdue").stdout
    assert "3 cases." in listed and "overdue by" in listed
    assert len(json.loads(cli.run("list", "--json").stdout)) == 4
    assert "Audit log intact: 4 entries" in cli.run("verify-audit").stdout


def test_wrong_passphrase_is_a_sentence(cli, tmp_path: Path) -> None:
    cli.run("import", str(_write(tmp_path, "g.json", json.dumps(synthetic_cases(1)))))
    cli.env["ASB_DESKTOP_PASSPHRASE"] = "not the passphrase at all"
    done = cli.run("list", ok=False)
    assert done.returncode == 1
    assert "does not match" in done.stderr and "Traceback" not in done.stderr


def test_far_off_years_are_refused_not_crashed(cli, tmp_path: Path) -> None:
    documents = synthetic_cases(2)
    documents[1]["incidents"][0]["occurred_at"] = "9999-12-31T23:30:00-05:00"
    done = cli.run("import", str(_write(tmp_path, "h.json", json.dumps(documents))), ok=False)
    assert "record 2, field incidents[0].occurred_at" in done.stderr
    assert "between 1900 and 2199" in done.stderr and "Traceback" not in done.stderr


def test_a_forgotten_pin_can_be_cleared_by_whoever_can_open_the_store(cli, monkeypatch) -> None:
    from asb_desktop.app import open_services
    from asb_desktop.services.lock import Lock

    cli.run("directory", "import", str(DEMO_DIRECTORY))  # creates the store
    monkeypatch.setenv("ASB_DESKTOP_PASSPHRASE", cli.env["ASB_DESKTOP_PASSPHRASE"])
    services = open_services(cli.data_dir)
    Lock(services.store).set_pin("2468")
    services.close()
    assert "cleared" in cli.run("reset-pin").stdout
    assert "No lock PIN" in cli.run("reset-pin").stdout
    assert "Audit log intact: 2 entries" in cli.run("verify-audit").stdout
    cli.env["ASB_DESKTOP_PASSPHRASE"] = "someone else's guess"
    assert cli.run("reset-pin", ok=False).returncode == 1


def test_a_file_over_the_import_limit_is_refused_from_its_size_before_it_is_read(
    cli, tmp_path: Path
) -> None:
    from asb_desktop.domain.limits import MAX_IMPORT_BYTES

    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:  # sparse: takes no disk space, and reading it would take RAM
        file.truncate(MAX_IMPORT_BYTES + 1)
    done = cli.run("import", str(huge), ok=False)
    assert done.returncode == 1
    assert f"{huge} is larger than 256 MiB, the most one import reads" in done.stderr
    assert "nothing was imported" in done.stderr and "Traceback" not in done.stderr
    assert not cli.data_dir.exists()

"""A bad path or a full disk is said in a sentence with a non-zero exit, never a traceback, and
nothing is half-written: no partial file, no data folder a failed command made, and a device
such as /dev/full is written to, never renamed over."""

from __future__ import annotations

import json
import resource
import stat
import sys
from pathlib import Path

import pytest

from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY, Cli, PreparedStores

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/full")


THREE = synthetic_cases(3, seed=11)


def _three_cases(cli: Cli) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    batch = cli.data_dir.parent / "three.json"
    batch.write_text(json.dumps(THREE), encoding="utf-8")
    cli.run("import", str(batch))


@pytest.fixture
def stored(cli: Cli, prepared_stores: PreparedStores, tmp_path: Path) -> str:
    """A store with the demo directory and three cases (made once by the real commands, a
    copy for each test), and the batch they came from in three.json; the id of the first."""
    prepared_stores.copy("three", _three_cases, cli)
    (tmp_path / "three.json").write_text(json.dumps(THREE), encoding="utf-8")
    return str(THREE[0]["id"])


def _no_partial_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_export_into_a_missing_folder(cli: Cli, stored: str, tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "cases.json"
    said = cli.fails("export", "-o", str(target))
    assert f"there is no folder {target.parent}" in said and "nothing was written" in said
    assert not target.parent.exists()


def test_export_onto_a_folder(cli: Cli, stored: str, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    said = cli.fails("export", "-o", str(folder))
    assert f"{folder} is a folder: give a file name in it, such as {folder / 'cases.json'}" in said
    assert list(folder.iterdir()) == []
    _no_partial_files(tmp_path)


def test_pdf_into_a_missing_folder(cli: Cli, stored: str, tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "summary.pdf"
    said = cli.fails("pdf", stored, "-o", str(target))
    assert f"there is no folder {target.parent}" in said
    said = cli.fails("pdf", "--all-open", "-o", str(tmp_path / "a" / "b"))
    assert f"there is no folder {tmp_path / 'a'}" in said
    assert not (tmp_path / "a").exists() and not target.parent.exists()


def test_pdf_all_open_onto_a_file(cli: Cli, stored: str, tmp_path: Path) -> None:
    a_file = tmp_path / "three.json"
    said = cli.fails("pdf", "--all-open", "-o", str(a_file))
    assert f"{a_file} is not a folder" in said


def test_pdf_into_a_folder_uses_the_summary_s_own_name(
    cli: Cli, stored: str, tmp_path: Path
) -> None:
    folder = tmp_path / "summaries"
    folder.mkdir()
    done = cli.run("pdf", stored, "-o", str(folder))
    (written,) = folder.iterdir()
    assert written.suffix == ".pdf" and f"Wrote {written}" in done.stdout


def test_a_missing_file_is_named_as_a_file(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    said = cli.fails("import", str(missing))
    assert f"{missing}: no such file; nothing was imported." in said
    assert "field" not in said
    said = cli.fails("directory", "import", str(missing))
    assert f"{missing}: no such file; nothing was changed." in said
    said = cli.fails("import", str(tmp_path))
    assert f"{tmp_path} is a folder, not a file" in said
    assert not cli.data_dir.exists()


@linux_only
@pytest.mark.parametrize("command", ["export", "pdf"])
def test_a_full_disk_when_writing_a_file(cli: Cli, stored: str, command: str) -> None:
    args = ["export", "-o", "/dev/full"] if command == "export" else ["pdf", stored, "-o"]
    if command == "pdf":
        args.append("/dev/full")
    said = cli.fails(*args)
    assert "/dev/full could not be written: the disk is full; nothing was written there." in said
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)  # written to, never renamed over


@linux_only
@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("export", "the export could not be written to the standard output: the disk is full."),
        ("list", "the disk is full; the command stopped there."),
        ("verify-audit", "the disk is full; the command stopped there."),
    ],
)
def test_a_full_disk_on_stdout(cli: Cli, stored: str, command: str, words: str) -> None:
    with open("/dev/full", "w") as full:
        said = cli.fails(command, stdout=full)
    assert said == f"asb-desktop: {words}\n"


@linux_only
def test_a_full_disk_under_the_store(cli: Cli, stored: str, tmp_path: Path) -> None:
    """SQLite's max_page_count makes the store answer exactly as a full disk does
    (SQLITE_FULL, "database or disk is full"); the command itself runs unchanged."""
    batch = tmp_path / "many.json"
    batch.write_text(json.dumps(synthetic_cases(300, seed=3)), encoding="utf-8")
    full = (
        "import sys\n"
        "from asb_desktop.store import sqlcipher_engine\n"
        "sqlcipher_engine.CONNECTION_PRAGMAS += ('PRAGMA max_page_count = 80',)\n"
        "from asb_desktop.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    said = cli.fails("import", str(batch), first=("-c", full))
    assert "the disk is full, so the case database could not be written; nothing was changed" in (
        said
    )
    assert len(cli.export()) == 3  # all or nothing: not one of the 300 went in
    assert "Audit log intact" in cli.run("verify-audit").stdout


def test_a_disk_that_refuses_to_grow_the_store(cli: Cli, stored: str, tmp_path: Path) -> None:
    """A file-size limit makes the disk refuse the store's writes (EFBIG): SQLite says "disk
    I/O error", and so does the command, in words."""
    batch = tmp_path / "many.json"
    batch.write_text(json.dumps(synthetic_cases(300, seed=3)), encoding="utf-8")
    limit = max(p.stat().st_size for p in cli.data_dir.iterdir()) + 50_000

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    said = cli.fails("import", str(batch), preexec_fn=small_files)
    assert "the case database could not be read or written (a disk input/output error)" in said
    assert len(cli.export()) == 3


def test_a_data_folder_that_cannot_be_made(cli: Cli, tmp_path: Path) -> None:
    a_file = tmp_path / "three.json"
    a_file.write_text("[]", encoding="utf-8")
    said = cli.fails("directory", "import", str(DEMO_DIRECTORY), "--data-dir", f"{a_file}/data")
    assert f"the data folder {a_file}/data cannot be used" in said
    assert a_file.read_text(encoding="utf-8") == "[]"


def test_write_file_leaves_no_partial_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process: the disk fills while the file is being written."""
    import errno
    import os

    from asb_desktop.cli.common import CommandError
    from asb_desktop.cli.files import write_file

    target = tmp_path / "cases.json"
    target.write_text("the export before", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(CommandError, match="the disk is full; nothing was written there"):
        write_file(target, b"[]" * 100_000)
    assert target.read_text(encoding="utf-8") == "the export before"
    assert [p.name for p in tmp_path.iterdir()] == ["cases.json"]

"""Faults under the store, met by the real command in a child process: each is one sentence that
says what to do next, a non-zero exit, no traceback, and nothing made or changed."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY, Cli, PreparedStores
from tests.paths import REPO
from tests.store.test_store_faults import PAGE, damage


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _many_cases(cli: Cli) -> None:
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    batch = cli.data_dir.parent / "many.json"
    batch.write_text(json.dumps(synthetic_cases(150, seed=21)), encoding="utf-8")
    cli.run("import", str(batch))


@pytest.fixture
def many(cli: Cli, prepared_stores: PreparedStores) -> int:
    """A store with the demo directory and 150 cases, closed (every page in cases.db): made
    once by the real commands, a copy for each test."""
    prepared_stores.copy("many", _many_cases, cli)
    return (cli.data_dir / "cases.db").stat().st_size // PAGE


def test_a_short_passphrase_on_a_store_that_exists(cli: Cli, many: int) -> None:
    before = _fingerprint(cli.data_dir)
    cli.env["ASB_DESKTOP_PASSPHRASE"] = "short"
    for args in (("list",), ("verify-audit",), ("directory", "import", str(DEMO_DIRECTORY))):
        said = cli.fails(*args)
        assert "shorter than 10 characters" in said and "nothing was changed" in said
    assert _fingerprint(cli.data_dir) == before


@pytest.mark.parametrize("page", [2, 9, 30, "late"])
def test_damaged_pages_fail_verify_audit_in_words(cli: Cli, many: int, page: int | str) -> None:
    number = many - 3 if page == "late" else int(page)
    damage(cli.data_dir / "cases.db", number)
    said = cli.fails("verify-audit")
    assert "The case database on this laptop is damaged" in said
    assert "Cases already synced are safe on the central store" in said
    assert "contact IT support" in said
    if page != 2:  # page 2 is read by every open, which says the damage itself
        assert "(1 page failed their check)" in said
        assert "verify-audit: FAILED: the page check" in said


def test_damage_that_export_reads_is_a_sentence(cli: Cli, many: int) -> None:
    """SQLite's "database disk image is malformed" reaching a command is said in words."""
    failed = []
    pristine = cli.data_dir.parent / "pristine"
    shutil.copytree(cli.data_dir, pristine)
    for page in range(many // 10, many // 3, max(1, many // 20)):  # the cases' own pages
        shutil.rmtree(cli.data_dir)
        shutil.copytree(pristine, cli.data_dir)
        damage(cli.data_dir / "cases.db", page)
        done = cli.run("export", ok=False)
        assert "Traceback" not in done.stderr, (page, done.stderr)
        if done.returncode:
            assert done.returncode == 1
            assert "The case database on this laptop is damaged" in done.stderr
            failed.append(page)
    assert failed, "no damaged page was read by export: the test proves nothing"


@pytest.mark.parametrize("left", ["deleted", "empty"])
def test_a_lost_store_is_refused_and_never_replaced(cli: Cli, many: int, left: str) -> None:
    database = cli.data_dir / "cases.db"
    if left == "deleted":
        database.unlink()
    else:
        database.write_bytes(b"")
    before = _fingerprint(cli.data_dir)
    for args in (
        ("list",),
        ("verify-audit",),
        ("directory", "import", str(DEMO_DIRECTORY)),  # a command that makes a store
    ):
        said = cli.fails(*args)
        assert "The case database that was kept in" in said
        assert "nothing was created or changed" in said and "contact IT support" in said
    assert _fingerprint(cli.data_dir) == before  # store.json kept, no new cases.db


def _can_mount_a_small_disk() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-r", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


# Run inside a private mount namespace (unshare -r -m): a real 700 KB tmpfs, a store made on it,
# the disk then filled to the last byte, and the real commands run against it.
_FULL_DISK = """
import json, os, subprocess, sys
disk, few, many = sys.argv[1:4]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=700k", "tmpfs", disk], check=True)
env = {**os.environ, "ASB_DESKTOP_DATA_DIR": os.path.join(disk, "data")}
def run(*args):
    done = subprocess.run([sys.executable, "-m", "asb_desktop", *args], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    return {"code": done.returncode, "out": done.stdout, "err": done.stderr}
results = {"made": run("directory", "import", sys.argv[4]), "few": run("import", few)}
with open(os.path.join(disk, "filler"), "wb", buffering=0) as filler:
    try:
        while True:
            filler.write(b"0" * 4096)
    except OSError:
        pass
results["list"] = run("list")
results["import"] = run("import", many)
os.remove(os.path.join(disk, "filler"))
results["after"] = run("verify-audit")
results["export"] = run("export")
print(json.dumps(results))
"""


@pytest.mark.skipif(not _can_mount_a_small_disk(), reason="no private mount namespace here")
def test_a_really_full_disk_is_said_as_a_full_disk(cli: Cli, tmp_path: Path) -> None:
    few, many = tmp_path / "few.json", tmp_path / "many.json"
    few.write_text(json.dumps(synthetic_cases(3, seed=5)), encoding="utf-8")
    many.write_text(json.dumps(synthetic_cases(300, seed=6)), encoding="utf-8")
    disk = tmp_path / "disk"
    disk.mkdir()
    script = textwrap.dedent(_FULL_DISK)
    arguments = [str(disk), str(few), str(many), str(DEMO_DIRECTORY)]
    done = subprocess.run(
        ["unshare", "-r", "-m", sys.executable, "-c", script, *arguments],
        env=cli.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    results = json.loads(done.stdout)
    assert results["made"]["code"] == 0 and results["few"]["code"] == 0, results
    for step in ("list", "import"):
        said = results[step]["err"]
        assert results[step]["code"] == 1 and "Traceback" not in said, said
        assert "the disk is full" in said and "nothing was changed" in said, said
        assert "does not match" not in said  # a full disk is not a wrong passphrase
    assert results["after"]["code"] == 0, results["after"]["err"]  # nothing half-written
    assert "Pages intact" in results["after"]["out"]
    assert len(json.loads(results["export"]["out"])) == 3

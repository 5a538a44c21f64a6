"""`asb-desktop attach`, `attachments` and `attachment get` on a real SQLCipher store, through the
real commands: a photo's location, camera and text metadata are gone before anything is stored
(not in any file of the data folder, -wal and -shm included, nor in the bytes kept); the bytes come
back with the listed hash; the same file twice is kept once; the metadata travels through export
and import without the bytes; purging a case removes its bytes unless another case holds them;
every refusal is a sentence that stores nothing."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from asb_desktop.support.synthetic import synthetic_cases
from tests.cli.conftest import DEMO_DIRECTORY, PASSPHRASE, Cli
from tests.cli.test_store_fault_commands import _can_mount_a_small_disk
from tests.paths import REPO

MARKERS = (b"MARKERCAMERA", b"MARKERXMP", b"MARKERCOMMENT", b"MARKERGPSAREA")
# How many attachment rows and chunk rows the store holds, read through its key.
COUNT = (
    "import sys; from pathlib import Path; from sqlalchemy import text;"
    "from asb_desktop.cli.store_access import open_store; s = open_store(Path(sys.argv[1]));"
    "c = s.store.engine.connect();"
    "print(*(c.execute(text(f'SELECT count(*) FROM {t}')).scalar()"
    " for t in ('attachments', 'attachment_chunks'))); c.close(); s.close()"
)
PURGE = (
    "import sys; from datetime import UTC, datetime; from pathlib import Path;"
    "from asb_desktop.cli.store_access import open_store; from asb_desktop.store.audit import "
    "AuditWriter; from asb_desktop.store.purge import remove_cases; s = open_store(Path(sys.argv[1]));"
    "w = s.store.write(); c = w.__enter__();"
    "remove_cases(c, AuditWriter(c, actor='test'), {sys.argv[2]: 'closed'}, now=datetime.now(UTC));"
    "w.__exit__(None, None, None); s.close()"
)


def photo_with_metadata(path: Path, *, size: tuple[int, int] = (320, 240)) -> bytes:
    picture = Image.new("RGB", size, (180, 40, 30))
    exif = Image.Exif()
    exif[0x010F] = "MARKERCAMERA"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0), 28: "MARKERGPSAREA"}
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes(), xmp=b"<x:xmpmeta>MARKERXMP</x:xmpmeta>",
                 comment=b"MARKERCOMMENT", quality=92)  # fmt: skip
    path.write_bytes(out.getvalue())
    return out.getvalue()


def _cases(cli: Cli, tmp_path: Path, count: int = 1) -> list[str]:
    cases = synthetic_cases(count, seed=11)
    (tmp_path / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    cli.run("directory", "import", str(DEMO_DIRECTORY))
    cli.run("import", str(tmp_path / "cases.json"))
    return [str(c["id"]) for c in cases]


def _counts(cli: Cli) -> tuple[int, int]:
    rows, chunks = cli.run(str(cli.data_dir), first=("-c", COUNT)).stdout.split()
    return int(rows), int(chunks)


def _listed(cli: Cli, case_id: str) -> list[list[str]]:
    lines = cli.run("attachments", case_id).stdout.splitlines()
    return [line.split() for line in lines[1:-1]]


def test_a_photo_is_scrubbed_before_storing_and_comes_back_with_its_listed_hash(
    cli: Cli, tmp_path: Path
) -> None:
    [case_id] = _cases(cli, tmp_path)
    original = photo_with_metadata(tmp_path / "garden wall.jpg")
    assert all(marker in original for marker in MARKERS)
    said = cli.run("attach", case_id, str(tmp_path / "garden wall.jpg")).stdout
    assert "location and camera details removed" in said
    for file in cli.data_dir.rglob("*"):  # the database, its -wal and -shm, everything beside
        if file.is_file():
            data = file.read_bytes()
            assert not any(marker in data for marker in MARKERS), file
            assert b"garden wall" not in data, file
    [row] = _listed(cli, case_id)
    attachment_id, listed_hash = row[0], row[-7]
    assert row[-6:] == ["yes:", "location", "and", "camera", "details", "removed"]
    cli.run("attachment", "get", case_id, attachment_id, "-o", str(tmp_path / "back.jpg"))
    back = (tmp_path / "back.jpg").read_bytes()
    assert hashlib.sha256(back).hexdigest().startswith(listed_hash)
    assert not any(marker in back for marker in MARKERS)
    with Image.open(io.BytesIO(back)) as scrubbed, Image.open(io.BytesIO(original)) as given:
        assert scrubbed.tobytes() == given.tobytes()  # not re-encoded: the same pixels
        assert not scrubbed.getexif().get_ifd(0x8825)
    document = next(d for d in cli.export() if d["id"] == case_id)
    [entry] = document["attachments"]
    assert entry["sha256"] == hashlib.sha256(back).hexdigest()
    assert entry["scrubbed"] is True and entry["size"] == len(back)
    assert entry["media_type"] == "image/jpeg" and entry["name"] == "garden wall.jpg"
    said = cli.fails("attachment", "get", case_id, attachment_id, "-o", str(tmp_path / "back.jpg"))
    assert "already exists; nothing was written" in said


def test_without_scrubbing_the_photo_is_kept_exactly_and_the_same_bytes_once(
    cli: Cli, tmp_path: Path
) -> None:
    first, second = _cases(cli, tmp_path, 2)
    original = photo_with_metadata(tmp_path / "p.jpg")
    for case_id in (first, first, second):
        cli.run("attach", case_id, str(tmp_path / "p.jpg"), "--no-scrub")
    assert _counts(cli) == (3, 1)  # three attachments, one chunk of bytes
    [row, _] = _listed(cli, first)
    assert row[-4:] == ["no:", "kept", "as", "given"]
    cli.run("attachment", "get", first, row[0], "-o", str(tmp_path / "back.jpg"))
    assert (tmp_path / "back.jpg").read_bytes() == original
    cli.run(str(cli.data_dir), first, first=("-c", PURGE))
    assert _counts(cli) == (1, 1)  # the second case still holds the bytes
    cli.run(str(cli.data_dir), second, first=("-c", PURGE))
    assert _counts(cli) == (0, 0)


def test_a_large_file_is_kept_in_chunks_and_read_back_whole(cli: Cli, tmp_path: Path) -> None:
    [case_id] = _cases(cli, tmp_path)
    body = b"%PDF-1.4\n" + bytes(range(256)) * 10_000  # 2.5 MB: three chunks of at most 1 MiB
    (tmp_path / "letter.pdf").write_bytes(body)
    said = cli.run("attach", case_id, str(tmp_path / "letter.pdf")).stdout
    assert "document (PDF), 2.6 MB, stored as given (not scrubbed)" in said
    assert _counts(cli) == (1, 3)
    [row] = _listed(cli, case_id)
    assert "not a photo, stored as given" in cli.run("attachments", case_id).stdout
    cli.run("attachment", "get", case_id, row[0], "-o", str(tmp_path / "back.pdf"))
    assert (tmp_path / "back.pdf").read_bytes() == body


def test_the_metadata_travels_through_export_and_import_without_the_bytes(
    cli: Cli, tmp_path: Path
) -> None:
    [case_id] = _cases(cli, tmp_path)
    photo_with_metadata(tmp_path / "p.jpg")
    [incident] = [i["id"] for i in next(d for d in cli.export())["incidents"]][:1]
    cli.run("attach", case_id, str(tmp_path / "p.jpg"), "--incident", incident)
    exported = cli.export()
    (tmp_path / "out.json").write_text(json.dumps(exported), encoding="utf-8")
    other = Cli(tmp_path / "other")
    other.run("directory", "import", str(DEMO_DIRECTORY))
    other.run("import", str(tmp_path / "out.json"))
    again = {d["id"]: d for d in other.export()}
    assert again[case_id]["attachments"] == exported[0]["attachments"]
    assert again[case_id]["attachments"][0]["incident_id"] == incident
    assert "(bytes not on this laptop)" in other.run("attachments", case_id).stdout
    said = other.fails(
        "attachment", "get", case_id, exported[0]["attachments"][0]["id"],
        "-o", str(tmp_path / "x.jpg"),
    )  # fmt: skip
    assert "are not on this laptop" in said and not (tmp_path / "x.jpg").exists()


def test_a_document_naming_a_wrong_attachment_is_refused_in_words(cli: Cli, tmp_path: Path) -> None:
    [case] = synthetic_cases(1, seed=3)
    case["attachments"] = [{
        "id": "a1", "name": "x/y.jpg", "media_type": "text/plain", "size": 3, "sha256": "abc",
        "added_at": "2026-12-01T10:00:00Z", "added_by": "s-ha", "incident_id": "nope",
        "scrubbed": False,
    }]  # fmt: skip
    (tmp_path / "bad.json").write_text(json.dumps([case]), encoding="utf-8")
    said = cli.fails("import", str(tmp_path / "bad.json"))
    for words in ("attachments[0].name", "attachments[0].media_type", "attachments[0].sha256",
                  "attachments[0].incident_id"):  # fmt: skip
        assert words in said


REFUSALS = [
    (["UNKNOWN-CASE", "{photo}"], "There is no case UNKNOWN-CASE on this laptop."),
    (["{case}", "{photo}", "--incident", "nope"], "has no incident nope; nothing was attached"),
    (["{case}", "{text}"], "its content is none of the kinds kept: photos (JPEG, PNG, HEIC)"),
    (["{case}", "{big}"], "is 1.5 MB; the most one attachment may be is 1.0 MB"),
    (["{case}", "{pdf}", "--scrub"], "removes location and camera details from photos only"),
    (["{case}", "{cut}"], "the JPEG is cut short or damaged"),
    (["{case}", "{missing}"], "no such file; nothing was attached"),
]


def test_each_refusal_is_a_sentence_and_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    [case_id] = _cases(cli, tmp_path)
    photo = photo_with_metadata(tmp_path / "p.jpg")
    (tmp_path / "cut.jpg").write_bytes(photo[: len(photo) // 2])
    (tmp_path / "notes.txt").write_text("just words", encoding="utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "big.pdf").write_bytes(b"%PDF-1.4\n" + b"\0" * 1_500_000)
    preset = tmp_path / "defaults.json"
    preset.write_text(json.dumps({"format": "asb-desktop-defaults/1", "attachment_max_mb": 1}))
    cli.env["ASB_DESKTOP_DEFAULTS"] = str(preset)
    files = {"case": case_id, "photo": str(tmp_path / "p.jpg"), "text": str(tmp_path / "notes.txt"),
             "big": str(tmp_path / "big.pdf"), "pdf": str(tmp_path / "a.pdf"),
             "cut": str(tmp_path / "cut.jpg"), "missing": str(tmp_path / "none.jpg")}  # fmt: skip
    for given, words in REFUSALS:
        said = cli.fails("attach", *[g.format(**files) for g in given])
        assert words in said, said
    assert _counts(cli) == (0, 0)
    assert "has no attachments" in cli.run("attachments", case_id).stdout
    assert PASSPHRASE not in said


# Inside a private mount namespace: a store on a real 900 KB tmpfs, then a 2 MB file attached.
_FULL_DISK = """
import json, os, subprocess, sys
disk, cases, directory, big = sys.argv[1:5]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=900k", "tmpfs", disk], check=True)
env = {**os.environ, "ASB_DESKTOP_DATA_DIR": os.path.join(disk, "data")}
def run(*args):
    done = subprocess.run([sys.executable, "-m", "asb_desktop", *args], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    return {"code": done.returncode, "out": done.stdout, "err": done.stderr}
results = {"made": run("directory", "import", directory), "cases": run("import", cases)}
case_id = json.load(open(cases))[0]["id"]
results["attach"] = run("attach", case_id, big)
results["after"] = run("verify-audit")
results["listed"] = run("attachments", case_id)
print(json.dumps(results))
"""


@pytest.mark.skipif(not _can_mount_a_small_disk(), reason="no private mount namespace here")
def test_a_full_disk_is_a_sentence_and_keeps_nothing_half_stored(cli: Cli, tmp_path: Path) -> None:
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(synthetic_cases(1, seed=5)), encoding="utf-8")
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + os.urandom(2_000_000))
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["unshare", "-r", "-m", sys.executable, "-c", textwrap.dedent(_FULL_DISK),
         str(disk), str(cases), str(DEMO_DIRECTORY), str(big)],
        env=cli.env, cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    results = json.loads(done.stdout)
    assert results["made"]["code"] == 0 and results["cases"]["code"] == 0, results
    said = results["attach"]["err"]
    assert results["attach"]["code"] == 1 and "Traceback" not in said, said
    assert "the disk is full" in said, said
    assert results["after"]["code"] == 0 and "Pages intact" in results["after"]["out"], results
    assert "has no attachments" in results["listed"]["out"], results["listed"]

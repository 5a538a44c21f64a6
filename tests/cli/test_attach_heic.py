"""A HEIC photo through the real commands on a real store: attached scrubbed (its GPS, camera,
maker note and XMP in no file of the data folder), listed as HEIC, got back with the same
pixels, and drawn as a thumbnail in the summary only when `pdf --thumbnails` asks."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from tests.cli.conftest import Cli
from tests.cli.test_attachments import _cases, _listed
from tests.domain.test_heif_scrub import MARKERS, heic_with_metadata


def _pictures(pdf: Path) -> int:
    return sum(len(page.images) for page in PdfReader(pdf).pages)


def test_a_heic_photo_is_scrubbed_kept_and_drawn_on_request(cli: Cli, tmp_path: Path) -> None:
    [case_id] = _cases(cli, tmp_path)
    original = heic_with_metadata()
    (tmp_path / "IMG_4411.HEIC").write_bytes(original)
    said = cli.run("attach", case_id, str(tmp_path / "IMG_4411.HEIC")).stdout
    assert "location and camera details removed" in said
    for file in cli.data_dir.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert not any(marker in data for marker in MARKERS), file
    [row] = _listed(cli, case_id)
    cli.run("attachment", "get", case_id, row[0], "-o", str(tmp_path / "back.heic"))
    back = (tmp_path / "back.heic").read_bytes()
    assert not any(marker in back for marker in MARKERS)
    with Image.open(io.BytesIO(back)) as kept, Image.open(io.BytesIO(original)) as given:
        assert kept.convert("RGB").tobytes() == given.convert("RGB").tobytes()
    [entry] = next(d for d in cli.export() if d["id"] == case_id)["attachments"]
    assert entry["media_type"] == "image/heic" and entry["scrubbed"] is True

    cli.run("pdf", case_id, "-o", str(tmp_path / "plain.pdf"))
    cli.run("pdf", case_id, "--thumbnails", "-o", str(tmp_path / "pictures.pdf"))
    assert _pictures(tmp_path / "pictures.pdf") == _pictures(tmp_path / "plain.pdf") + 1

"""Issue 15, done when: a photo attached with a GPS position and text markers in its metadata,
scrubbed, reaches the central store with none of them: not in the chunks it holds, and (SQLite,
where the bytes lie uncompressed in its files) in no file beside its database either."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from asb_desktop.services.attachments import attach
from tests.cli.test_attachments import MARKERS, photo_with_metadata
from tests.sync.sync_support import Laptop, Server, query
from tests.sync.test_sync_evidence_upload import central_copy, upload_all

GPS_IFD = 0x8825


def test_a_scrubbed_photo_reaches_the_central_store_with_no_position_and_no_marker(
    central: Server, laptop_factory: Callable[..., Laptop], tmp_path: Path
) -> None:
    laptop = laptop_factory("scrubbed")
    [case_id] = laptop.record(1, estate="EST-NORTH")
    original = photo_with_metadata(tmp_path / "garden wall.jpg", size=(640, 480))
    assert all(marker in original for marker in MARKERS)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # it really had one
    added = attach(laptop.casework, case_id, tmp_path / "garden wall.jpg")
    assert added.scrubbed
    laptop.enrol(central, "s-ho")
    upload_all(laptop)

    copy = central_copy(central, added.sha256)
    assert copy and not any(marker in copy for marker in MARKERS)
    assert not Image.open(io.BytesIO(copy)).getexif().get_ifd(GPS_IFD)
    for (data,) in query(central, "SELECT data FROM evidence_chunks"):
        assert not any(marker in bytes(data) for marker in MARKERS)
    if "://" not in central.db_url:  # a SQLite file: read every file of its folder as bytes
        folder = Path(central.db_url).parent
        files = [path for path in folder.rglob("*") if path.is_file()]
        assert any(path.name.startswith("central.sqlite3") for path in files)
        for path in files:
            raw = path.read_bytes()
            assert not any(marker in raw for marker in MARKERS), path.name

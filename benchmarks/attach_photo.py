"""Attaching a 10 MB photo (issue 15) beside a plain encrypted write of the same size.

    python benchmarks/attach_photo.py [--runs 5] [--megabytes 10]

1. attach: `services.attachments.attach` of a 10 MB JPEG with GPS EXIF and XMP, scrubbed (the
   default for photos): the kind told, the segments walked, Pillow's check, the hash, the
   case's document rewritten and audited, the bytes written as 1 MiB chunks, one transaction.
2. plain: the same number of bytes written as 1 MiB blobs through the same SQLCipher store in
   one transaction (the encrypt-and-write floor).

Each run attaches a different photo (the same bytes twice would be kept once and cost nothing).
Prints the medians and their ratio; the issue's target is a ratio of at most 2. Nothing here is
a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402
from sqlalchemy import text  # noqa: E402

from asb_desktop.services.attachments import attach  # noqa: E402
from asb_desktop.services.casework import Casework, LabelledDocument  # noqa: E402
from asb_desktop.store.attachments import CHUNK_BYTES  # noqa: E402
from asb_desktop.store.database import Store  # noqa: E402
from asb_desktop.store.keys import DatabaseKey, FixedKey  # noqa: E402
from asb_desktop.support.synthetic import synthetic_cases  # noqa: E402

DIRECTORY = REPO / "resources" / "demo" / "directory.json"
KEY = FixedKey(DatabaseKey.raw(secrets.token_bytes(32)))


def photo(path: Path, megabytes: float, seed: int) -> int:
    """A JPEG of about `megabytes` (random pixels barely compress) with GPS EXIF and XMP."""
    side = int((megabytes * 1e6 / 0.97) ** 0.5)
    pixels = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    exif = Image.Exif()
    exif[0x010F] = "Bench camera"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    pixels.save(path, "JPEG", quality=92, exif=exif.tobytes(), xmp=b"<x>bench %d</x>" % seed)
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        store = Store.open(root / "data", KEY)
        try:
            casework = Casework(store, actor="bench")
            casework.import_directory(json.loads(DIRECTORY.read_text(encoding="utf-8")))
            [case] = synthetic_cases(1, seed=1)
            casework.import_documents([LabelledDocument("record 1", case)])
            with store.write() as conn:
                conn.execute(text("CREATE TABLE bench_blob (n INTEGER PRIMARY KEY, data BLOB)"))
            sizes = [photo(root / f"p{i}.jpg", args.megabytes, i) for i in range(args.runs)]
            attach_times, plain_times = [], []
            for i in range(args.runs):
                started = time.perf_counter()
                attach(casework, str(case["id"]), root / f"p{i}.jpg")
                attach_times.append(time.perf_counter() - started)
                blobs = [os.urandom(min(CHUNK_BYTES, sizes[i] - at))
                         for at in range(0, sizes[i], CHUNK_BYTES)]  # fmt: skip
                started = time.perf_counter()
                with store.write() as conn:
                    conn.execute(
                        text("INSERT INTO bench_blob (data) VALUES (:data)"),
                        [{"data": blob} for blob in blobs],
                    )
                plain_times.append(time.perf_counter() - started)
        finally:
            store.close()
    attach_ms = statistics.median(attach_times) * 1000
    plain_ms = statistics.median(plain_times) * 1000
    print(f"photo: {statistics.median(sizes) / 1e6:.1f} MB, {args.runs} runs (medians)")
    print(f"attach (scrubbed, hashed, chunked, audited): {attach_ms:.0f} ms")
    print(f"plain encrypted write of the same bytes:     {plain_ms:.0f} ms")
    print(f"ratio: {attach_ms / plain_ms:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()

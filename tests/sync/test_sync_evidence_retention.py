"""Evidence follows its case (issue 15, item 6), through a real central store on SQLite and
PostgreSQL: a case destroyed under the retention rules takes its attachments' bytes with it
centrally (a file another case also holds stays for that case), and an erased person's name in
an attachment's file name is scrubbed centrally and on the laptop, as in the case's text."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from asb_desktop.domain.case_policy import CasePolicy
from asb_desktop.domain.erasure import PLACEHOLDER
from asb_desktop.services.attachments import attach
from tests.central.central_support import admin
from tests.central.test_central_retention import every_row_text
from tests.sync.sync_support import Laptop, Server, query
from tests.sync.test_sync_erasure import assert_nowhere
from tests.sync.test_sync_evidence_upload import MP4_HEAD, upload_all
from tests.sync.test_sync_removal import marker, record_marked

Factory = Callable[..., Laptop]
OLD_CLOSED = {
    "received_at": "2019-03-10T09:30:00Z",
    "incidents": [{"id": "inc-1", "occurred_at": "2019-03-09T22:00:00Z", "description": "x"}],
    "status": {"state": "closed", "reason": "Resolved", "at": "2019-06-03T10:00:00Z"},
}


def _evidence(path: Path, size: int = 1_500_000) -> bytes:
    data = MP4_HEAD + os.urandom(size - len(MP4_HEAD))
    path.write_bytes(data)
    return data


def _held(central: Server, sha256: str) -> tuple[int, int, int]:
    """(files, chunk-list rows, cases naming it) the central store keeps for these bytes."""
    files = query(central, "SELECT count(*) FROM evidence_files WHERE sha256 = :h", h=sha256)
    rows = query(
        central, "SELECT count(*) FROM evidence_file_chunks WHERE file_sha256 = :h", h=sha256
    )
    named = query(central, "SELECT count(*) FROM case_evidence WHERE sha256 = :h", h=sha256)
    return files[0][0], rows[0][0], named[0][0]


def test_a_case_destroyed_under_retention_takes_its_attachment_bytes_with_it(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    officer = laptop_factory("officer")
    officer.casework.set_policy(CasePolicy(closed_days_on_laptop=3650))
    officer.enrol(central, "s-ho")
    mark = marker()
    old = record_marked(officer, mark, estate="EST-NORTH", **OLD_CLOSED)
    kept = record_marked(officer, marker(), estate="EST-NORTH")
    _evidence(tmp_path / f"{mark}.mp4")
    _evidence(tmp_path / "shared.mp4")
    gone = attach(officer.casework, old, tmp_path / f"{mark}.mp4")
    shared = attach(officer.casework, old, tmp_path / "shared.mp4")
    attach(officer.casework, kept, tmp_path / "shared.mp4")
    upload_all(officer)
    chunks_before = query(central, "SELECT count(*) FROM evidence_chunks")[0][0]
    assert _held(central, gone.sha256) == (1, 2, 1)
    assert _held(central, shared.sha256) == (1, 2, 2)

    admin(central.db_url, "retention", "apply", "--by", "Records Officer")

    assert _held(central, gone.sha256) == (0, 0, 0)
    assert _held(central, shared.sha256) == (1, 2, 1)  # still the other case's
    assert query(central, "SELECT count(*) FROM evidence_chunks")[0][0] == chunks_before - 2
    assert mark not in every_row_text(central)
    officer.sync.sync(force=True)
    assert old not in officer.local_cases()
    with officer.store.read() as conn:  # the laptop's own copy went with the case too
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM attachment_chunks WHERE sha256 = ?", (gone.sha256,)
            ).scalar()
            == 0
        )


def test_an_erased_persons_name_in_a_file_name_is_scrubbed_centrally_and_on_the_laptop(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    officer = laptop_factory("officer", actor="s-ho")
    officer.enrol(central, "s-ho")
    mark = marker()
    case_id = record_marked(officer, mark, estate="EST-NORTH")
    data = _evidence(tmp_path / f"Resident {mark} front door.mp4")
    added = attach(officer.casework, case_id, tmp_path / f"Resident {mark} front door.mp4")
    upload_all(officer)
    reference = officer.local_cases()[case_id][0]
    assert reference is not None

    admin(central.db_url, "erase-person", reference, "complainant", "--reason", "Erasure request")
    officer.sync.sync(force=True)

    [entry] = officer.local_cases()[case_id][2]["attachments"]
    assert entry["name"] == f"{PLACEHOLDER} front door.mp4"
    assert entry["sha256"] == added.sha256  # the evidence itself is kept, whole
    assert_nowhere(officer, central, mark)
    assert (
        b"".join(
            bytes(r[0])
            for r in query(
                central,
                "SELECT c.data FROM evidence_file_chunks f JOIN evidence_chunks c "
                "ON c.sha256 = f.chunk_sha256 WHERE f.file_sha256 = :h ORDER BY f.seq",
                h=added.sha256,
            )
        )
        == data
    )

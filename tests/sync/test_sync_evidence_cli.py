"""`asb-desktop attachment get` on a team leader's laptop that holds the case but not its bytes:
fetched from a real central store (SQLite and PostgreSQL) through the real command, the same
bytes written; offline, a sentence, exit 1 and no file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from asb_desktop.cli.main import main
from asb_desktop.services.attachments import attach
from tests.sync.evidence_proxy import CuttingProxy
from tests.sync.sync_support import Laptop, Server, admin
from tests.sync.test_sync_evidence_upload import MB, port_of, upload_all, video

Factory = Callable[..., Laptop]


def test_attachment_get_fetches_bytes_not_here_and_offline_says_so(
    central: Server, laptop_factory: Factory, data_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    officer = laptop_factory("officer")
    officer.enrol(central, "s-ho")
    [case_id] = officer.record(1, estate="EST-NORTH")
    first = video(tmp_path / "first.mp4", 3 * MB)
    second = video(tmp_path / "second.mp4", MB)
    one = attach(officer.casework, case_id, tmp_path / "first.mp4")
    two = attach(officer.casework, case_id, tmp_path / "second.mp4")
    upload_all(officer)
    proxy = CuttingProxy(port_of(central))
    code = admin(central.db_url, "enrol-device", "--user", "s-tl").strip()
    folder = ["--data-dir", str(data_dir)]
    assert main([*folder, "enrol", proxy.url, code]) == 0
    assert main([*folder, "sync"]) == 0
    capsys.readouterr()

    out = tmp_path / "got.mp4"
    assert main([*folder, "attachment", "get", case_id, one.id, "-o", str(out)]) == 0
    assert out.read_bytes() == first
    assert f"Fetched 3,000,000 bytes of attachment {one.id}" in capsys.readouterr().err

    proxy.close()  # offline now
    missing = tmp_path / "second-copy.mp4"
    assert main([*folder, "attachment", "get", case_id, two.id, "-o", str(missing)]) == 1
    said = capsys.readouterr().err
    assert f"The bytes of attachment {two.id} are not on this laptop" in said
    assert "cannot be reached" in said and "Nothing was written." in said
    assert "Traceback" not in said and not missing.exists()
    assert len(second) == MB
    again = tmp_path / "again.mp4"  # the first is kept here now: no central store needed
    assert main([*folder, "attachment", "get", case_id, one.id, "-o", str(again)]) == 0
    assert again.read_bytes() == first

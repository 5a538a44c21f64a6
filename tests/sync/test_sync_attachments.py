"""Evidence through a real central store (SQLite and PostgreSQL): two laptops attach different
photos to the same case offline and, after syncing, both and the central store list both (merged
by id, no conflict). Only the description travels so far: the bytes stay on the laptop that
attached them, which the other laptop's listing says (the upload is the issue's next part)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from asb_desktop.services.attachments import attach, listed
from tests.cli.test_attachments import MARKERS, photo_with_metadata
from tests.sync.sync_support import Laptop, Server, query

Factory = Callable[..., Laptop]


def test_attachments_made_on_two_laptops_reach_both_and_the_central_store(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    a, b = laptop_factory("a"), laptop_factory("b")
    a.enrol(central, "s-ho")
    b.enrol(central, "s-ho")
    [case_id] = a.record(1, estate="EST-NORTH")
    a.sync.sync()
    b.sync.sync()
    photo_with_metadata(tmp_path / "front door.jpg")
    photo_with_metadata(tmp_path / "bins.jpg", size=(200, 100))
    first = attach(a.casework, case_id, tmp_path / "front door.jpg")
    second = attach(b.casework, case_id, tmp_path / "bins.jpg")
    assert a.sync.sync().conflicts == 0
    assert b.sync.sync().conflicts == 0
    a.sync.sync()
    [[stored]] = query(central, f"SELECT document FROM cases WHERE id = '{case_id}'")
    assert not any(marker.decode() in stored for marker in MARKERS)
    for document in (json.loads(stored), a.local_cases()[case_id][2], b.local_cases()[case_id][2]):
        assert sorted(x["id"] for x in document["attachments"]) == sorted([first.id, second.id])
    here = {item.attachment.id: item.here for item in listed(b.casework, case_id)}
    assert here == {first.id: False, second.id: True}

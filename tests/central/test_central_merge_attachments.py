"""The three-way merge keeps evidence attached on two laptops: `attachments` merge by id."""

from __future__ import annotations

from typing import Any

from asb_central.merge import merge


def attachment(key: str) -> dict[str, Any]:
    return {
        "id": key, "name": f"{key}.jpg", "media_type": "image/jpeg", "size": 10,
        "sha256": "0" * 64, "added_at": "2026-12-01T10:00:00+00:00", "added_by": "s-ha",
        "incident_id": None, "scrubbed": True,
    }  # fmt: skip


def test_attachments_added_on_two_laptops_are_all_kept() -> None:
    base = {"id": "c", "attachments": [attachment("a-1")]}
    server = dict(base, attachments=[attachment("a-1"), attachment("a-2")])
    device = dict(base, attachments=[attachment("a-1"), attachment("a-3")])
    result = merge(base, server, device)
    assert [a["id"] for a in result.facts["attachments"]] == ["a-1", "a-2", "a-3"]
    assert result.conflicts == []

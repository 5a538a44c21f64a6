"""The order of a disclosed summary's write: the file whole on disk, then the record, then the
file put in place. A record that fails leaves no file; a file that cannot be written is never
recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from asb_desktop.reports import write_summaries, write_summary
from tests.reports import report_builders as rb

PRODUCED_AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
COMMON = {"profile": "third_party", "produced_by": "Hana Ali", "produced_at": PRODUCED_AT}


def test_the_record_is_made_when_the_file_is_whole_and_before_it_appears(tmp_path: Path) -> None:
    target = tmp_path / "shared.pdf"
    seen: list[tuple[list[str], bool, list[str]]] = []

    def record(documents: object) -> None:
        hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
        seen.append(([d["id"] for d in documents], target.exists(), hidden))  # type: ignore[attr-defined]

    document = rb.case_document()
    write_summary(document, target, on_written=record, **COMMON)
    [(ids, there, hidden)] = seen
    assert ids == [document["id"]] and not there and len(hidden) == 1  # whole, not yet in place
    assert target.read_bytes().startswith(b"%PDF")


def test_a_failed_record_leaves_no_file(tmp_path: Path) -> None:
    def refuse(documents: object) -> None:
        raise OSError("the case database could not be written")

    with pytest.raises(OSError):
        write_summary(rb.case_document(), tmp_path / "shared.pdf", on_written=refuse, **COMMON)
    assert list(tmp_path.iterdir()) == []  # neither the file nor its hidden part


def test_a_file_that_cannot_be_written_is_never_recorded(tmp_path: Path) -> None:
    recorded: list[object] = []
    with pytest.raises(ValueError):
        write_summary(
            rb.case_document(), tmp_path / "no-such" / "x.pdf", on_written=recorded.append, **COMMON
        )
    documents = [rb.case_document(), rb.case_document()]
    write_summaries(
        documents, single_file=tmp_path / "all.pdf", on_written=recorded.append, **COMMON
    )
    [printed] = recorded
    assert [d["id"] for d in printed] == [d["id"] for d in documents]  # type: ignore[attr-defined]

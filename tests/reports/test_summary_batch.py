"""Summaries of a caseload: progress, cancel, whole files only, names without personal data."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from asb_desktop.domain.errors import InputError
from asb_desktop.reports import (
    BatchResult,
    Profile,
    build_case_summary,
    write_summaries,
    write_summary,
)
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import page_texts

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def caseload() -> list[dict[str, Any]]:
    return [
        rb.case_document(incidents=2, reference=f"ASB-2026-00010{n}", extras=n % 2 == 0)
        for n in range(4)
    ]


def write(documents: list[dict[str, Any]], **options: Any) -> BatchResult:
    return write_summaries(
        documents,
        profile=options.pop("profile", Profile.INTERNAL),
        produced_by="Tom Lee",
        produced_at=PRODUCED_AT,
        **options,
    )


def test_one_file_per_case_named_by_reference(caseload, tmp_path: Path):
    seen: list[tuple[int, int]] = []
    result = write(
        caseload,
        out_dir=tmp_path,
        audit_trails={caseload[0]["id"]: rb.audit_trail(3)},
        on_progress=lambda done, total: seen.append((done, total)),
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"ASB-2026-00010{n}-summary.pdf" for n in range(4)]
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert (result.done, result.total, result.cancelled) == (4, 4, False)
    assert "ASB-2026-000100" in page_texts((tmp_path / names[0]).read_bytes())[0]


def test_cancel_between_cases_keeps_only_whole_files(caseload, tmp_path: Path):
    progress: list[int] = []
    result = write(
        caseload,
        out_dir=tmp_path,
        on_progress=lambda done, total: progress.append(done),
        is_cancelled=lambda: len(progress) > 2,  # asked after the second case is written
    )
    assert result.cancelled and result.done == 2
    files = sorted(tmp_path.iterdir())
    assert [p.name for p in files] == [
        "ASB-2026-000100-summary.pdf",
        "ASB-2026-000101-summary.pdf",
    ]
    for path in files:
        assert len(PdfReader(path).pages) >= 1


def test_all_cases_in_one_file_number_their_own_pages_and_are_bookmarked(caseload, tmp_path):
    target = tmp_path / "caseload.pdf"
    result = write(caseload, single_file=target, profile=Profile.THIRD_PARTY)
    assert result.paths == (target,) and not result.cancelled
    singles = [
        build_case_summary(
            d, profile=Profile.THIRD_PARTY, produced_by="Tom Lee", produced_at=PRODUCED_AT
        ).pages
        for d in caseload
    ]
    pages = page_texts(target.read_bytes())
    assert len(pages) == sum(singles)
    first = pages[singles[0]]  # the first page of the second case
    assert "Case ASB-2026-000101" in first and f"Page 1 of {singles[1]}" in first
    reader = PdfReader(target)
    assert [o.title for o in reader.outline] == [f"Case ASB-2026-00010{n}" for n in range(4)]
    assert rb.NAME not in "".join(pages)
    assert [p.name for p in tmp_path.iterdir()] == ["caseload.pdf"]
    qpdf = shutil.which("qpdf")
    if qpdf is None and os.environ.get("CI") == "true":
        pytest.fail("qpdf is required in CI (apt-get install qpdf)")
    if qpdf is not None:
        done = subprocess.run([qpdf, "--check", str(target)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_cancel_during_a_single_file_leaves_nothing_behind(caseload, tmp_path: Path):
    target = tmp_path / "caseload.pdf"
    reached: list[int] = []
    result = write(
        caseload,
        single_file=target,
        on_progress=lambda done, total: reached.append(done),
        is_cancelled=lambda: 2 in reached,
    )
    assert result.cancelled and result.paths == ()
    assert list(tmp_path.iterdir()) == []  # no summary and no temporary part-file


def test_a_bad_document_is_named_and_the_rest_still_print(caseload, tmp_path: Path):
    broken = dict(caseload[1], received_at="last Tuesday")
    result = write([caseload[0], broken, caseload[2]], out_dir=tmp_path)
    assert len(result.paths) == 2
    assert len(result.failures) == 1
    assert result.failures[0].startswith("ASB-2026-000101: field received_at")


def test_runs_in_a_worker_thread(caseload, tmp_path: Path):
    results: list[BatchResult] = []
    worker = threading.Thread(target=lambda: results.append(write(caseload, out_dir=tmp_path)))
    worker.start()
    worker.join(timeout=300)
    assert results and len(results[0].paths) == 4


def test_exactly_one_destination_is_required(caseload, tmp_path: Path):
    with pytest.raises(ValueError):
        write(caseload, out_dir=tmp_path, single_file=tmp_path / "x.pdf")
    with pytest.raises(InputError):
        write(caseload, out_dir=tmp_path / "missing")


def test_one_summary_saved_where_the_user_chose(caseload, tmp_path: Path):
    target = tmp_path / "chosen name.pdf"
    result = write_summary(
        caseload[0], target, profile="third_party", produced_by="Tom Lee", produced_at=PRODUCED_AT
    )
    assert target.read_bytes() == result.pdf
    assert [p.name for p in tmp_path.iterdir()] == ["chosen name.pdf"]

"""An export's Case Reviews as of now (`case_listing.export_pages`, a page at a time) are each
case's own as of now (`Casework.as_of_now`): a case whose own reports have all left the window
still counts its complainant's other case's report that has not, and one on another page."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from asb_desktop.app import Services
from asb_desktop.services import case_listing
from tests.services.test_case_actions import NOW
from tests.services.test_case_review_steps import (
    ANONYMOUS,
    CASE,
    EARLIER,
    Clock,
    clock,  # noqa: F401  (fixture)
    services,  # noqa: F401  (fixture)
)


@pytest.fixture(params=[1, 500], ids=["pages of 1", "pages of 500"])
def later(
    services: Services,  # noqa: F811
    clock: Clock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Services:
    """165 days on: the earlier case's reports (40 and 20 days before NOW) have left the
    six-month window, this case's (2 days before NOW) has not."""
    monkeypatch.setattr(case_listing, "DOCUMENT_PAGE", request.param)
    clock.now = NOW + timedelta(days=165)
    return services


def test_a_case_with_no_report_left_in_the_window_counts_its_complainants_other_case(
    later: Services,
) -> None:
    exported = {d["id"]: d for p in case_listing.export_pages(later.casework) for d in p}
    assert sorted(exported) == sorted([CASE, EARLIER, ANONYMOUS])
    for case_id, document in exported.items():
        stored = later.casework.document(case_id, as_of_now=False)
        assert stored is not None
        assert document == later.casework.as_of_now(stored)
    assert exported[EARLIER]["case_review"] == {"qualifying_reports": 1, "eligible": False}
    assert exported[CASE]["case_review"] == {"qualifying_reports": 1, "eligible": False}
    assert exported[ANONYMOUS]["case_review"]["qualifying_reports"] == 0


def _stored_texts(store_of: Services, texts: dict[str, str]) -> None:
    with store_of.store.write() as conn:
        for case_id, text in texts.items():
            conn.exec_driver_sql("UPDATE cases SET document = ? WHERE id = ?", (text, case_id))


def test_the_export_written_by_sqlite_is_the_documents_written_by_the_standard_library(
    later: Services,
) -> None:
    """Numbers and strings the standard library writes its own way, NaN (not strict JSON),
    reviews stored in another key order, as 1 for true, or not at all, each as before."""
    ids = (CASE, EARLIER, ANONYMOUS)
    stored = {i: later.casework.document(i, as_of_now=False) or {} for i in ids}
    odd = {"n": [1e-05, 1e16, 2**70, -0.0, 0.1], "s": 'Zoë \u2028 "q" \\ é', "e": [{}, []]}
    nan = {**stored[CASE], **odd, "f": float("nan"), "c": "\x1f"}
    reordered = {**stored[EARLIER], **odd, "case_review": {"eligible": 0, "qualifying_reports": 2}}
    escaped = json.dumps({**stored[ANONYMOUS], **odd})  # "\u00eb": kept so by SQLite
    _stored_texts(
        later,
        {
            CASE: json.dumps(nan),
            EARLIER: json.dumps(reordered, ensure_ascii=False),
            ANONYMOUS: escaped,
        },
    )
    expected = [d for p in case_listing.export_pages(later.casework) for d in p]
    noted: list[str] = []
    written = b"".join(case_listing.export_bytes(later.casework, noted))
    text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert written.decode("utf-8") == text
    assert noted == [d["id"] for d in expected]
    assert {d["id"]: d["case_review"] for d in expected}[EARLIER] == {
        "qualifying_reports": 1,
        "eligible": False,
    }
    without = {k: v for k, v in reordered.items() if k != "case_review"}
    _stored_texts(later, {EARLIER: json.dumps(without, ensure_ascii=False)})
    expected = [d for p in case_listing.export_pages(later.casework) for d in p]
    written = b"".join(case_listing.export_bytes(later.casework, []))
    assert written.decode("utf-8") == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert b"".join(case_listing.export_bytes(later.casework, [])).count(b'"case_review": ') == 3

"""An export's Case Reviews as of now (`case_listing.export_pages`, a page at a time) are each
case's own as of now (`Casework.as_of_now`): a case whose own reports have all left the window
still counts its complainant's other case's report that has not, and one on another page."""

from __future__ import annotations

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


@pytest.mark.parametrize("page", [1, 500])
def test_a_case_with_no_report_left_in_the_window_counts_its_complainants_other_case(
    services: Services,  # noqa: F811
    clock: Clock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    page: int,
) -> None:
    monkeypatch.setattr(case_listing, "DOCUMENT_PAGE", page)
    # 165 days on: the earlier case's reports (40 and 20 days before NOW) have left the
    # six-month window, this case's (2 days before NOW) has not.
    clock.now = NOW + timedelta(days=165)
    exported = {d["id"]: d for p in case_listing.export_pages(services.casework) for d in p}
    assert sorted(exported) == sorted([CASE, EARLIER, ANONYMOUS])
    for case_id, document in exported.items():
        stored = services.casework.document(case_id, as_of_now=False)
        assert stored is not None
        assert document == services.casework.as_of_now(stored)
    assert exported[EARLIER]["case_review"] == {"qualifying_reports": 1, "eligible": False}
    assert exported[CASE]["case_review"] == {"qualifying_reports": 1, "eligible": False}
    assert exported[ANONYMOUS]["case_review"]["qualifying_reports"] == 0

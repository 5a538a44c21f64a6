"""What the team view counts, kept in the case's row (migration 0013), so its figures are SQL
aggregates over an index and a store of 100,000 cases is never decoded to draw them: the NSIR
category, when the next update to the complainant falls due (while it is still to do), and
whether the complainant has reached the ASB Case Review threshold (as last worked out)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from asb_desktop.domain.case import Case
from asb_desktop.domain.deadlines import Deadline, DeadlineKind
from asb_desktop.domain.procedure import Outcome
from asb_desktop.store.db_time import to_db


def team_columns(case: Case, outcome: Outcome, deadlines: Iterable[Deadline]) -> dict[str, Any]:
    update = next(
        (d.due_at for d in deadlines if d.kind is DeadlineKind.NEXT_UPDATE and d.outstanding),
        None,
    )
    return {
        "nsir_category": case.nsir_category.value if case.nsir_category else None,
        "update_due_at": to_db(update) if update else None,
        "review_eligible": int(outcome.case_review.eligible),
    }

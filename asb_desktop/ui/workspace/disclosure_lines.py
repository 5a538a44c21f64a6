"""The case's disclosure log as the workspace lists it (tab 5, above the audit history)."""

from __future__ import annotations

from asb_desktop.domain.disclosure import disclosure_words
from asb_desktop.services.case_actions import CaseView
from asb_desktop.ui.words import when

NO_DISCLOSURE = (
    "Nothing about this case has been given outside the team (third-party summaries, exports "
    "and subject access requests are listed here)."
)


def disclosure_lines(view: CaseView) -> list[str]:
    """Newest first: when, what and with which profile, to whom, by whom."""
    return [
        f"{when(d.at)} · {disclosure_words(d)} · to {d.to} · by {view.names(d.by)}"
        for d in reversed(view.case.disclosures)
    ]

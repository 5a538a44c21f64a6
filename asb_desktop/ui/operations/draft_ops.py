"""User actions on drafts: the autosave and throwing a draft away."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from asb_desktop.services.drafts import Drafts
from asb_desktop.ui.changes import Changed
from asb_desktop.ui.operations import Operation

DRAFTS_CHANGED = Changed(drafts=True)


def save_draft(
    parent: QObject, drafts: Drafts, draft_id: str, payload: dict[str, Any]
) -> Operation[object]:
    return Operation(
        parent, lambda: drafts.save(draft_id, payload), name="draft.save", changes=DRAFTS_CHANGED
    )


def discard_draft(parent: QObject, drafts: Drafts, draft_id: str) -> Operation[object]:
    return Operation(
        parent, lambda: drafts.delete(draft_id), name="draft.discard", changes=DRAFTS_CHANGED
    )

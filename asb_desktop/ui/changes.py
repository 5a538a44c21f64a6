"""The one "changes" signal the screens refresh from, after any action stored something."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Changes(QObject):
    sig_cases_changed = Signal(str)
    """A case was stored or changed; carries its id ("" when many changed)."""
    sig_drafts_changed = Signal()
    """A draft was saved, resumed or deleted."""
    sig_settings_changed = Signal()
    """A setting (nation, directory, officer, idle lock) changed."""

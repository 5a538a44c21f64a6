"""The one "changed" event every screen refreshes from, announced by the operations helper after
each successful write (never emitted by a screen by hand)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Changed:
    """What a write changed, so each screen reads again only what it shows. A write that does
    not say gets `everything()`: a screen refreshing too often is safe, a stale one is not."""

    cases: bool = False
    drafts: bool = False
    settings: bool = False
    case_id: str | None = None
    """The one case changed, when the write knows it (the workspace reopens it)."""

    @classmethod
    def everything(cls) -> Changed:
        return cls(cases=True, drafts=True, settings=True)

    @classmethod
    def case(cls, case_id: str) -> Changed:
        return cls(cases=True, case_id=case_id)


class Changes(QObject):
    sig_changed = Signal(object)
    """A write succeeded; carries what it changed (a `Changed`)."""


_hub: Changes | None = None


def change_hub() -> Changes:
    """The application's one hub (made on first use, on the GUI thread)."""
    global _hub
    if _hub is None:
        _hub = Changes()
    return _hub

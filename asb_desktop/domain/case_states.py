"""A case's state and severity, apart from the case model (domain/case.py re-exports them):
the caseload's first page reads and shows them before the model is imported."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """Decides the response target (5.3)."""

    SERIOUS = "serious"
    GENERAL = "general"


class CaseState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

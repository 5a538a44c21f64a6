"""The numbers of the case-management rules an organisation may set (through its presets,
support/presets.py), with the contract's defaults. Pure values: every place that works the
rules out (the laptop, the central store) is handed one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CasePolicy:
    # `next_update_due_at`: working days between updates to the complainant.
    update_working_days: int = 10
    update_working_days_high_risk: int = 5
    # `case_review`: how many qualifying reports make a case eligible, over how many months;
    # a report counts when made within `report_within_months` of the behaviour.
    review_threshold: int = 3
    review_window_months: int = 6
    report_within_months: int = 1
    # A local threshold: one hate incident is enough for an ASB Case Review.
    review_one_hate_incident: bool = False
    # How many days a closed case stays on a laptop after it closed; it comes down again if
    # reopened (sync/sync_run.py removes it; the central store keeps it).
    closed_days_on_laptop: int = 30
    # `retention.destroy_after`: how many years a closed case is kept after the day it closed
    # (domain/retention.py); the central store destroys it after that.
    retention_years: int = 6


DEFAULT_POLICY = CasePolicy()

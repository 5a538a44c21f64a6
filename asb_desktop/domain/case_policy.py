"""The numbers of the case-management rules an organisation may set (through its presets,
support/presets.py), with the contract's defaults. Pure values: every place that works the
rules out (the laptop, the central store) is handed one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace


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
    # A local threshold: this many different people (complainant keys) each reporting about the
    # same place (the case's estate, or its supported scheme) make each of their cases
    # eligible; 0 leaves it off (case_review.py says what counts).
    review_place_reporters: int = 0
    # An application for a Case Review is decided within this many working days (our choice:
    # the statutory guidance asks for a prompt decision; 10 working days is two weeks).
    review_decision_working_days: int = 10
    # How many days a closed case stays on a laptop after it closed; it comes down again if
    # reopened (sync/sync_run.py removes it; the central store keeps it).
    closed_days_on_laptop: int = 30
    # `retention.destroy_after`: how many years a closed case is kept after the day it closed
    # (domain/retention.py); the central store destroys it after that.
    retention_years: int = 6
    # Evidence (domain/attachment.py): the largest file attached, in megabytes (10^6 bytes), and
    # whether a photo's location and camera metadata are removed unless told otherwise.
    attachment_max_mb: int = 200
    scrub_photos: bool = True


DEFAULT_POLICY = CasePolicy()

# The case-management keys of the organisation's preset file (`asb-desktop-defaults/1`) that the
# central store takes too (`asb-central presets import`): key -> the field, and the whole
# numbers allowed (None: true or false). support/presets.py reads the same keys on a laptop.
CENTRAL_PRESET_KEYS: dict[str, tuple[str, range | None]] = {
    "update_working_days": ("update_working_days", range(1, 61)),
    "update_working_days_high_risk": ("update_working_days_high_risk", range(1, 61)),
    "case_review_threshold": ("review_threshold", range(1, 21)),
    "case_review_window_months": ("review_window_months", range(1, 25)),
    "case_review_one_hate_incident": ("review_one_hate_incident", None),
    "case_review_same_place_reporters": ("review_place_reporters", range(0, 51)),
    "case_review_decision_working_days": ("review_decision_working_days", range(1, 61)),
}


def policy_from_presets(raw: Mapping[str, object], base: CasePolicy = DEFAULT_POLICY) -> CasePolicy:
    """`base` with the preset file's case-management numbers (CENTRAL_PRESET_KEYS; other keys
    are left alone); ValueError naming the first key whose value cannot be used."""
    chosen: dict[str, object] = {}
    for key, (name, allowed) in CENTRAL_PRESET_KEYS.items():
        value = raw.get(key)
        if value is None:
            continue
        if allowed is None:
            if not isinstance(value, bool):
                raise ValueError(f'"{key}" must be true or false')
        elif isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise ValueError(f'"{key}" must be a whole number from {allowed[0]} to {allowed[-1]}')
        chosen[name] = value
    known = {f.name for f in fields(CasePolicy)}
    assert known.issuperset(chosen)
    return replace(base, **chosen)  # type: ignore[arg-type]


def preset_values(policy: CasePolicy) -> dict[str, object]:
    """The preset keys of `policy` that differ from the defaults (what an organisation chose)."""
    return {
        key: getattr(policy, name)
        for key, (name, _) in CENTRAL_PRESET_KEYS.items()
        if getattr(policy, name) != getattr(DEFAULT_POLICY, name)
    }

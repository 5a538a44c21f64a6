"""The organisation's numbers for the case-management rules, from its preset file: the update
cadence and the ASB Case Review's threshold, window and one-hate-incident rule; a casework
service with no preset file uses the contract's defaults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asb_desktop.domain.case_policy import DEFAULT_POLICY, CasePolicy
from asb_desktop.support.presets import FORMAT, PRESET_FILE_NAME, PresetError, read_preset_file


def preset(tmp_path: Path, **keys: Any) -> Path:
    path = tmp_path / PRESET_FILE_NAME
    path.write_text(json.dumps({"format": FORMAT, **keys}), encoding="utf-8")
    return path


def test_each_number_is_read_into_the_policy(tmp_path: Path) -> None:
    presets = read_preset_file(
        preset(
            tmp_path,
            update_working_days=7,
            update_working_days_high_risk=2,
            case_review_threshold=5,
            case_review_window_months=12,
            case_review_one_hate_incident=True,
        )
    )
    assert presets.case_policy == CasePolicy(
        update_working_days=7,
        update_working_days_high_risk=2,
        review_threshold=5,
        review_window_months=12,
        review_one_hate_incident=True,
    )
    assert presets.summary()["case_review_threshold"] == "5"


def test_none_given_means_the_contracts_defaults(tmp_path: Path) -> None:
    presets = read_preset_file(preset(tmp_path))
    assert presets.case_policy == DEFAULT_POLICY
    assert (DEFAULT_POLICY.update_working_days, DEFAULT_POLICY.update_working_days_high_risk) == (
        10,
        5,
    )
    assert "case_review_threshold" not in presets.summary()


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("update_working_days", 0, "from 1 to 60"),
        ("update_working_days_high_risk", "5", "a whole number"),
        ("case_review_threshold", True, "a whole number"),
        ("case_review_window_months", 36, "from 1 to 24"),
        ("case_review_one_hate_incident", "yes", "true or false"),
    ],
)
def test_a_bad_number_is_refused_naming_the_key(
    tmp_path: Path, key: str, value: Any, words: str
) -> None:
    with pytest.raises(PresetError, match=key) as refused:
        read_preset_file(preset(tmp_path, **{key: value}))
    assert words in str(refused.value)


def test_the_casework_service_takes_the_policy_from_the_preset_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asb_desktop.app import services_for
    from asb_desktop.store.database import Store
    from asb_desktop.store.keys import DatabaseKey, FixedKey

    monkeypatch.setenv("ASB_DESKTOP_DEFAULTS", str(preset(tmp_path, case_review_threshold=2)))
    services = services_for(Store.open(tmp_path / "data", FixedKey(DatabaseKey.raw(b"p" * 32))))
    try:
        assert services.casework.policy().review_threshold == 2
    finally:
        services.close()


def test_how_long_closed_cases_stay_on_a_laptop_is_the_organisations(tmp_path: Path) -> None:
    assert DEFAULT_POLICY.closed_days_on_laptop == 30
    presets = read_preset_file(preset(tmp_path, closed_cases_on_laptop_days=14))
    assert presets.case_policy.closed_days_on_laptop == 14
    assert presets.summary()["closed_cases_on_laptop_days"] == "14"
    with pytest.raises(PresetError, match="from 1 to 3650"):
        read_preset_file(preset(tmp_path, closed_cases_on_laptop_days=0))

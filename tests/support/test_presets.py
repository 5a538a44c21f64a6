"""Organisation presets: found where IT puts them, and every mistake named with file and key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asb_desktop.domain.calendar import Nation
from asb_desktop.support.presets import (
    FORMAT,
    PRESET_ENV,
    PRESET_FILE_NAME,
    PresetError,
    Presets,
    candidate_paths,
    load_presets,
    read_preset_file,
)
from tests.paths import REPO

LOGO = REPO / "resources" / "branding" / "logo.png"


def write(folder: Path, body: Any, name: str = PRESET_FILE_NAME) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return path


def full(**changes: Any) -> dict[str, Any]:
    body = {
        "format": FORMAT,
        "organisation_name": "  Connexus   Housing ",
        "organisation_logo": str(LOGO),
        "central_store_url": "https://asb.connexus.example:8443/sync",
        "bank_holiday_nation": "scotland",
        "idle_lock_minutes": 10,
        "locked": ["central_store_url", "bank_holiday_nation"],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def test_every_setting_is_read(tmp_path: Path) -> None:
    presets = read_preset_file(write(tmp_path, full()))
    assert presets.organisation_name == "Connexus Housing"
    assert presets.organisation_logo == LOGO
    assert presets.central_store_url == "https://asb.connexus.example:8443/sync/"
    assert presets.bank_holiday_nation is Nation.SCOTLAND
    assert presets.idle_lock_minutes == 10
    assert presets.is_locked("central_store_url") and not presets.is_locked("idle_lock_minutes")


def test_only_format_is_required_and_a_relative_logo_is_read_beside_the_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "logo.png").write_bytes(LOGO.read_bytes())
    presets = read_preset_file(write(tmp_path, {"format": FORMAT, "organisation_logo": "logo.png"}))
    assert presets.organisation_logo == tmp_path / "logo.png"
    assert presets.central_store_url is None and presets.locked == frozenset()
    assert read_preset_file(write(tmp_path, {"format": FORMAT})) == Presets(
        source=tmp_path / PRESET_FILE_NAME
    )


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("{not json", "not valid JSON (Expecting property name"),
        ([1, 2], "one JSON object"),
        ({"organisation_name": "X"}, '"format" must be'),
        (full(idle_lock_minute=5), "unknown key 'idle_lock_minute'"),
        (full(organisation_name=""), '"organisation_name" must be non-empty'),
        (full(organisation_name="x" * 121), "at most 120"),
        (full(organisation_name="Bad\u0007Name"), "control characters"),
        (full(organisation_logo="missing.png"), '"organisation_logo": no readable file'),
        (full(central_store_url="http://asb.example.org"), "must use https://"),
        (full(central_store_url="ftp://asb.example.org"), "must start with https://"),
        (full(central_store_url="https://admin:pw@asb.example.org"), "user name or password"),
        (full(central_store_url="https://asb.example.org/?token=1"), "?query"),
        (full(central_store_url="https://asb.example.org:99999/"), "not a valid web address"),
        (full(bank_holiday_nation="wales"), '"bank_holiday_nation" must be one of'),
        (full(idle_lock_minutes=7), '"idle_lock_minutes" must be one of: 1, 2, 5, 10, 15, 30'),
        (full(idle_lock_minutes=True), '"idle_lock_minutes" must be one of'),
        (full(locked="central_store_url"), '"locked" must be a list'),
        (full(locked=["officer_name"]), "'officer_name' cannot be locked"),
        (full(locked=["idle_lock_minutes"], idle_lock_minutes=...), "locked but not given"),
    ],
)
def test_a_bad_file_is_refused_naming_file_and_key(tmp_path: Path, body: Any, named: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(PresetError) as caught:
        read_preset_file(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert named in str(caught.value)


def test_a_logo_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("<svg/>", encoding="utf-8")
    with pytest.raises(PresetError, match=r"logo\.png is not a PNG or JPEG"):
        read_preset_file(write(tmp_path, full(organisation_logo="logo.png")))


def test_http_is_allowed_for_a_local_test_server_only(tmp_path: Path) -> None:
    body = full(central_store_url="http://127.0.0.1:8000")
    assert read_preset_file(write(tmp_path, body)).central_store_url == "http://127.0.0.1:8000/"


def test_not_utf8_and_too_big_are_refused(tmp_path: Path) -> None:
    path = tmp_path / PRESET_FILE_NAME
    path.write_bytes(b'{"format": "\xff"}')
    with pytest.raises(PresetError, match="not UTF-8"):
        read_preset_file(path)
    path.write_text(json.dumps({"format": FORMAT, "organisation_name": "x" * 70000}))
    with pytest.raises(PresetError, match="at most 65536"):
        read_preset_file(path)


def test_first_file_found_wins_and_none_means_no_presets(tmp_path: Path) -> None:
    first = write(tmp_path / "a", full(organisation_name="First"))
    second = write(tmp_path / "b", full(organisation_name="Second"))
    assert (
        load_presets([tmp_path / "none.json", first, second], environ={}).organisation_name
        == "First"
    )
    assert load_presets([tmp_path / "none.json"], environ={}) == Presets()


def test_the_environment_variable_names_a_file_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = write(tmp_path, full(organisation_name="From env"))
    environ = {PRESET_ENV: str(chosen)}
    assert candidate_paths(environ)[0] == chosen
    assert load_presets(environ=environ).organisation_name == "From env"
    with pytest.raises(PresetError, match=f"named by {PRESET_ENV} but there is no such file"):
        load_presets(environ={PRESET_ENV: str(tmp_path / "gone.json")})


def test_the_system_folder_is_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{tmp_path / 'one'}:{tmp_path / 'two'}")
    write(tmp_path / "two" / "ASB Desktop", full(organisation_name="Site"))
    paths = candidate_paths(environ={})
    assert tmp_path / "one" / "ASB Desktop" / PRESET_FILE_NAME in paths
    assert load_presets(environ={}).organisation_name == "Site"


def test_the_executable_folder_is_searched_in_a_frozen_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys.executable", str(tmp_path / "asb-desktop"))
    assert candidate_paths(environ={})[0] == tmp_path / PRESET_FILE_NAME


def test_the_summary_shows_every_preset_value(tmp_path: Path) -> None:
    summary = read_preset_file(write(tmp_path, full())).summary()
    assert summary["bank_holiday_nation"] == "scotland"
    assert summary["idle_lock_minutes"] == "10"
    assert summary["locked"] == "bank_holiday_nation, central_store_url"


def test_the_shipped_example_is_valid(tmp_path: Path) -> None:
    example = REPO / "packaging" / "asb-desktop.defaults.example.json"
    body = json.loads(example.read_text(encoding="utf-8"))
    (tmp_path / body["organisation_logo"]).write_bytes(LOGO.read_bytes())
    presets = read_preset_file(write(tmp_path, body))
    assert presets.central_store_url and presets.bank_holiday_nation and presets.locked

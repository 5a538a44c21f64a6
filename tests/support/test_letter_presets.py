"""The letters' wording in the organisation's presets: read, defaults kept for keys not given,
and an unknown placeholder, a stray brace or empty text refused naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from asb_desktop.domain.letters import DEFAULT_WORDING
from asb_desktop.support.presets import FORMAT, PresetError, read_preset_file
from tests.support.test_presets import write


def test_letter_wording_is_read_and_the_rest_keeps_its_default(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "format": FORMAT,
            "letter_closure": "Closed {reference} on {closed_date}:\n\n{outcome}.",
            "letter_sign_off": "Kind regards",
        },
    )
    wording = read_preset_file(path).letter_wording
    assert wording.closure == "Closed {reference} on {closed_date}:\n\n{outcome}."
    assert wording.sign_off == "Kind regards"
    assert wording.acknowledgement == DEFAULT_WORDING.acknowledgement
    assert read_preset_file(path).summary()["letter_closure"] == "(the organisation's own wording)"


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("letter_update", "Dear {name}", "uses {name}, which is not a placeholder"),
        ("letter_update", "Costs {reference", "unmatched { or }"),
        ("letter_acknowledgement", "   ", "must be non-empty text"),
        ("letter_sign_off", 3, "must be non-empty text"),
        ("letter_closure", "x" * 4001, "at most 4000"),
    ],
)
def test_bad_wording_is_refused_naming_the_key(
    tmp_path: Path, key: str, value: object, said: str
) -> None:
    path = write(tmp_path, {"format": FORMAT, key: value})
    with pytest.raises(PresetError) as caught:
        read_preset_file(path)
    assert f'"{key}"' in str(caught.value) and said in str(caught.value)
    assert str(path) in str(caught.value)

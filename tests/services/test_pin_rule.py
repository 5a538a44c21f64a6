"""The PIN rule refuses what the PIN pages tell the officer not to choose, in the same words:
the same digit repeated, digits counting up or down (1234 among them)."""

from __future__ import annotations

import pytest

from asb_desktop.services.lock import COUNTING, PIN_ADVICE, REPEATED, PinError, check_new_pin


@pytest.mark.parametrize(
    "pin", ["1234", "4321", "0123", "3456789", "9876", "7890", "0987", "123456789012"]
)
def test_digits_counting_up_or_down_are_refused(pin: str) -> None:
    with pytest.raises(PinError, match="digits counting up or down"):
        check_new_pin(pin)


@pytest.mark.parametrize("pin", ["1111", "0000", "99999999"])
def test_the_same_digit_repeated_is_refused(pin: str) -> None:
    with pytest.raises(PinError, match="the same digit repeated"):
        check_new_pin(pin)


@pytest.mark.parametrize("pin", ["123", "12ab", "1234567890123", "", "12 34"])
def test_the_length_and_digits_only(pin: str) -> None:
    with pytest.raises(PinError, match="4 to 12 digits"):
        check_new_pin(pin)


@pytest.mark.parametrize("pin", ["2468", "5791", "80808080", "1235", "4827", "1123"])
def test_other_pins_are_accepted(pin: str) -> None:
    check_new_pin(pin)


def test_the_pages_advice_names_what_the_rule_refuses() -> None:
    assert REPEATED in PIN_ADVICE and COUNTING in PIN_ADVICE and "1234" in PIN_ADVICE

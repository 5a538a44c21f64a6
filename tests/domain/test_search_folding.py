"""The one folding the caseload search applies to stored words and to what is typed, and the
one-line words a caseload row shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asb_desktop.domain.case import Complainant, Incident
from asb_desktop.domain.case_line import (
    LINE_LIMIT,
    complainant_name,
    latest_incident_line,
    one_line,
)
from asb_desktop.domain.search_folding import LETTERS, fold_for_search
from tests.domain.domain_builders import case as make_case


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Łukasiewicz", "lukasiewicz"),
        ("Dvořák", "dvorak"),
        ("Nguyễn", "nguyen"),
        ("Zoë", "zoe"),
        ("Øvergaard", "overgaard"),
        ("Đorđević", "dordevic"),
        ("Straße", "strasse"),
        ("Işık", "isik"),
        ("İstanbul", "istanbul"),
        ("Guðrún Þór", "gudrun thor"),
        ("Ærø", "aero"),
        ("Siobhán O'Brien", "siobhan o'brien"),
        ("ﬁve", "five"),
        ("Ｆｕｌｌ", "full"),
        ("Иванов", "иванов"),
        ("Ελένη", "ελενη"),
        ("한국", "한국"),
    ],
)
def test_folding_drops_case_and_accents_and_spells_stroked_letters_plainly(
    written: str, folded: str
) -> None:
    assert fold_for_search(written) == folded
    assert fold_for_search(written.upper()) == fold_for_search(folded)


def test_every_letter_of_the_table_is_a_lower_case_letter_nfkd_leaves_alone() -> None:
    import unicodedata

    for letter, plain in LETTERS.items():
        assert letter == letter.casefold() or letter == "ß"
        assert plain.isascii() and plain.islower()
        if letter != "ß":
            assert unicodedata.normalize("NFKD", letter) == letter
        assert fold_for_search(letter.upper()) == plain


@given(st.text())
def test_folding_twice_is_folding_once(text: str) -> None:
    once = fold_for_search(text)
    assert fold_for_search(once) == once


def test_a_row_names_the_complainant_unless_anonymous() -> None:
    case = make_case()
    named = replace(case, complainant=Complainant(anonymous=False, name="  Zoë\nDvořák "))
    assert complainant_name(named) == "Zoë Dvořák"
    anonymous = replace(case, complainant=Complainant(anonymous=True, name="Zoë Dvořák"))
    assert complainant_name(anonymous) is None


def test_the_latest_incident_is_the_one_that_happened_last_in_one_line() -> None:
    case = make_case()
    early = Incident("a", datetime(2026, 3, 1, tzinfo=UTC), "First\n\nthing")
    late = Incident("b", datetime(2026, 3, 9, tzinfo=UTC), "Music  until\n3am")
    assert latest_incident_line(replace(case, incidents=(late, early))) == "Music until 3am"
    assert latest_incident_line(replace(case, incidents=())) is None


def test_one_line_cuts_a_long_description_at_a_word() -> None:
    long = "word " * 60
    line = one_line(long)
    assert len(line) <= LINE_LIMIT and line.endswith("word…")
    assert one_line("x" * 300).endswith("…") and len(one_line("x" * 300)) == LINE_LIMIT

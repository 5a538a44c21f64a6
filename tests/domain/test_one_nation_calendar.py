"""The working-day calendar loads the United Kingdom's holidays alone (the holidays package
imports all 246 countries it knows when asked the usual way), and knows the same days."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import holidays
import pytest

from asb_desktop.domain.calendar import Nation, _bank_holidays
from tests.paths import REPO

SUBDIVISIONS = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@pytest.mark.parametrize("nation", list(Nation))
def test_the_same_bank_holidays_as_the_whole_package(nation: Nation) -> None:
    for year in range(2018, 2036):
        expected = holidays.country_holidays("GB", subdiv=SUBDIVISIONS[nation], years=year)
        assert _bank_holidays(nation, year) == frozenset(expected.keys()), (nation, year)


def test_a_fresh_process_loads_one_country_and_leaves_the_package_whole() -> None:
    script = textwrap.dedent(
        """
        import sys
        from datetime import date
        from asb_desktop.domain.calendar import WorkingDayCalendar
        assert not any(m.startswith("holidays") for m in sys.modules), "nothing until asked"
        assert WorkingDayCalendar().is_bank_holiday(date(2026, 12, 25))
        loaded = sorted(m for m in sys.modules if m.startswith("holidays.countries."))
        assert loaded == ["holidays.countries.united_kingdom"], loaded
        import holidays
        assert holidays.country_holidays("FR", years=2026)  # the package still works whole
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr

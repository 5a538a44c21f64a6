"""Print summary's PDF made in a child process (reports/summary_child.py): the same summary as
made in this process, for either audience; its errors are the same errors; a child started
ahead is the one used, the next is started after it, and one let go exits; a child that dies
or cannot start is said or stood in for."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from asb_desktop.domain.errors import InputError
from asb_desktop.reports import Profile, build_case_summary
from asb_desktop.reports.summary_child import ChildStopped, SummaryMaker, photos_read_ahead
from asb_desktop.reports.summary_child import _start as start_child
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import all_text, inflated_streams

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
WAITING = '{"kind": "waiting"}'  # what a child says once it has loaded


def options(profile: Profile) -> dict[str, Any]:
    return {
        "profile": profile,
        "produced_by": "Hana Ali",
        "produced_at": PRODUCED_AT,
        "audit_trail": rb.audit_trail(),
    }


class Counted:
    """Starts real children and keeps each, to see which one did the work."""

    def __init__(self) -> None:
        self.children: list[subprocess.Popen[bytes]] = []

    def __call__(self) -> subprocess.Popen[bytes]:
        self.children.append(start_child())
        return self.children[-1]


@pytest.mark.parametrize("profile", [Profile.INTERNAL, Profile.THIRD_PARTY])
def test_the_child_makes_the_summary_made_here(profile: Profile) -> None:
    document = rb.case_document(incidents=4)
    document["incidents"][0]["description"] += f" {rb.NAME} said to ring {rb.PHONE}."
    here = build_case_summary(document, **options(profile))
    started = Counted()
    maker = SummaryMaker(start=started)
    maker.warm()
    assert maker.ready(timeout=60)
    try:
        there = maker(document, **options(profile))
    finally:
        maker.close()
    assert started.children[0].wait(timeout=60) == 0  # it made it, and said so
    assert (there.pages, there.warnings, there.file_name) == (
        here.pages, here.warnings, here.file_name,
    )  # fmt: skip
    assert inflated_streams(there.pdf) == inflated_streams(here.pdf)  # every page, every font
    text = all_text(there.pdf)
    assert (rb.NAME in text) is (profile is Profile.INTERNAL)  # 5.6 as before
    assert (rb.PHONE in text) is (profile is Profile.INTERNAL)


def test_an_error_in_the_child_is_the_error_raised_here() -> None:
    document = rb.case_document()
    document["received_at"] = "last Tuesday"
    with pytest.raises(InputError) as here:
        build_case_summary(document, **options(Profile.INTERNAL))
    maker = SummaryMaker()
    maker.warm()
    assert maker.ready(timeout=60)
    try:
        with pytest.raises(InputError) as there:
            maker(document, **options(Profile.INTERNAL))
    finally:
        maker.close()
    assert (there.value.field, there.value.problem, str(there.value)) == (
        here.value.field, here.value.problem, str(here.value),
    )  # fmt: skip


def test_the_child_started_ahead_does_the_work_and_one_let_go_exits() -> None:
    started = Counted()
    maker = SummaryMaker(start=started)
    maker.warm()
    maker.warm()  # one waiting is enough
    assert len(started.children) == 1
    assert maker.ready(timeout=60)
    result = maker(rb.case_document(), **options(Profile.INTERNAL))
    assert result.pages >= 1
    first, spare = started.children  # the one started ahead made it; the next one waits
    assert first.wait(timeout=60) == 0
    assert spare.poll() is None
    maker.close()
    assert spare.wait(timeout=60) == 0  # it read the end of its input: nothing to do
    maker.warm()
    assert len(started.children) == 2  # closed: no more children


def test_a_child_that_dies_without_an_answer_is_an_error_with_no_file() -> None:
    def dies() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"print({WAITING!r}, flush=True); import sys; sys.stdin.buffer.read(8)",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    maker = SummaryMaker(start=dies)
    maker.warm()
    assert maker.ready(timeout=60)
    with pytest.raises(ChildStopped):
        maker(rb.case_document(), **options(Profile.INTERNAL))
    maker.close()


def test_a_summary_asked_for_before_the_child_has_loaded_is_made_here() -> None:
    def slow() -> subprocess.Popen[bytes]:  # never says it is waiting
        return subprocess.Popen(
            [sys.executable, "-c", "import sys; sys.stdin.buffer.read()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    maker = SummaryMaker(start=slow)
    maker.warm()
    document = rb.case_document()
    result = maker(document, **options(Profile.INTERNAL))
    here = build_case_summary(document, **options(Profile.INTERNAL))
    assert inflated_streams(result.pdf) == inflated_streams(here.pdf)
    assert maker._spare is not None and maker._spare.child.poll() is None  # kept for the next
    maker.close()


def test_with_no_child_to_be_had_the_summary_is_made_here() -> None:
    def cannot() -> subprocess.Popen[bytes]:
        raise FileNotFoundError(2, "No such file or directory")

    document = rb.case_document()
    result = SummaryMaker(start=cannot)(document, **options(Profile.INTERNAL))
    here = build_case_summary(document, **options(Profile.INTERNAL))
    assert inflated_streams(result.pdf) == inflated_streams(here.pdf)


def test_photos_are_read_ahead_for_every_attachment_and_asked_as_before() -> None:
    document = {"attachments": [{"id": "a"}, {"id": "b"}, {"name": "no id"}]}
    asked: list[str] = []

    def photos(attachment_id: str) -> bytes | None:
        asked.append(attachment_id)
        return b"jpeg" if attachment_id == "a" else None

    stored = photos_read_ahead(document, photos)
    assert asked == ["a", "b"]
    assert stored is not None and stored("a") == b"jpeg" and stored("b") is None
    assert photos_read_ahead(document, None) is None

"""Section 16, the evidence schedule: every attachment with its kind, when and by whom, its
incident, size, full SHA-256 and whether it was scrubbed; thumbnails of the photos only when
asked for; a third party without a sharing ground (5.6) gets neither the files' names nor their
pictures, and with one gets both."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader

from asb_desktop.domain.document import format_timestamp
from asb_desktop.reports import Profile, build_case_summary
from asb_desktop.reports.story_evidence import TITLE
from tests.reports import report_builders as rb
from tests.reports.report_pdf_checks import all_text, found_in, page_texts

PRODUCED_AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
PERSONAL_NAME = "Zoë's door after the attack, 14 Larch Walk, from her neighbour Siobhán.jpg"
KINDS = ("image/jpeg", "application/pdf", "audio/mpeg", "image/png", "video/mp4")


def photo(n: int, kind: str) -> bytes:
    picture = Image.new("RGB", (400, 300), (n * 37 % 256, 90, 140))
    out = io.BytesIO()
    picture.save(out, "JPEG" if kind == "image/jpeg" else "PNG")
    return out.getvalue()


def with_evidence(document: dict[str, Any], count: int) -> dict[str, bytes]:
    """`count` attachments on the document, a long personal file name on every third; returns
    the stored bytes by attachment id."""
    stored: dict[str, bytes] = {}
    items = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        data = photo(n, kind) if kind.startswith("image/") else bytes([n]) * (1000 * n + 17)
        attachment_id = f"00000000-0000-4000-8000-{n:012d}"
        stored[attachment_id] = data
        items.append(
            {
                "id": attachment_id,
                "name": PERSONAL_NAME if n % 3 == 0 else f"IMG_{n:04d}.jpg",
                "media_type": kind,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "added_at": format_timestamp(rb.RECEIVED + timedelta(hours=n)),
                "added_by": "s-ha",
                "incident_id": "inc-2" if n % 2 else None,
                "scrubbed": kind.startswith("image/") and n % 4 == 0,
            }
        )
    document["attachments"] = items
    return stored


def summary(document: dict[str, Any], profile: Profile = Profile.INTERNAL, **more: Any) -> bytes:
    return build_case_summary(
        document,
        profile=profile,
        produced_by="Hana Ali",
        produced_at=PRODUCED_AT,
        names={"s-ha": "Hana Ali"}.get,  # type: ignore[arg-type]
        **more,
    ).pdf


def schedule_text(pdf: bytes) -> str:
    text = all_text(pdf)
    return text[text.index(TITLE) :]


def pictures(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_schedule_lists_what_when_who_which_incident_size_hash_and_scrubbing() -> None:
    document = rb.case_document(incidents=3)
    stored = with_evidence(document, 5)
    text = schedule_text(summary(document))
    assert f"{TITLE} (5)" in text
    flat = re.sub(r"\s+", "", text)
    for item in document["attachments"]:
        assert item["sha256"] in flat  # in full, though it is printed over several lines
    numbers = re.sub(r"\s+", " ", text)
    assert "IMG_0001.jpg" in numbers and "document (PDF)" in numbers
    assert "recording (MP3)" in numbers
    assert "10 Mar 2026 10:30, by Hana Ali" in numbers  # the second, an hour after the report
    assert "Incident 2" in numbers and "The case" in numbers  # inc-2 is the second oldest
    assert "1.0 KB" in numbers and "Not a photo" in numbers
    first = document["attachments"][0]["sha256"]
    hash_words = " ".join(first[i : i + 16] for i in range(0, 64, 16))
    row = f"photo (JPEG) 10 Mar 2026 09:30, by Hana Ali The case 2.5 KB {hash_words} Yes"
    assert row in numbers  # the first: a scrubbed JPEG for the case as a whole
    assert len(stored) == 5


def test_thirty_with_long_names_run_over_pages_each_hash_whole_in_even_lines() -> None:
    document = rb.case_document(incidents=3)
    with_evidence(document, 30)
    pdf = summary(document)
    pages = [t for t in page_texts(pdf) if "SHA-256" in t]
    assert len(pages) >= 2  # the schedule breaks across pages, its heading row repeated
    lines = set(all_text(pdf).splitlines())
    for item in document["attachments"]:
        sha = item["sha256"]
        assert all(sha[i : i + 16] in lines for i in range(0, 64, 16)), sha
    assert all_text(pdf).count("Siobhán") >= 10  # every long name printed whole


def test_thumbnails_only_when_asked_for_and_only_of_photos() -> None:
    document = rb.case_document(incidents=3)
    stored = with_evidence(document, 10)
    asked: list[str] = []

    def photos(attachment_id: str) -> bytes | None:
        asked.append(attachment_id)
        return stored.get(attachment_id)

    plain = summary(document)
    drawn = summary(document, photos=photos)
    photo_count = sum(1 for a in document["attachments"] if a["media_type"].startswith("image/"))
    assert pictures(drawn) == pictures(plain) + photo_count
    assert len(asked) == photo_count  # recordings and documents are never read for a picture
    assert "Photo" in schedule_text(drawn).splitlines() and "Photo" not in schedule_text(plain)


def test_a_photo_not_on_this_laptop_says_so() -> None:
    document = rb.case_document(incidents=1)
    with_evidence(document, 1)
    pdf = summary(document, photos=lambda attachment_id: None)
    assert "Not on this laptop" in re.sub(r"\s+", " ", schedule_text(pdf))
    assert pictures(pdf) == pictures(summary(document))


def test_a_third_party_without_a_sharing_ground_gets_no_names_and_no_pictures(
    tmp_path: Path,
) -> None:
    document = rb.case_document(incidents=3)
    stored = with_evidence(document, 6)
    internal = summary(document)
    pdf = summary(document, Profile.THIRD_PARTY, photos=stored.get)
    assert found_in(pdf, "14 Larch Walk, from her neighbour", tmp_path) == []
    assert found_in(pdf, "IMG_0001.jpg", tmp_path) == []
    text = schedule_text(pdf)
    assert re.sub(r"\s+", " ", text).count("Name withheld (5.6)") == 6
    assert "names and pictures are not included" in re.sub(r"\s+", " ", text)
    assert pictures(pdf) == pictures(internal)  # the logo only
    flat = re.sub(r"\s+", "", text)
    assert all(item["sha256"] in flat for item in document["attachments"])


def test_a_third_party_with_consent_gets_the_names_and_the_pictures_asked_for() -> None:
    document = rb.case_document(incidents=3, consent=("given", "consent"))
    stored = with_evidence(document, 6)
    pdf = summary(document, Profile.THIRD_PARTY, photos=stored.get)
    text = re.sub(r"\s+", " ", schedule_text(pdf))
    assert "IMG_0001.jpg" in text and "Name withheld" not in text
    photo_count = sum(1 for a in document["attachments"] if a["media_type"].startswith("image/"))
    assert pictures(pdf) == pictures(summary(document, Profile.THIRD_PARTY)) + photo_count


def test_a_case_with_no_evidence_says_so() -> None:
    assert "No evidence attached." in schedule_text(summary(rb.case_document(incidents=1)))

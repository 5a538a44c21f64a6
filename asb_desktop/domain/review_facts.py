"""A Case Review's facts read straight from a stored case document: the few fields the count
needs (who, each incident's report and occurrence, hate strands), not the whole case. Reading
the whole case checks every field of it, about a millisecond; an export of 100,000 cases works
out tens of thousands of reviews as of now.

The fields are read as `domain.document` reads them (a missing `reported_at`, or one equal to
the receipt, is the receipt; the complainant's name and address as `complainant_key` folds
them). Anything unusual in those fields (a wrong type, an unreadable time, an id that is not
a UUID as written) gives None, and the caller reads the whole case instead, as before.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from asb_desktop.domain.case import Complainant
from asb_desktop.domain.case_review import ReviewFacts, complainant_key
from asb_desktop.domain.errors import InputError
from asb_desktop.domain.timestamps import parse_timestamp


def document_review_facts(document: Any) -> ReviewFacts | None:
    """The facts of a stored document, or None when they are not plainly there."""
    try:
        return _facts(document)
    except (InputError, ValueError, TypeError, AttributeError, KeyError):
        return None


def _facts(document: dict[str, Any]) -> ReviewFacts | None:
    case_id = document["id"]
    if not isinstance(case_id, str) or str(uuid.UUID(case_id)) != case_id:
        return None
    complainant = document["complainant"]
    anonymous = complainant["anonymous"]
    if not isinstance(anonymous, bool):
        return None
    key = None
    if not anonymous:
        name, address = complainant.get("name"), complainant.get("address")
        if not all(value is None or isinstance(value, str) for value in (name, address)):
            return None
        key = complainant_key(Complainant(anonymous=False, name=name, address=address))
    received = parse_timestamp(document["received_at"], "received_at")
    incidents = document["incidents"]
    if not isinstance(incidents, list) or not incidents:
        return None
    reports: list[tuple[datetime, datetime]] = []
    for incident in incidents:
        occurred = parse_timestamp(incident["occurred_at"], "occurred_at")
        given = incident.get("reported_at")
        reports.append((received if given is None else parse_timestamp(given, "r"), occurred))
    hate = document.get("hate_strands")
    if hate is not None and not isinstance(hate, list):
        return None
    return ReviewFacts(case_id, anonymous, key, tuple(reports), bool(hate))

"""The limits a case document is held to on every path in: `asb-desktop import`, the window's
save, a case pulled from the central store, and the central store's push. One table, so what one
path accepts the others accept, and a case stored on a laptop can always be sent.

Why these numbers:

- `MAX_DOCUMENT_BYTES`: one case as stored and sent (compact UTF-8 JSON, computed fields
  included) must fit in one push request (`sync/protocol.py` MAX_BODY_BYTES, 4 MiB) with room
  for the op around it; a bigger case would be refused by the central store on every sync.
- `MAX_TEXT`: one free-text field; far beyond any real statement.
- `MAX_CODE`: ids, codes and staff ids; the central store keeps them in 200-character columns.
- `MAX_ITEMS`: how many items each list may hold; far beyond any real case.
- `MAX_JSON_DEPTH`: a case document nests 3 deep; anything far deeper is hostile.
- `MAX_NUMBER_CHARS`: the only numbers in a case document are risk assessment scores (and
  answers from another system); a number written with more characters than this is refused
  while the file is read (Python would choke on it).
- `MAX_IMPORT_RECORDS`, `MAX_IMPORT_BYTES`: one import file (split a bigger one).
- `MAX_PROBLEMS_LISTED`: how many problems an answer lists; the rest are counted.
"""

from __future__ import annotations

import re
from typing import Final

MAX_DOCUMENT_BYTES: Final = 2 * 1024 * 1024
MAX_TEXT: Final = 100_000
MAX_CODE: Final = 200
MAX_ITEMS: Final[dict[str, int]] = {
    "incidents": 1_000,
    "involved": 200,
    "witnesses": 200,
    "hate_strands": 5,
    "resolution_attempts": 200,
    "entries": 10_000,
    "participants": 50,  # staff_risk_assessment.participants
    "asb_types": 20,
    "risk_assessments": 200,
    "vulnerabilities": 30,  # of each person
    "actions": 500,  # action_plan.actions
    "reopenings": 200,
    "disclosures": 10_000,
    "attachments": 2_000,
}
# Answers in one risk assessment (question id: answer); ours has a handful of questions.
MAX_ANSWERS: Final = 200
MAX_JSON_DEPTH: Final = 16
MAX_NUMBER_CHARS: Final = 40
MAX_IMPORT_RECORDS: Final = 50_000
MAX_IMPORT_BYTES: Final = 256 * 1024 * 1024
MAX_PROBLEMS_LISTED: Final = 100

# Keys whose values are ids or codes (MAX_CODE), wherever they appear; other strings are text.
CODE_KEYS: Final = frozenset(
    {
        "id",
        "estate",
        "supported_scheme",
        "recorded_by",
        "by",
        "staff_id",
        "to_staff_id",
        "received_by",  # case_review_applications[]: staff ids
        "decided_by",
    }
)

# Text may hold tab and newline; no other C0 control (NUL, BEL, backspace, ESC, carriage
# return…), no DEL or C1 control, and no lone surrogate (which is not Unicode text at all).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_NAMES: Final = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "ESC",
    0x7F: "DEL",
}


def text_problem(value: str, limit: int = MAX_TEXT) -> str | None:
    """What is wrong with one string as text in a case document, or None."""
    if len(value) > limit:
        return f"is longer than {limit:,} characters ({len(value):,})"
    bad = FORBIDDEN_CHARACTERS.search(value)
    if bad is None:
        return None
    code = ord(bad.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"holds a lone surrogate (U+{code:04X}) at character {bad.start() + 1}: not Unicode text"
    name = _CONTROL_NAMES.get(code, "a control character")
    return (
        f"holds a control character (U+{code:04X}, {name}) at character {bad.start() + 1}: "
        "text may hold tab and newline, no other control character"
    )


def shown(value: str, width: int = 40) -> str:
    """A value quoted for a message: control characters escaped, cut to `width` characters, so
    a hostile key or code can neither flood nor drive the terminal it is printed on."""
    return repr(value[:width]) + ("…" if len(value) > width else "")

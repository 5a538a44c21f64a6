"""The one check every case coming in passes: `asb-desktop import`, the window's save, a case
pulled from the central store and the central store's push all call `check_document` (and, for
a new or changed fact, `check_change` against their staff directory), so the same document gets
the same answer, in the same words, on every path.

`check_document` finds every problem of a document, never only the first:

1. the limits (`domain/limits.py`): nesting, characters, text and code lengths, list sizes,
   duplicate keys (from `domain/json_input.py`), on the raw JSON value;
2. the shape (`domain/document.py`): keys, types, choices, timestamps;
3. the procedure's rules on the case (`domain/case_rules.case_problems`) and the size of the
   document as it will be stored and sent.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from asb_desktop.domain.attachment import attachment_problems
from asb_desktop.domain.case import Case
from asb_desktop.domain.case_rules import case_problems, change_problems
from asb_desktop.domain.directory import Directory
from asb_desktop.domain.document import read_case
from asb_desktop.domain.document_writer import case_to_document
from asb_desktop.domain.errors import InputError, InvalidDocument, Problems
from asb_desktop.domain.json_input import DuplicateKeys
from asb_desktop.domain.limits import (
    CODE_KEYS,
    FORBIDDEN_CHARACTERS,
    MAX_ANSWERS,
    MAX_CODE,
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    MAX_JSON_DEPTH,
    MAX_PROBLEMS_LISTED,
    MAX_TEXT,
    shown,
    text_problem,
)
from asb_desktop.domain.procedure import Assignment, AssignmentRule, Outcome

__all__ = [
    "Checked",
    "check_case",
    "check_change",
    "check_document",
    "checked_case",
    "document_bytes",
]


@dataclass
class Checked:
    """The outcome of checking one document: the case when it is valid, and every problem."""

    case: Case | None
    problems: Problems = field(default_factory=lambda: Problems(MAX_PROBLEMS_LISTED))

    @property
    def ok(self) -> bool:
        return self.case is not None and not self.problems

    def error(self, *, record: str | None = None) -> InvalidDocument:
        return InvalidDocument.of(self.problems, record=record)


_CODED = CODE_KEYS | {"participants"}


def _string_problem(value: str, where: str, key: str, problems: Problems) -> None:
    problem = text_problem(value, MAX_CODE if key in _CODED else MAX_TEXT)
    if problem:
        problems.add(where, problem)


def _limit_problems(value: Any, where: str, depth: int, problems: Problems, key: str = "") -> None:
    """Walk the raw JSON value: nesting, characters, lengths, list sizes, duplicate keys. `key`
    is the name the value is under (a list's items are under the list's name)."""
    here = where or "(document)"
    if depth > MAX_JSON_DEPTH:
        problems.add(here, f"is nested more than {MAX_JSON_DEPTH} levels deep")
        return
    if isinstance(value, str):
        if len(value) > MAX_CODE or FORBIDDEN_CHARACTERS.search(value):  # the quick look first
            _string_problem(value, here, key, problems)
    elif isinstance(value, dict):
        prefix = f"{where}." if where else ""
        if key == "answers" and len(value) > MAX_ANSWERS:  # a risk assessment's
            problems.add(here, f"holds {len(value):,} answers; at most {MAX_ANSWERS:,} are allowed")
            return
        if isinstance(value, DuplicateKeys):
            for name in value.duplicated:
                problems.add(f"{prefix}{_named(name)}", "is given more than once in one object")
        for name, item in value.items():
            if not isinstance(name, str):
                continue
            if len(name) > MAX_CODE or FORBIDDEN_CHARACTERS.search(name):
                problem = text_problem(name, MAX_CODE)
                if problem:
                    problems.add(f"{prefix}{shown(name)} (a key)", problem)
                    continue
            if isinstance(item, str):
                if len(item) > MAX_CODE or FORBIDDEN_CHARACTERS.search(item):
                    _string_problem(item, f"{prefix}{name}", name, problems)
            elif item is not None and not isinstance(item, bool):
                _limit_problems(item, f"{prefix}{name}", depth + 1, problems, name)
    elif isinstance(value, list):
        most = MAX_ITEMS.get(key)
        if most is not None and len(value) > most:
            problems.add(here, f"lists {len(value):,} items; at most {most:,} are allowed")
            return  # its items are not looked at one by one: that is the hostile part
        for i, item in enumerate(value):
            if isinstance(item, str):
                if len(item) > MAX_CODE or FORBIDDEN_CHARACTERS.search(item):
                    _string_problem(item, f"{where}[{i}]", key, problems)
            else:
                _limit_problems(item, f"{where}[{i}]", depth + 1, problems, key)
    elif isinstance(value, float) and not math.isfinite(value):
        problems.add(here, "must not be NaN or Infinity")


def _named(key: str) -> str:
    return key if key.isidentifier() and key.isascii() and len(key) <= 40 else shown(key)


_PLACEHOLDER = Assignment(AssignmentRule.UNASSIGNED, None)


def document_bytes(case: Case) -> int:
    """The size of the case's document as stored and sent (compact UTF-8 JSON)."""
    document = case_to_document(case, Outcome(_PLACEHOLDER, case.received_at, None))
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-8", "surrogatepass"))


def check_document(obj: Any, *, rules: bool = True, keep: int = MAX_PROBLEMS_LISTED) -> Checked:
    """Everything wrong with one case document, whatever the directory (see the module's
    docstring); the case itself when nothing is. With `rules` False only the limits and the
    shape are checked (the central store judges the rules later, against the case it holds)."""
    problems = Problems(keep)
    _limit_problems(obj, "", 0, problems)
    reading = Problems(keep)
    case = read_case(obj, reading)
    problems.extend(reading.kept)
    problems.count += reading.count - len(reading.kept)
    if not isinstance(obj, dict):
        return Checked(None, problems)
    unreadable = {_top_key(p.field) for p in reading.kept}
    if reading.count > len(reading.kept):
        unreadable |= set(obj)  # not every problem was kept: judge nothing read on placeholders
    if "attachments" not in unreadable:
        incidents = {i.id for i in case.incidents}
        for n, attachment in enumerate(case.attachments):
            for key, problem in attachment_problems(attachment, incidents):
                problems.add(f"attachments[{n}].{key}", problem)
    if rules:
        problems.extend(case_problems(case, unreadable))
    if not problems and document_bytes(case) > MAX_DOCUMENT_BYTES:
        problems.add(
            "(document)",
            f"is larger than {MAX_DOCUMENT_BYTES:,} bytes as stored and sent, the most one "
            "case may take: shorten its longest texts",
        )
    return Checked(None if problems else case, problems)


def _top_key(where: str) -> str:
    return where.split(".", 1)[0].split("[", 1)[0]


def checked_case(obj: Any) -> Case:
    """`check_document`, raising InvalidDocument (an InputError) with every problem."""
    checked = check_document(obj)
    if checked.case is None:
        raise checked.error()
    return checked.case


def check_change(before: Case | None, after: Case, directory: Directory) -> list[InputError]:
    """What a new or changed fact breaks against `directory` (`case_rules.change_problems`)."""
    return change_problems(before, after, directory)


def _document_problems(case: Case) -> list[InputError]:
    document = case_to_document(case, Outcome(_PLACEHOLDER, case.received_at, None))
    return list(check_document(document).problems.kept)


def check_case(after: Case, before: Case | None, directory: Directory) -> list[InputError]:
    """The check of a change to a case (the window's save, the central store's push): every
    problem the case as changed has (limits, shape, rules, size: `check_document` of its
    document) that the case as stored (`before`; None for a new case) did not already have,
    and what a new or changed fact breaks against `directory`. A change may not add a problem;
    a problem a case already had when it was stored does not stop work on it."""
    found = _document_problems(after)
    if before is not None and found:
        known = {(p.field, p.problem) for p in _document_problems(before)}
        found = [p for p in found if (p.field, p.problem) not in known]
    return found + change_problems(before, after, directory)

"""Reading JSON text from outside, refusing in a sentence what Python's reader would choke on or
quietly get wrong: nesting thousands deep, numbers thousands of digits long, NaN, and a key given
twice in one object (Python keeps the last; we keep a note of it, so the check can refuse it by
record and field: a second `"id"` must never win silently).
"""

from __future__ import annotations

import json
import math
from typing import Any

from asb_desktop.domain.errors import InputError
from asb_desktop.domain.limits import MAX_NUMBER_CHARS


class DuplicateKeys(dict[str, Any]):
    """An object in which some key was given more than once; `duplicated` names them."""

    duplicated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    twice: list[str] = []
    for key, value in pairs:
        if key in result and key not in twice:
            twice.append(key)
        result[key] = value
    if not twice:
        return result
    marked = DuplicateKeys(result)
    marked.duplicated = tuple(twice)
    return marked


class NotReadable(InputError):
    """The text is not JSON we read; `cause` is what the reader raised (its type is logged)."""

    def __init__(self, where: str, problem: str, cause: BaseException) -> None:
        super().__init__(where, problem)
        self.cause = cause


class _Refused(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(
            f"holds a number written with {len(text):,} characters; no field of a case "
            f"document is a number, and none longer than {MAX_NUMBER_CHARS} is read"
        )
    if not any(c in text for c in ".eE"):
        return int(text)
    number = float(text)
    if not math.isfinite(number):
        raise _Refused(f"holds the number {text}, too large to be read")
    return number


def _constant(text: str) -> Any:
    raise _Refused(f"holds {text}, which is not JSON")


def loads(text: str, where: str) -> Any:
    """The JSON value in `text`; NotReadable(where, sentence) when it is not one we read."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_number,
            parse_float=_number,
            parse_constant=_constant,
        )
    except _Refused as refused:
        raise NotReadable(where, refused.problem, refused) from None
    except RecursionError as error:
        problem = "is nested too deeply to read (thousands of levels)"
        raise NotReadable(where, problem, error) from None
    except json.JSONDecodeError as error:
        problem = f"is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        raise NotReadable(where, problem, error) from None
    except ValueError as error:  # anything else the reader refuses
        raise NotReadable(where, f"is not valid JSON ({type(error).__name__})", error) from None

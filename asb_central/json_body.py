"""Find a key given twice in one object of a JSON body, and say where.

FastAPI reads bodies with Python's `json`, which keeps the last of two equal keys: a second
`"id"` in a pushed document would win without a word, while the laptop's import refuses the same
text (asb_desktop/domain/json_input.py). This middleware reads the body with the laptop's reader
first. A key twice inside `ops[i].document` is left for the push to refuse that one op, in the
import's words (`duplicates_in_documents`); anywhere else the whole request is refused (422).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asb_desktop.domain.json_input import DuplicateKeys, NotReadable, loads
from asb_desktop.sync import protocol as p

STATE_KEY = "duplicated_in_documents"
_IN_DOCUMENT = re.compile(r"^ops\[(?P<op>\d+)\]\.document\.(?P<field>.+)$")


def duplicated_keys(value: Any, where: str = "") -> Iterator[str]:
    """The path of every key given twice (`ops[0].document.id`), depth first."""
    if isinstance(value, dict):
        prefix = f"{where}." if where else ""
        if isinstance(value, DuplicateKeys):
            for name in value.duplicated:
                yield f"{prefix}{name}"
        for name, item in value.items():
            yield from duplicated_keys(item, f"{prefix}{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from duplicated_keys(item, f"{where}[{index}]")


class RefuseDuplicateKeys:
    """Reads a JSON request's body whole (BodyLimit, outside it, has capped its size), refuses
    it with 422 when a key outside the documents is given twice, and otherwise hands the same
    bytes on, with the documents' twice-given keys in the request's state."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("POST", "PUT", "PATCH")
            or (
                scope["method"] == "PUT"
                and (b"content-type", p.OCTETS.encode()) in scope["headers"]
            )  # an evidence chunk's raw bytes
        ):
            await self.app(scope, receive, send)
            return
        body, more, messages = b"", True, []
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
        in_documents: dict[int, list[str]] = {}
        for where in _duplicates(body):
            found = _IN_DOCUMENT.match(where)
            if found is None:
                words = f"{where}: is given more than once in one object"
                error = p.ErrorBody(error=p.ErrorDetail(message=words, field=where))
                await JSONResponse(error.model_dump(), status_code=422)(scope, receive, send)
                return
            in_documents.setdefault(int(found["op"]), []).append(found["field"])
        scope.setdefault("state", {})[STATE_KEY] = in_documents
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, replayed, send)


def _duplicates(body: bytes) -> list[str]:
    if not _any_key_twice(body):  # the common case, found without walking the whole body
        return []
    try:
        value = loads(body.decode("utf-8"), "(body)")
    except (UnicodeDecodeError, NotReadable):
        return []  # not ours to word: FastAPI's own reading says what is wrong with it
    return list(duplicated_keys(value))


def _any_key_twice(body: bytes) -> bool:
    """Whether some object of the body gives a key twice (False for a body that is not JSON:
    `_duplicates` would find nothing in it either)."""
    twice = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal twice
        value = dict(items)
        twice = twice or len(value) != len(items)
        return value

    try:
        json.loads(body, object_pairs_hook=pairs)
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError)
        return False
    return twice


def duplicates_in_documents(state: Mapping[str, Any]) -> dict[int, list[str]]:
    """For the push: op index -> the document fields given twice (`incidents[0].id`)."""
    found: dict[int, list[str]] = state.get(STATE_KEY, {})
    return found

"""The evidence endpoints (protocol.py, "Evidence bytes"): offer, send a chunk, complete, and
fetch. The work is in evidence_store.py; here only the HTTP shapes. A chunk's raw body is read
on the event loop (at most one chunk: BodyLimit caps it) and stored from FastAPI's thread pool."""

# No `from __future__ import annotations`: the routes' `info: device` must be evaluated when
# they are made (it is add_routes' argument, not a module name).

from typing import Annotated, Any
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from asb_central import evidence_store
from asb_central.db import Database
from asb_central.people import DeviceInfo
from asb_central.records import Refused
from asb_desktop.sync import protocol as p

AttachmentId = Annotated[str, PathParam(min_length=1, max_length=p.MAX_NAME)]
Seq = Annotated[int, PathParam(ge=0, le=p.MAX_EVIDENCE_CHUNKS)]


def allowed_methods(app: FastAPI, path: str) -> str:
    """Every method some route takes at `path`, for a 405's Allow header: Starlette names only
    the first route's, and an evidence path has two (GET and POST, or GET and PUT)."""
    found: set[str] = set()
    for route in app.router.routes:
        methods = getattr(route, "methods", None)
        if (
            methods
            and route.matches({"type": "http", "path": path, "method": "HEAD"})[0] != Match.NONE
        ):
            found |= set(methods)
    return ", ".join(sorted(found))


def add_routes(app: FastAPI, db: Database, device: Any, api_error: Any) -> None:
    """`device`: the bearer-token dependency (api.Device); `api_error(status, message, field)`
    the exception api.py answers in the usual error shape."""

    def refused(exc: Refused, field: str | None = None) -> Exception:
        error: Exception = api_error(exc.status, exc.message, field)
        return error

    @app.post(p.PATH_EVIDENCE, response_model=p.EvidenceState, tags=["evidence"])
    def offer(
        case_id: UUID, attachment_id: AttachmentId, body: p.EvidenceOffer, info: device
    ) -> p.EvidenceState:
        """Offer an attachment's bytes: the answer's `missing` are the chunks to send."""
        caller = info.caller
        try:
            return evidence_store.offer(db, caller, str(case_id), attachment_id, body)
        except Refused as exc:
            raise refused(exc, "attachment_id") from None

    @app.get(p.PATH_EVIDENCE, response_model=p.EvidenceState, tags=["evidence"])
    def state(case_id: UUID, attachment_id: AttachmentId, info: device) -> p.EvidenceState:
        """A complete attachment's chunk list, to fetch its bytes (409 until complete)."""
        try:
            return evidence_store.fetch_state(db, info.caller, str(case_id), attachment_id)
        except Refused as exc:
            raise refused(exc, "attachment_id") from None

    @app.put(p.PATH_EVIDENCE_CHUNK, status_code=204, tags=["evidence"])
    async def put_chunk(
        case_id: UUID, attachment_id: AttachmentId, seq: Seq, request: Request, info: device
    ) -> Response:
        """One chunk's raw bytes; refused (422) unless they match the offer's hash for it."""
        try:
            data = await request.body()
        except ClientDisconnect:  # the line was cut mid-chunk: nothing kept, nobody to answer
            return Response(status_code=400)
        caller = info.caller
        try:
            await run_in_threadpool(
                evidence_store.put_chunk, db, caller, str(case_id), attachment_id, seq, data
            )
        except Refused as exc:
            raise refused(exc, "seq") from None
        return Response(status_code=204)

    @app.get(p.PATH_EVIDENCE_CHUNK, tags=["evidence"], response_class=Response)
    def get_chunk(case_id: UUID, attachment_id: AttachmentId, seq: Seq, info: device) -> Response:
        try:
            data = evidence_store.fetch_chunk(db, info.caller, str(case_id), attachment_id, seq)
        except Refused as exc:
            raise refused(exc, "seq") from None
        return Response(content=data, media_type=p.OCTETS)

    @app.post(p.PATH_EVIDENCE_COMPLETE, response_model=p.EvidenceState, tags=["evidence"])
    def complete(case_id: UUID, attachment_id: AttachmentId, info: device) -> p.EvidenceState:
        """Check the whole file's SHA-256 from the chunks kept, and mark it complete."""
        try:
            return evidence_store.complete(db, info.caller, str(case_id), attachment_id)
        except Refused as exc:
            raise refused(exc, "attachment_id") from None


__all__ = ["DeviceInfo", "add_routes"]

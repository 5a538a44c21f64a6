"""The HTTP API (FastAPI): routes, bearer authentication, body limit, and errors as JSON.

Every error is `{"error": {"message": …, "field": …}}` with a 4xx status naming the field at
fault (`ops[2].document.severity`, `limit`); an unexpected failure is a 500 in the same shape that
says nothing about the request's content. Endpoints are plain `def`s: FastAPI runs them in its
thread pool, so slow database work never blocks the event loop.
"""

from __future__ import annotations

import gc
import logging
import os
import traceback
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asb_central import evidence_api, people, pull_handler, push_handler
from asb_central.db import ENV_DB, Database, check_schema, database_url
from asb_central.json_body import RefuseDuplicateKeys, duplicates_in_documents
from asb_central.people import DeviceInfo
from asb_central.records import Refused
from asb_desktop.sync import protocol as p

log = logging.getLogger("asb_central")


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def error_response(
    status: int, message: str, field: str | None = None, **headers: str
) -> JSONResponse:
    body = p.ErrorBody(error=p.ErrorDetail(message=message, field=field)).model_dump()
    return JSONResponse(body, status_code=status, headers=headers or None)


def _field(loc: tuple[Any, ...]) -> str:
    """`("body", "ops", 2, "op_id")` → `ops[2].op_id`."""
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(body)"


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413, whether or not Content-Length is honest."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await _send_413(send, self.limit)
                return
        seen, over = 0, False

        async def limited_receive() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not over:
                await send(message)
            elif message["type"] == "http.response.start":
                await _send_413(send, self.limit)

        await self.app(scope, limited_receive, guarded_send)


class ContainErrors:
    """A failure we did not foresee: 500 in the usual shape, logged by type and place only.

    Starlette would log the whole exception, and a database error's text can quote a case's
    personal data; here only the exception's type, file and line reach the log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            log.error("unexpected %s at %s", type(exc).__name__, where)
            if not started and scope["type"] == "http":
                response = error_response(500, "internal error: nothing was stored; try again")
                await response(scope, receive, send)


async def _send_413(send: Send, limit: int) -> None:
    message = f"the request body is larger than {limit:,} bytes: send fewer ops per push"
    response = error_response(413, message, "(body)")
    await send({"type": "http.response.start", "status": 413, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": p.ErrorBody, "description": text}
    for code, text in {
        400: "Malformed request",
        401: "Missing or unknown device token (never a reason to delete anything)",
        403: "Not allowed",
        404: "Not found",
        413: "Request body too large",
        422: "Invalid field (named in error.field)",
        429: "Too many failed attempts",
    }.items()
}
ERRORS[p.REVOKED_STATUS] = {
    "model": p.RevokedBody,
    "description": "This device was revoked: delete the local store (see sync/protocol.py)",
}


bearer = HTTPBearer(auto_error=False, description="the device token from /v1/enrol")


class DeviceRevoked(Exception):
    """A revoked device called with its own token: answered 410 with a RevokedBody."""

    def __init__(self, answer: p.Revocation) -> None:
        super().__init__("device revoked")
        self.answer = answer


REVOKED_WORDS = (
    "this laptop was withdrawn from the central store by its administrator: it must delete "
    "its local case database"
)


def device(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> DeviceInfo:
    """The bearer token's device and user; 401 for none, unknown or inactive; 410 for a revoked
    device's own token (a retired one's push is still taken until it has been told)."""
    db: Database = request.app.state.db
    token = credentials.credentials if credentials else ""
    info = people.authenticate(db, token) if token else None
    if info is not None:
        return info
    revoked = people.revoked_device(db, token) if token else None
    if revoked is None:
        raise ApiError(401, "no valid device token: enrol this device again", "Authorization")
    if revoked.caller is not None and request.url.path == p.PATH_PUSH:
        return DeviceInfo(device_name="", caller=revoked.caller)  # retire: sending once
    people.tell_revoked(db, revoked)
    raise DeviceRevoked(revoked.answer())


def revoked_device(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> people.RevokedDevice:
    """Only a revoked device's own token; 401 for any other."""
    db: Database = request.app.state.db
    found = people.revoked_device(db, credentials.credentials) if credentials else None
    if found is None:
        raise ApiError(401, "no revoked device has this token", "Authorization")
    return found


Device = Annotated[DeviceInfo, Depends(device)]


QUERY_PARAMETERS = {p.PATH_CHANGES: {"since", "limit"}}


async def known_query_only(request: Request) -> None:
    """Unknown query parameters are errors, as unknown fields are: a typo must not pass silently.
    (`async`: it reads only the request, so FastAPI runs it on the event loop, not on a trip
    through its thread pool for every request.)"""
    route = request.scope.get("route")
    allowed = QUERY_PARAMETERS.get(getattr(route, "path", ""), set())
    for name in request.query_params:
        if name not in allowed:
            raise ApiError(422, f"{name}: is not a known query parameter", name)


def create_app(db: Database) -> FastAPI:
    app = FastAPI(
        title="ASB central store",
        version=p.API_VERSION,
        description="Sync API for ASB Desktop laptops. See asb_desktop/sync/protocol.py.",
        responses=ERRORS,
        dependencies=[Depends(known_query_only)],
    )
    app.state.db = db

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        extra = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        return error_response(exc.status, exc.message, exc.field, **extra)

    @app.exception_handler(DeviceRevoked)
    async def _revoked(_request: Request, exc: DeviceRevoked) -> JSONResponse:
        body = p.RevokedBody(error=p.ErrorDetail(message=REVOKED_WORDS), revoked=exc.answer)
        return JSONResponse(body.model_dump(mode="json"), status_code=p.REVOKED_STATUS)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = _field(tuple(first.get("loc", ())))
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        if first.get("type") == "json_invalid":
            return error_response(400, "the request body is not valid JSON", "(body)")
        return error_response(422, f"{where}: {message}", where)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI could not decode the body (e.g. nested too deep)
            message = "the request body is not valid JSON, or is nested too deeply"
            return error_response(400, message, "(body)")
        if exc.status_code == 404:
            return error_response(404, "no such endpoint: see /openapi.json")
        headers = dict(exc.headers or {})  # e.g. Allow on a 405
        if exc.status_code == 405:
            headers["Allow"] = evidence_api.allowed_methods(app, request.url.path)
            message = "this endpoint does not take that method"
            return error_response(405, message, **headers)
        return error_response(exc.status_code, str(exc.detail), **headers)

    unavailable: dict[int | str, dict[str, Any]] = {
        503: {"model": p.ErrorBody, "description": "The database cannot be reached"}
    }

    @app.get(p.PATH_HEALTH, response_model=p.Health, tags=["service"], responses=unavailable)
    def health() -> p.Health:
        """Cheap enough for a laptop's online probe and a load balancer: one `SELECT 1`."""
        try:
            with db.read() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            raise ApiError(503, "the central database cannot be reached") from None
        return p.Health(status="ok")

    @app.post(p.PATH_ENROL, response_model=p.EnrolResponse, status_code=201, tags=["devices"])
    def enrol(body: p.EnrolRequest, request: Request) -> p.EnrolResponse:
        # The peer's address: uvicorn puts a forwarded one here only for a listed proxy
        # (`asb-central serve --trusted-proxy`), so a made-up X-Forwarded-For changes nothing.
        client = request.client.host if request.client else "unknown"
        try:
            device_id, token, member = people.enrol_device(
                db,
                code=body.code,
                device_name=body.device_name,
                client=client,
                device_key=body.device_key,
            )
        except people.EnrolmentRefused as exc:
            raise ApiError(exc.status, exc.message, "code") from None
        return p.EnrolResponse(device_id=UUID(device_id), token=token, user=_user(member))

    @app.get(p.PATH_ME, response_model=p.MeResponse, tags=["devices"])
    def me(info: Device) -> p.MeResponse:
        c = info.caller
        user = p.UserInfo(
            id=c.user_id,
            name=c.name,
            roles=sorted(r.value for r in c.roles),
            patches=list(c.patches),
            schemes=list(c.schemes),
        )
        return p.MeResponse(device_id=UUID(c.device_id), device_name=info.device_name, user=user)

    @app.post(p.PATH_PUSH, response_model=p.PushResponse, tags=["sync"])
    def push_ops(body: p.PushRequest, info: Device, request: Request) -> Response:
        """Answered with a `PushResponse` the handler wrote as JSON (the same text each op's
        answer is stored as), which FastAPI would otherwise validate and encode again."""
        twice = duplicates_in_documents(request.scope.get("state", {}))
        answer = push_handler.push(db, info.caller, body.ops, twice)
        return Response(answer, media_type="application/json")

    @app.get(p.PATH_CHANGES, response_model=p.ChangesResponse, tags=["sync"])
    def changes(
        info: Device,
        since: Annotated[int, Query(ge=0, le=p.MAX_NUMBER)] = 0,
        limit: Annotated[int, Query(ge=1, le=p.MAX_PULL_LIMIT)] = p.DEFAULT_PULL_LIMIT,
    ) -> Response:
        """Answered with the handler's `ChangesResponse` written as JSON here, the bytes FastAPI
        would write for it, without its validating the answer again on another trip through
        the thread pool."""
        answer = pull_handler.pull(db, info.caller, since, limit)
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.get(p.PATH_CASE, response_model=p.CaseState, tags=["sync"])
    def case(case_id: UUID, info: Device) -> p.CaseState:
        try:
            return pull_handler.read_case(db, info.caller, str(case_id))
        except Refused as exc:
            raise ApiError(exc.status, exc.message, "case_id") from None

    @app.post(p.PATH_REVOKED, status_code=204, tags=["devices"])
    def revoked(
        body: p.RevokedAck, found: Annotated[people.RevokedDevice, Depends(revoked_device)]
    ) -> None:
        """A revoked laptop says it is deleting its local store now (kept in the devices'
        audit, with how many changes it could not send)."""
        people.note_deleting(db, found, body.unsent)

    @app.get(p.PATH_DIRECTORY, tags=["sync"])
    def directory(info: Device) -> dict[str, Any]:
        with db.read() as conn:
            return people.directory_document(conn)

    evidence_api.add_routes(app, db, Device, ApiError)  # issue 15: attachments' bytes

    app.add_middleware(RefuseDuplicateKeys)
    app.add_middleware(ContainErrors)
    app.add_middleware(BodyLimit, limit=p.MAX_BODY_BYTES)  # outermost: sizes first
    return app


def _user(member: Any) -> p.UserInfo:
    return p.UserInfo(
        id=member.id,
        name=member.name,
        roles=sorted(r.value for r in member.roles),
        patches=list(member.patches),
        schemes=list(member.schemes),
    )


def app_from_environment() -> FastAPI:
    """The factory `asb-central serve` hands to uvicorn (each worker builds its own engine)."""
    db = Database(database_url(os.environ.get(ENV_DB)))
    check_schema(db)
    app = create_app(db)
    # What the worker has loaded stays for its life: keep it out of the collector's full passes,
    # which a push's many short-lived documents set off (about a tenth of its CPU time).
    gc.collect()
    gc.freeze()
    return app

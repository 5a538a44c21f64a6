"""The sync wire format (API v1) shared by the laptop's sync client and the central store.

Both sides import this module, so it holds only pydantic models, limits and pure helpers: no
FastAPI, Qt or SQLAlchemy. JSON over HTTPS; every call but `/health` and enrolment carries
`Authorization: Bearer <device token>`.

Push (`POST /v1/push`): a batch of `CaseOp`s. Each op has a client-made `op_id` (UUID) and carries
the laptop's whole case document plus `base_revision`, the server revision the laptop last saw
(null for a case the server has never acknowledged). An edit made before the laptop heard back
about its own earlier op names that op instead, in `base_op_id`: the server merges against what
that op sent (same user, same case; it may be earlier in the same batch), so a case recorded and
then edited offline never conflicts with itself. The server answers 200 with
one `OpResult` per op, in order; a problem with one op never fails the others:

- `applied` (code 200): stored; `revision`, `reference`, `change_number` and the server's merged
  `document` (computed fields recomputed centrally) come back, plus any `conflicts` recorded.
- `op_id_reused` (code 409): the op id was already used with a different body (or by another user).
- `invalid` (code 422): the document or op is wrong; `error.field` names where (`document.severity`).
- `forbidden` (code 403): the caller may not see or change this case.

Only `applied` results are stored: the same op sent again gets exactly the first answer back, so a
timeout is always safe to retry with the same op id. A problem with the whole request (not JSON,
too big, too many ops, no token) is an HTTP 4xx with an `ErrorBody`.

Pull (`GET /v1/changes?since=N&limit=L`): the cases the caller may see whose change number is
above N, oldest first, at most L; `checkpoint` is the value to send as `since` next time and
`more` says whether to ask again at once. `directory` is present when the staff directory changed
after N. Open field conflicts travel with their case until an op lists them in `resolves`.
The last page also names in `gone` the cases this device was served that it may no longer see
(reassigned, now involving an employee, access removed): the laptop removes them.

Revoked (`asb-central revoke-device`): a revoked device's own token is answered **410** with a
`RevokedBody` (`POST /v1/revoked` excepted): `revoked` says `mode` (`lost`: nothing more is
taken; `retire`: its pushes are still taken until it is first answered 410, so a laptop, which
pushes before it pulls, sends its unsent changes once), the `device_id`, and `proof`,
`revocation_proof(sha256(token), …)`, which only a server holding that token's hash can make.
The laptop deletes its local store only on this answer, its proof checked against its own token
and device id; a 401 (an unknown token, a central store restored from a backup, a wrong
address) never deletes anything. Before it
deletes, the laptop says so with `POST /v1/revoked` (`RevokedAck`), kept in the central audit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

API_VERSION = "v1"
PATH_HEALTH = "/health"
PATH_ENROL = "/v1/enrol"
PATH_ME = "/v1/me"
PATH_PUSH = "/v1/push"
PATH_CHANGES = "/v1/changes"
PATH_DIRECTORY = "/v1/directory"
PATH_CASE = "/v1/cases/{case_id}"
PATH_REVOKED = "/v1/revoked"
REVOKED_STATUS = 410  # Gone: this device's token was revoked; the body is a RevokedBody

MAX_BODY_BYTES = 4 * 1024 * 1024  # a whole request; larger is refused with 413
MAX_OPS_PER_PUSH = 500
DEFAULT_PULL_LIMIT = 200
MAX_PULL_LIMIT = 1000
MAX_JSON_DEPTH = 16  # a case document nests 3 deep; anything far deeper is hostile
MAX_NUMBER = 2**53 - 1  # revisions, change numbers and ids stay exact in any JSON reader
MAX_NAME = 200

OpStatus = Literal["applied", "op_id_reused", "invalid", "forbidden"]


def check_json_value(value: Any, where: str = "document", depth: int = 0) -> None:
    """Refuse what a database or a log could choke on: deep nesting, NUL, lone surrogates.

    Raises ValueError("<path>: <problem>"); the server reports it as that op's `invalid` result.
    """
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"{where}: is nested more than {MAX_JSON_DEPTH} levels deep")
    if isinstance(value, str):
        _check_text(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, f"{where} (a key)")
            check_json_value(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_json_value(item, f"{where}[{i}]", depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where}: must not be NaN or Infinity")


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise ValueError(f"{where}: must not contain a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{where}: must be valid Unicode (no lone surrogates)") from None


# No NUL: stated in the schema itself, so generated clients and fuzzers know.
NO_NUL = r"^[^\x00]*$"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """Every 4xx (and the never-expected 5xx) answer has this shape."""

    error: ErrorDetail


# How a device was revoked: `lost` (a lost or stolen laptop: nothing more is taken from it) or
# `retire` (a leaver's or retired laptop: its unsent changes are taken once, then it is told).
REVOKED_LOST = "lost"
REVOKED_RETIRE = "retire"
REVOKE_MODES = (REVOKED_LOST, REVOKED_RETIRE)


class Revocation(BaseModel):
    device_id: UUID
    mode: Literal["lost", "retire"]
    proof: str = Field(pattern=r"^[0-9a-f]{64}$")


class RevokedBody(BaseModel):
    """The 410 answer to a revoked device's own token."""

    error: ErrorDetail
    revoked: Revocation


class RevokedAck(_Request):
    """The laptop's last word: it is deleting its local store now."""

    unsent: int = Field(ge=0, le=MAX_NUMBER)  # changes it could not send, deleted with it


def token_hash(token: str) -> str:
    """What the central store keeps of a device token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def revocation_proof(hashed_token: str, device_id: str, mode: str) -> str:
    """HMAC-SHA256 keyed by the token's hash over the device and the mode: a server that does
    not hold this device's token hash cannot make it, nor one for another device or mode."""
    message = f"asb-revoked/1|{device_id}|{mode}".encode()
    return hmac.new(bytes.fromhex(hashed_token), message, hashlib.sha256).hexdigest()


def revocation_proved(revocation: Revocation, token: str, device_id: str) -> bool:
    """Is this revocation answer really for this laptop (its token, its device id)?"""
    if str(revocation.device_id) != device_id:
        return False
    expected = revocation_proof(token_hash(token), device_id, revocation.mode)
    return hmac.compare_digest(expected, revocation.proof)


class Health(BaseModel):
    status: Literal["ok"]
    api: str = API_VERSION


class UserInfo(BaseModel):
    """A user is a staff member of the directory: the same id is used for assignment."""

    id: str
    name: str
    roles: list[str]
    patches: list[str]
    schemes: list[str]


class EnrolRequest(_Request):
    code: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    device_name: str = Field(default="", max_length=MAX_NAME, pattern=NO_NUL)
    # A random key the laptop made before its first try and keeps: the same code with the same
    # key again (the first answer was lost) is answered again, for the same device.
    device_key: str | None = Field(
        default=None, min_length=32, max_length=128, pattern=r"^[A-Za-z0-9_-]+$"
    )


class EnrolResponse(BaseModel):
    device_id: UUID
    token: str  # shown once; the server keeps only its SHA-256
    user: UserInfo


class MeResponse(BaseModel):
    device_id: UUID
    device_name: str
    user: UserInfo


class CaseOp(_Request):
    op_id: UUID
    case_id: UUID
    base_revision: int | None = Field(default=None, ge=1, le=MAX_NUMBER)
    base_op_id: UUID | None = None  # used only when base_revision is null
    document: dict[str, Any]  # checked per op (check_json_value, then the case document reader)
    resolves: list[Annotated[int, Field(ge=1, le=MAX_NUMBER)]] = Field(
        default_factory=list, max_length=100
    )


class PushRequest(_Request):
    ops: list[CaseOp] = Field(min_length=1, max_length=MAX_OPS_PER_PUSH)


class FieldConflict(BaseModel):
    """The same field changed centrally and on a laptop since its base: both values, none lost.

    Each value says who set it and on which device: `device_value` came with op `op_id` from
    `user_id` on `device_id`; `server_value` was set by `server_user_id` on `server_device_id`
    (null when the server cannot tell). Names are the central store's, as it serves the conflict.
    `may_settle` says whether the user it is served to may choose between the values
    (`asb_central.access.may_settle`); an op that `resolves` it from anyone else is forbidden.
    """

    id: int
    case_id: UUID
    field: str  # a top-level document key, or `incidents[<incident id>]`
    server_value: Any  # kept in the case
    device_value: Any  # what the op wanted
    op_id: UUID
    user_id: str
    at: str
    resolved: bool = False
    device_id: str | None = None
    user_name: str | None = None
    device_name: str | None = None
    server_user_id: str | None = None
    server_user_name: str | None = None
    server_device_id: str | None = None
    server_device_name: str | None = None
    may_settle: bool = True


class OpResult(BaseModel):
    op_id: UUID
    case_id: UUID
    status: OpStatus
    code: int
    revision: int | None = None
    reference: str | None = None
    change_number: int | None = None
    document: dict[str, Any] | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)
    error: ErrorDetail | None = None


class PushResponse(BaseModel):
    results: list[OpResult]


class CaseState(BaseModel):
    case_id: UUID
    reference: str
    revision: int
    change_number: int
    document: dict[str, Any]
    conflicts: list[FieldConflict] = Field(default_factory=list)


# Why a laptop may no longer hold a case. A laptop that meets a reason it does not know treats it
# as "access": newer servers may add reasons (destroyed under retention).
GONE_REASSIGNED = "reassigned"  # assigned to another officer
GONE_EMPLOYEE = "employee"  # now involves an employee (5.9: Team Leaders and up)
GONE_ACCESS = "access"  # no longer the caller's to see for another reason (role, patch)
GONE_REMOVED = "removed"  # no longer held centrally
GONE_DESTROYED = "destroyed"  # destroyed centrally under the retention rules


class GoneCase(BaseModel):
    case_id: UUID
    reason: str = Field(max_length=32)


class ChangesResponse(BaseModel):
    checkpoint: int
    more: bool
    cases: list[CaseState]
    directory: dict[str, Any] | None = None
    directory_version: int
    # Only on the last page (more = false): cases this device was served that it may no longer
    # see, to be removed from it. Repeated until a pull's `since` is past the checkpoint that
    # first named them (the laptop stores `gone` with each checkpoint). An older laptop ignores
    # the field.
    gone: list[GoneCase] = Field(default_factory=list)


def op_body_hash(op: CaseOp) -> str:
    """What "the same op" means: SHA-256 of the canonical JSON of everything but the op id."""
    body = {
        "case_id": str(op.case_id),
        "base_revision": op.base_revision,
        "base_op_id": str(op.base_op_id) if op.base_op_id else None,
        "document": op.document,
        "resolves": sorted(set(op.resolves)),
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Evidence bytes (issue 15) -----------------------------------------------------------------
# An attachment's bytes go up after the case's document naming it (attachments[]: id, size,
# sha256) has been accepted, in chunks of EVIDENCE_CHUNK_BYTES, each addressed by its own SHA-256
# (the same chunk is kept once, however many files hold it):
#   POST {PATH_EVIDENCE} with an EvidenceOffer (the whole file's hash and size, each chunk's hash
#     in order): the central store keeps the list and answers an EvidenceState whose `missing`
#     are the chunks it does not hold yet. Asked again after a dropped connection, it answers
#     what is still missing: only those are sent again.
#   PUT {PATH_EVIDENCE_CHUNK} with the chunk's raw bytes (application/octet-stream): refused 422
#     unless they hash to the offer's chunk hash at that place; 204 once kept.
#   POST {PATH_EVIDENCE_COMPLETE}: the whole file is hashed from the chunks kept and checked
#     against the offer before the attachment is marked complete (409 naming what is missing).
# A laptop that has the document but not the bytes asks GET {PATH_EVIDENCE} (409 until complete)
# and GET {PATH_EVIDENCE_CHUNK} for each chunk. Every call needs the caller to see the case.
PATH_EVIDENCE = "/v1/cases/{case_id}/attachments/{attachment_id}"
PATH_EVIDENCE_CHUNK = "/v1/cases/{case_id}/attachments/{attachment_id}/chunks/{seq}"
PATH_EVIDENCE_COMPLETE = "/v1/cases/{case_id}/attachments/{attachment_id}/complete"
EVIDENCE_CHUNK_BYTES = 1024 * 1024  # as the laptop stores them (store/attachments.py)
MAX_EVIDENCE_BYTES = 2_000_000_000  # the largest the attachment_max_mb preset may allow
MAX_EVIDENCE_CHUNKS = -(-MAX_EVIDENCE_BYTES // EVIDENCE_CHUNK_BYTES)
SHA256_HEX = r"^[0-9a-f]{64}$"
OCTETS = "application/octet-stream"

Sha256 = Annotated[str, Field(pattern=SHA256_HEX)]


def evidence_chunk_count(size: int) -> int:
    return -(-size // EVIDENCE_CHUNK_BYTES)


class EvidenceOffer(_Request):
    sha256: Sha256
    size: int = Field(ge=0)
    chunks: list[Sha256] = Field(max_length=MAX_EVIDENCE_CHUNKS)


class EvidenceState(BaseModel):
    sha256: str
    size: int
    chunks: list[str]
    missing: list[int]  # the chunks' places (from 0) the central store does not hold yet
    complete: bool

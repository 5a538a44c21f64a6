"""The evidence endpoints as calls (protocol.py, "Evidence bytes"): offer, send a chunk,
complete, ask for the chunk list, fetch a chunk. Failures are the sync client's (client.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asb_desktop.sync import protocol as p
from asb_desktop.sync.client import NotAuthorised, Refused, SyncClient

if TYPE_CHECKING:
    import httpx

NOT_YOURS = "you may not see this case, so neither its attachments"


def _call(client: SyncClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """A 403 here is about this one case (the access rules), not this laptop's token: a
    refusal of this attachment, never a reason to stop syncing or connect again."""
    try:
        return client.request(method, path, **kwargs)
    except NotAuthorised as error:
        if error.status == 403:
            raise Refused(f"The central store refused: {NOT_YOURS}.", 403) from None
        raise


def _path(template: str, case_id: str, attachment_id: str, seq: int | None = None) -> str:
    return template.format(case_id=case_id, attachment_id=attachment_id, seq=seq)


def offer(client: SyncClient, case_id: str, attachment_id: str,
          body: p.EvidenceOffer) -> p.EvidenceState:  # fmt: skip
    path = _path(p.PATH_EVIDENCE, case_id, attachment_id)
    response = _call(client, "POST", path, json=body.model_dump(mode="json"))
    state: p.EvidenceState = client.parse(p.EvidenceState, response)
    return state


def send_chunk(client: SyncClient, case_id: str, attachment_id: str, seq: int,
               data: bytes) -> None:  # fmt: skip
    path = _path(p.PATH_EVIDENCE_CHUNK, case_id, attachment_id, seq)
    _call(client, "PUT", path, content=data, headers={"Content-Type": p.OCTETS})


def complete(client: SyncClient, case_id: str, attachment_id: str) -> p.EvidenceState:
    response = _call(client, "POST", _path(p.PATH_EVIDENCE_COMPLETE, case_id, attachment_id))
    state: p.EvidenceState = client.parse(p.EvidenceState, response)
    return state


def state(client: SyncClient, case_id: str, attachment_id: str) -> p.EvidenceState:
    response = _call(client, "GET", _path(p.PATH_EVIDENCE, case_id, attachment_id))
    found: p.EvidenceState = client.parse(p.EvidenceState, response)
    return found


def fetch_chunk(client: SyncClient, case_id: str, attachment_id: str, seq: int) -> bytes:
    return _call(client, "GET", _path(p.PATH_EVIDENCE_CHUNK, case_id, attachment_id, seq)).content

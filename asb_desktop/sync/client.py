"""The HTTP side of sync: one httpx client per server, explicit timeouts, TLS verified.

Every failure becomes one of four exceptions whose message is a sentence for the officer and
never quotes a case: `Unreachable` (no answer, or no answer in time: the outcome of a push is
unknown, so the same ops are sent again later), `ServerTrouble` (5xx: try again later),
`NotAuthorised` (401/403: stop and ask the user; never a reason to delete anything), `Revoked`
(410 with a revocation answer, to be proved by the engine), `Refused` (any other 4xx).
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from asb_desktop.sync import protocol as p


class SyncError(Exception):
    """A sync call did not succeed; str() is meant for the officer."""

    transient = False
    kind = "error"


class Unreachable(SyncError):
    transient = True
    kind = "offline"


class ServerTrouble(SyncError):
    transient = True
    kind = "server"


class NotAuthorised(SyncError):
    kind = "auth"

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status  # 403 on an evidence call: this case only (sync/evidence_upload.py)


class Revoked(SyncError):
    """The central store says this device was revoked (410 with a RevokedBody). Believed only
    once `protocol.revocation_proved` accepts it for this laptop's token and device id."""

    kind = "revoked"

    def __init__(self, revocation: p.Revocation) -> None:
        super().__init__("The central store says this laptop was withdrawn by its administrator.")
        self.revocation = revocation


class Refused(SyncError):
    kind = "refused"

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Timeouts:
    """Seconds. A push of a full batch to a busy server may take a while to be answered."""

    connect: float = 5.0
    read: float = 60.0
    write: float = 30.0
    pool: float = 5.0
    probe: float = 3.0

    def httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_server_url(url: str) -> str:
    """The URL without a trailing slash; plain http is allowed only to this machine."""
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("The server address must start with https:// and name a server.")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise ValueError("The server address must use https:// (plain http is not encrypted).")
    if parts.query or parts.fragment:
        raise ValueError("The server address must not contain ? or #.")
    return text


def tls_verification(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """Verified against the system's CAs, or against the organisation's own bundle if given."""
    if not ca_bundle:
        return True
    path = Path(ca_bundle)
    if not path.is_file():
        raise ValueError(f"The CA bundle file {path} does not exist.")
    try:
        return ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError):
        raise ValueError(f"The CA bundle file {path} is not a PEM certificate file.") from None


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return f"the server answered {response.status_code}"


def _revocation(response: httpx.Response) -> p.Revocation | None:
    try:
        return p.RevokedBody.model_validate_json(response.content).revoked
    except ValidationError:
        return None


class SyncClient:
    """Talks to one central store; reuses its connections between calls."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_bundle: str | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        self.base_url = check_server_url(base_url)
        self.timeouts = timeouts or Timeouts()
        headers = {"User-Agent": "asb-desktop-sync"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=self.timeouts.httpx(),
            verify=tls_verification(ca_bundle),
        )

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise Unreachable("The central store did not answer in time.") from None
        except httpx.ConnectError as error:
            if isinstance(error.__cause__, ssl.SSLCertVerificationError) or "CERTIFICATE" in str(
                error
            ):
                raise Refused(
                    "The central store's certificate could not be verified: check the server "
                    "address, or give your organisation's CA bundle.",
                    0,
                ) from None
            raise Unreachable("The central store cannot be reached (no connection).") from None
        except httpx.TransportError:
            raise Unreachable("The connection to the central store was lost.") from None
        status = response.status_code
        if status == p.REVOKED_STATUS:
            revoked = _revocation(response)
            if revoked is not None:
                raise Revoked(revoked)
        if status in (401, 403):
            raise NotAuthorised(
                "The central store no longer accepts this laptop: connect it again with a new "
                f"one-time code ({_message(response)}).",
                status,
            )
        if status >= 500:
            raise ServerTrouble(f"The central store had a problem (error {status}); will retry.")
        if status >= 400:
            raise Refused(f"The central store refused the request: {_message(response)}", status)
        return response

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Any other call (sync/evidence_upload.py), its failures worded as the others are."""
        return self._call(method, path, **kwargs)

    def parse(self, model: type[Any], response: httpx.Response) -> Any:
        return self._parse(model, response)

    def _parse(self, model: type[Any], response: httpx.Response) -> Any:
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise ServerTrouble(
                "The central store's answer was not understood (is the address right?)."
            ) from None

    def health(self) -> bool:
        """A cheap check that the server is there and answering."""
        try:
            response = self._http.get(p.PATH_HEALTH, timeout=self.timeouts.probe)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def enrol(self, code: str, device_name: str, device_key: str | None = None) -> p.EnrolResponse:
        """Exchange a one-time code. With the same `device_key`, asking again after an answer
        was lost gets the answer again (the server makes no second device)."""
        request = p.EnrolRequest(code=code, device_name=device_name, device_key=device_key)
        body = request.model_dump(mode="json", exclude_none=True)
        try:
            response = self._call("POST", p.PATH_ENROL, json=body)
        except NotAuthorised:
            raise Refused("The one-time code was not accepted.", 401) from None
        except Unreachable as error:
            raise Unreachable(
                f"{error} The central store may have taken the code: connect again with the "
                "same code to finish (it works again from this laptop)."
            ) from None
        result: p.EnrolResponse = self._parse(p.EnrolResponse, response)
        return result

    def me(self) -> p.MeResponse:
        result: p.MeResponse = self._parse(p.MeResponse, self._call("GET", p.PATH_ME))
        return result

    def push(self, ops: list[dict[str, Any]]) -> p.PushResponse:
        """`ops` are JSON-ready dicts. Sent as compact UTF-8, so the size the batch was cut to
        is the size that goes (no \\u escapes for non-ASCII)."""
        return self.push_encoded(
            [json.dumps(op, ensure_ascii=False, separators=(",", ":")) for op in ops]
        )

    def push_encoded(self, ops: list[str]) -> p.PushResponse:
        """`ops` are each op's JSON text, as frozen in the store: sent as they are."""
        return self.read_push(self.push_sent(ops))

    def push_sent(self, ops: list[str]) -> httpx.Response:
        """`push_encoded`'s request alone: its answer is read by `read_push`, which the sync
        does on its own thread, so the connection is free for the next push meanwhile."""
        body = ('{"ops":[' + ",".join(ops) + "]}").encode()
        headers = {"Content-Type": "application/json"}
        return self._call("POST", p.PATH_PUSH, content=body, headers=headers)

    def read_push(self, response: httpx.Response) -> p.PushResponse:
        result: p.PushResponse = self._parse(p.PushResponse, response)
        return result

    def leaving(self, unsent: int) -> None:
        """Tell the central store this revoked laptop is deleting its local store now."""
        body = p.RevokedAck(unsent=unsent).model_dump(mode="json")
        self._call("POST", p.PATH_REVOKED, json=body)

    def changes(self, since: int, limit: int) -> p.ChangesResponse:
        response = self._call("GET", p.PATH_CHANGES, params={"since": since, "limit": limit})
        result: p.ChangesResponse = self._parse(p.ChangesResponse, response)
        return result

"""Evidence bytes up to a real central store (SQLite and PostgreSQL) and back down (issue 15,
item 4): a 50 MB video attached offline arrives whole through a proxy that cuts the connection
every few megabytes, with at most 1.3x its size sent, and a team leader's laptop fetches the same
bytes; the same chunk is kept once; a chunk changed on the way is refused by its hash and sent
again; someone who may not see the case may neither send nor fetch its bytes; a file over the
limit is refused in words before anything is queued."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from asb_desktop.domain.errors import ProcedureError
from asb_desktop.services.attachments import attach, listed, read_back
from asb_desktop.store import evidence_uploads
from asb_desktop.sync import evidence_calls as calls
from asb_desktop.sync import protocol as p
from asb_desktop.sync.client import Refused, SyncClient
from tests.sync.evidence_proxy import CuttingProxy
from tests.sync.sync_support import Laptop, Server, query

Factory = Callable[..., Laptop]
MB = 1_000_000
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def video(path: Path, size: int, seed: bytes = b"") -> bytes:
    """Random bytes behind an MP4 header (made here, never committed)."""
    data = MP4_HEAD + (seed + os.urandom(size))[: size - len(MP4_HEAD)]
    path.write_bytes(data)
    return data


def port_of(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def upload_all(laptop: Laptop, rounds: int = 60) -> None:
    """Sync (as "Sync now") until no evidence waits, as the officer's laptop would, run after run."""
    for _ in range(rounds):
        laptop.sync.sync(force=True)
        status = laptop.sync.status()
        if status.evidence_waiting == 0 and status.waiting == 0:
            return
    raise AssertionError(f"evidence still waiting: {laptop.sync.status().lines()}")


def central_copy(server: Server, sha256: str) -> bytes:
    rows = query(
        server,
        "SELECT c.data FROM evidence_file_chunks f JOIN evidence_chunks c "
        "ON c.sha256 = f.chunk_sha256 WHERE f.file_sha256 = :h ORDER BY f.seq",
        h=sha256,
    )
    return b"".join(bytes(r[0]) for r in rows)


def test_a_50_mb_video_attached_offline_arrives_whole_through_a_cutting_proxy_and_comes_back(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    officer, leader = laptop_factory("officer"), laptop_factory("leader")
    [case_id] = officer.record(1, estate="EST-NORTH")
    data = video(tmp_path / "stairwell.mp4", 50 * MB)
    added = attach(officer.casework, case_id, tmp_path / "stairwell.mp4")  # offline
    assert added.sha256 == hashlib.sha256(data).hexdigest()
    assert officer.sync.status().evidence_waiting == 1
    proxy = CuttingProxy(port_of(central), cut_every=5 * MB)
    try:
        officer.enrol(central, "s-ho", url=proxy.url)
        assert "1 attachment waiting to upload, 50.0 MB." in officer.sync.status().lines()
        upload_all(officer)
    finally:
        proxy.close()
    ratio = proxy.upstream_bytes / len(data)
    print(
        f"upstream {proxy.upstream_bytes:,} bytes for {len(data):,}: {ratio:.3f}x, {proxy.cuts} cuts"
    )
    assert proxy.cuts >= 8, proxy.cuts  # it really cut, again and again
    assert proxy.upstream_bytes <= 1.3 * len(data), proxy.upstream_bytes / len(data)
    [[complete]] = query(
        central, "SELECT complete_at FROM evidence_files WHERE sha256 = :h", h=added.sha256
    )
    assert complete is not None
    assert hashlib.sha256(central_copy(central, added.sha256)).hexdigest() == added.sha256

    leader.enrol(central, "s-tl")
    leader.sync_until_done()
    [away] = listed(leader.casework, case_id)
    assert not away.here
    assert leader.sync.download_attachment(case_id, added.id) == len(data)
    assert b"".join(read_back(leader.casework, case_id, added.id)) == data
    assert leader.sync.download_attachment(case_id, added.id) == 0  # here now: nothing asked
    assert leader.sync.status().evidence_waiting == 0  # fetched bytes are not sent back


def test_the_same_chunk_twice_is_kept_once(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    laptop = laptop_factory("twice")
    laptop.enrol(central, "s-ho")
    first, second = laptop.record(2, estate="EST-NORTH")
    block = os.urandom(p.EVIDENCE_CHUNK_BYTES)  # chunks 1 and 2 of the file are the same bytes
    head = MP4_HEAD + os.urandom(p.EVIDENCE_CHUNK_BYTES - len(MP4_HEAD))
    (tmp_path / "a.mp4").write_bytes(head + block + block)
    before = query(central, "SELECT count(*) FROM evidence_chunks")[0][0]
    one = attach(laptop.casework, first, tmp_path / "a.mp4")
    two = attach(laptop.casework, second, tmp_path / "a.mp4")  # the same file on another case
    upload_all(laptop)
    after = query(central, "SELECT count(*) FROM evidence_chunks")[0][0]
    assert after - before == 2  # three chunks of one file, two of them alike; the file once
    assert (
        query(central, "SELECT count(*) FROM evidence_files WHERE sha256 = :h", h=one.sha256)[0][0]
        == 1
    )
    held = query(central, "SELECT count(*) FROM case_evidence WHERE sha256 = :h", h=one.sha256)
    assert held[0][0] == 2 and one.sha256 == two.sha256


def test_a_chunk_changed_on_the_way_is_refused_by_its_hash_and_sent_again(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    laptop = laptop_factory("corrupt")
    [case_id] = laptop.record(1, estate="EST-NORTH")
    data = video(tmp_path / "noise.mp4", 3 * MB)
    added = attach(laptop.casework, case_id, tmp_path / "noise.mp4")
    proxy = CuttingProxy(port_of(central), corrupt=b"/chunks/1 ")
    try:
        laptop.enrol(central, "s-ho", url=proxy.url)
        laptop.sync.sync(force=True)
    finally:
        proxy.close()
    assert proxy.corrupted == 1
    assert laptop.sync.status().evidence_waiting == 0
    assert central_copy(central, added.sha256) == data


def test_who_may_not_see_the_case_may_neither_send_nor_fetch_its_bytes(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    officer, stranger = laptop_factory("owner"), laptop_factory("stranger")
    officer.enrol(central, "s-ho")
    stranger.enrol(central, "s-tl2")  # a team leader of another patch
    [case_id] = officer.record(1, estate="EST-NORTH")
    data = video(tmp_path / "door.mp4", 2 * MB)
    added = attach(officer.casework, case_id, tmp_path / "door.mp4")
    upload_all(officer)
    settings = stranger.sync.engine.settings()
    assert settings is not None
    client: SyncClient = stranger.sync.engine.client(settings)
    chunks = [hashlib.sha256(data[i : i + p.EVIDENCE_CHUNK_BYTES]).hexdigest()
              for i in range(0, len(data), p.EVIDENCE_CHUNK_BYTES)]  # fmt: skip
    offer = p.EvidenceOffer(sha256=added.sha256, size=added.size, chunks=chunks)
    reads_before = query(
        central, "SELECT count(*) FROM case_reads WHERE case_id = :c AND refused", c=case_id
    )[0][0]
    for call in (
        lambda: calls.offer(client, case_id, added.id, offer),
        lambda: calls.send_chunk(client, case_id, added.id, 0, data[: p.EVIDENCE_CHUNK_BYTES]),
        lambda: calls.state(client, case_id, added.id),
        lambda: calls.fetch_chunk(client, case_id, added.id, 0),
        lambda: calls.complete(client, case_id, added.id),
    ):
        with pytest.raises(Refused) as refused:
            call()
        assert refused.value.status == 403
        assert "you may not see this case" in str(refused.value)
    refusals = query(
        central,
        "SELECT count(*) FROM case_reads WHERE case_id = :c AND refused AND via = 'evidence'",
        c=case_id,
    )[0][0]
    assert refusals - reads_before == 5


def test_a_file_over_the_limit_is_refused_in_words_and_nothing_is_queued(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    laptop = laptop_factory("limit")
    [case_id] = laptop.record(1, estate="EST-NORTH")
    laptop.casework.set_policy(replace(laptop.casework.policy(), attachment_max_mb=1))
    big = tmp_path / "long recording.mp4"
    video(big, 2 * MB)
    with pytest.raises(ProcedureError) as refused:
        attach(laptop.casework, case_id, big)
    words = str(refused.value)
    assert str(big) in words and "2.0 MB" in words and "1.0 MB" in words
    assert "nothing was attached" in words
    assert laptop.sync.status().evidence_waiting == 0
    with laptop.store.read() as conn:
        assert evidence_uploads.ready_to_send(conn) == []
        assert evidence_uploads.waiting_totals(conn) == (0, 0)


def test_offline_a_download_says_so_and_keeps_nothing(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    officer, leader = laptop_factory("o2"), laptop_factory("l2")
    officer.enrol(central, "s-ho")
    [case_id] = officer.record(1, estate="EST-NORTH")
    video(tmp_path / "v.mp4", MB)
    added = attach(officer.casework, case_id, tmp_path / "v.mp4")
    upload_all(officer)
    proxy = CuttingProxy(port_of(central))
    leader.enrol(central, "s-tl", url=proxy.url)
    leader.sync_until_done()
    proxy.close()  # now offline
    from asb_desktop.sync.client import Unreachable

    with pytest.raises(Unreachable) as offline:
        leader.sync.download_attachment(case_id, added.id)
    assert "cannot be reached" in str(offline.value)
    assert not listed(leader.casework, case_id)[0].here


def test_a_sync_cancelled_mid_upload_stops_between_chunks_and_the_next_goes_on(
    central: Server, laptop_factory: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = laptop_factory("cancel")
    laptop.enrol(central, "s-ho")
    [case_id] = laptop.record(1, estate="EST-NORTH")
    data = video(tmp_path / "long.mp4", 4 * MB)
    added = attach(laptop.casework, case_id, tmp_path / "long.mp4")
    sent = {"chunks": 0}
    real_send = calls.send_chunk

    def counting(*args: object) -> None:
        real_send(*args)  # type: ignore[arg-type]
        sent["chunks"] += 1

    monkeypatch.setattr(calls, "send_chunk", counting)  # counts the real sends
    summary = laptop.sync.sync(force=True, cancel=lambda: sent["chunks"] >= 2)
    monkeypatch.undo()
    assert summary.cancelled and sent["chunks"] == 2
    assert laptop.sync.status().evidence_waiting == 1
    held = query(
        central, "SELECT complete_at FROM evidence_files WHERE sha256 = :h", h=added.sha256
    )
    assert held == [(None,)]
    upload_all(laptop)
    assert central_copy(central, added.sha256) == data


def test_a_download_cut_again_and_again_resumes_from_the_chunks_already_here(
    central: Server, laptop_factory: Factory, tmp_path: Path
) -> None:
    from asb_desktop.sync.client import Unreachable

    officer, leader = laptop_factory("o3"), laptop_factory("l3")
    officer.enrol(central, "s-ho")
    [case_id] = officer.record(1, estate="EST-NORTH")
    data = video(tmp_path / "v.mp4", 8 * MB)
    added = attach(officer.casework, case_id, tmp_path / "v.mp4")
    upload_all(officer)
    proxy = CuttingProxy(port_of(central), cut_down_every=3 * MB)
    try:
        leader.enrol(central, "s-tl", url=proxy.url)
        leader.sync_until_done()
        tries = 0
        while not listed(leader.casework, case_id)[0].here:
            tries += 1
            assert tries < 10, "the download never finished: it does not resume"
            with contextlib.suppress(Unreachable):
                leader.sync.download_attachment(case_id, added.id)
    finally:
        proxy.close()
    assert tries > 1 and proxy.cuts >= 2  # cut, and finished only by going on from there
    assert proxy.downstream_bytes <= 1.6 * len(data)
    assert b"".join(read_back(leader.casework, case_id, added.id)) == data

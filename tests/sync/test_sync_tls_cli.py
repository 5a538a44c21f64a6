"""TLS verified by default, the organisation's own CA bundle, and the headless commands."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from asb_desktop.cli.main import main
from asb_desktop.sync.client import Refused
from tests.sync.sync_support import Laptop, Server, admin, running_central

Factory = Callable[..., Laptop]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_an_unknown_certificate_is_refused_and_the_ca_bundle_lets_it_through(
    certificate: tuple[Path, Path], tmp_path: Path, laptop_factory: Factory
) -> None:
    with running_central("sqlite", tmp_path) as plain:
        server = Server(plain.db_url, tmp_path / "tls.log", tls=certificate)
        try:
            laptop = laptop_factory()
            code = admin(server.db_url, "enrol-device", "--user", "s-ho").strip()
            with pytest.raises(Refused, match="certificate could not be verified"):
                laptop.sync.enrol(server.url, code)
            assert not laptop.sync.status().connected
            with pytest.raises(ValueError, match="does not exist"):
                laptop.sync.enrol(server.url, code, ca_bundle=str(tmp_path / "missing.pem"))
            laptop.sync.enrol(server.url, code, ca_bundle=str(certificate[0]))
            laptop.record(1, estate="EST-NORTH")
            summary = laptop.sync.sync()
            assert summary.ok and summary.sent == 1
            laptop.sync.engine.forget_client()  # no keep-alive connection to wait for
        finally:
            server.stop()


def test_enrol_refuses_plain_http_to_another_machine(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(data_dir), "enrol", "http://asb.example.org", "ABCD-EFGH"])
    err = capsys.readouterr().err
    assert code == 1 and "must use https://" in err and "Nothing was changed." in err


def test_sync_before_enrolment_says_how_to_connect(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "sync"]) == 1
    out = capsys.readouterr().out
    assert "Not connected to a central store yet." in out
    assert "asb-desktop enrol URL CODE" in out


def test_sync_command_prints_the_summary(
    central: Server, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = admin(central.db_url, "enrol-device", "--user", "s-ho").strip()
    assert main(["--data-dir", str(data_dir), "enrol", central.url, code]) == 0
    assert "as Hana Ali (s-ho)" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "sync", "--batch-size", "600"]) == 2
    assert main(["--data-dir", str(data_dir), "sync"]) == 0
    out = capsys.readouterr().out
    assert "Sent 0 changes" in out and "All changes sent." in out
    assert "Last successful sync:" in out and "never" not in out

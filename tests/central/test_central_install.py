"""The central service installs and runs on its own: `pip install ./central` in a fresh virtual
environment gives a working `asb-central` without the desktop's Qt, SQLCipher, ReportLab or keyring.

The environment is built once for this module (it needs the package registry and takes tens of
seconds); the server it runs is started once too and always stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.central.central_support import free_port
from tests.paths import REPO

CENTRAL = REPO / "central"
CONSTRAINTS = REPO / "constraints.txt"  # optional: pins shared with the other installs
DESKTOP_ONLY = ["PySide6", "sqlcipher3", "reportlab", "keyring"]
SERVER_NEEDS = ["fastapi", "uvicorn", "psycopg"]
INSTALL_TIMEOUT = 900  # seconds; a cold pip cache downloads every wheel
START_TIMEOUT = 30


@dataclass(frozen=True)
class ServerVenv:
    root: Path
    python: Path
    scripts: Path

    def env(self) -> dict[str, str]:
        """The caller's environment without anything that would reach the working tree."""
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        return env

    def run(self, *args: str, timeout: float = 120, cwd: Path | None = None) -> str:
        result = subprocess.run(
            list(args),
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=cwd or self.root,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def probe(self, code: str) -> object:
        """Run `code` (which prints one JSON value) with this environment's Python."""
        return json.loads(self.run(str(self.python), "-c", code))


@dataclass(frozen=True)
class RunningServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="module")
def server_venv(tmp_path_factory: pytest.TempPathFactory) -> ServerVenv:
    root = tmp_path_factory.mktemp("central-install") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=120)
    scripts = root / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    made = ServerVenv(root=root, python=python, scripts=scripts)
    install = [str(made.python), "-m", "pip", "install", "--quiet", str(CENTRAL)]
    if CONSTRAINTS.exists():
        install += ["-c", str(CONSTRAINTS)]
    made.run(*install, timeout=INSTALL_TIMEOUT)
    return made


@pytest.fixture(scope="module")
def running_server(server_venv: ServerVenv) -> Iterator[RunningServer]:
    """The installed `asb-central` on a new SQLite file: `init-db`, then `serve` on a free port."""
    workdir = server_venv.root.parent
    database = workdir / "central.sqlite3"
    command = str(server_venv.scripts / "asb-central")
    server_venv.run(command, "--db", str(database), "init-db", cwd=workdir)
    port = free_port()
    log = workdir / "server.log"
    serve = [command, "--db", str(database), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [*serve, "--no-access-log"],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=server_venv.env(),
            cwd=workdir,
        )
    try:
        server = RunningServer(url=f"http://127.0.0.1:{port}", process=process, log=log)
        _wait_for_health(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_for_health(server: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"asb-central exited:\n{server.log.read_text(errors='replace')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError(
        f"asb-central did not answer /health within {START_TIMEOUT} s:\n"
        f"{server.log.read_text(errors='replace')}"
    )


def _importable(server_venv: ServerVenv, modules: list[str]) -> dict[str, bool]:
    found = server_venv.probe(
        "import importlib.util, json\n"
        f"print(json.dumps({{m: importlib.util.find_spec(m) is not None for m in {modules!r}}}))"
    )
    assert isinstance(found, dict)
    return found


def test_the_installed_server_answers_health_on_a_new_sqlite_file(
    running_server: RunningServer,
) -> None:
    response = httpx.get(f"{running_server.url}/health", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "api": "v1"}
    assert running_server.process.poll() is None


def test_the_server_environment_has_no_qt_sqlcipher_reportlab_or_keyring(
    server_venv: ServerVenv,
) -> None:
    assert _importable(server_venv, DESKTOP_ONLY) == dict.fromkeys(DESKTOP_ONLY, False)


def test_the_server_environment_has_fastapi_uvicorn_and_psycopg(server_venv: ServerVenv) -> None:
    assert _importable(server_venv, SERVER_NEEDS) == dict.fromkeys(SERVER_NEEDS, True)


def test_the_server_runs_its_installed_copy_with_only_the_shared_desktop_code(
    server_venv: ServerVenv,
) -> None:
    shipped = server_venv.probe(
        "import importlib.util, json\n"
        "import asb_central.api, asb_desktop.domain.procedure, asb_desktop.sync.protocol\n"
        "print(json.dumps({\n"
        "    'files': [asb_central.api.__file__, asb_desktop.sync.protocol.__file__],\n"
        "    'left_out': [m for m in ('asb_desktop.store', 'asb_desktop.ui', 'asb_desktop.cli',\n"
        "                             'asb_desktop.sync.client')\n"
        "                 if importlib.util.find_spec(m) is not None],\n"
        "}))"
    )
    assert isinstance(shipped, dict)
    for file in shipped["files"]:
        assert Path(file).resolve().is_relative_to(server_venv.root.resolve()), file
    assert shipped["left_out"] == []


def test_the_server_distribution_keeps_the_desktop_version_and_dependency_bounds() -> None:
    desktop = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    server = tomllib.loads((CENTRAL / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert server["name"] == "asb-central"
    assert server["version"] == desktop["version"]
    assert server["requires-python"] == desktop["requires-python"]
    assert server["scripts"] == {"asb-central": "asb_central.cli:main"}
    desktop_requirements = {*desktop["dependencies"], *desktop["optional-dependencies"]["central"]}
    assert set(server["dependencies"]) <= desktop_requirements

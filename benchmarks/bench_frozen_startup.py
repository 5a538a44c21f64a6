"""Start-up time of the frozen app: from launching `asb-desktop` to its main window on screen.

What is measured: the real GUI start (`asb-desktop` with no arguments, nothing added to the app)
under Xvfb with Qt's xcb platform. The clock starts just before the process is spawned and stops
when `xdotool search --onlyvisible --name '^ASB Desktop$'` first finds a mapped window with that
title (polled every 10 ms). The store already exists (a first run creates it and is reported
apart).

Two key paths: by default the store is keyed by a passphrase (ASB_DESKTOP_PASSPHRASE, no
keyring), which costs SQLCipher's 256,000-round KDF on every new connection; with --keyring the
app runs in a private D-Bus session with an unlocked gnome-keyring, so it keeps a raw key in the
Secret Service as on an officer's laptop, and skips the KDF.

    python3 benchmarks/bench_frozen_startup.py [--app dist/asb-desktop/asb-desktop] [--runs 7]
        [--keyring]  use a real Secret Service keyring (needs gnome-keyring and dbus)
        [--source]   also time `python3 -m asb_desktop` from the source tree, for comparison

Needs: Xvfb and xdotool (apt-get install xvfb xdotool x11-utils), the xcb libraries Qt needs
(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 ...), and for --keyring
gnome-keyring and dbus.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TITLE = "^ASB Desktop$"
TIMEOUT_S = 30.0


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """A private X server on a random, unused display number.

    Not display 0 or the first free one: X clients try the abstract socket first, which is shared
    by every process in the network namespace, so another session's Xvfb on the same number
    would answer instead of ours.
    """
    rng = random.SystemRandom()
    for _ in range(20):
        number = rng.randint(200, 899)
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        display = f":{number}"
        server = subprocess.Popen(
            ["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and server.poll() is None:
            if Path(f"/tmp/.X11-unix/X{number}").exists() and _answers(display):
                return server, display
            time.sleep(0.05)
        server.kill()
        server.wait()
    raise SystemExit("Xvfb did not start")


def _answers(display: str) -> bool:
    probe = subprocess.run(
        ["xdpyinfo"], env={**os.environ, "DISPLAY": display}, capture_output=True, check=False
    )
    return probe.returncode == 0


def window_shown(env: dict[str, str]) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", TITLE],
        env=env,
        capture_output=True,
        check=False,
    )
    return found.returncode == 0 and bool(found.stdout.strip())


class DisplayLost(RuntimeError):
    """The app could not reach the X server (seen now and then under load); the run is redone."""


def time_one(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tempfile.gettempdir(),
    )
    try:
        while not window_shown(env):
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                if "could not connect to display" in error:
                    raise DisplayLost(error)
                raise SystemExit(
                    f"the app exited ({process.returncode}) before its window showed:\n{error}"
                )
            if time.perf_counter() - started > TIMEOUT_S:
                raise SystemExit(f"no window within {TIMEOUT_S:.0f} s")
            time.sleep(0.01)
        return time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def series(label: str, command: list[str], env: dict[str, str], runs: int) -> None:
    redone = 0

    def timed() -> float:
        nonlocal redone
        for _ in range(3):
            try:
                return time_one(command, env)
            except DisplayLost:
                redone += 1
        raise SystemExit("the app could not reach the X server three times in a row")

    first = timed()  # creates the store, caches are cold
    times = [timed() for _ in range(runs)]
    shown = ", ".join(f"{t * 1000:.0f}" for t in times)
    print(f"{label}: first run (creates the store) {first * 1000:.0f} ms")
    print(
        f"{label}: window shown in median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {runs} runs: {shown})"
        + (f"; {redone} run(s) redone: X server not reached" if redone else "")
    )


def unlocked_keyring(home: Path) -> dict[str, str]:
    """Start gnome-keyring's Secret Service in this D-Bus session, unlocked; its variables."""
    env = {**os.environ, "HOME": str(home)}
    started = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
        input=b"benchmark keyring password",
        env=env,
        capture_output=True,
        check=True,
    )
    variables = dict(
        line.split("=", 1) for line in started.stdout.decode().splitlines() if "=" in line
    )
    return {**variables, "HOME": str(home)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "asb-desktop" / "asb-desktop")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--source", action="store_true", help="also time the source tree")
    parser.add_argument("--keyring", action="store_true", help="key from a real keyring")
    parser.add_argument("--in-session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.keyring and not args.in_session:
        command = [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:], "--in-session"]
        os.execvp("dbus-run-session", ["dbus-run-session", "--", *command])
    if not args.app.exists():
        raise SystemExit(f"{args.app} not found: build it with bash packaging/build-linux.sh")
    for tool in ("Xvfb", "xdotool", "xdpyinfo"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed: apt-get install xvfb xdotool x11-utils")
    server, display = start_xvfb()
    data = Path(tempfile.mkdtemp(prefix="asb-bench-startup-"))
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "ASB_DESKTOP_"))}
        # A real home folder: without one fontconfig cannot keep its cache and rescans every font
        # on each start (seconds), which no officer's laptop does.
        (data / "home").mkdir()
        env = {**base, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "HOME": str(data / "home")}
        if args.keyring:
            env.update(unlocked_keyring(data / "home"))
            env.pop("PYTHON_KEYRING_BACKEND", None)
            key_path = "raw key from the Secret Service keyring"
        else:
            env["ASB_DESKTOP_PASSPHRASE"] = "benchmark passphrase 2026"
            env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
            key_path = "passphrase (SQLCipher KDF per connection)"
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; app: {args.app}")
        print(f"key: {key_path}")
        frozen_env = {**env, "ASB_DESKTOP_DATA_DIR": str(data / "frozen")}
        series("frozen", [str(args.app)], frozen_env, args.runs)
        if args.source:
            source_env = {
                **env,
                "ASB_DESKTOP_DATA_DIR": str(data / "source"),
                "PYTHONPATH": str(ROOT),
            }
            series("source", [sys.executable, "-m", "asb_desktop"], source_env, args.runs)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

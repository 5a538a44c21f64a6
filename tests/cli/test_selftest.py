"""`asb-desktop self-test`: every step reported, temporary data only, a real failure shown."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from asb_desktop.cli.selftest import TEMP_PREFIX, SelfTest, run_self_test

STEPS = (
    "encrypted store",
    "case write and read",
    "PDF summary",
    "summaries in a child",
    "Qt platform",
    "main window",
    "keyring",
    "charts, letters, HEIC",
)


def test_in_process_every_step_passes() -> None:
    out = io.StringIO()
    assert run_self_test(out) is True
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ASB Desktop 0.1.0 self-test")
    for step, line in zip(STEPS, lines[1:-1], strict=True):
        assert line.startswith(step) and " ok (" in line
    assert "SQLCipher 4." in lines[1] and "wrong key refused" in lines[1]
    assert (
        re.search(r"\b1 page,|\b\d+ pages,", lines[3])
        and "1 summary made by a child process" in lines[4]
        and "platform offscreen, widget and SVG drawn" in lines[5]
    )
    assert "built and shown in" in lines[6]
    assert lines[-1] == "self-test: 8 passed, 0 failed"


def test_a_failing_step_is_reported_and_its_dependants_are_not_run() -> None:
    out = io.StringIO()
    test = SelfTest(folder=Path("."), out=out)
    test.run("store", lambda: (_ for _ in ()).throw(OSError("disk full")))
    test.run("case", lambda: "fine", needs=("store",))
    test.run("other", lambda: "fine")
    assert not test.passed
    assert out.getvalue().splitlines() == [
        f"{'store':<24} FAILED: OSError: disk full",
        f"{'case':<24} FAILED: not run, because store failed",
        f"{'other':<24} ok (fine, {test.steps[2].millis:.0f} ms)",
    ]


def _child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "tmp").mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "ASB_DESKTOP_"))
    }
    env.update(
        HOME=str(home),
        TMPDIR=str(tmp_path / "tmp"),
        ASB_DESKTOP_DATA_DIR=str(tmp_path / "real-data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        **extra,
    )
    return env


def test_as_a_command_it_passes_and_leaves_nothing_behind(tmp_path: Path) -> None:
    env = _child_env(tmp_path)
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-m", "asb_desktop", "self-test", "--offscreen"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "self-test: 8 passed, 0 failed"
    assert "no secure keyring here" in done.stdout
    assert not (tmp_path / "real-data").exists()  # the user's data folder is never touched
    assert list((tmp_path / "home").rglob("*")) == []  # nor their home (data, logs, config)
    assert [p for p in (tmp_path / "tmp").iterdir() if p.name.startswith(TEMP_PREFIX)] == []


def test_a_missing_qt_platform_plugin_fails_the_run_with_a_reason(tmp_path: Path) -> None:
    env = _child_env(tmp_path, QT_QPA_PLATFORM="nosuchplatform")
    done = subprocess.run(
        [sys.executable, "-m", "asb_desktop", "self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    qt_line = next(line for line in done.stdout.splitlines() if line.startswith("Qt platform"))
    assert (
        "FAILED: RuntimeError: Qt platform plugin 'nosuchplatform' is not in this build" in qt_line
    )
    assert "libqoffscreen" in qt_line
    assert "main window              FAILED: not run, because Qt platform failed" in done.stdout
    assert done.stdout.splitlines()[-1] == "self-test: 6 passed, 2 failed"


@pytest.mark.parametrize("flag", ["--help"])
def test_the_command_is_registered(flag: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asb_desktop", "self-test", flag],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and "--offscreen" in done.stdout


def _no_display_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = _child_env(tmp_path, **extra)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    env.update(extra)
    return env


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland")


@linux_only
@pytest.mark.parametrize(
    ("display", "said"),
    [
        (None, "there is no display here (DISPLAY and WAYLAND_DISPLAY are unset)"),
        (":87", "no X server answers on the display DISPLAY names (:87)"),
    ],
)
def test_with_no_display_it_runs_off_screen_by_itself(
    tmp_path: Path, display: str | None, said: str
) -> None:
    extra = {"DISPLAY": display} if display else {}
    done = subprocess.run(
        [sys.executable, "-m", "asb_desktop", "self-test"],
        env=_no_display_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == (
        f"No display: {said}, so the Qt and window steps draw off screen "
        "(QT_QPA_PLATFORM=offscreen)."
    )
    assert "platform offscreen" in done.stdout
    assert lines[-1] == "self-test: 8 passed, 0 failed"


@linux_only
def test_asking_for_x11_with_no_display_fails_the_step_instead_of_aborting(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asb_desktop", "self-test"],
        env=_no_display_env(tmp_path, QT_QPA_PLATFORM="xcb"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # not 134 (Qt's abort)
    qt_line = next(line for line in done.stdout.splitlines() if line.startswith("Qt platform"))
    assert "FAILED: RuntimeError: QT_QPA_PLATFORM is xcb, but no X server answers" in qt_line
    assert done.stdout.splitlines()[-1] == "self-test: 6 passed, 2 failed"


@linux_only
def test_the_window_with_no_display_says_so(tmp_path: Path) -> None:
    env = _no_display_env(tmp_path, ASB_DESKTOP_PASSPHRASE="a passphrase for the test")
    done = subprocess.run(
        [sys.executable, "-m", "asb_desktop"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(
        "asb-desktop: there is no display here (DISPLAY and WAYLAND_DISPLAY are unset), so the "
        "window cannot open."
    )
    assert not (tmp_path / "real-data").exists()

"""The build recipes point at files that exist and are well-formed (the build itself is too slow
for the test suite: packaging/build-linux.sh runs it, and CI calls that)."""

from __future__ import annotations

import configparser
import os
import re
import subprocess

import pytest

from tests.paths import REPO

PACKAGING = REPO / "packaging"


@pytest.mark.parametrize(
    "script", ["packaging/build-linux.sh", ".ci/build-frozen", "packaging/linux/install.sh"]
)
def test_scripts_are_executable_bash(script: str) -> None:
    path = REPO / script
    assert os.access(path, os.X_OK)
    assert (
        subprocess.run(["bash", "-n", str(path)], capture_output=True, check=False).returncode == 0
    )


def test_every_path_the_spec_names_exists() -> None:
    spec = (PACKAGING / "asb-desktop.spec").read_text(encoding="utf-8")
    named = re.findall(r'(ROOT|PACKAGING)((?: / "[^"]+")+)', spec)
    assert len(named) >= 8
    for base, parts in named:
        path = REPO if base == "ROOT" else PACKAGING
        for part in re.findall(r'"([^"]+)"', parts):
            path = path / part
        assert path.exists(), f"the spec names {path}, which is missing"
    for icon in ("asb-desktop.png", "asb-desktop.ico", "asb-desktop.icns"):
        assert (PACKAGING / "icons" / icon).stat().st_size > 1000


def test_the_desktop_entry_starts_what_install_sh_installs() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "asb-desktop.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name"] == "ASB Desktop"
    assert section["Icon"] == "asb-desktop" and section["Terminal"] == "false"
    install = (PACKAGING / "linux" / "install.sh").read_text(encoding="utf-8")
    prefix = re.search(r'prefix="\$\{PREFIX:-([^}]+)\}"', install)
    assert prefix and section["Exec"] == f"{prefix.group(1)}/asb-desktop"


def test_the_installer_script_names_the_built_folder_and_icon() -> None:
    script = (PACKAGING / "windows" / "asb-desktop.iss").read_text(encoding="utf-8")
    assert r'"..\..\dist\asb-desktop"' in script
    assert (
        r"..\icons\asb-desktop.ico" in script and (PACKAGING / "icons" / "asb-desktop.ico").exists()
    )
    assert "{commonappdata}\\{#AppName}" in script  # where presets.py looks on Windows

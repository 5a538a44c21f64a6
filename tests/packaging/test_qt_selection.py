"""The Qt selection of the frozen build: what is kept, what is dropped, and the bundle check."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.paths import REPO

PACKAGING = REPO / "packaging"


def packaging_script(name: str) -> ModuleType:
    """Load a build script from packaging/ by its file: the folder is not a package (its name
    would shadow the `packaging` library)."""
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


qt_selection = packaging_script("qt_selection")
EXCLUDED_QT_MODULES = qt_selection.EXCLUDED_QT_MODULES
keep_file, unneeded_libraries = qt_selection.keep_file, qt_selection.unneeded_libraries
inspect = packaging_script("check_bundle").inspect


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/QtNetwork.abi3.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
        "PySide6/QtPrintSupport.abi3.so",  # Print summary's system print dialog
        "PySide6/QtPrintSupport.pyd",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "PySide6/Qt6PrintSupport.dll",
        "PySide6/Qt/lib/QtPrintSupport.framework/Versions/A/QtPrintSupport",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",  # the dialog's printers
        "PySide6/Qt6Gui.dll",
        "PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore",
        "libsqlite3.so.0",
        "asb_desktop/resources/fonts/DejaVuSans.ttf",
    ],
)
def test_what_the_app_uses_is_kept(dest: str) -> None:
    assert keep_file(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
        "PySide6/Qt6Qml.dll",
        "PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml",
        "PySide6/QtQuick.abi3.so",
        "PySide6/QtSvg.pyd",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqminimalegl.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/translations/qtbase_de.qm",
    ],
)
def test_what_it_does_not_use_is_dropped(dest: str) -> None:
    assert not keep_file(dest)


def test_every_exclusion_gives_a_reason() -> None:
    assert all(reason.strip() for reason in EXCLUDED_QT_MODULES.values())
    assert (
        "PySide6.QtWebEngineCore" in EXCLUDED_QT_MODULES and "PySide6.QtQml" in EXCLUDED_QT_MODULES
    )


def test_libraries_only_a_dropped_plugin_linked_are_found() -> None:
    binaries = [
        ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "BINARY"),
        ("libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("libfontconfig.so.1", "/lib/libfontconfig.so.1", "BINARY"),
        ("libcairo.so.2", "/lib/libcairo.so.2", "BINARY"),
        ("libpython3.11.so.1.0", "/lib/libpython3.11.so.1.0", "BINARY"),
        ("_cffi_backend.cpython-311-x86_64-linux-gnu.so", "/src/_cffi.so", "EXTENSION"),
    ]
    links = {
        "/src/QtGui.abi3.so": [
            ("libQt6Gui.so.6", "/src/libQt6Gui.so.6"),
            ("libfontconfig.so.1", "/lib/libfontconfig.so.1"),
        ]
    }
    assert unneeded_libraries(binaries, lambda path: links.get(path, [])) == {"libcairo.so.2"}


def test_the_bundle_check_lists_qt_and_flags_a_stray_module(tmp_path: Path) -> None:
    qt = tmp_path / "_internal" / "PySide6" / "Qt"
    for relative in (
        "lib/libQt6Core.so.6",
        "lib/libQt6Widgets.so.6",
        "plugins/platforms/libqxcb.so",
    ):
        (qt / relative).parent.mkdir(parents=True, exist_ok=True)
        (qt / relative).write_bytes(b"")
    (tmp_path / "_internal" / "PySide6" / "QtCore.abi3.so").write_bytes(b"")
    libraries, modules, plugins, problems = inspect(tmp_path)
    assert (libraries, modules, plugins, problems) == (
        ["Core", "Widgets"],
        ["QtCore"],
        ["platforms/libqxcb.so"],
        [],
    )
    (qt / "lib" / "libQt6Qml.so.6").write_bytes(b"")
    assert any("libQt6Qml.so.6" in problem for problem in inspect(tmp_path)[3])


def test_no_qt_module_the_app_imports_is_excluded_from_the_build() -> None:
    """An import of an excluded module would work from source and fail only in the frozen app."""
    import re

    package = PACKAGING.parent / "asb_desktop"
    imported = {
        match
        for path in package.rglob("*.py")
        if "central" not in path.relative_to(package).parts
        for match in re.findall(r"PySide6\.(Qt[A-Za-z0-9]+)", path.read_text(encoding="utf-8"))
    }
    assert imported >= {"QtCore", "QtGui", "QtWidgets"}
    assert (
        sorted(f"PySide6.{name}" for name in imported if f"PySide6.{name}" in EXCLUDED_QT_MODULES)
        == []
    )


def test_print_support_is_kept_for_the_print_dialog_with_its_reason() -> None:
    """Print summary offers the system's print dialog (QtPrintSupport); its printers come from
    the printsupport plugins (CUPS on Linux). Neither may be excluded again."""
    assert "PySide6.QtPrintSupport" not in EXCLUDED_QT_MODULES
    assert "PrintSupport" in qt_selection.KEPT_QT_LIBRARIES
    assert "print dialog" in qt_selection.KEPT_QT_LIBRARIES["PrintSupport"]
    assert "printsupport" in qt_selection.KEPT_PLUGINS
    assert "printsupport" not in qt_selection.DROPPED_PLUGIN_FOLDERS
    readme = (PACKAGING / "README.md").read_text(encoding="utf-8")
    assert "QtPrintSupport" in readme.split("**Left out, and why**")[0], "listed as kept"
    assert "Why QtPrintSupport" in readme
    spec = (PACKAGING / "asb-desktop.spec").read_text(encoding="utf-8")
    assert '"PySide6.QtPrintSupport"' in spec, "imported late, so named as a hidden import"

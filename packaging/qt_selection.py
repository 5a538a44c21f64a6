"""Which Qt parts the frozen application carries, and which it leaves out (with the reason).

Imported by asb-desktop.spec and by the packaging tests; plain Python, no PyInstaller needed.
The application uses QtCore, QtGui and QtWidgets, QtNetwork for QNetworkInformation
(online/offline), and QtPrintSupport for the system's print dialog ("Print summary" chooses the
printer there). Everything else in PySide6 is excluded; see packaging/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# Python modules never imported by the desktop application: excluding them stops PyInstaller
# from following optional imports into them (and their Qt libraries).
EXCLUDED_QT_MODULES: dict[str, str] = {
    "PySide6.QtQml": "QML engine: the UI is written with widgets",
    "PySide6.QtQuick": "Qt Quick scene graph: widgets only",
    "PySide6.QtQuickControls2": "Qt Quick controls: widgets only",
    "PySide6.QtQuickWidgets": "Qt Quick inside widgets: not used",
    "PySide6.QtQuickTest": "QML test runner",
    "PySide6.QtQmlFeatures": "QML feature flags",
    "PySide6.QtLabsStyleKit": "QML styling kit",
    "PySide6.QtWebEngineCore": "Chromium engine (~150 MB): no web content is shown",
    "PySide6.QtWebEngineWidgets": "Chromium engine: no web content is shown",
    "PySide6.QtWebEngineQuick": "Chromium engine for QML",
    "PySide6.QtWebChannel": "web/JS bridge: no web content",
    "PySide6.QtWebSockets": "sync uses HTTPS through httpx",
    "PySide6.QtPdf": "PDFs are written with ReportLab and opened in the system viewer",
    "PySide6.QtPdfWidgets": "PDF viewer widget: not used",
    "PySide6.QtMultimedia": "no audio or video",
    "PySide6.QtMultimediaWidgets": "no audio or video",
    "PySide6.QtSpatialAudio": "no audio",
    "PySide6.QtTextToSpeech": "screen readers use the accessibility bridge, not TTS",
    "PySide6.Qt3DCore": "no 3D",
    "PySide6.Qt3DRender": "no 3D",
    "PySide6.Qt3DInput": "no 3D",
    "PySide6.Qt3DLogic": "no 3D",
    "PySide6.Qt3DAnimation": "no 3D",
    "PySide6.Qt3DExtras": "no 3D",
    "PySide6.QtQuick3D": "no 3D",
    "PySide6.QtCharts": "no charts",
    "PySide6.QtGraphs": "no charts",
    "PySide6.QtGraphsWidgets": "no charts",
    "PySide6.QtDataVisualization": "no charts",
    "PySide6.QtOpenGL": "widgets are drawn in software; no OpenGL views",
    "PySide6.QtOpenGLWidgets": "no OpenGL views",
    "PySide6.QtSql": "the store is SQLCipher through SQLAlchemy, not Qt SQL",
    "PySide6.QtSvg": "SVG icons are drawn through QPixmap and the qsvg image plugin, not this module",
    "PySide6.QtSvgWidgets": "no SVG widgets",
    "PySide6.QtTest": "tests only (pytest-qt), never in the application",
    "PySide6.QtDesigner": "developer tool",
    "PySide6.QtUiTools": ".ui files are not loaded at run time",
    "PySide6.QtHelp": "no Qt Assistant help",
    "PySide6.QtXml": "no XML",
    "PySide6.QtConcurrent": "background work uses Python threads (the task helper)",
    "PySide6.QtDBus": "not used from Python (the Qt platform plugins link the library directly)",
    "PySide6.QtBluetooth": "no devices",
    "PySide6.QtNfc": "no devices",
    "PySide6.QtSerialPort": "no devices",
    "PySide6.QtSerialBus": "no devices",
    "PySide6.QtSensors": "no devices",
    "PySide6.QtPositioning": "no location",
    "PySide6.QtLocation": "no maps",
    "PySide6.QtRemoteObjects": "no IPC",
    "PySide6.QtScxml": "no state charts",
    "PySide6.QtStateMachine": "no state machines",
    "PySide6.QtHttpServer": "no server inside the desktop app",
    "PySide6.QtNetworkAuth": "no OAuth",
    "PySide6.QtAxContainer": "no ActiveX",
}

# Python packages of the development, test and server side that must never ship in the laptop app.
EXCLUDED_PYTHON: dict[str, str] = {
    "tkinter": "Tk is not used",
    "pytest": "tests only",
    "_pytest": "tests only",
    "pytestqt": "tests only",
    "hypothesis": "tests only",
    "schemathesis": "tests only",
    "pypdf": "tests only",
    "jsonschema": "tests only",
    "mypy": "developer tool",
    "IPython": "developer tool",
    # numpy ships: Matplotlib (the team view's charts) needs it.
    "matplotlib.backends.backend_tkagg": "the charts draw on Qt only (QtAgg)",
    "matplotlib.backends.backend_gtk3agg": "the charts draw on Qt only (QtAgg)",
    "matplotlib.backends.backend_gtk4agg": "the charts draw on Qt only (QtAgg)",
    "matplotlib.backends.backend_wxagg": "the charts draw on Qt only (QtAgg)",
    "matplotlib.backends.backend_webagg": "the charts draw on Qt only (QtAgg)",
    "PyQt5": "PySide6 is the binding; Matplotlib must not find another",
    "PyQt6": "PySide6 is the binding; Matplotlib must not find another",
    "PIL.ImageQt": "Pillow's Qt bridge would pull in more Qt bindings; logos are read by ReportLab",
    "PIL.ImageTk": "Tk is not used",
    "PIL._imagingtk": "Tk is not used",
    "PIL._avif": "AVIF images are not read (saves ~5 MB of codec libraries)",
    "PIL.AvifImagePlugin": "AVIF images are not read",
    "fastapi": "central server only",
    "starlette": "central server only",
    "uvicorn": "central server only",
    "psycopg": "central server only (PostgreSQL)",
    "asb_central": "central server only",
    "keyrings.alt": "plaintext keyrings are refused; never shipped",
}

EXCLUDED_MODULES: tuple[str, ...] = (*EXCLUDED_QT_MODULES, *EXCLUDED_PYTHON)

# Qt shared libraries kept (by name stem); any other Qt6* library found in the bundle is dropped.
KEPT_QT_LIBRARIES: dict[str, str] = {
    "Core": "QtCore",
    "Gui": "QtGui",
    "Widgets": "QtWidgets",
    "Network": "QtNetwork: QNetworkInformation (online/offline)",
    "PrintSupport": "QtPrintSupport: the system's print dialog (printer, copies, pages, sides)",
    "DBus": "linked by the xcb/wayland platform plugins, the portal theme and NetworkManager",
    "XcbQpa": "the X11 platform plugin's library (Linux)",
    "WaylandClient": "the Wayland platform plugin's library (Linux)",
    "WlShellIntegration": "Wayland xdg-shell integration (Linux)",
    "Svg": "the qsvg image plugin draws the navigation icons (resources/icons/*.svg)",
    "OpenGL": "linked by the xcb GLX/EGL integrations and Wayland; not used by the app itself",
    "WaylandEglClientHwIntegration": "Wayland EGL integration (Linux)",
}
_DROPPED_LIBRARY_STEMS = {"EglFSDeviceIntegration", "EglFsKmsSupport", "EglFsKmsGbmSupport"}

# Qt plugin folders and, for kept folders, the plugin files kept (None: every file kept).
KEPT_PLUGINS: dict[str, tuple[str, ...] | None] = {
    "platforms": ("qxcb", "qwayland", "qoffscreen", "qminimal", "qwindows", "qcocoa", "qdirect2d"),
    "platformthemes": (
        "qxdgdesktopportal",
    ),  # qgtk3 would drag in cairo/X11 copies; the portal gives native dialogs
    "platforminputcontexts": (
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    ),
    "imageformats": ("qsvg", "qjpeg", "qico", "qgif"),
    "iconengines": ("qsvgicon",),
    "xcbglintegrations": None,
    "wayland-shell-integration": ("xdg-shell",),
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": (
        "qt-plugin-wayland-egl",
    ),  # server-buffer ones: compositor features
    "networkinformation": None,
    "printsupport": None,  # the print dialog's printers: CUPS on Linux (cupsprintersupport)
    "styles": None,  # Windows 11 / macOS native widget styles
}
DROPPED_PLUGIN_FOLDERS: dict[str, str] = {
    "egldeviceintegrations": "eglfs (no window system) is for kiosks, not laptops",
    "generic": "evdev/tuio touch input for eglfs kiosks",
    "sqldrivers": "Qt SQL is not used",
    "tls": "HTTPS goes through Python's ssl (httpx), not Qt's TLS backends",
    "qmltooling": "no QML",
    "wayland-graphics-integration-server": "compositor side only",
    "designer": "developer tool",
    "multimedia": "no audio or video",
    "position": "no location",
    "sceneparsers": "no 3D",
    "renderers": "no 3D",
    "renderplugins": "no 3D",
    "geometryloaders": "no 3D",
    "webview": "no web content",
    "vectorimageformats": "SVG-to-QML conversion; SVG is drawn by imageformats/qsvg",
}
DROPPED_PLATFORMS = "eglfs, linuxfb, vnc, vkkhrdisplay, minimalegl: kiosk/embedded platforms"

_QT_LIBRARY = re.compile(
    r"(?:^|[/\\])(?:lib)?Qt6?([A-Za-z0-9]+?)(?:\.abi3)?(?:\.so[.0-9]*|\.dll|\.dylib|\.framework)",
    re.IGNORECASE,
)
_PYSIDE_MODULE = re.compile(r"(?:^|[/\\])PySide6[/\\](Qt[A-Za-z0-9]+)\.(?:abi3\.so|pyd|so)$")


def _plugin(dest: str) -> tuple[str, str] | None:
    parts = re.split(r"[/\\]", dest)
    if "plugins" not in parts:
        return None
    index = parts.index("plugins")
    if index + 1 >= len(parts):
        return None
    return parts[index + 1], parts[-1] if len(parts) > index + 2 else ""


def keep_file(dest: str) -> bool:
    """Whether a file bound for the bundle (its destination path) belongs in the app."""
    parts = re.split(r"[/\\]", dest)
    if "translations" in parts and any(p.startswith("PySide6") for p in parts):
        return False  # Qt's own strings are English already; the UI is English
    module = _PYSIDE_MODULE.search(dest)
    if module and f"PySide6.{module.group(1)}" in EXCLUDED_QT_MODULES:
        return False
    plugin = _plugin(dest)
    if plugin is not None:
        folder, name = plugin
        if folder in DROPPED_PLUGIN_FOLDERS or folder not in KEPT_PLUGINS:
            return False
        wanted = KEPT_PLUGINS[folder]
        if wanted is None or not name:
            return True
        stem = re.sub(r"^lib", "", name.split(".")[0])
        return stem in wanted
    library = _QT_LIBRARY.search(parts[-1]) if "framework" not in dest else _QT_LIBRARY.search(dest)
    if library and "PySide6" not in parts[-1] and "pyside" not in parts[-1].lower():
        stem = library.group(1)
        if stem in _DROPPED_LIBRARY_STEMS:
            return False
        return stem in KEPT_QT_LIBRARIES
    return True


def unneeded_libraries(
    binaries: list[tuple[str, str, str]],
    imports_of: Callable[[str], Iterable[tuple[str, str | None]]],
) -> set[str]:
    """Top-level shared libraries that no kept binary links to any more.

    PyInstaller collects a plugin's dependencies before the spec drops the plugin, so a dropped
    plugin (e.g. the GTK theme) leaves its libraries (cairo, pango...) behind; this finds them.
    `imports_of(path)` gives the libraries a binary links to, directly or not.
    """
    top_level = {
        dest
        for dest, _, _ in binaries
        if "/" not in dest
        and dest.startswith("lib")
        and ".so" in dest
        and ".cpython-" not in dest
        and ".abi3." not in dest
    }
    needed: set[str] = set()
    for dest, source, _ in binaries:
        if dest not in top_level:
            needed.update(name for name, _ in imports_of(source))
    return {dest for dest in top_level if dest not in needed and not dest.startswith("libpython")}

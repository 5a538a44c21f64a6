"""`asb-desktop self-test`: what IT runs after installing, to see that this build works here.

Each step exercises a part that packaging can break (the SQLCipher library, the Alembic scripts,
the fonts, the Qt platform and image plugins, the screens and their icons) on throwaway data in a temporary folder, with a random key
that is never stored: the user's data folder and keyring are never opened. Each step prints one
line ending "ok" or "FAILED: reason"; the exit code is 0 only when every step passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from asb_desktop.domain.wording import counted

TEMP_PREFIX = "asb-selftest-"
SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
# The navigation icons are SVG drawn through QPixmap: this needs the qsvg plugin in the build.
_SVG_PROBE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">'
    b'<rect width="16" height="16" fill="#1f3b57"/></svg>'
)


@dataclass
class Step:
    name: str
    passed: bool
    detail: str
    millis: float


@dataclass
class SelfTest:
    """Runs the steps in order over one temporary folder; later steps use earlier results."""

    folder: Path
    out: TextIO
    steps: list[Step] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def run(self, name: str, check: Callable[[], str], *, needs: tuple[str, ...] = ()) -> None:
        missing = [n for n in needs if not any(s.name == n and s.passed for s in self.steps)]
        started = time.perf_counter()
        if missing:
            passed, detail = False, f"not run, because {', '.join(missing)} failed"
        else:
            try:
                passed, detail = True, check()
            except Exception as error:  # a self-test reports every failure as a line, never a crash
                passed, detail = False, f"{type(error).__name__}: {error}".strip()
        millis = (time.perf_counter() - started) * 1000
        self.steps.append(Step(name, passed, detail, millis))
        result = f"ok ({detail}, {millis:.0f} ms)" if passed else f"FAILED: {detail}"
        print(f"{name:<24} {result}", file=self.out, flush=True)

    @property
    def passed(self) -> bool:
        return bool(self.steps) and all(step.passed for step in self.steps)


def _store_opens(test: SelfTest) -> str:
    import secrets

    from asb_desktop.store.database import Store, StoreError
    from asb_desktop.store.keys import DatabaseKey, FixedKey

    data_dir = test.folder / "store"
    key = DatabaseKey.raw(secrets.token_bytes(32))
    store = Store.open(data_dir, FixedKey(key))
    test.facts["store"], test.facts["key"] = store, key
    header = store.path.read_bytes()[:16]
    if header == SQLITE_PLAIN_HEADER:
        raise RuntimeError("the database file is plain SQLite: it is not encrypted")
    try:
        other = Store.open(data_dir, FixedKey(DatabaseKey.raw(secrets.token_bytes(32))))
    except StoreError:
        pass
    else:
        other.close()
        raise RuntimeError("a different key opened the database: it is not encrypted")
    with store.read() as conn:
        version = conn.exec_driver_sql("PRAGMA cipher_version").scalar()
    return f"SQLCipher {version}, encrypted, wrong key refused"


def _case_round_trip(test: SelfTest) -> str:
    import random

    from asb_desktop.domain.document import case_from_document
    from asb_desktop.services.casework import Casework
    from asb_desktop.support.synthetic import synthetic_case

    casework = Casework(test.facts["store"], actor="self-test")
    written = casework.record(case_from_document(synthetic_case(random.Random(7), incidents=2)))
    read = casework.document(written["id"])
    if read is None:
        raise RuntimeError("the case written could not be read back")
    for key in ("id", "received_at", "complainant", "incidents", "response_due_at"):
        if read.get(key) != written.get(key):
            raise RuntimeError(f"the case read back differs in {key!r}")
    audit = casework.verify_audit()
    if not audit.intact:
        raise RuntimeError(f"audit chain broken at entry {audit.broken_at}")
    test.facts["document"] = read
    pages = _pages_checked(test)
    return f"{len(read['incidents'])} incidents, audit chain of {audit.rows} intact, {pages}"


def _pages_checked(test: SelfTest) -> str:
    """The page check the window and verify-audit run: SQLCipher's per-page HMAC check must be
    in this build, pass on a sound store and find 64 damaged bytes in a copy of it."""
    import shutil

    from asb_desktop.store.database import DATABASE_FILE, Store
    from asb_desktop.store.integrity import check_pages
    from asb_desktop.store.sqlcipher_engine import create_sqlcipher_engine

    store: Store = test.facts["store"]
    with store.read() as conn:
        sound = check_pages(conn)
    with store.engine.connect() as conn:  # every page into the file (not in a transaction)
        conn.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    if not sound.intact:
        raise RuntimeError(f"{sound.damaged_pages} page(s) of the new store failed their check")
    copy = test.folder / "damaged"
    copy.mkdir()
    shutil.copy2(store.path, copy / DATABASE_FILE)
    with (copy / DATABASE_FILE).open("r+b") as file:
        file.seek(sound.pages // 2 * 4096 + 200)
        file.write(b"\xa5" * 64)
    damaged = Store(create_sqlcipher_engine(copy / DATABASE_FILE, test.facts["key"]), copy)
    try:
        with damaged.read() as conn:
            found = check_pages(conn)
    finally:
        damaged.close()
    if found.intact:
        raise RuntimeError("64 damaged bytes in a copy of the store were not found")
    return f"{sound.pages} pages intact in {sound.millis:.0f} ms, damage in a copy found"


def _pdf_renders(test: SelfTest) -> str:
    from datetime import UTC, datetime

    from asb_desktop.reports import Profile, build_case_summary

    result = build_case_summary(
        test.facts["document"],
        profile=Profile.INTERNAL,
        produced_by="self-test",
        produced_at=datetime.now(UTC),
    )
    if not result.pdf.startswith(b"%PDF-") or result.pages < 1:
        raise RuntimeError("the summary is not a PDF")
    return f"{counted(result.pages, 'page')}, {len(result.pdf) // 1024} KB"


def _summaries_child(test: SelfTest) -> str:
    """The window makes a batch of summaries in a child process of this program (started as
    `internal-summaries-child`, support/child_pipe.py): in a frozen bundle that is the
    executable itself, so a bundle that cannot start it fails here, not in front of an officer."""
    import subprocess
    from datetime import UTC, datetime

    from asb_desktop.support.child_pipe import (
        SUMMARIES_CHILD,
        child_command,
        child_environment,
        read_line,
    )
    from asb_desktop.support.summaries_job import JobSettings, pack_job

    out_dir = test.folder / "summaries"
    out_dir.mkdir()
    settings = JobSettings(
        profile="internal",
        produced_by="self-test",
        produced_at=datetime.now(UTC),
        out_dir=out_dir,
        single_file=None,
    )
    program, arguments = child_command(SUMMARIES_CHILD)
    last: dict[str, Any] | None = None
    with subprocess.Popen(
        [program, *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=child_environment(os.environ),
    ) as child:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(pack_job(settings, [(test.facts["document"], [])]))
        child.stdin.flush()  # kept open: a closed pipe tells the child the window has gone
        for raw in child.stdout:
            said = read_line(raw)
            if said is not None and said["kind"] in ("done", "failed"):
                last = said
                break
        child.stdin.close()
        child.wait(timeout=60)
    if last is None or last["kind"] != "done" or len(last["paths"]) != 1:
        raise RuntimeError(f"the child process made no summary ({last or 'it said nothing'})")
    return f"1 summary made by a child process, {Path(last['paths'][0]).stat().st_size // 1024} KB"


def _libraries_late(test: SelfTest) -> str:
    """What the first screen does not import, and a frozen bundle could lack unseen until an
    officer first needs it: the team view's charts (Matplotlib with its fonts and data), Word
    letters (python-docx with its template), and HEIC photos (pillow-heif)."""
    # Matplotlib keeps a font list in the user's folders; the self-test leaves nothing behind.
    ours = "MPLCONFIGDIR" not in os.environ
    if ours:
        os.environ["MPLCONFIGDIR"] = str(test.folder / "matplotlib")
    try:
        return _draw_chart_and_write_letter()
    finally:
        if ours:
            del os.environ["MPLCONFIGDIR"]


def _draw_chart_and_write_letter() -> str:
    import io

    import docx
    import pillow_heif
    from matplotlib.figure import Figure

    figure = Figure(figsize=(3, 2))
    figure.add_subplot().bar(["Zoë", "Łukasz"], [3, 5])
    figure.axes[0].set_title("Open cases")
    png = io.BytesIO()
    figure.savefig(png, format="png")  # Agg, the backend the QtAgg canvas draws with
    if not png.getvalue().startswith(b"\x89PNG"):
        raise RuntimeError("a chart could not be drawn")
    written = io.BytesIO()
    letter = docx.Document()
    letter.add_paragraph("Dear Zoë Łukasiewicz")
    letter.save(written)
    read = docx.Document(io.BytesIO(written.getvalue()))
    if read.paragraphs[-1].text != "Dear Zoë Łukasiewicz":
        raise RuntimeError("a Word letter could not be written and read back")
    return f"chart {len(png.getvalue()) // 1024} KB, letter {len(written.getvalue()) // 1024} KB, HEIC {pillow_heif.__version__}"


def _platform_plugin_missing() -> str | None:
    """Why Qt would abort the process for want of a platform plugin, or None if one is there.

    Qt ends the process (no exception) when the requested platform plugin is missing, so the
    self-test looks for the file first and reports a missing plugin as a failed step.
    """
    from PySide6.QtCore import QCoreApplication, QLibraryInfo

    folders = [Path(p) / "platforms" for p in QCoreApplication.libraryPaths()]
    folders.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms")
    present = {f.name for folder in folders if folder.is_dir() for f in folder.iterdir()}
    if not present:
        return f"no Qt platform plugins at all (looked in {', '.join(map(str, folders))})"
    requested = os.environ.get("QT_QPA_PLATFORM", "")
    names = [part.split(":")[0] for part in requested.split(";") if part.split(":")[0]]
    if not names:
        return None
    if names == ["xcb"] and not _x_display_here():
        return "QT_QPA_PLATFORM is xcb, but no X server answers on DISPLAY (unset or not running)"
    for name in names:
        if any(file.split(".")[0] in (f"libq{name}", f"q{name}") for file in present):
            return None
    return f"Qt platform plugin {requested!r} is not in this build (it has: {', '.join(sorted(present))})"


def _x_display_here() -> bool:
    from asb_desktop.cli.display import x_server_answers

    display = os.environ.get("DISPLAY")
    return bool(display) and x_server_answers(display or "")


def _qt_platform(test: SelfTest) -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication, QLabel

    missing = None if QApplication.instance() else _platform_plugin_missing()
    if missing:
        raise RuntimeError(missing)
    from asb_desktop.ui.garbage import collect_on_gui_thread

    app = QApplication.instance() or QApplication([sys.argv[0] or "asb-desktop", "self-test"])
    test.facts["qt_app"] = app  # kept alive until the end of the run
    collect_on_gui_thread(app)  # as the window runs it: Qt objects freed on the GUI thread only
    label = QLabel("ASB Desktop self-test: Zoë Łukasiewicz")
    label.resize(320, 60)
    label.show()
    app.processEvents()
    image = label.grab().toImage()
    label.close()
    label.deleteLater()
    if image.isNull() or image.width() < 1:
        raise RuntimeError("a widget could not be drawn")
    icon = QPixmap()
    if not icon.loadFromData(_SVG_PROBE, "SVG") or icon.isNull():
        raise RuntimeError("SVG icons cannot be drawn (the qsvg image plugin or QtSvg is missing)")
    return f"Qt {pyside_version}, platform {QApplication.platformName()}, widget and SVG drawn"


def _main_window(test: SelfTest) -> str:
    """The real main window over the temporary store: every screen module, style and icon."""
    from PySide6.QtWidgets import QApplication

    from asb_desktop.app import services_for
    from asb_desktop.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    started = time.perf_counter()
    window = MainWindow(services_for(test.facts["store"], actor="self-test"))
    window.show()
    app.processEvents()
    shown_ms = (time.perf_counter() - started) * 1000
    image = window.grab().toImage()
    window.close()
    window.deleteLater()
    _wait_for_background_work(app)
    if image.isNull() or image.width() < 1:
        raise RuntimeError("the main window could not be drawn")
    return f"{image.width()}x{image.height()}, built and shown in {shown_ms:.0f} ms"


def _wait_for_background_work(app: Any) -> None:
    """Let the screens' background work finish, answers delivered (an answer may start more
    work), before the temporary store is closed and its folder removed."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from asb_desktop.ui.operations import pending_operations, wait_for_operations

    for _ in range(100):
        wait_for_operations()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        if pending_operations() == 0 and wait_for_operations(0):
            return


def _keyring_seen(test: SelfTest) -> str:
    """Informs; never fails for a missing keyring (the app then asks for a passphrase)."""
    from asb_desktop.store.keys import secure_keyring

    backend = secure_keyring()
    if backend is None:
        return "no secure keyring here: the app will ask for a passphrase"
    return f"{type(backend).__module__}.{type(backend).__name__}"


@contextmanager
def _temporary_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_self_test(out: TextIO | None = None, notes: Sequence[str] = ()) -> bool:
    """Run every step, print one line per step and a verdict; True when all passed. `notes`
    are printed under the first line (how the run was set up)."""
    out = out or sys.stdout
    from asb_desktop import __version__

    print(f"ASB Desktop {__version__} self-test", file=out)
    for note in notes:
        print(note, file=out)
    with _temporary_folder() as folder:
        test = SelfTest(folder=folder, out=out)
        try:
            test.run("encrypted store", lambda: _store_opens(test))
            test.run(
                "case write and read", lambda: _case_round_trip(test), needs=("encrypted store",)
            )
            test.run("PDF summary", lambda: _pdf_renders(test), needs=("case write and read",))
            test.run(
                "summaries in a child",
                lambda: _summaries_child(test),
                needs=("case write and read",),
            )
            test.run("Qt platform", lambda: _qt_platform(test))
            test.run(
                "main window",
                lambda: _main_window(test),
                needs=("encrypted store", "Qt platform"),
            )
            test.run("keyring", lambda: _keyring_seen(test))
            test.run("charts, letters, HEIC", lambda: _libraries_late(test))
        finally:
            store = test.facts.get("store")
            if store is not None:
                store.close()
    failed = sum(not step.passed for step in test.steps)
    # One closing line in the plain "N passed, N failed" form that CI logs are read for.
    print(f"self-test: {len(test.steps) - failed} passed, {failed} failed", file=out)
    return test.passed


def _handle(args: argparse.Namespace) -> int:
    from asb_desktop.cli.display import missing_display

    notes = []
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif (problem := missing_display()) is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        notes.append(
            f"No display: {problem}, so the Qt and window steps draw off screen "
            "(QT_QPA_PLATFORM=offscreen)."
        )
    return 0 if run_self_test(notes=notes) else 1


def register(commands: Any) -> None:
    """Add `self-test` to the `asb-desktop` command line (listed in cli/main.py's COMMANDS).
    It takes no --data-dir: it never opens a data folder."""
    parser = commands.add_parser(
        "self-test",
        help="check this installation on temporary data (store, case, PDF, Qt); "
        "never touches your cases",
    )
    parser.add_argument(
        "--offscreen",
        action="store_true",
        help="draw the Qt checks off screen (done by itself when there is no display)",
    )
    parser.set_defaults(handler=_handle)

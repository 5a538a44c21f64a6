"""Start-up loads only what the first screen shows (issue 17): when the caseload's first page is
on screen, no summary library (ReportLab, Pillow), no sync stack (httpx, pydantic), no chart
library, no keyring (the key is in hand), no migration tool (the store is up to date), no
SQLAlchemy and none of the services over it (the first page is read on the driver alone, the
services made once it shows), no PIN hasher, none of the screens not yet visited, and of the
holidays package only the United Kingdom has been imported. Then the services are made, and
the start-up facts arrive. The store is made in one process and opened in a fresh one, as a
second start is, the way ui/launch.py opens it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.paths import REPO

KEY = textwrap.dedent(
    """
    import hashlib, sys
    from pathlib import Path
    from asb_desktop.app import services_for
    from asb_desktop.store.database import Store
    from asb_desktop.store.keys import DatabaseKey, FixedKey
    key = FixedKey(DatabaseKey.raw(hashlib.sha256(b"launch test").digest()))
    """
)

MAKE = KEY + textwrap.dedent(
    """
    import json
    from asb_desktop.services.casework import LabelledDocument
    from asb_desktop.support.synthetic import synthetic_cases
    services = services_for(Store.open(Path(sys.argv[1]), key), actor="test")
    services.casework.import_directory(json.loads(Path(sys.argv[2]).read_text()))
    services.lock.set_pin("2468")
    services.actions.set_officer("s-ha")
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(synthetic_cases(30, seed=4))]
    )
    services.close()
    """
)

# The libraries of later screens and later work: none may be loaded for the first page.
HEAVY = (
    "reportlab", "PIL", "httpx", "pydantic", "openpyxl", "docx", "matplotlib", "numpy",
    "keyring", "alembic", "sqlalchemy", "argon2",
)  # fmt: skip
# The services (made after the first page): not loaded for it, loaded once the window is ready.
SERVICES = ("asb_desktop.services.casework", "asb_desktop.store.cases", "asb_desktop.store.tables")
# The case model, the procedure and the letters: the first page's states and deadline words
# come from domain/case_states.py and domain/due_words.py, the presets' wording from
# domain/letter_wording.py.
CASE_MODEL = (
    "asb_desktop.domain.case",
    "asb_desktop.domain.procedure",
    "asb_desktop.domain.letters",
)
# The screens built on first visit (MainWindow.workspace, .new_report, .settings, the team
# view, sync, first run) and the summaries: their modules are not loaded at start either.
LATER_SCREENS = tuple(
    f"asb_desktop.ui.{name}"
    for name in ("workspace", "intake", "settings", "summaries", "sync", "team", "first_run")
)

OPEN = KEY + textwrap.dedent(
    """
    import json
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from asb_desktop.ui.launch import close_services, window_services
    from asb_desktop.ui.main_window import MainWindow

    app = QApplication(sys.argv)
    store, first_page = Store.open_for_window(Path(sys.argv[1]), key)
    services, first_page = window_services(store, first_page, None, actor="test")
    window = MainWindow(services, first_page)
    heavy, later, made = json.loads(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
    model = json.loads(sys.argv[5])
    found = {}

    def loaded(rows):
        if rows and not found:
            found.update({
                "heavy": sorted(m for m in sys.modules if m.split(".")[0] in heavy)[:5],
                "screens": sorted(m for m in sys.modules if m.startswith(tuple(later)))[:5],
                "services": sorted(m for m in made if m in sys.modules),
                "model": sorted(m for m in model if m in sys.modules),
                "countries": sorted(m for m in sys.modules if m.startswith("holidays.countries.")),
                "caseload": "asb_desktop.ui.caseload.caseload_view" in sys.modules,
                "rows": rows,
            })

    def ready():
        found["made"] = sorted(m for m in made if m in sys.modules)
        found["who"] = window.who.text()
        print(json.dumps(found), flush=True)
        app.quit()

    window.caseload.model.sig_loaded.connect(loaded)
    window.sig_ready.connect(ready)
    QTimer.singleShot(120_000, app.quit)
    window.show()
    app.exec()
    close_services(services, withdrawn=False)
    """
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", *args], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip


def test_the_first_page_shows_before_any_heavy_library_or_later_screen_is_loaded(
    tmp_path: Path,
) -> None:
    data = str(tmp_path / "data")
    made = run(MAKE, data, str(REPO / "resources" / "demo" / "directory.json"))
    assert made.returncode == 0, made.stderr[-3000:]
    done = run(
        OPEN,
        data,
        json.dumps(HEAVY),
        json.dumps(LATER_SCREENS),
        json.dumps(SERVICES),
        json.dumps(CASE_MODEL),
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stderr[-3000:]
    found = json.loads(lines[-1])
    assert found["caseload"], found  # the check sees the modules the first screen does load
    assert found["heavy"] == [], found
    assert found["screens"] == [], found
    assert found["model"] == [], found
    assert found["countries"] == ["holidays.countries.united_kingdom"], found
    assert found["rows"] > 0 and found["services"] == [], found  # the page, read on the driver
    assert found["made"] == sorted(SERVICES), found  # then the services, and the facts from them
    assert found["who"].startswith("Signed in: "), found

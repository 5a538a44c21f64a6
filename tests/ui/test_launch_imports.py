"""Start-up loads only what the first screen shows (issue 17): when the caseload's first page is
on screen, no summary library (ReportLab, Pillow), no sync stack (httpx, pydantic) and of the
holidays package only the United Kingdom has been imported. A fresh process, a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.paths import REPO

CHILD = textwrap.dedent(
    """
    import hashlib, json, sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from asb_desktop.app import services_for
    from asb_desktop.store.database import Store
    from asb_desktop.store.keys import DatabaseKey, FixedKey
    from asb_desktop.services.casework import LabelledDocument
    from asb_desktop.support.synthetic import synthetic_cases
    from asb_desktop.ui.main_window import MainWindow

    app = QApplication(sys.argv)
    key = FixedKey(DatabaseKey.raw(hashlib.sha256(b"launch test").digest()))
    services = services_for(Store.open(Path(sys.argv[1]), key), actor="test")
    services.casework.import_directory(json.loads(Path(sys.argv[2]).read_text()))
    services.lock.set_pin("2468")
    services.casework.import_documents(
        [LabelledDocument(f"r{i}", d) for i, d in enumerate(synthetic_cases(30, seed=4))]
    )
    window = MainWindow(services)

    def loaded(rows):
        if rows:
            heavy = sorted(m for m in sys.modules if m.split(".")[0] in
                           {"reportlab", "PIL", "httpx", "pydantic", "openpyxl", "docx"})
            countries = sorted(m for m in sys.modules if m.startswith("holidays.countries."))
            print(json.dumps({"heavy": heavy[:5], "countries": countries}), flush=True)
            app.quit()

    window.caseload.model.sig_loaded.connect(loaded)
    window.show()
    app.exec()
    """
)


def test_the_first_page_shows_before_any_heavy_library_is_loaded(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    directory = REPO / "resources" / "demo" / "directory.json"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "data"), str(directory)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stderr[-3000:]
    found = json.loads(lines[-1])
    assert found["heavy"] == [], found
    assert found["countries"] == ["holidays.countries.united_kingdom"], found

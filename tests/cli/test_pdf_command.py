"""`asb-desktop pdf`: one case by id or reference, or every open case, with either profile."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from asb_desktop.support.synthetic import synthetic_cases


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_pdf_of_one_case_and_of_all_open_cases(cli, tmp_path: Path) -> None:
    documents = synthetic_cases(3, seed=4)
    named = next(d for d in documents if not d["complainant"]["anonymous"])
    named["source"] = {
        "kind": "third_party",
        "organisation": "police",
        "organisation_name": "NPT",
        "contact": "PC 1",
    }
    named["consent_to_share"] = {"status": "refused", "basis": None}
    named["complainant"]["name"] = "Zoë O'Brien-Łukasiewicz"
    batch = tmp_path / "cases.json"
    batch.write_text(json.dumps(documents), encoding="utf-8")
    cli.run("import", str(batch))

    internal = tmp_path / "internal.pdf"
    done = cli.run("pdf", named["id"], "-o", str(internal))
    assert "Wrote" in done.stdout
    assert "Zoë O'Brien-Łukasiewicz" in _text(internal)

    shared = tmp_path / "third-party.pdf"
    cli.run("pdf", named["id"], "-o", str(shared), "--profile", "third_party", "--to", "PC 1")
    assert "O'Brien" not in _text(shared)
    assert "OFFICIAL-SENSITIVE" in _text(shared)

    folder = tmp_path / "all"
    done = cli.run("pdf", "--all-open", "-o", str(folder))
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 3 and all(name.endswith(".pdf") for name in files)
    assert not any("Zo" in name for name in files)  # no personal data in file names


def test_pdf_needs_a_known_case(cli) -> None:
    done = cli.run("pdf", "ASB-2026-999999", ok=False)
    assert done.returncode == 1 and "no case with id or reference" in done.stderr
    done = cli.run("pdf", ok=False)
    assert done.returncode == 2 and "--all-open" in done.stderr

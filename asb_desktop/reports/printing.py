"""Sending a summary's PDF to the printer the officer chose in the system's print dialog.

Qt's print dialog (QtPrintSupport) chooses the printer, the copies, the pages and two-sided
printing; it cannot draw a PDF itself here (PySide6's QtPdf is not shipped), and redrawing the
summary through QPainter would make a second layout to keep in step with ReportLab's. So the
PDF ReportLab made is handed to the printer in the platform's own way:

- Linux and macOS: CUPS's `lp -d PRINTER`, the PDF on its standard input, so no copy of the
  summary is ever written to a file (CUPS turns PDF into what the printer takes);
- Windows: the `printto` verb of the program registered for PDF files, which needs a file: the
  PDF is written to a `printing` folder in the data folder (never a shared temp folder) and
  copies older than an hour are removed each time.

The job's title is the file name (the case reference), never a person's name: print queues
are seen by others. Nothing here imports Qt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPOOL_FOLDER = "printing"
SPOOL_KEPT_S = 3600
LP_TIMEOUT_S = 60
NO_CUPS = (
    "This computer has no print system ASB Desktop can use (CUPS's lp command is not "
    "installed). Save the PDF and print it from your PDF viewer."
)


class PrintError(RuntimeError):
    """The summary did not reach the printer; the message is a sentence for the officer."""


@dataclass(frozen=True)
class PrintJob:
    """What the print dialog chose. `pages` is a (first, last) range, both included."""

    printer: str
    copies: int = 1
    pages: tuple[int, int] | None = None
    duplex: str | None = None  # "one" sided, "long" or "short" edge, None: the printer's own
    title: str = "ASB case summary"


def lp_command(job: PrintJob) -> list[str]:
    """The CUPS command that prints what it reads on its standard input."""
    command = ["lp", "-d", job.printer, "-n", str(max(job.copies, 1)), "-t", job.title]
    if job.pages is not None:
        first, last = job.pages
        command += ["-P", f"{first}-{last}" if last != first else str(first)]
    if job.duplex in ("long", "short"):
        command += ["-o", f"sides=two-sided-{job.duplex}-edge"]
    elif job.duplex == "one":
        command += ["-o", "sides=one-sided"]
    return [*command, "--", "-"]


def print_pdf(
    pdf: bytes,
    job: PrintJob,
    *,
    data_dir: Path,
    platform: str = sys.platform,
    run: Callable[..., Any] = subprocess.run,
) -> str:
    """Send `pdf` to `job.printer`; returns what to tell the officer. Raises PrintError."""
    if not job.printer:
        raise PrintError("No printer was chosen.")
    if platform == "win32":
        return _print_on_windows(pdf, job, Path(data_dir))
    try:
        done = run(lp_command(job), input=pdf, capture_output=True, timeout=LP_TIMEOUT_S)
    except FileNotFoundError:
        raise PrintError(NO_CUPS) from None
    except subprocess.TimeoutExpired:
        raise PrintError(
            f"The print system did not answer within {LP_TIMEOUT_S} seconds. Check the printer "
            "and try again, or save the PDF and print it from your PDF viewer."
        ) from None
    if done.returncode != 0:
        said = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        reason = f" It said: {said[0][:200]}" if said else ""
        raise PrintError(f"The printer {job.printer} did not take the summary.{reason}")
    return f"Sent to {job.printer}."


def _print_on_windows(pdf: bytes, job: PrintJob, data_dir: Path) -> str:
    folder = data_dir / SPOOL_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.pdf"):
        if now - old.stat().st_mtime > SPOOL_KEPT_S:
            old.unlink(missing_ok=True)
    path = folder / f"{job.title}.pdf"
    path.write_bytes(pdf)
    startfile = getattr(os, "startfile", None)
    if startfile is None:
        raise PrintError("Printing this way works on Windows only.")
    try:
        for _ in range(max(job.copies, 1)):
            startfile(str(path), "printto", f'"{job.printer}"')
    except OSError:
        raise PrintError(
            "No program on this computer prints PDF files (none is registered to print them). "
            f"The summary is saved at {path}: print it from your PDF viewer."
        ) from None
    return f"Sent to {job.printer} through the PDF viewer."

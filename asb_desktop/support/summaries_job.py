"""The job the window hands the summaries' child process (reports/batch_child.py): the
settings and every case, packed into one message for its standard input (support/child_pipe.py).

Here, not beside the child, because the window packs it and must not load ReportLab to do so.
"""

from __future__ import annotations

import logging
import pickle
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asb_desktop.support.child_pipe import frame
from asb_desktop.support.logs import log_event

_log = logging.getLogger(__name__)


@dataclass
class JobSettings:
    """Everything the child needs besides the cases (read on the worker, never the GUI thread:
    the officer's names come from the store)."""

    profile: str
    produced_by: str
    produced_at: Any
    out_dir: Path | None
    single_file: Path | None
    organisation: str | None = None
    logo: Path | None = None
    names: Any = None
    record: bool = False
    temp_tag: str = field(default_factory=lambda: secrets.token_hex(6) + "-")


def pack_job(settings: JobSettings, cases: Iterable[tuple[Mapping[str, Any], Any]]) -> bytes:
    """The job as one message: each case (document, audit trail) pickled as it comes, so only
    bytes pile up in the window's process while it reads."""
    job = {
        "profile": settings.profile,
        "produced_by": settings.produced_by,
        "produced_at": settings.produced_at,
        "out_dir": str(settings.out_dir) if settings.out_dir else None,
        "single_file": str(settings.single_file) if settings.single_file else None,
        "organisation": settings.organisation,
        "logo": settings.logo,
        "names": settings.names,
        "record": settings.record,
        "temp_tag": settings.temp_tag,
        "cases": [pickle.dumps(case, protocol=pickle.HIGHEST_PROTOCOL) for case in cases],
    }
    return frame(job)


def plain_trail(entries: Iterable[Any]) -> list[dict[str, Any]]:
    """An audit trail as the summary reads it (at, actor, action), without the store's types."""
    return [{"at": e.at, "actor": e.actor, "action": e.action} for e in entries]


def log_child_failure(failure: Mapping[str, Any]) -> None:
    """The child's unexpected failure (its `failure_of` message: the error's type and traceback,
    no case data) in the window's log, where support staff look."""
    log_event(
        _log,
        "summary.child_failed",
        level=logging.ERROR,
        error=str(failure.get("type")),
        traceback=str(failure.get("traceback")),
    )

"""Summaries for a whole caseload: one file per case, or every case in one file.

Runs in whatever thread calls it (the GUI calls it from its background helper): it reports
progress through `on_progress(done, total)` and asks `is_cancelled()` between cases. Every file is
written under a temporary name in its destination folder and renamed only when complete, so a
cancel or a crash never leaves a half-written summary, and personal data never passes through a
shared temp folder.

Logged (docs/logging.md): each summary written (`summary.written`: case id or reference, profile,
pages), each batch finished (`summary.batch_finished`: counts, cancelled or not, duration), and a
case a batch could not print (`summary.case_failed`, with the exception's type only).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.platypus import Flowable

from asb_desktop.domain.errors import InputError
from asb_desktop.reports.story_evidence import PhotoSource
from asb_desktop.reports.summary import (
    Branding,
    SummaryResult,
    build_case_summary,
    case_label,
    case_story,
    check_moment,
    furniture_for,
    render,
    subject_for,
)
from asb_desktop.reports.view import Names, Profile, prepare_view
from asb_desktop.support.logs import log_event, since_ms

_log = logging.getLogger(__name__)
AuditSource = Mapping[str, Iterable[Any]] | Callable[[Mapping[str, Any]], Iterable[Any]]


@dataclass(frozen=True)
class BatchResult:
    """What a batch produced. Warnings and failures start with the case's reference or id."""

    paths: tuple[Path, ...]
    done: int
    total: int
    cancelled: bool
    warnings: tuple[str, ...]
    failures: tuple[str, ...]


class _Cancelled(Exception):
    pass


def _label_of(document: Any) -> str:
    if isinstance(document, Mapping):
        return str(document.get("reference") or f"case {document.get('id')}")
    return "(not a case document)"


def _ids_of(document: Any) -> dict[str, Any]:
    """The case's id and reference for the log (the filter withholds anything else)."""
    if not isinstance(document, Mapping):
        return {}
    ids = {"case_id": document.get("id"), "reference": document.get("reference")}
    return {key: value for key, value in ids.items() if value is not None}


def _case_failed(document: Any, error: Exception) -> None:
    log_event(_log, "summary.case_failed", level=logging.WARNING, **_ids_of(document), error=error)


def _trail(audit_trails: AuditSource | None, document: Mapping[str, Any]) -> Iterable[Any]:
    if audit_trails is None:
        return ()
    if callable(audit_trails):
        return audit_trails(document)
    return audit_trails.get(str(document.get("id")), ())


def _told(
    on_written: Written | None, documents: Sequence[Mapping[str, Any]]
) -> Callable[[], None] | None:
    return None if on_written is None else partial(on_written, documents)


@dataclass(frozen=True)
class _Placed:
    """Told each file once it is in place; `tag` marks the temporary files on the way."""

    told: Callable[[Path], None] | None
    tag: str

    def __call__(self, path: Path) -> None:
        if self.told is not None:
            self.told(path)


def _write_bytes(pdf: bytes, out: BinaryIO) -> None:
    out.write(pdf)


Written = Callable[[Sequence[Mapping[str, Any]]], None]
"""Told which case documents a finished file holds, before it is put in place (the disclosure
log records them there: a failed write records nothing; an error raised here leaves no file)."""


def write_atomically(
    path: Path,
    write: Callable[[BinaryIO], object],
    before_rename: Callable[[], None] | None = None,
    *,
    tag: str = "",
) -> None:
    """Write through a hidden temporary file beside `path`, then rename it into place.
    `before_rename` runs once the file is whole on disk; if it raises, the file is removed.
    `tag` goes into the temporary name (`.NAME.TAG….part`), so whoever stops the writer's
    process can find and remove what it left (ui/summaries/batch_process.py)."""
    handle, temp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{tag}", suffix=".part"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if before_rename is not None:
            before_rename()
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def write_summary(
    document: Mapping[str, Any],
    path: Path | str,
    *,
    profile: Profile | str,
    produced_by: str,
    produced_at: datetime,
    audit_trail: Iterable[Any] = (),
    branding: Branding | None = None,
    names: Names | None = None,
    on_written: Written | None = None,
    photos: PhotoSource | None = None,
    maker: Callable[..., SummaryResult] = build_case_summary,
) -> SummaryResult:
    """One case's summary saved at `path` (Print summary's "save as", `asb-desktop pdf -o`).

    The file appears whole or not at all; `path`'s folder must exist. `maker` makes the PDF
    (the window's is a child process: reports/summary_child.py).
    """
    started = time.perf_counter()
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError("path", "must be in an existing folder")
    result = maker(
        document,
        profile=profile,
        produced_by=produced_by,
        produced_at=produced_at,
        audit_trail=audit_trail,
        branding=branding,
        names=names,
        photos=photos,
    )
    write_atomically(target, partial(_write_bytes, result.pdf), _told(on_written, [document]))
    log_event(
        _log,
        "summary.written",
        **_ids_of(document),
        profile=Profile(profile).value,
        pages=result.pages,
        warnings=len(result.warnings),
        duration_ms=since_ms(started),
    )
    return result


def write_summaries(
    documents: Iterable[Mapping[str, Any]],
    *,
    out_dir: Path | str | None = None,
    single_file: Path | str | None = None,
    profile: Profile | str,
    produced_by: str,
    produced_at: datetime,
    audit_trails: AuditSource | None = None,
    branding: Branding | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    names: Names | None = None,
    on_written: Written | None = None,
    photos_of: Callable[[Mapping[str, Any]], PhotoSource | None] | None = None,
    on_placed: Callable[[Path], None] | None = None,
    temp_tag: str = "",
) -> BatchResult:
    """Summaries of many cases, into `out_dir` (one file each) or `single_file` (all in one).

    A document that cannot be read is skipped and named in `failures`; the rest still print.
    `on_written` is told the documents of each file before it is put in place, `on_placed` each
    file's path once it is. With `photos_of` (a case document to its photos' bytes), photos
    print as thumbnails. `temp_tag` goes into every temporary file's name (write_atomically).
    """
    started = time.perf_counter()
    result = _write_summaries(
        documents,
        out_dir=out_dir,
        single_file=single_file,
        profile=profile,
        produced_by=produced_by,
        produced_at=produced_at,
        audit_trails=audit_trails,
        branding=branding,
        on_progress=on_progress,
        is_cancelled=is_cancelled,
        names=names,
        on_written=on_written,
        photos_of=photos_of,
        placed=_Placed(on_placed, temp_tag),
    )
    log_event(
        _log,
        "summary.batch_finished",
        profile=Profile(profile).value,
        single_file=single_file is not None,
        cases=result.total,
        done=result.done,
        files=len(result.paths),
        failures=len(result.failures),
        warnings=len(result.warnings),
        cancelled=result.cancelled,
        duration_ms=since_ms(started),
    )
    return result


def _write_summaries(
    documents: Iterable[Mapping[str, Any]],
    *,
    out_dir: Path | str | None,
    single_file: Path | str | None,
    profile: Profile | str,
    produced_by: str,
    produced_at: datetime,
    audit_trails: AuditSource | None,
    branding: Branding | None,
    on_progress: Callable[[int, int], None] | None,
    is_cancelled: Callable[[], bool] | None,
    names: Names | None,
    on_written: Written | None = None,
    photos_of: Callable[[Mapping[str, Any]], PhotoSource | None] | None = None,
    placed: _Placed | None = None,
) -> BatchResult:
    placed = placed or _Placed(None, "")
    if (out_dir is None) == (single_file is None):
        raise ValueError("give exactly one of out_dir and single_file")
    check_moment(produced_at)
    profile = Profile(profile)
    docs: Sequence[Mapping[str, Any]] = (
        documents if isinstance(documents, Sequence) else list(documents)
    )
    progress = on_progress or (lambda done, total: None)
    cancelled = is_cancelled or (lambda: False)
    branding = branding or Branding.default()
    if single_file is not None:
        return _one_file(
            docs,
            Path(single_file),
            profile,
            produced_by,
            produced_at,
            audit_trails,
            branding,
            progress,
            cancelled,
            names,
            on_written,
            photos_of,
            placed,
        )
    folder = Path(out_dir)  # type: ignore[arg-type]
    if not folder.is_dir():
        raise InputError("out_dir", "is not an existing folder")
    paths: list[Path] = []
    warnings: list[str] = []
    failures: list[str] = []
    total = len(docs)
    progress(0, total)
    for done, document in enumerate(docs):
        if cancelled():
            return BatchResult(tuple(paths), done, total, True, tuple(warnings), tuple(failures))
        label = _label_of(document)
        try:
            result = build_case_summary(
                document,
                profile=profile,
                produced_by=produced_by,
                produced_at=produced_at,
                audit_trail=_trail(audit_trails, document),
                branding=branding,
                names=names,
                photos=photos_of(document) if photos_of is not None else None,
            )
        except InputError as error:
            _case_failed(document, error)
            failures.append(f"{label}: {error}")
        else:
            path = folder / result.file_name
            write_atomically(
                path,
                partial(_write_bytes, result.pdf),
                _told(on_written, [document]),
                tag=placed.tag,
            )
            paths.append(path)
            placed(path)
            warnings.extend(f"{label}: {w}" for w in result.warnings)
        progress(done + 1, total)
    return BatchResult(tuple(paths), total, total, False, tuple(warnings), tuple(failures))


def _one_file(
    docs: Sequence[Mapping[str, Any]],
    path: Path,
    profile: Profile,
    produced_by: str,
    produced_at: datetime,
    audit_trails: AuditSource | None,
    branding: Branding,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    names: Names | None = None,
    on_written: Written | None = None,
    photos_of: Callable[[Mapping[str, Any]], PhotoSource | None] | None = None,
    placed: _Placed | None = None,
) -> BatchResult:
    placed = placed or _Placed(None, "")
    if not path.parent.is_dir():
        raise InputError("single_file", "must be in an existing folder")
    total = len(docs)
    warnings: list[str] = []
    failures: list[str] = []
    stories: list[tuple[str, list[Flowable]]] = []
    printed: list[Mapping[str, Any]] = []
    labels: dict[str, str] = {}
    progress(0, total)
    for document in docs:
        if cancelled():
            return BatchResult((), 0, total, True, (), tuple(failures))
        label = _label_of(document)
        try:
            view = prepare_view(document, profile, _trail(audit_trails, document), names)
            key = f"{len(stories)}:{view.doc['id']}"
            photos = photos_of(document) if photos_of is not None else None
            stories.append((key, case_story(view, produced_at, photos)))
            printed.append(document)
        except InputError as error:
            _case_failed(document, error)
            failures.append(f"{label}: {error}")
            continue
        labels[key] = case_label(view.doc)
        warnings.extend(f"{label}: {w}" for w in view.warnings)
    if not stories:
        return BatchResult((), 0, total, False, tuple(warnings), tuple(failures))
    furniture = furniture_for(
        branding=branding,
        produced_by=produced_by,
        produced_at=produced_at,
        profile=profile,
        labels=labels,
        outline=True,
        warnings=warnings,
    )

    def reached(index: int) -> None:
        if cancelled():
            raise _Cancelled
        progress(index, total)

    try:
        write_atomically(
            path,
            lambda out: render(
                stories,
                out,
                furniture=furniture,
                title=f"ASB case summaries ({len(stories)} case{'' if len(stories) == 1 else 's'})",
                subject=subject_for(profile),
                on_case=reached,
            ),
            _told(on_written, printed),
            tag=placed.tag,
        )
    except _Cancelled:
        return BatchResult((), 0, total, True, (), tuple(failures))
    placed(path)
    progress(total, total)
    return BatchResult((path,), total, total, False, tuple(warnings), tuple(failures))

"""`asb-desktop pdf`: case summaries from the command line (imports stay light until run).

The output path is checked before the store is opened; a summary file appears whole or not at
all, and a failure part-way through `--all-open` says how many were written.

A third-party summary needs `--to` (whom it is for); it is recorded in the case's disclosure log
once the file is whole on disk and before it is put in place, so a failed write records nothing
and a written file is never missing from the log (`services.disclosures`). `--to` with an
internal summary records it the same way (an internal summary given outside the team).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asb_desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CommandError, add_command
from asb_desktop.cli.store_access import run_with_store
from asb_desktop.domain.wording import counted

if TYPE_CHECKING:
    from asb_desktop.app import Services


def register(commands: Any) -> None:
    parser = add_command(
        commands, "pdf", help="print case summaries to PDF (one case, or every open case)"
    )
    parser.add_argument("id", nargs="?", help="the case id or its reference (ASB-YYYY-NNNNNN)")
    parser.add_argument("--all-open", action="store_true", help="a summary of every open case")
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        type=Path,
        help="the PDF file, or a folder to put it in (one case); the folder (--all-open); "
        "default: the current folder",
    )
    parser.add_argument(
        "--profile",
        choices=["internal", "third_party"],
        default="internal",
        help="third_party leaves out what may not be shared under 5.6 (default: internal)",
    )
    parser.add_argument(
        "--thumbnails",
        action="store_true",
        help="print the photos in the evidence schedule as small pictures (made in memory; "
        "never in a third-party summary without a sharing ground under 5.6)",
    )
    parser.add_argument(
        "--to",
        metavar="WHO",
        help="whom the summary is for (required with --profile third_party); recorded in "
        "each case's disclosure log",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from asb_desktop.cli.files import check_output_file, check_output_folder

    if bool(args.id) == bool(args.all_open):
        raise CommandError(
            "give a case id or reference, or --all-open (not both).", code=EXIT_USAGE
        )
    if args.profile == "third_party" and not (args.to or "").strip():
        raise CommandError(
            "a third-party summary needs --to: say whom it is for (for example --to "
            "'PC Dawson, Northfields police'); it is recorded on the case. Nothing was written.",
            code=EXIT_USAGE,
        )
    output: Path | None = args.output
    if args.all_open:
        check_output_folder(output or Path.cwd())
    elif output is not None and not output.is_dir():
        check_output_file(output, example="summary.pdf")
    elif output is not None:
        check_output_folder(output)

    def missing(folder: Path) -> int:
        from asb_desktop.cli.store_access import no_store

        if args.id:
            raise CommandError(f"no case with id or reference {args.id!r}: {no_store(folder)}")
        raise CommandError(no_store(folder))

    return run_with_store(args, lambda services: _summaries(services, args), missing=missing)


def _summaries(services: Services, args: argparse.Namespace) -> int:
    from asb_desktop.reports import Profile
    from asb_desktop.reports.summary import Branding
    from asb_desktop.services.summary_photos import photo_bytes

    work = services.casework
    common: dict[str, Any] = {
        "profile": Profile(args.profile),
        # Names, never staff ids or a login, as the window prints them.
        "produced_by": services.officer.display_name(),
        "names": services.officer.names(),
        "produced_at": work.clock(),
        "branding": Branding.default(),
    }
    if args.to is not None:
        common["on_written"] = _recorder(services, args)
    if args.all_open:
        if args.thumbnails:
            common["photos_of"] = lambda document: photo_bytes(work, document["id"])
        return _all_open(services, args.output or Path.cwd(), common)
    document = work.document(args.id)
    if document is None:
        raise CommandError(f"no case with id or reference {args.id!r}; nothing was written.")
    if args.thumbnails:
        common["photos"] = photo_bytes(work, document["id"])
    return _one(services, document, args, common)


def _recorder(services: Services, args: argparse.Namespace) -> Any:
    """Records each finished file's cases as disclosed to `--to` (a refusal in a sentence)."""
    from asb_desktop.domain.disclosure import DisclosureWhat
    from asb_desktop.domain.errors import ProcedureError
    from asb_desktop.services.disclosures import record_disclosures

    def record(documents: Any) -> None:
        try:
            record_disclosures(
                services.casework,
                [d["id"] for d in documents],
                to=args.to,
                profile=args.profile,
                what=DisclosureWhat.SUMMARY_PDF,
            )
        except ProcedureError as error:
            raise CommandError(f"{error} Nothing was written.", cause=error) from None

    return record


def _one(
    services: Services, document: dict[str, Any], args: argparse.Namespace, common: dict[str, Any]
) -> int:
    from asb_desktop.cli.files import os_error_words, write_file
    from asb_desktop.reports import build_case_summary, summary_file_name, write_summary

    output: Path | None = args.output
    if output is None or output.is_dir():
        path = (output or Path.cwd()) / summary_file_name(document, args.profile)
    else:
        path = output
    trail = services.casework.history(document["id"])
    if path.exists() and not path.is_file():  # a device or pipe: written to, never replaced
        record = common.pop("on_written", None)
        written = build_case_summary(document, audit_trail=trail, **common)
        write_file(path, written.pdf)
        if record is not None:  # what went down a pipe is out: recorded once it went
            record([document])
    else:
        try:
            written = write_summary(document, path, audit_trail=trail, **common)
        except OSError as error:
            raise CommandError(
                f"{path} could not be written: {os_error_words(error)}; nothing was written there.",
                cause=error,
            ) from None
    for warning in written.warnings:
        print(f"asb-desktop pdf: warning: {warning}", file=sys.stderr)
    print(f"Wrote {path} ({counted(written.pages, 'page')}).")
    if args.to is not None:
        print(f"Recorded in the case's disclosure log as given to {args.to.strip()}.")
    return EXIT_OK


def _all_open(services: Services, folder: Path, common: dict[str, Any]) -> int:
    from asb_desktop.cli.files import os_error_words
    from asb_desktop.reports import write_summaries

    work = services.casework
    made = not folder.exists()
    if made:
        folder.mkdir()  # one new folder, in a folder that is there (checked before)
    documents = work.documents(open_only=True)
    done = [0]

    def progress(count: int, total: int) -> None:
        done[0] = count

    try:
        result = write_summaries(
            documents,
            out_dir=folder,
            audit_trails=lambda document: work.history(document["id"]),
            on_progress=progress,
            **common,
        )
    except OSError as error:
        if made and not any(folder.iterdir()):
            folder.rmdir()
        raise CommandError(
            f"a summary could not be written in {folder}: {os_error_words(error)}. "
            f"The first {done[0]} of {len(documents)} cases were done before it (each file "
            "written whole); the others were not written.",
            cause=error,
        ) from None
    for failure in result.failures:
        print(f"asb-desktop pdf: {failure}", file=sys.stderr)
    print(f"Wrote {counted(len(result.paths), 'summary file')} to {folder}.")
    if common.get("on_written") is not None and result.paths:
        print("Each is recorded in its case's disclosure log.")
    return EXIT_OK if not result.failures else EXIT_FAILED

"""`asb-desktop pdf`: case summaries from the command line (imports stay light until run)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "pdf", help="print case summaries to PDF (one case, or every open case)"
    )
    parser.add_argument("id", nargs="?", help="the case id or its reference (ASB-YYYY-NNNNNN)")
    parser.add_argument("--all-open", action="store_true", help="a summary of every open case")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the PDF file (one case) or folder (--all-open); default: the current folder",
    )
    parser.add_argument(
        "--profile",
        choices=["internal", "third_party"],
        default="internal",
        help="third_party leaves out what may not be shared under 5.6 (default: internal)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if bool(args.id) == bool(args.all_open):
        print(
            "asb-desktop pdf: give a case id or reference, or --all-open (not both)",
            file=sys.stderr,
        )
        return 2
    from asb_desktop.app import open_services

    services = open_services(args.data_dir)
    try:
        return _summaries(services, args)
    finally:
        services.close()


def _summaries(services: Any, args: argparse.Namespace) -> int:
    from asb_desktop.reports import Profile, summary_file_name, write_summaries, write_summary
    from asb_desktop.reports.summary import Branding

    work = services.casework
    common = {
        "profile": Profile(args.profile),
        "produced_by": work.actor,
        "produced_at": work.clock(),
        "branding": Branding.default(),
    }
    if args.all_open:
        folder = args.output or Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        documents = work.documents(open_only=True)
        result = write_summaries(
            documents,
            out_dir=folder,
            audit_trails=lambda document: work.history(document["id"]),
            **common,
        )
        for failure in result.failures:
            print(f"asb-desktop pdf: {failure}", file=sys.stderr)
        print(f"Wrote {len(result.paths)} summary file(s) to {folder}.")
        return 0 if not result.failures else 1
    document = work.document(args.id)
    if document is None:
        print(f"asb-desktop pdf: no case with id or reference {args.id!r}", file=sys.stderr)
        return 1
    path = args.output or Path.cwd() / summary_file_name(document, args.profile)
    written = write_summary(document, path, audit_trail=work.history(document["id"]), **common)
    for warning in written.warnings:
        print(f"asb-desktop pdf: warning: {warning}", file=sys.stderr)
    print(f"Wrote {path} ({written.pages} page(s)).")
    return 0

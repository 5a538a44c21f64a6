"""Case summary PDFs (ReportLab), for a case review, a legal bundle or a third party.

Public API:

- `build_case_summary(document, *, profile, produced_by, produced_at, audit_trail=(),
  branding=None, names=None) -> SummaryResult` — one case document (as `case_to_document` makes
  it, plus the optional `first_response`, `entries`, `staff_risk_assessment`,
  `manual_assignment`) to PDF bytes.
- `write_summary(document, path, *, profile, produced_by, produced_at, audit_trail=(),
  branding=None, names=None) -> SummaryResult` — the same, saved whole at `path` (temp file
  beside it, renamed).
- `write_summaries(documents, *, out_dir=None, single_file=None, profile, produced_by, produced_at,
  audit_trails=None, branding=None, on_progress=None, is_cancelled=None, names=None) ->
  BatchResult` — many cases, one file each in `out_dir` or all in `single_file`; callable from a
  worker thread.
- `summary_file_name(document, profile) -> str` — reference or case id only, never a name.
- `Profile` (`internal`, `third_party`), `Branding`, `AuditLine`, `SummaryResult`, `BatchResult`.

Profiles. `internal` prints everything. `third_party` is built from a view of the document with
the withheld values deleted, so they are never drawn: without a sharing ground (5.6: source is a
third party and basis is the information sharing protocol, or consent that was given) the
complainant's name, address, phone, email, employee flag and the three impact statements go,
everyone's vulnerabilities and adjustments (special category data) and the risk assessments'
notes and answers go, and any repeat of those details in free text prints as "[withheld]";
always, witnesses' addresses and contact details, internal notes, contact records and updates
(the summary says how many updates were given, not what they said), the first response's
summary and the staff risk assessment (5.9.1) go. An anonymous complainant prints as "Anonymous" in every profile.

`audit_trail` items are mappings or objects with `at` (datetime or ISO text), `actor`, `action`;
the 40 most recent are printed. Warnings name fields, never their contents.

Evidence. Section 16 lists `attachments[]`; a third party without a sharing ground gets each
file's name withheld and no pictures. `photos` (an attachment id to its stored bytes;
`write_summaries` takes `photos_of`, a document to such a function) prints the photos as
thumbnails made in memory, where the profile allows.

Actors. The document and the audit trail store ids (a staff id, or a computer account before an
officer was chosen: `reports.view.ACTOR_FIELDS` lists where). `names(id) -> str` (the window
passes `services.actors.ActorNames`) prints each as a name; without it the ids are printed.
"""

from asb_desktop.reports.batch import BatchResult, write_summaries, write_summary
from asb_desktop.reports.summary import (
    Branding,
    SummaryResult,
    build_case_summary,
    summary_file_name,
)
from asb_desktop.reports.view import AuditLine, Profile

__all__ = [
    "AuditLine",
    "BatchResult",
    "Branding",
    "Profile",
    "SummaryResult",
    "build_case_summary",
    "summary_file_name",
    "write_summaries",
    "write_summary",
]

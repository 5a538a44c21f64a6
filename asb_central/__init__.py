"""The central store: the service every enrolled laptop syncs with (see README.md here).

Modules: `app` (HTTP API), `checks`/`push`/`pull`/`merge`/`records` (sync), `access` (who sees
what), `people` (users, devices, enrolment), `reassess` (directory changes), `db`/`schema`/
`migrations` (storage), `cli`. Never imports Qt; shares only `asb_desktop.domain` and
`asb_desktop.sync.protocol` with the desktop.
"""

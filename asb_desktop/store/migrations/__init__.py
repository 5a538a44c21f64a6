"""Alembic migrations of the encrypted store, run on open (see `asb_desktop.store.migrate`)."""

# The newest revision in versions/. Opening a store compares against it without importing
# Alembic, which keeps opening an up-to-date store fast; a test checks it matches the scripts.
HEAD_REVISION = "0015"

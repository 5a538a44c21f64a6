"""Store files written by past releases, kept so that every later release is tested opening them.

One folder per release, named by its version (`v0.1.0/`): the encrypted `cases.db` and its
`store.json` as that release left them, `test_key.json` (a test key, published on purpose: the
file holds synthetic cases only), and `expected.json` (what a reader should find in it). Each
release adds its own folder with one command and never rewrites an older one:

    python3 -m tests.store.upgrade_stores.make_store

tests/store/test_kept_stores.py opens a copy of every kept file with today's code.
"""

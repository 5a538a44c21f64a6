"""The frozen application's entry point: the same `main` as the `asb-desktop` command."""

from asb_desktop.cli.main import main

raise SystemExit(main())

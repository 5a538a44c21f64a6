from asb_desktop.cli import main

raise SystemExit(main())

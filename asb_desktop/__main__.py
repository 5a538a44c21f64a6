from asb_desktop.cli.main import main

raise SystemExit(main())

from cardsender.cli import main

raise SystemExit(main())

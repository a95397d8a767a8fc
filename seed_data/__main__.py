"""`python -m seed_data <command>`: tools around the seed data that are not migrations."""

from seed_data.cli import main

raise SystemExit(main())

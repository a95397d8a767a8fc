"""`python -m seed_data.pii mask|scan|inventory`."""

from seed_data.pii.cli import main

raise SystemExit(main())

"""The seeding engine: settings, lock, plan, ids, COPY, ledger, rollback, validation, PII.

It seeds the app a `seed_data.project.Project` describes (TERP's is terp/project.py) and
never imports the app itself."""

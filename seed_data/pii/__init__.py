"""PII: one registry of the columns that hold personal data, read by everything else.

- `registry`: each PII column declared once (table, column, kind, sensitivity, unique).
- `shapes`: what real-looking PII looks like (non-reserved e-mail domains, non-fictional
  phone numbers, card and social security numbers, public IP addresses).
- `guard`: seed revisions refuse to write a registered column whose value looks real.
- `masking`: keyed, deterministic fakes (HMAC-SHA256 over SEED_MASKING_KEY, kind, value).
- `mask`: the command that masks a copied database in place.
- `scanner`: the command that counts real-looking values in any database.
- `inventory`: docs/pii-inventory.md, rendered from the registry.

The commands themselves (`python -m seed_data mask | scan | pii-inventory`) live in
`seed_data/cli/pii.py`.

This package's `__init__` imports nothing: `seed_data.seeding` imports the guard, and the
commands pull in the database layer only when they run."""

"""TERP's side of the seeding: what its tables hold and which rules they keep.

- `profiles`: the data volumes; `plans`: the trading simulation, pure functions of
  (random seed, profile); `generators`: one module per seed revision, turning the plans
  into rows; `datasets`: the word lists and figures, each with its source; `fakes`:
  PII-safe values by construction.
- `references`, `rules`, `pii`: the logical links, the integrity rules and the PII
  columns; `project` hands them to the engine (seed_data) as one description.
- `report`: `python -m seed_data report`, TERP's figures against their targets."""

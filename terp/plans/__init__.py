"""Deterministic plans of the seeded business, replayed by every revision that needs them.

A seed revision may only insert, yet TERP's rules tie tables together across revisions (a
batch's on_hand_qty must equal its last inventory movement, written three revisions later).
So the business is decided once, as pure functions of (random seed, profile) that speak
in indices (batch 17, client 3, order 4021), each drawing from its own stream
`stream_for(random_seed, "plan:<name>")`. Every revision replays the plans it needs and
writes only its own tables, mapping indices to ids through the ledger. Plans stream:
only small per-batch or per-client state is kept, never a table.
"""

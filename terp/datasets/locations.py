"""Warehouse sites and zones for `batch_locations` (site NOT NULL, zone, rack, shelf, bin).

Source: the public repository EvanTenenbaum/TERP.
- SITES: `scripts/legacy/seed-realistic-main.ts` seeds three locations ("Main
  Warehouse", "Secondary Warehouse", "Quarantine"); `scripts/seed/seeders/
  seed-storage-defaults.ts` defines the sites "Main Warehouse", "Samples Room",
  "Shipping Dock", "Cold Storage" and "Receiving Bay".
- SITE_ZONES: zone codes of `seed-storage-defaults.ts` (A, B, C, D in the main
  warehouse, COLD-1/COLD-2, SAMPLE-A/SAMPLE-R, STAGE/OUTBOUND) and of
  `seed-realistic-main.ts` (B in the secondary warehouse, Q in quarantine); "RECV" for
  the receiving bay is that site's TERP code, used here as its one zone (hand-written).
- RACK_FORMAT, SHELF_FORMAT, BIN_FORMAT: TERP's "R1", "S1", "B1" labels
  (`seed-realistic-main.ts`); RACKS/SHELVES/BINS_PER_* are hand-written sizes.

Why it is safe: internal place labels only; no address, person or company.
"""

# Sorted; TERP's default site is "Main Warehouse".
SITES: tuple[str, ...] = (
    "Cold Storage",
    "Main Warehouse",
    "Quarantine",
    "Receiving Bay",
    "Samples Room",
    "Secondary Warehouse",
    "Shipping Dock",
)

DEFAULT_SITE: str = "Main Warehouse"

# (site, zone code), in SITES order.
SITE_ZONES: tuple[tuple[str, str], ...] = (
    ("Cold Storage", "COLD-1"),
    ("Cold Storage", "COLD-2"),
    ("Main Warehouse", "A"),
    ("Main Warehouse", "B"),
    ("Main Warehouse", "C"),
    ("Main Warehouse", "D"),
    ("Quarantine", "Q"),
    ("Receiving Bay", "RECV"),
    ("Samples Room", "SAMPLE-A"),
    ("Samples Room", "SAMPLE-R"),
    ("Secondary Warehouse", "B"),
    ("Shipping Dock", "OUTBOUND"),
    ("Shipping Dock", "STAGE"),
)

RACK_FORMAT: str = "R{n}"
SHELF_FORMAT: str = "S{n}"
BIN_FORMAT: str = "B{n}"

RACKS_PER_ZONE: int = 6
SHELVES_PER_RACK: int = 4
BINS_PER_SHELF: int = 5

"""Rows of earlier seed revisions that a plan's indices point at.

Plans number clients, products and batches from 0 in the order earlier revisions wrote
them; that only holds if every revision ran with the same profile and random seed, which
the ledger records. A mismatch is refused with what to do, before anything is written."""

from collections.abc import Sequence

import sqlalchemy as sa

from seed_data import ledger
from seed_data.errors import SeedError
from seed_data.seeding import SeedContext


def ensure_same_run(context: SeedContext) -> None:
    wanted = (context.profile.name, context.settings.random_seed)
    other = sorted(run for run in ledger.datasets(context.connection) if run != wanted)
    if other:
        profile, seed = other[0]
        raise SeedError(
            f"{context.revision}: earlier seed revisions used profile {profile} and random "
            f"seed {seed}, this run profile {wanted[0]} and random seed {wanted[1]}; rows "
            "would not fit together. Run with the same settings, or downgrade seed@base "
            "first."
        )


def parent_ids(context: SeedContext, table: str, expected: int) -> Sequence[int]:
    """The ids of `table`'s seeded rows, in plan order (a list: indexed per row)."""
    ids = context.seeded_ids(table)
    if len(ids) != expected:
        raise SeedError(
            f"{context.revision}: the plan expects {expected} seeded {table} but the ledger "
            f"lists {len(ids)}; downgrade seed@base and seed again with one profile."
        )
    return list(ids)


def product_names(context: SeedContext, product_ids: Sequence[int]) -> dict[int, str]:
    """Each seeded product's name as the catalogue revision wrote it (with its brand when
    another brand sells a product of the same name), by id: what order and invoice lines
    copy."""
    rows = context.connection.execute(
        sa.text("select id, name_canonical from products where id = any(:ids)"),
        {"ids": list(product_ids)},
    )
    return {product_id: name for product_id, name in rows}

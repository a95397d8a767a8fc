"""Rows of earlier seed revisions that a plan's indices point at.

Plans number clients, products and batches from 0 in the order earlier revisions wrote
them; that only holds if every revision ran with the same profile and random seed, which
the ledger records. A mismatch is refused with what to do, before anything is written."""

import random
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from seed_data import ledger
from seed_data.errors import SeedError
from seed_data.seeding import SeedContext
from terp.plans.recording import plan_summary
from terp.plans.summary import PlanSummary
from terp.plans.trading import World, plan_world
from terp.profiles import Profile, profile_of


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


@dataclass(frozen=True)
class Planned:
    """Where a plan-driven generator starts: the run's random stream, profile and seed,
    the simulated world and what the simulation will write (`summary`)."""

    context: SeedContext
    rng: random.Random
    profile: Profile
    seed: int
    world: World
    summary: PlanSummary

    def ids(self, table: str) -> Sequence[int]:
        """The seeded ids of `table`, in plan order, as many as the plan made."""
        expected = {
            "users": self.profile.users,
            "vendors": self.profile.vendors,
            "clients": self.profile.clients,
            "products": len(self.world.products),
            "batches": len(self.world.supply.batches),
            "orders": self.summary.orders,
            "invoices": self.summary.invoices,
        }
        return parent_ids(self.context, table, expected[table])


def planned(context: SeedContext) -> Planned:
    """The plan of this run, once its earlier revisions are known to fit it."""
    ensure_same_run(context)
    profile, seed = profile_of(context), context.settings.random_seed
    world = plan_world(seed, profile)
    return Planned(context, context.rng, profile, seed, world, plan_summary(seed, profile))

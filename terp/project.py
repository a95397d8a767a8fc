"""TERP as the seeding engine sees it: the one description migrations/env.py hands over
and `python -m seed_data` finds through the entry point `seed_data.projects` (pyproject).

The seed revisions under migrations/versions/seed/ write TERP's tables with the
generators in terp/generators/; everything the engine itself needs to know about TERP is
here."""

from collections.abc import Sequence

from seed_data.project import MaskingPools, Profile, Project
from terp.datasets.businesses import CALIFORNIA_CITIES, DISPENSARY_SUFFIXES, DISPENSARY_WORDS
from terp.datasets.notes import (
    BATCH_NOTES,
    CLIENT_NOTES,
    INVENTORY_MOVEMENT_NOTES,
    LOT_NOTES,
    ORDER_NOTES,
    PAYMENT_NOTES,
    VENDOR_NOTES,
)
from terp.datasets.streets import STREET_NAMES, STREET_SUFFIXES
from terp.fakes import CALIFORNIA_AREA_CODES, GENERATED
from terp.pii import NOT_REGISTERED, PII_COLUMNS
from terp.profiles import DEFAULT_PROFILE, PROFILES
from terp.profiles import Profile as TerpProfile
from terp.references import LOGICAL_REFERENCES
from terp.report import command as report_command
from terp.rules import RULES

NOTES = tuple(
    dict.fromkeys(
        LOT_NOTES
        + BATCH_NOTES
        + ORDER_NOTES
        + CLIENT_NOTES
        + VENDOR_NOTES
        + PAYMENT_NOTES
        + INVENTORY_MOVEMENT_NOTES
    )
)


def prepare(profile: Profile, random_seed: int, seeders: Sequence[object]) -> None:
    """Start the trading simulation in another process when a revision that replays it
    will run (terp/plans/recording.py), so it overlaps the run's start."""
    # imported here: `python -m seed_data` commands load this module and need no generators
    from terp.generators import inventory, invoices, movements, orders, payments
    from terp.plans.recording import record_ahead

    replaying = (inventory, orders, invoices, payments, movements)
    if isinstance(profile, TerpProfile) and any(
        seeder is module for seeder in seeders for module in replaying
    ):
        record_ahead(random_seed, profile)


PROJECT = Project(
    name="TERP",
    profiles=PROFILES,
    default_profile=DEFAULT_PROFILE,
    rules=RULES,
    logical_references=LOGICAL_REFERENCES,
    pii_columns=PII_COLUMNS,
    pii_generated=GENERATED,
    pii_not_registered=NOT_REGISTERED,
    masking_pools=MaskingPools(
        company_words=DISPENSARY_WORDS,
        company_suffixes=DISPENSARY_SUFFIXES,
        cities=CALIFORNIA_CITIES,
        street_names=STREET_NAMES,
        street_suffixes=STREET_SUFFIXES,
        notes=NOTES,
        area_codes=CALIFORNIA_AREA_CODES,
    ),
    commands=(report_command,),
    prepare=prepare,
)

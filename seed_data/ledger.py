"""The ledger (`seed_ledger`): which rows each seed revision inserted, as id ranges, with
the random seed, profile and package versions that made them. Written in the revision's
own transaction, so it can never disagree with the data."""

import json
from dataclasses import dataclass
from functools import cache
from importlib import metadata

import sqlalchemy as sa

from seed_data.ids import IdBlock

TRACKED_PACKAGES = ("terp-seed", "Faker", "alembic", "SQLAlchemy", "psycopg")
# The seeding system's own tables: never seeded, never deleted from by a downgrade.
BOOKKEEPING_TABLES = frozenset({"alembic_version", "seed_ledger", "seed_runs", "seed_environment"})


@dataclass(frozen=True)
class LedgerEntry:
    table: str
    id_ranges: str  # int8multirange literal
    row_count: int


@cache
def package_versions() -> dict[str, str]:
    versions = {}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


_RECORD = sa.text(
    """
    insert into seed_ledger
        (revision, table_name, position, id_ranges, row_count, profile, random_seed,
         package_versions)
    values (
        :revision, :table,
        (select coalesce(max(position), 0) + 1 from seed_ledger
         where revision = cast(:revision as varchar)),
        cast(:id_ranges as int8multirange), :row_count, :profile, :random_seed,
        cast(:package_versions as jsonb))
    on conflict (revision, table_name) do update
        set id_ranges = seed_ledger.id_ranges + excluded.id_ranges,
            row_count = seed_ledger.row_count + excluded.row_count
    """
)


def record(
    connection: sa.Connection,
    *,
    revision: str,
    table: str,
    ids: IdBlock,
    profile: str,
    random_seed: int,
) -> None:
    connection.execute(
        _RECORD,
        {
            "revision": revision,
            "table": table,
            "id_ranges": ids.as_multirange(),
            "row_count": len(ids),
            "profile": profile,
            "random_seed": random_seed,
            "package_versions": json.dumps(package_versions(), sort_keys=True),
        },
    )


def seeded_ids(connection: sa.Connection, table: str) -> IdBlock:
    """Every id of `table` that any applied seed revision inserted, in id order."""
    rows = connection.execute(
        sa.text(
            "select lower(r), upper(r) - 1 from seed_ledger, unnest(id_ranges) r "
            "where table_name = :table order by 1"
        ),
        {"table": table},
    ).all()
    return IdBlock([(first, last) for first, last in rows])


def entries(connection: sa.Connection, revision: str) -> list[LedgerEntry]:
    """The revision's tables, children first (the reverse of insertion order)."""
    rows = connection.execute(
        sa.text(
            "select table_name, id_ranges::text, row_count from seed_ledger "
            "where revision = :revision order by position desc"
        ),
        {"revision": revision},
    ).all()
    return [LedgerEntry(table, ranges, count) for table, ranges, count in rows]


def forget(connection: sa.Connection, revision: str) -> None:
    connection.execute(
        sa.text("delete from seed_ledger where revision = :revision"), {"revision": revision}
    )


def exists(connection: sa.Connection) -> bool:
    return bool(connection.scalar(sa.text("select to_regclass('seed_ledger') is not null")))


def revisions(connection: sa.Connection) -> set[str]:
    """The seed revisions the ledger holds rows of."""
    if not exists(connection):
        return set()
    return set(connection.scalars(sa.text("select distinct revision from seed_ledger")))


def datasets(connection: sa.Connection) -> set[tuple[str, int]]:
    """The (profile, random seed) pairs the seeded rows were made with."""
    if not exists(connection):
        return set()
    rows = connection.execute(sa.text("select distinct profile, random_seed from seed_ledger"))
    return {(str(profile), int(random_seed)) for profile, random_seed in rows}

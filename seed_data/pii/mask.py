"""Masking a copy of the app's database in place: every registered PII column that exists is
rewritten with keyed fakes (`seed_data.pii.masking`).

- Inside the seeding lock, so it never overlaps a seed run or another masking run.
- Refused when the effective environment (the stricter of SEED_ENV, else
  RAILWAY_ENVIRONMENT_NAME, and the database's stamp) is production. A restored production
  copy carries its production stamp, so it must be re-stamped on purpose first.
- Staging needs SEED_MASKING_KEY; development and test without it use a random key for
  this run only, and say so.
- One transaction for the whole run; rows are read and written in batches (keyset reads
  by primary key, one `UPDATE ... FROM unnest(...)` per batch), so memory stays flat and
  no statement grows with the table. One transaction because the mapping is only
  consistent within one key and one pass: a run that died after committing some tables
  and was run again would mask those tables twice (fake of a fake) and break the joins
  between them and the rest. All or nothing: a failed run leaves the copy unmasked, and
  the scan says so.
- Not an Alembic revision: it cannot be undone (the real values are gone), and it must
  never run by accident as part of `upgrade`.
- Prints counts per table, never a value. Old values survive in dead row versions, the
  WAL and backups until vacuumed or recycled (docs/compliance.md)."""

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from psycopg import sql

from seed_data import audit, output, project
from seed_data.environment import Stamp, read_stamp, stricter
from seed_data.errors import Refusal, SeedError
from seed_data.locking import seeding_lock
from seed_data.pii.masking import (
    KEY_VARIABLE,
    Masker,
    MaskingKey,
    MaskingRefused,
    Strategy,
    resolve_key,
    strategy_for,
)
from seed_data.pii.registry import PiiColumn
from seed_data.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 10_000
MAX_BATCH_SIZE = 1_000_000  # a million rows per statement is already more memory than speed

_COLUMNS = sa.text(
    """
    select a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory,
           case when t.typname in ('varchar', 'bpchar') and a.atttypmod > 4
                then a.atttypmod - 4 end
    from pg_attribute a join pg_type t on t.oid = a.atttypid
    where a.attrelid = to_regclass(quote_ident(:table)) and a.attnum > 0 and not a.attisdropped
    """
)
_PRIMARY_KEY = sa.text(
    """
    select a.attname, format_type(a.atttypid, a.atttypmod)
    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = to_regclass(quote_ident(:table)) and i.indisprimary
    """
)


@dataclass(frozen=True)
class Target:
    """A registered column as it exists in this database."""

    column: PiiColumn
    max_length: int | None


@dataclass(frozen=True)
class TablePlan:
    table: str
    key: str
    key_type: str
    targets: tuple[Target, ...]

    @property
    def column_names(self) -> list[str]:
        return [target.column.column for target in self.targets]


@dataclass
class TableResult:
    table: str
    columns: list[str]
    rows: int = 0  # rows read
    changed: int = 0  # rows rewritten


@dataclass
class MaskReport:
    database: str
    environment: str
    strategy: Strategy
    key_source: str
    tables: list[TableResult] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(result.rows for result in self.tables)


def plan(connection: sa.Connection) -> tuple[list[TablePlan], list[str]]:
    """What to mask: registered columns present in the database, per table, and the
    registered columns it lacks."""
    plans, missing = [], []
    for table in project.current().pii_tables():
        live = {
            name: (type_name, category, length)
            for name, type_name, category, length in connection.execute(_COLUMNS, {"table": table})
        }
        targets = []
        for column in project.current().pii_columns_of(table):
            found = live.get(column.column)
            if found is None:
                missing.append(column.name)
                continue
            type_name, category, length = found
            if category != "S":
                raise Refusal(
                    f"cannot mask {column.name}: it is {type_name}, not a text type. "
                    "Nothing was changed; update the project's PII registry or the column."
                )
            targets.append(Target(column, length))
        if not targets:
            continue
        keys = connection.execute(_PRIMARY_KEY, {"table": table}).all()
        if len(keys) != 1:
            raise Refusal(
                f"cannot mask {table} in batches: it has no single-column primary key. "
                "Nothing was changed."
            )
        key, key_type = keys[0]
        plans.append(TablePlan(table, str(key), str(key_type), tuple(targets)))
    return plans, missing


def mask_table(
    connection: sa.Connection, table_plan: TablePlan, masker: Masker, batch_size: int
) -> TableResult:
    """Keyset batches: read `batch_size` rows after the last key, write back the rows whose
    masked values differ, in one UPDATE joined to unnest()ed arrays."""
    driver = connection.connection.driver_connection
    assert driver is not None
    table, key = sql.Identifier(table_plan.table), sql.Identifier(table_plan.key)
    columns = sql.SQL(", ").join(map(sql.Identifier, table_plan.column_names))
    first = sql.SQL("select {key}, {columns} from {table} order by {key} limit %s").format(
        key=key, columns=columns, table=table
    )
    after = sql.SQL(
        "select {key}, {columns} from {table} where {key} > %s order by {key} limit %s"
    ).format(key=key, columns=columns, table=table)
    aliases = [sql.Identifier(f"v{index}") for index in range(len(table_plan.targets))]
    update = sql.SQL(
        "update {table} as t set {assignments} from unnest({arrays}) as m(k, {aliases}) "
        "where t.{key} = m.k"
    ).format(
        table=table,
        key=key,
        assignments=sql.SQL(", ").join(
            sql.SQL("{} = m.{}").format(sql.Identifier(name), alias)
            for name, alias in zip(table_plan.column_names, aliases, strict=True)
        ),
        arrays=sql.SQL(", ").join(
            [sql.SQL("%s::{}[]").format(sql.SQL(table_plan.key_type))]
            + [sql.SQL("%s::text[]")] * len(aliases)
        ),
        aliases=sql.SQL(", ").join(aliases),
    )
    targets = [(target.column.kind, target.max_length) for target in table_plan.targets]
    result = TableResult(table_plan.table, table_plan.column_names)
    last: Any = None
    with driver.cursor() as cursor:
        while True:
            if last is None:
                cursor.execute(first, (batch_size,))
            else:
                cursor.execute(after, (last, batch_size))
            rows = cursor.fetchall()
            if not rows:
                break
            changed: list[list[Any]] = [[] for _ in range(len(targets) + 1)]
            for row in rows:
                masked = [
                    masker.mask(kind, value, max_length)
                    for (kind, max_length), value in zip(targets, row[1:], strict=True)
                ]
                if masked != list(row[1:]):
                    changed[0].append(row[0])
                    for values, value in zip(changed[1:], masked, strict=True):
                        values.append(value)
            if changed[0]:
                cursor.execute(update, changed)
            result.rows += len(rows)
            result.changed += len(changed[0])
            last = rows[-1][0]
            if len(rows) < batch_size:
                break
    return result


class MaskingNotConfirmed(Refusal):
    """mask without the database's name typed out, or on a database whose environment was
    never stated."""


def _require_confirmation(confirmed: str | None, database: str) -> None:
    if confirmed == database:
        return
    given = "names another database" if confirmed else "is missing"
    raise MaskingNotConfirmed(
        f"mask rewrites the personal data of database {database!r} in place and cannot be "
        f"undone, and the confirmation {given}: repeat with --confirm-database {database} "
        f"(or SEED_CONFIRM={database}). Nothing was changed."
    )


def _require_stated_environment(found: Stamp | None, database: str) -> None:
    if found is not None and found.stated:
        return
    if found is None:
        why = "has no environment stamp (table seed_environment)"
    elif found.source == "default":
        why = f"is stamped {found.environment} only by default (no SEED_ENV was given)"
    else:
        why = f"is stamped {found.environment}, but nothing records who said so"
    raise MaskingNotConfirmed(
        f"refusing to mask database {database!r}: it {why}, and masking needs the "
        "environment stated: a production database must never be taken for a copy. If it "
        f"is a copy, say so: python -m seed_data stamp-environment staging "
        f"--confirm-database {database}. Nothing was changed."
    )


def _refuse_production(settings: Settings, stamped: str | None, database: str) -> None:
    if stricter(settings.known_environment(), stamped) != "production":
        return
    reason = (
        f"{settings.environment_source} says production"
        if settings.environment == "production"
        else "the database is stamped production (table seed_environment)"
    )
    raise MaskingRefused(
        f"refusing to mask database {database!r}: {reason}. Masking rewrites PII in place and "
        "cannot be undone, so it runs on copies only: restore the copy into its own database, "
        "re-stamp it staging or development (docs/runbook.md), then mask that."
    )


def key_notice(key: MaskingKey) -> str:
    if key.is_random:
        return (
            f"key: {KEY_VARIABLE} is not set, so this run uses a random key that is not stored. "
            "Masking again gives other fakes, and values masked by separate runs do not match; "
            f"set {KEY_VARIABLE} for repeatable masking."
        )
    return f"key: {KEY_VARIABLE}"


def mask_database(
    connection: sa.Connection,
    settings: Settings,
    env: Mapping[str, str],
    batch_size: int,
    echo: Callable[[str], None],
    *,
    confirmed: str | None,
) -> MaskReport:
    """Lock, confirmation, gate, key, plan, then mask every table in one transaction.
    `confirmed`: --confirm-database, else SEED_CONFIRM. Recorded whatever the outcome."""
    started, started_at = time.perf_counter(), datetime.now(UTC)
    database = str(connection.scalar(sa.text("select current_database()")))
    connection.commit()
    report: MaskReport | None = None
    failure: BaseException | None = None
    try:
        with seeding_lock(connection, settings.lock_timeout):
            found = read_stamp(connection)
            stamped = found.environment if found is not None else None
            connection.commit()
            _require_confirmation(confirmed or settings.confirm_database, database)
            _refuse_production(settings, stamped, database)
            _require_stated_environment(found, database)
            environment = stricter(settings.known_environment(), stamped)
            strategy = strategy_for(environment)
            key = resolve_key(env, environment)
            plans, missing = plan(connection)
            described = project.current()
            connection.commit()
            if not plans:
                raise Refusal(
                    f"database {database!r} has none of the registered PII tables "
                    f"({', '.join(described.pii_tables())}): is it a {described.name} database? "
                    "Nothing was changed."
                )
            report = MaskReport(database, environment, strategy, key.source, missing=missing)
            echo(f"mask: database {database}, environment {environment}, strategy {strategy}")
            echo(key_notice(key))
            masker = Masker(key, strategy)
            with connection.begin():
                for table_plan in plans:
                    result = mask_table(connection, table_plan, masker, batch_size)
                    report.tables.append(result)
                    output.log_event(
                        "seed_mask_table",
                        f"masked {result.table}",
                        database=database,
                        table=result.table,
                        columns=result.columns,
                        rows_read=result.rows,
                        rows_rewritten=result.changed,
                    )
            report.seconds = time.perf_counter() - started
        return report
    except BaseException as error:
        failure = error
        raise
    finally:
        _audit(connection, database, report, started_at, time.perf_counter() - started, failure)


def _audit(
    connection: sa.Connection,
    database: str,
    report: MaskReport | None,
    started_at: datetime,
    seconds: float,
    failure: BaseException | None,
) -> None:
    """One seed_runs row and one `seed_mask` event: who masked (or tried to mask) which
    database when, counts only. A driver error is recorded by its class alone: its
    message may quote a value."""
    outcome, error = audit.outcome_of(failure)
    if failure is not None and not isinstance(failure, SeedError | KeyboardInterrupt):
        error = type(failure).__name__
    row = audit.entry(
        application="python -m seed_data mask",
        started_at=started_at,
        seconds=seconds,
        environment=report.environment if report else "unknown",
        database=database,
        direction="mask",
        command="mask",
        outcome=outcome,
        error=error,
        target=f"{report.strategy}, key from {report.key_source}" if report else None,
        revisions=[
            {"table": result.table, "columns": result.columns, "rows": result.changed}
            for result in (report.tables if report else [])
        ],
    )
    audit.record(connection.engine, "seed_mask", row)


def summary(report: MaskReport) -> list[str]:
    width = max((len(result.table) for result in report.tables), default=0)
    lines = [
        f"  {result.table:<{width}}  {result.changed:>10,} of {result.rows:,} row(s) rewritten "
        f"({', '.join(result.columns)})"
        for result in report.tables
    ]
    if report.missing:
        lines.append("  not in this database (skipped): " + ", ".join(report.missing))
    lines.append(
        f"mask: {report.rows:,} row(s) read in {report.seconds:.2f} s; committed. "
        "It cannot be undone. Old values remain in dead row versions until VACUUM FULL, "
        "and in WAL and backups (docs/compliance.md)."
    )
    return lines

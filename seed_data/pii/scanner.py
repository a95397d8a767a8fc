"""Scan any database for values that look like real PII, and count them per column.

Every text-like column (text, varchar, char, citext, json, jsonb, and arrays of text) of
every ordinary table the connection may read is checked by shape
(`seed_data.pii.shapes`); registered columns also get their kind's checks (a phone column
must hold only fictional numbers, an external id must come from seeding or masking).
The seeding system's bookkeeping tables (alembic_version, seed_*) are skipped: their only
personal data is the operator's user@host in seed_runs, kept for the audit trail.

It reports counts, never values, in one read-only transaction. SQL prefilters (an "@", or
four digits close together) keep the values shipped to Python to the candidates, and
each distinct value is checked once with its row count."""

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from psycopg import sql

from seed_data.pii import shapes
from seed_data.pii.registry import BY_NAME, REGISTRY, Kind, is_bookkeeping

_TEXT_COLUMNS = sa.text(
    r"""
    select n.nspname, c.relname, a.attname, n.nspname = current_schema()
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_type t on t.oid = a.atttypid
    left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
    where c.relkind in ('r', 'p') and not c.relispartition
      and a.attnum > 0 and not a.attisdropped
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_%'
      and (t.typcategory = 'S' or t.typname in ('json', 'jsonb') or e.typcategory = 'S')
      and has_column_privilege(c.oid, a.attnum, 'SELECT')
    order by n.nspname = current_schema() desc, n.nspname, c.relname, a.attnum
    """
)


@dataclass(frozen=True)
class Finding:
    column: str  # "table.column", or "schema.table.column" outside the current schema
    kind: str  # one of shapes.FINDINGS
    count: int  # rows


@dataclass
class ScanReport:
    database: str
    columns: int = 0
    registered: int = 0
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # registered columns not in the database

    @property
    def total(self) -> int:
        return sum(finding.count for finding in self.findings)

    def lines(self) -> list[str]:
        lines = [
            f"scan: database {self.database}: {self.columns} text column(s), "
            f"{self.registered} of them registered PII columns"
        ]
        lines += [
            f"{finding.column}: {finding.count} suspicious value(s) ({finding.kind})"
            for finding in self.findings
        ]
        if self.missing:
            lines.append("registered columns not in this database: " + ", ".join(self.missing))
        if self.findings:
            flagged = len({finding.column for finding in self.findings})
            lines.append(
                f"scan: {self.total} suspicious value(s) in {flagged} column(s); "
                "values are not shown"
            )
        else:
            lines.append("scan: 0 suspicious values")
        return lines


def _prefilter(kind: Kind | None) -> str | None:
    if kind is Kind.EXTERNAL_ID:
        return None  # every id must carry a synthetic prefix
    if kind is Kind.PHONE:
        return f"{shapes.SQL_WORTH_A_LOOK}|{shapes.SQL_SEVEN_DIGITS}"
    return shapes.SQL_WORTH_A_LOOK


def scan_column(
    connection: sa.Connection, schema: str, table: str, column: str, kind: Kind | None
) -> Counter[str]:
    """Rows per finding kind in one column."""
    value = sql.SQL("{}::text").format(sql.Identifier(column))
    where = sql.SQL("{} is not null").format(sql.Identifier(column))
    pattern = _prefilter(kind)
    params: tuple[str, ...] = ()
    if pattern is not None:
        where = sql.SQL("{} and {} ~ %s").format(where, value)
        params = (pattern,)
    query = sql.SQL("select {value}, count(*) from {table} where {where} group by 1").format(
        value=value, table=sql.Identifier(schema, table), where=where
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    counts: Counter[str] = Counter()
    with driver.cursor(name="pii_scan") as cursor:
        cursor.itersize = 5_000
        cursor.execute(query, params)
        for text, rows in cursor:
            for finding in shapes.findings(kind, text):
                counts[finding] += rows
    return counts


def scan(connection: sa.Connection) -> ScanReport:
    """Count real-looking values in every text column; one read-only transaction."""
    with connection.begin():
        connection.execute(sa.text("set transaction isolation level repeatable read, read only"))
        report = ScanReport(str(connection.scalar(sa.text("select current_database()"))))
        present = set()
        for schema, table, column, current in connection.execute(_TEXT_COLUMNS).all():
            if current and is_bookkeeping(table):
                continue
            registered = BY_NAME.get((table, column)) if current else None
            report.columns += 1
            if registered is not None:
                report.registered += 1
                present.add((table, column))
            counts = scan_column(
                connection, schema, table, column, registered.kind if registered else None
            )
            name = f"{table}.{column}" if current else f"{schema}.{table}.{column}"
            report.findings += [
                Finding(name, kind, counts[kind]) for kind in shapes.FINDINGS if counts[kind]
            ]
        report.missing = [
            entry.name for entry in REGISTRY if (entry.table, entry.column) not in present
        ]
    return report

"""Scan any database for values that look like real PII, and count them per column.

What it reads: every column that can hold text (text, varchar, char, citext and other
string types, json, jsonb, xml, hstore, inet, cidr, bytea, arrays of these, and domains
over any of them) of every ordinary and partitioned table and every populated
materialized view the role may read, in every schema but the system ones. Views and
foreign tables are not read: a view shows rows of tables that are scanned, and a foreign
table lives on another server. Values are checked by shape (`seed_data.pii.shapes`, which
also decodes JSON and escapes); registered columns also get their kind's checks (a phone
column must hold only fictional numbers, an external id must come from seeding or
masking). inet and cidr values are read as their address; bytea values as UTF-8 text, and
those that are not valid UTF-8 are counted as not scanned.

The seeding system's bookkeeping tables (alembic_version, seed_ledger, seed_runs,
seed_environment in the current schema, recognised by name and by their columns, never by
a prefix) are skipped: their only personal data is the operator's user@host in seed_runs,
kept for the audit trail.

What it says it could not see, as warning lines: tables whose row-level security applies to
the scanning role (it neither bypasses RLS nor owns the table without FORCE), so rows may
be hidden from it; columns the role may not read; unpopulated materialized views; bytea
values that are not text. A column whose scan fails (a database error, or a bug in a
check) is reported by name and error type, and the rest are still scanned; the command
then exits 2.

It reports counts, never values, in one read-only transaction (each column in its own
savepoint). A SQL prefilter (`shapes.SQL_WORTH_A_LOOK`: an "@", four digits close
together, two colons close together, an escape) ships only candidate values to Python, and
each distinct value is checked once with its row count."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from psycopg import sql

from seed_data import project
from seed_data.pii import shapes
from seed_data.pii.registry import BOOKKEEPING, Kind, is_bookkeeping

_COLUMNS = sa.text(
    r"""
    with recursive resolved(oid, base) as (  -- a domain's type is the type under it
        select t.oid, t.oid from pg_type t where t.typtype <> 'd'
        union all
        select d.oid, r.base from pg_type d join resolved r on r.oid = d.typbasetype
        where d.typtype = 'd'
    )
    select n.nspname as schema_name, c.relname as table_name, a.attname as column_name,
           n.nspname = current_schema() as current,
           c.relkind = 'm' as materialized,
           case when b.typname = 'bytea' then 'bytea'
                when b.typname in ('inet', 'cidr') then 'inet'
                else 'text' end as form,
           has_schema_privilege(n.oid, 'USAGE')
               and has_column_privilege(c.oid, a.attnum, 'SELECT') as readable,
           c.relkind <> 'm' or c.relispopulated as populated,
           c.relrowsecurity
               and not (select rolsuper or rolbypassrls from pg_roles
                        where rolname = current_user)
               and (c.relforcerowsecurity or not pg_has_role(c.relowner, 'USAGE'))
               as row_security
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join resolved rt on rt.oid = a.atttypid
    join pg_type b on b.oid = rt.base
    left join resolved re on re.oid = b.typelem and b.typcategory = 'A'
    left join pg_type e on e.oid = re.base
    where c.relkind in ('r', 'p', 'm') and not c.relispartition
      and a.attnum > 0 and not a.attisdropped
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_%'
      and (b.typcategory = 'S'
           or b.typname in ('json', 'jsonb', 'xml', 'hstore', 'inet', 'cidr', 'bytea')
           or e.typcategory = 'S'
           or e.typname in ('json', 'jsonb', 'xml', 'hstore', 'inet', 'cidr'))
    order by n.nspname = current_schema() desc, n.nspname, c.relname, a.attnum
    """
)
# Every column of the tables that may be the seeding system's bookkeeping.
_BOOKKEEPING_COLUMNS = sa.text(
    """
    select c.relname, array_agg(a.attname::text)
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname = any(:names)
    group by c.relname
    """
)
_NAMES_SHOWN = 10


@dataclass(frozen=True)
class Finding:
    column: str  # "table.column", or "schema.table.column" outside the current schema
    kind: str  # one of shapes.FINDINGS
    count: int  # rows


@dataclass(frozen=True)
class ColumnFailure:
    column: str
    error: str  # the exception's type: its message may quote a value


@dataclass
class ScanReport:
    database: str
    columns: int = 0
    registered: int = 0
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # registered columns not in the database
    warnings: list[str] = field(default_factory=list)  # what the scan could not see
    failures: list[ColumnFailure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(finding.count for finding in self.findings)

    def failure_message(self) -> str:
        """One line for a scan that could not read every column."""
        named = ", ".join(f"{f.column} ({f.error})" for f in self.failures[:_NAMES_SHOWN])
        more = len(self.failures) - _NAMES_SHOWN
        return (
            f"scan could not check {len(self.failures)} column(s): {named}"
            + (f" and {more} more" if more > 0 else "")
            + "; the counts printed above leave them out"
        )

    def lines(self) -> list[str]:
        lines = [
            f"scan: database {self.database}: {self.columns} text column(s), "
            f"{self.registered} of them registered PII columns"
        ]
        lines += [f"warning: {warning}" for warning in self.warnings]
        lines += [
            f"{finding.column}: {finding.count} suspicious value(s) ({finding.kind})"
            for finding in self.findings
        ]
        lines += [
            f"{failure.column}: could not be scanned ({failure.error})" for failure in self.failures
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
        if self.failures:
            lines.append(f"scan: incomplete: {len(self.failures)} column(s) could not be scanned")
        return lines


def _listed(names: list[str]) -> str:
    more = len(names) - _NAMES_SHOWN
    return ", ".join(names[:_NAMES_SHOWN]) + (f" and {more} more" if more > 0 else "")


def _prefilter(kind: Kind | None) -> str | None:
    if kind is Kind.EXTERNAL_ID:
        return None  # every id must carry a synthetic prefix
    if kind is Kind.PHONE:
        return f"{shapes.SQL_WORTH_A_LOOK}|{shapes.SQL_SEVEN_DIGITS}"
    return shapes.SQL_WORTH_A_LOOK


def _expressions(column: str, form: str) -> tuple[sql.Composable, sql.Composable]:
    """What is read and what the prefilter reads, for a column of this form."""
    name = sql.Identifier(column)
    if form == "bytea":
        # Bytes go to Python as they are; the prefilter reads them with non-printable
        # bytes escaped (\ooo), which keeps every printable character where it was.
        return name, sql.SQL("encode({}, 'escape')").format(name)
    if form == "inet":
        text: sql.Composable = sql.SQL("host({})").format(name)  # the address, no /32
    else:
        text = sql.SQL("{}::text").format(name)
    return text, text


def scan_column(
    connection: sa.Connection,
    schema: str,
    table: str,
    column: str,
    kind: Kind | None,
    form: str = "text",
) -> tuple[Counter[str], int]:
    """Rows per finding kind in one column, and the rows not scanned (bytea that is not
    UTF-8 text)."""
    value, filtered = _expressions(column, form)
    where = sql.SQL("{} is not null").format(sql.Identifier(column))
    pattern = _prefilter(kind)
    params: tuple[str, ...] = ()
    if pattern is not None:
        where = sql.SQL("{} and {} ~ %s").format(where, filtered)
        params = (pattern,)
    query = sql.SQL("select {value}, count(*) from {table} where {where} group by 1").format(
        value=value, table=sql.Identifier(schema, table), where=where
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    counts: Counter[str] = Counter()
    not_text = 0
    with driver.cursor(name="pii_scan") as cursor:
        cursor.itersize = 5_000
        cursor.execute(query, params)
        for raw, rows in cursor:
            if isinstance(raw, bytes):
                try:
                    raw = raw.decode("utf-8")
                except UnicodeDecodeError:
                    not_text += rows
                    continue
            for finding in shapes.findings(kind, raw):
                counts[finding] += rows
    return counts, not_text


def _broken(connection: sa.Connection) -> bool:
    driver: Any = connection.connection.driver_connection
    return driver is None or bool(driver.closed) or bool(driver.broken)


def scan(connection: sa.Connection) -> ScanReport:
    """Count real-looking values in every column that can hold text; one read-only
    transaction, one savepoint per column."""
    with connection.begin():
        connection.execute(sa.text("set transaction isolation level repeatable read, read only"))
        report = ScanReport(str(connection.scalar(sa.text("select current_database()"))))
        ours = {
            table: BOOKKEEPING[table]
            for table, columns in connection.execute(
                _BOOKKEEPING_COLUMNS, {"names": list(BOOKKEEPING)}
            )
            if is_bookkeeping(table, columns)
        }
        present = set()
        registry = project.current().pii_by_name
        unreadable: list[str] = []
        limited: dict[str, None] = {}  # tables under row-level security, in order
        for row in connection.execute(_COLUMNS).all():
            current = row.current
            if current and row.column_name in ours.get(row.table_name, ()):
                continue
            name = (
                f"{row.table_name}.{row.column_name}"
                if current
                else f"{row.schema_name}.{row.table_name}.{row.column_name}"
            )
            relation = name.rpartition(".")[0]
            if not row.readable:
                unreadable.append(name)
                continue
            if not row.populated:
                report.warnings.append(
                    f"materialized view {relation} is not populated: not scanned"
                )
                continue
            registered = registry.get((row.table_name, row.column_name)) if current else None
            report.columns += 1
            if registered is not None:
                report.registered += 1
                present.add((row.table_name, row.column_name))
            if row.row_security:
                limited[relation] = None
            try:
                with connection.begin_nested():
                    counts, not_text = scan_column(
                        connection,
                        row.schema_name,
                        row.table_name,
                        row.column_name,
                        registered.kind if registered else None,
                        row.form,
                    )
            except Exception as error:
                if _broken(connection):
                    raise
                # The type only: a message (a driver's DETAIL line, a check's ValueError)
                # may quote the value.
                original = getattr(error, "orig", None) or error
                report.failures.append(ColumnFailure(name, type(original).__name__))
                continue
            report.findings += [
                Finding(name, kind, counts[kind]) for kind in shapes.FINDINGS if counts[kind]
            ]
            if not_text:
                report.warnings.append(
                    f"{name}: {not_text} value(s) are not UTF-8 text and were not scanned"
                )
        report.warnings[:0] = [
            f"{relation}: row-level security applies to this role (it neither bypasses RLS "
            "nor owns the table without FORCE): rows it hides were not scanned, the counts "
            "for this table may be incomplete"
            for relation in limited
        ]
        if unreadable:
            report.warnings.append(
                f"{len(unreadable)} column(s) this role may not read were not scanned: "
                + _listed(unreadable)
            )
        report.missing = [
            entry.name
            for entry in project.current().pii_columns
            if (entry.table, entry.column) not in present
        ]
    return report

"""`python -m seed_data scan` against real PostgreSQL databases, one per test: what it reads
(seed_* tables that are not the seeding system's, json with escapes, xml, inet, cidr,
bytea, arrays, materialized views, free text and JSON tags in a seeded database, large
values), what it says it could not see (row-level security, unreadable columns), that its
SQL prefilter keeps every real-looking value, and that an internal error exits 2 without
printing a value."""

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.pii import scanner, shapes
from seed_data.pii.registry import BOOKKEEPING
from tests.conftest import InProcess, Pii, Result, render
from tests.shape_cases import TRUE_CASES

REAL_EMAIL = "jane.doe@gmail.com"


@pytest.fixture
def pii(
    database_url: URL, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Pii:
    return Pii(database_url, monkeypatch, capsys)


@pytest.fixture
def schema(alembic: InProcess, engine: sa.Engine) -> sa.Engine:
    """TERP's tables, no rows."""
    alembic.upgrade("schema@head")
    return engine


def run_sql(engine: sa.Engine, statements: str, **params: object) -> None:
    """Several statements, or one with parameters."""
    with engine.begin() as connection:
        if params:
            connection.execute(sa.text(statements), params)
        else:
            connection.exec_driver_sql(statements)


def findings(result: Result) -> set[str]:
    return {line for line in result.out.splitlines() if "suspicious value(s) (" in line}


def assert_quiet(result: Result, *values: str) -> None:
    for value in values:
        assert value not in result.out + result.err, value


def test_seed_named_tables_are_scanned_unless_they_are_the_seeding_systems(
    schema: sa.Engine, pii: Pii
) -> None:
    run_sql(
        schema,
        """
        create table seed_contacts (id int, email text);
        insert into seed_contacts values (1, 'jane.doe@gmail.com');
        -- named like the ledger, but not ours: it lacks the ledger's columns
        create table seed_ledger (id int, note text);
        insert into seed_ledger values (1, 'ask jane.doe@gmail.com');
        -- ours, with a column somebody added: only that column is scanned
        alter table seed_environment add column contact text;
        insert into seed_environment (id, environment, stamped_at, stamped_by, contact)
            values (1, 'development', now(), 'jane.doe@gmail.com', 'jane.doe@gmail.com')
            on conflict (id) do update set stamped_by = excluded.stamped_by,
                                           contact = excluded.contact;
        create schema elsewhere;
        create table elsewhere.alembic_version (version_num text);
        insert into elsewhere.alembic_version values ('jane.doe@gmail.com');
        """,
    )
    result = pii("scan")
    assert result.code == 1, result.out + result.err
    assert findings(result) == {
        "seed_contacts.email: 1 suspicious value(s) (e-mail)",
        "seed_ledger.note: 1 suspicious value(s) (e-mail)",
        "seed_environment.contact: 1 suspicious value(s) (e-mail)",
        "elsewhere.alembic_version.version_num: 1 suspicious value(s) (e-mail)",
    }
    assert_quiet(result, REAL_EMAIL, "gmail")


def test_every_type_that_holds_text_is_read(schema: sa.Engine, pii: Pii) -> None:
    run_sql(
        schema,
        r"""
        create domain contact_text as text;
        create table extra (
            id int, document json, tree jsonb, address inet, network cidr,
            blob bytea, binary_blob bytea, names text[], addresses inet[], contact contact_text
        );
        insert into extra values
            (1, '{"to": "jane.doe\u0040gmail.com"}', '{"tags": ["vip", "415-555-2671"]}',
             '8.8.8.8', '8.8.8.0/24',
             convert_to('call 415-555-2671', 'UTF8'), '\xff00fe3834312e3535352e32363731',
             array['ok', '523-45-6789'], array['2600:1700:abcd::42'::inet],
             'jane.doe@gmail.com'),
            (2, '{"to": "ana\u0040example.com"}', '{"tags": ["vip"]}', '10.0.0.1', '10.0.0.0/8',
             convert_to('ok', 'UTF8'), convert_to('josé@gmail.com', 'LATIN1'),
             array['ok'], array['127.0.0.1'::inet], 'ana@example.com');
        create materialized view contacts_view as select 'call 4155552671' as note;
        create materialized view empty_view as select 'jane.doe@gmail.com' as note with no data;
        """,
    )
    result = pii("scan")
    assert result.code == 1, result.out + result.err
    assert findings(result) == {
        "extra.document: 1 suspicious value(s) (e-mail)",
        "extra.tree: 1 suspicious value(s) (phone)",
        "extra.address: 1 suspicious value(s) (IP address)",
        "extra.network: 1 suspicious value(s) (IP address)",
        "extra.blob: 1 suspicious value(s) (phone)",
        "extra.names: 1 suspicious value(s) (social security number)",
        "extra.addresses: 1 suspicious value(s) (IP address)",
        "extra.contact: 1 suspicious value(s) (e-mail)",
        "contacts_view.note: 1 suspicious value(s) (phone)",
    }
    lines = result.out.splitlines()
    assert "warning: extra.binary_blob: 2 value(s) are not UTF-8 text and were not scanned" in lines
    assert "warning: materialized view empty_view is not populated: not scanned" in lines
    assert_quiet(result, REAL_EMAIL, "gmail", "2671", "8.8.8", "6789", "2600")


def test_xml_with_character_references(schema: sa.Engine, pii: Pii) -> None:
    with schema.connect() as connection:
        try:
            connection.exec_driver_sql("select '<a/>'::xml")
        except sa.exc.NotSupportedError:
            pytest.skip("this PostgreSQL is built without libxml: it cannot hold xml values")
    run_sql(
        schema,
        """
        create table pages (id int, page xml);
        insert into pages values (1, '<a>jane.doe&#64;gmail.com</a>'), (2, '<a>ok</a>');
        """,
    )
    result = pii("scan")
    assert result.code == 1, result.out + result.err
    assert findings(result) == {"pages.page: 1 suspicious value(s) (e-mail)"}
    assert_quiet(result, "jane", "gmail")


def test_free_text_and_json_tags_in_a_seeded_database(
    alembic: InProcess, engine: sa.Engine, pii: Pii
) -> None:
    alembic.upgrade("seed@head")
    with engine.connect() as connection:  # the bookkeeping tables are exactly what we know
        for table, columns in BOOKKEEPING.items():
            live = connection.scalars(
                sa.text(
                    "select column_name from information_schema.columns "
                    "where table_schema = current_schema() and table_name = :table"
                ),
                {"table": table},
            ).all()
            assert set(live) == columns, table
    harmless = (
        "INV 123-45-6789",
        "Version 4.17.21.3",
        "SKU 4000000000000002",
        "Lot 415-555-2671-A",
        "gw 010.001.002.003",
    )
    run_sql(
        engine,
        """
        update invoice_line_items set description = 'call 4155552671 re: order'
            where id = (select min(id) from invoice_line_items);
        update clients set tags = '["wholesale", "415-555-2671"]'
            where id = (select min(id) from clients);
        """,
    )
    run_sql(
        engine,
        """
        update invoice_line_items set description = (cast(:harmless as text[]))[id % 5 + 1]
            where id > (select min(id) from invoice_line_items)
        """,
        harmless=list(harmless),
    )
    result = pii("scan")
    assert result.code == 1, result.out + result.err
    assert findings(result) == {
        "invoice_line_items.description: 1 suspicious value(s) (phone)",
        "clients.tags: 1 suspicious value(s) (phone)",
    }
    assert_quiet(result, "4155552671", "2671")


def test_large_values(schema: sa.Engine, pii: Pii) -> None:
    """Read whole, found at their end; scripts/bench-scan times them."""
    note = "Order ORD-000123 shipped 2024-01-15, total 1234.56. " * 20_000
    document = "[" + ", ".join(f'{{"sku": "SKU-{n:06d}"}}' for n in range(5_000))
    run_sql(schema, "create table large (id int, body text, document json)")
    run_sql(
        schema,
        """
        insert into large values
            (1, :note || 'call 415-555-2671',
             cast(:document || ', "jane.doe\\u0040gmail.com"]' as json)),
            (2, repeat('a', 40000) || '@', cast(:document || ']' as json))
        """,
        note=note,
        document=document,
    )
    result = pii("scan")
    assert result.code == 1, result.out + result.err
    assert findings(result) == {
        "large.body: 1 suspicious value(s) (phone)",
        "large.document: 1 suspicious value(s) (e-mail)",
    }


ROLE_PASSWORD = "scan-role-password-7f3a"


def as_role(database_url: URL, role: str) -> str:
    return render(database_url.set(username=role, password=ROLE_PASSWORD))


@pytest.fixture
def role(database_url: URL, engine: sa.Engine) -> Iterator[str]:
    """A login role without BYPASSRLS, dropped after the test."""
    name = f"scan_role_{uuid.uuid4().hex[:8]}"
    # with a password: the embedded server authenticates every connection (SCRAM)
    run_sql(engine, f"create role {name} login nobypassrls password '{ROLE_PASSWORD}'")
    try:
        yield name
    finally:
        run_sql(engine, f"drop owned by {name}; drop role {name}")


def test_row_level_security_is_a_warning(
    schema: sa.Engine, pii: Pii, role: str, database_url: URL
) -> None:
    run_sql(
        schema,
        f"""
        create table hidden_notes (id int, note text);
        insert into hidden_notes values (1, 'call 415-867-5309');
        alter table hidden_notes enable row level security;
        create policy nothing_for_others on hidden_notes using (false);
        create table own_notes (id int, note text);
        alter table own_notes owner to {role};
        alter table own_notes enable row level security;
        create table forced_notes (id int, note text);
        alter table forced_notes owner to {role};
        alter table forced_notes enable row level security;
        alter table forced_notes force row level security;
        grant select on all tables in schema public to {role};
        """,
    )
    role_url = as_role(database_url, role)
    restricted = pii("scan", "--database-url", role_url)
    assert restricted.code == 0, restricted.out + restricted.err
    warnings = [line for line in restricted.out.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {table}: row-level security applies to this role (it neither bypasses "
        "RLS nor owns the table without FORCE): rows it hides were not scanned, the counts "
        "for this table may be incomplete"
        for table in ("forced_notes", "hidden_notes")
    ]
    assert "scan: 0 suspicious values" in restricted.out
    # the owner of the database's tables (a superuser here) sees every row
    full = pii("scan")
    assert full.code == 1 and "warning:" not in full.out
    assert "hidden_notes.note: 1 suspicious value(s) (phone)" in full.out


def test_columns_the_role_may_not_read_are_named(
    schema: sa.Engine, pii: Pii, role: str, database_url: URL
) -> None:
    run_sql(
        schema,
        f"""
        create table split (id int, visible text, secret text);
        insert into split values (1, 'ok', 'jane.doe@gmail.com');
        grant select on all tables in schema public to {role};
        revoke select on split from {role};
        grant select (id, visible) on split to {role};
        """,
    )
    result = pii("scan", "--database-url", as_role(database_url, role))
    assert result.code == 0, result.out + result.err
    assert (
        "warning: 1 column(s) this role may not read were not scanned: split.secret"
        in result.out.splitlines()
    )


def test_an_internal_error_prints_no_value_and_exits_2(
    schema: sa.Engine, pii: Pii, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sql(
        schema,
        """
        create table notes_a (note text);
        create table notes_b (note text);
        insert into notes_a values ('gw 010.001.002.003 for jane.doe@gmail.com');
        insert into notes_b values ('call 415-867-5309');
        """,
    )
    real = shapes.findings

    def broken(kind: object, value: str) -> frozenset[str]:
        if "gw" in value:
            raise ValueError(f"cannot read {value!r}")
        return real(None, value)

    monkeypatch.setattr(shapes, "findings", broken)
    result = pii("scan")
    assert result.code == 2, result.out + result.err
    assert result.failed_lines == [line for line in result.err.splitlines() if line]
    assert len(result.failed_lines) == 1
    assert "scan could not check 1 column(s): notes_a.note (ValueError)" in result.err
    assert "notes_a.note: could not be scanned (ValueError)" in result.out
    # the other columns are still scanned
    assert "notes_b.note: 1 suspicious value(s) (phone)" in result.out
    assert "Traceback" not in result.err
    assert_quiet(result, "010.001", "jane", "gmail", "5309")

    def crash(connection: sa.Connection) -> scanner.ScanReport:
        raise RuntimeError("jane.doe@gmail.com")

    monkeypatch.setattr(scanner, "scan", crash)
    crashed = pii("scan")
    assert crashed.code == 2 and len(crashed.failed_lines) == 1
    assert "internal error (RuntimeError)" in crashed.err
    assert_quiet(crashed, "jane", "gmail")


def test_a_failing_query_is_one_column_not_the_scan(
    schema: sa.Engine, pii: Pii, role: str, database_url: URL
) -> None:
    """A column whose query fails (here: a row-level security policy that divides by zero)
    is named with its error type, and the transaction goes on to the other columns."""
    run_sql(
        schema,
        f"""
        create table fragile (id int, note text);
        insert into fragile values (1, 'jane.doe@gmail.com');
        alter table fragile enable row level security;
        create policy failing on fragile using (1 / (id - id) = 1);
        create table sturdy (note text);
        insert into sturdy values ('call 415-867-5309');
        grant select on all tables in schema public to {role};
        """,
    )
    result = pii("scan", "--database-url", as_role(database_url, role))
    assert result.code == 2, result.out + result.err
    assert "fragile.note: could not be scanned (DivisionByZero)" in result.out
    assert "sturdy.note: 1 suspicious value(s) (phone)" in result.out
    assert len(result.failed_lines) == 1
    assert "scan could not check 1 column(s): fragile.note (DivisionByZero)" in result.err
    assert_quiet(result, "jane", "gmail", "5309")


def test_the_prefilter_in_postgresql_keeps_every_real_looking_value(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        for text, _ in TRUE_CASES:
            kept = connection.scalar(
                sa.text("select cast(:text as text) ~ :pattern"),
                {"text": text, "pattern": shapes.SQL_WORTH_A_LOOK},
            )
            assert kept, text

"""`mask` and `scan` against real PostgreSQL databases: seeded profiles scan clean,
planted values are found and never printed, masking a copy leaves nothing registered
unmasked, keeps every other column (row counts, ids, references), maps one value to one
fake across tables, refuses production and staging without a key, and is all or nothing."""

import json
import os
import re
import subprocess
from collections.abc import Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from seed_data.environment import stamp
from seed_data.locking import LOCK_ID, LOCK_NAMESPACE
from seed_data.pii import scanner
from seed_data.pii.masking import Masker, MaskingKey, Strategy
from seed_data.pii.registry import Kind
from seed_data.pii.shapes import findings, reserved_domain
from terp.pii import PII_COLUMNS as REGISTRY
from terp.profiles import PROFILES
from terp.project import PROJECT
from tests.conftest import (
    PROJECT_ROOT,
    Cli,
    InProcess,
    Pii,
    Result,
    render,
    seed_data_command,
)

BY_NAME = PROJECT.pii_by_name

KEY = "a-test-masking-key-that-is-long-enough-0123456789"
KEYED = {"SEED_MASKING_KEY": KEY}
# Plants: a real-looking value in every registered column, and one in an unregistered one.
REAL_EMAIL = "Jane.Doe@Gmail.com"
PLANTS = """
update users set name = 'Jane Doe', email = 'Jane.Doe@Gmail.com', open_id = 'google|1081'
    where id = (select min(id) from users);
update vendors set contact_name = 'jane  doe', contact_email = ' jane.doe@gmail.com',
    contact_phone = '415-867-5309', notes = 'Call Jane at (415) 867-5309'
    where id = (select min(id) from vendors);
update clients set name = 'Doe Family Dispensary', email = 'jane.doe@gmail.com',
    phone = '(415) 867-5309', address = '12 Real Road, Oakland, CA 94607'
    where id = (select min(id) from clients);
insert into lots (code, vendor_id, date, notes)
    values ('LOT-PII-TEST', (select min(id) from vendors), '2024-01-02', 'Jane: jane@farm.io');
insert into orders (order_number, order_type, client_id, created_by, notes)
    values ('ORD-PII-TEST', 'SALE', (select min(id) from clients), (select min(id) from users),
            'SSN 123-45-6789');
insert into invoices (invoice_number, customer_id, invoice_date, due_date, created_by, notes)
    values ('INV-PII-TEST', (select min(id) from clients), '2024-01-03', '2024-02-03',
            (select min(id) from users), 'paid by card 4111 1111 1111 1111');
insert into payments (payment_number, payment_type, payment_date, amount, payment_method,
                      created_by, notes)
    values ('PAY-PII-TEST', 'RECEIVED', '2024-01-04', 1, 'CASH', (select min(id) from users),
            'sent from 8.8.8.8');
insert into batches (code, sku, product_id, lot_id, payment_terms)
    values ('BATCH-PII-TEST', 'SKU-PII-TEST', (select min(id) from products),
            (select id from lots where code = 'LOT-PII-TEST'), 'COD');
insert into inventory_movements (batch_id, movement_type, performed_by, notes)
    values ((select id from batches where code = 'BATCH-PII-TEST'), 'INTAKE',
            (select min(id) from users), 'Jane Doe, +44 20 7946 0958');
"""
PLANTED_VALUES = (
    "Jane",
    "jane",
    "867-5309",
    "Gmail",
    "gmail",
    "farm.io",
    "123-45-6789",
    "4111 1111",
    "8.8.8.8",
    "google|1081",
)


@pytest.fixture
def seeded(database_seeded_small: URL, engine: sa.Engine) -> sa.Engine:
    """Seeded, and stamped development on purpose (a defaulted stamp does not let mask run)."""
    with engine.begin() as connection:
        stamp(connection, "development", "stamp-environment")
    return engine


def plant(engine: sa.Engine, statements: str = PLANTS) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(statements)


def snapshot(engine: sa.Engine) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows but the audit trail's (every mask run, refused ones too, adds a
    seed_runs row; `last_mask_run` checks those)."""
    with engine.connect() as connection:
        tables = connection.scalars(
            sa.text(
                "select tablename from pg_tables where schemaname = 'public' "
                "and tablename <> 'seed_runs' order by 1"
            )
        ).all()
        return {
            table: [
                dict(row._mapping)
                for row in connection.execute(sa.text(f'select * from "{table}" order by 1'))
            ]
            for table in tables
        }


def without_registered(dump: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {
        table: [
            {name: value for name, value in row.items() if (table, name) not in BY_NAME}
            for row in rows
        ]
        for table, rows in dump.items()
        if table != "seed_runs"  # masking adds its audit row
    }


def assert_quiet(result: Result) -> None:
    """Neither the planted values nor the key appear in any output."""
    for secret in (*PLANTED_VALUES, KEY):
        assert secret not in result.out + result.err, secret


SCANNED_PROFILES = [
    pytest.param(
        name,
        marks=[]
        if name == "small"
        else [pytest.mark.slow]
        + (
            []
            if name == "medium" or os.environ.get("PII_SCAN_ALL_PROFILES")
            else [pytest.mark.skip(reason="minutes to seed; PII_SCAN_ALL_PROFILES=1 runs it")]
        ),
    )
    for name in PROFILES
]


@pytest.mark.parametrize("profile", SCANNED_PROFILES)
def test_every_seeded_profile_scans_clean(
    profile: str, alembic: InProcess, engine: sa.Engine, pii: Pii
) -> None:
    alembic.upgrade("seed@head", profile=profile)
    result = pii("scan")
    assert result.code == 0, result.out + result.err
    assert "scan: 0 suspicious values" in result.out
    # generation follows the registry: every registered column of a seeded table is
    # filled, and every value passes its kind's checks
    with engine.connect() as connection:
        for column in REGISTRY:
            values = connection.scalars(
                sa.text(
                    f"select {column.column} from {column.table} where {column.column} is not null"
                )
            ).all()
            if column.column != "notes":
                seeded_rows = connection.scalar(sa.text(f"select count(*) from {column.table}"))
                assert not seeded_rows or values, f"{column.name} is never generated"
            assert not any(findings(column.kind, str(value)) for value in values), column.name


def test_scan_finds_planted_values_and_never_prints_them(seeded: sa.Engine, pii: Pii) -> None:
    plant(seeded)
    plant(
        seeded,
        "update brands set description = 'ask bob@acme.io' where id = (select min(id) from brands)",
    )
    result = pii("scan")
    assert result.code == 1, result.out + result.err
    for line in (
        "users.email: 1 suspicious value(s) (e-mail)",
        "users.open_id: 1 suspicious value(s) (external id)",
        "vendors.contact_email: 1 suspicious value(s) (e-mail)",
        "vendors.contact_phone: 1 suspicious value(s) (phone)",
        "vendors.notes: 1 suspicious value(s) (phone)",
        "clients.email: 1 suspicious value(s) (e-mail)",
        "clients.phone: 1 suspicious value(s) (phone)",
        "lots.notes: 1 suspicious value(s) (e-mail)",
        "orders.notes: 1 suspicious value(s) (social security number)",
        "invoices.notes: 1 suspicious value(s) (card number)",
        "payments.notes: 1 suspicious value(s) (IP address)",
        "inventory_movements.notes: 1 suspicious value(s) (phone)",
        "brands.description: 1 suspicious value(s) (e-mail)",
    ):
        assert line in result.out.splitlines(), line
    assert "scan: 13 suspicious value(s) in 13 column(s); values are not shown" in result.out
    assert_quiet(result)


def test_scan_error_is_one_line_without_the_password(pii: Pii) -> None:
    url = "postgresql://someone:s3cret-pass@127.0.0.1:1/terp"
    result = pii("scan", "--database-url", url)
    assert result.code == 2
    assert len(result.failed_lines) == 1 and "cannot connect" in result.failed_lines[0]
    assert "s3cret-pass" not in result.out + result.err
    bad = pii("scan", "--database-url", "mysql://x@y/z")
    assert bad.code == 2 and "--database-url uses mysql://" in bad.err


def test_mask_then_scan_leaves_nothing_unmasked_and_keeps_everything_else(
    seeded: sa.Engine, pii: Pii
) -> None:
    plant(seeded)
    before = snapshot(seeded)
    result = pii("mask", "--batch-size", "7", env=KEYED)
    assert result.code == 0, result.out + result.err
    assert "strategy full" in result.out and "key: SEED_MASKING_KEY" in result.out
    assert "scan: 0 suspicious values" in result.out
    assert "cannot be undone" in result.out
    assert_quiet(result)
    after = snapshot(seeded)

    # row counts, ids, references and every other column: identical
    assert without_registered(after) == without_registered(before)
    # every registered value is exactly the keyed fake of what was there
    masker = Masker(MaskingKey(KEY.encode(), "test"), Strategy.FULL)
    checked = 0
    for column in REGISTRY:
        for old, new in zip(before[column.table], after[column.table], strict=True):
            expected = masker.mask(column.kind, old[column.column])
            assert new[column.column] == expected, column.name
            if old[column.column] is not None:
                assert new[column.column] != old[column.column], column.name
                checked += 1
    assert checked > 100
    assert pii("scan").code == 0
    with seeded.connect() as connection:
        audit = connection.execute(
            sa.text("select outcome, revisions from seed_runs where command = 'mask'")
        ).one()
    assert (
        audit.outcome == "success"
        and {"table": "users", "columns": ["name", "email", "open_id"], "rows": 8}
        in audit.revisions
    )


def test_one_real_value_masks_to_one_fake_in_every_table(seeded: sa.Engine, pii: Pii) -> None:
    plant(seeded)
    assert pii("mask", env=KEYED).code == 0
    with seeded.connect() as connection:
        emails = connection.execute(
            sa.text(
                "select (select email from users order by id limit 1),"
                " (select contact_email from vendors order by id limit 1),"
                " (select email from clients order by id limit 1)"
            )
        ).one()
        names = connection.execute(
            sa.text(
                "select (select name from users order by id limit 1),"
                " (select contact_name from vendors order by id limit 1)"
            )
        ).one()
        phones = connection.execute(
            sa.text(
                "select (select contact_phone from vendors order by id limit 1),"
                " (select phone from clients order by id limit 1)"
            )
        ).one()
    masker = Masker(MaskingKey(KEY.encode(), "test"), Strategy.FULL)
    assert set(emails) == {masker.mask(Kind.EMAIL, REAL_EMAIL)}
    assert names[0] == names[1]
    digits = {"".join(char for char in phone if char.isdigit()) for phone in phones}
    assert len(digits) == 1  # "415-867-5309" and "(415) 867-5309": one number


@pytest.mark.parametrize(
    ("how", "env", "reason"),
    [
        ("stamp", {}, "the database is stamped production"),
        (
            "variable",
            {"SEED_ENV": "production"},
            "SEED_ENV says production",
        ),
        ("variable", {"RAILWAY_ENVIRONMENT_NAME": "production"}, "says production"),
    ],
)
def test_mask_refuses_production_and_changes_nothing(
    seeded: sa.Engine, pii: Pii, how: str, env: dict[str, str], reason: str
) -> None:
    plant(seeded)
    if how == "stamp":
        with seeded.begin() as connection:
            stamp(connection, "production", "stamp-environment")
    before = snapshot(seeded)
    result = pii("mask", env={**KEYED, "SEED_ALLOW_PRODUCTION": str(seeded.url.database), **env})
    assert result.code == 2
    assert result.failed_lines == [line for line in result.err.splitlines() if line]
    assert len(result.failed_lines) == 1
    assert "refusing to mask database" in result.err and reason in result.err
    assert "Traceback" not in result.err and result.out == ""
    assert snapshot(seeded) == before


def test_mask_refuses_staging_without_a_key(seeded: sa.Engine, pii: Pii) -> None:
    before = snapshot(seeded)
    result = pii("mask", env={"SEED_ENV": "staging"})
    assert result.code == 2 and len(result.failed_lines) == 1
    assert "SEED_MASKING_KEY is not set: masking a staging database needs a key" in result.err
    assert snapshot(seeded) == before
    with seeded.begin() as connection:  # the stamp counts too
        stamp(connection, "staging", "stamp-environment")
    assert pii("mask").code == 2


def test_development_without_a_key_says_it_used_a_random_one(seeded: sa.Engine, pii: Pii) -> None:
    plant(seeded)
    result = pii("mask")
    assert result.code == 0, result.out + result.err
    assert (
        "SEED_MASKING_KEY is not set, so this run uses a random key that is not stored"
        in result.out
    )
    assert "Masking again gives other fakes" in result.out
    with seeded.connect() as connection:
        first = connection.scalar(sa.text("select email from users order by id limit 1"))
        tables = connection.scalars(
            sa.text("select tablename from pg_tables where tablename like '%key%'")
        ).all()
    assert tables == []  # the key is not stored anywhere
    assert pii("mask").code == 0
    with seeded.connect() as connection:
        assert connection.scalar(sa.text("select email from users order by id limit 1")) != first


def test_staging_masking_preserves_only_the_documented_patterns(
    seeded: sa.Engine, pii: Pii
) -> None:
    with seeded.begin() as connection:
        connection.execute(
            sa.text(
                "update clients set email = 'buyer' || id || '@' || (array['gmail.com', "
                "'gmail.com', 'gmail.com', 'shop.io', 'farm.org'])[1 + id % 5], "
                "phone = (array['(212)', '(646)', '(415)'])[1 + id % 3] || ' 867-' || "
                "lpad(id::text, 4, '0'), "
                "name = 'The Family Owned Neighborhood Dispensary Number ' || id"
            )
        )
        before = connection.execute(
            sa.text("select id, email, phone, name from clients order by id")
        ).all()
    result = pii("mask", env={**KEYED, "SEED_ENV": "staging"})
    assert result.code == 0, result.out + result.err
    assert "strategy pattern-preserving" in result.out
    with seeded.connect() as connection:
        after = connection.execute(
            sa.text("select id, email, phone, name from clients order by id")
        ).all()

    def domain_counts(rows: Sequence[Any]) -> list[int]:
        counts: dict[str, int] = {}
        for row in rows:
            domain = row.email.rpartition("@")[2]
            counts[domain] = counts.get(domain, 0) + 1
        return sorted(counts.values())

    assert domain_counts(after) == domain_counts(before)
    assert all(reserved_domain(row.email.rpartition("@")[2]) for row in after)
    # phones keep their punctuation, never their area code
    assert all(re.fullmatch(r"\(\d{3}\) 555-01\d\d", row.phone) for row in after)
    assert not any(row.phone[:6] in ("(212) ", "(646) ") for row in after)
    assert all(" of " in row.name for row in after)  # long names stay long
    assert pii("scan").code == 0


@pytest.mark.slow  # a volume test, like the larger profiles: about 10 s
def test_100k_distinct_emails_into_a_unique_column(
    database_at_schema_head: URL, engine: sa.Engine, pii: Pii
) -> None:
    with engine.begin() as connection:
        stamp(connection, "development", "stamp-environment")
        connection.execute(
            sa.text(
                "insert into users (open_id, email) select 'idp|' || g, "
                "'person' || g || '@corp' || (g % 1000) || '.com' from generate_series(1, 100000) g"
            )
        )
        connection.execute(sa.text("create unique index uq_users_email on users (email)"))
    result = pii("mask", "--batch-size", "20000", env=KEYED)
    assert result.code == 0, result.out + result.err
    with engine.connect() as connection:
        distinct, rows, unreserved = connection.execute(
            sa.text(
                "select count(distinct email), count(*), "
                "count(*) filter (where email not like '%@example.___') from users"
            )
        ).one()
    assert distinct == rows == 100_000 and unreserved == 0


def test_mask_is_all_or_nothing(seeded: sa.Engine, pii: Pii) -> None:
    """users is masked before clients; a failure in clients leaves users as it was."""
    plant(seeded)
    with seeded.begin() as connection:
        connection.execute(
            sa.text(
                "alter table clients add constraint ck_real_domains "
                "check (email not like '%example%') not valid"
            )
        )
    before = snapshot(seeded)
    result = pii("mask", env=KEYED)
    assert result.code == 2
    assert len(result.failed_lines) == 1
    assert "CheckViolation" in result.err and "ck_real_domains" in result.err
    assert "Nothing was masked" in result.err
    assert_quiet(result)
    assert snapshot(seeded) == before
    with seeded.connect() as connection:
        assert (
            connection.scalar(sa.text("select outcome from seed_runs where command = 'mask'"))
            == "failed"
        )


def test_mask_reports_what_it_cannot_reach(seeded: sa.Engine, pii: Pii) -> None:
    """Registered columns missing from the database are skipped and named; real-looking
    values in columns that are not registered make the scan afterwards, and the exit
    code, say so."""
    with seeded.begin() as connection:
        connection.execute(sa.text("alter table lots drop column notes"))
        connection.execute(
            sa.text("update brands set description = 'ask bob@acme.io' where id = 1")
        )
    result = pii("mask", env=KEYED)
    assert result.code == 1, result.out + result.err
    assert "not in this database (skipped): lots.notes" in result.out
    assert "brands.description: 1 suspicious value(s) (e-mail)" in result.out
    assert "clean or register them" in result.out
    assert "acme" not in result.out + result.err


def test_mask_waits_for_the_seeding_lock(seeded: sa.Engine, pii: Pii) -> None:
    plant(seeded)
    before = snapshot(seeded)
    with seeded.connect() as holder:
        holder.execute(
            sa.text("select pg_advisory_lock(:n, :i)"), {"n": LOCK_NAMESPACE, "i": LOCK_ID}
        )
        holder.commit()
        result = pii("mask", env={**KEYED, "SEED_LOCK_TIMEOUT": "0.3"})
    assert result.code == 2 and "another run holds the seeding lock" in result.err
    assert snapshot(seeded) == before


def test_mask_refuses_what_it_cannot_mask(alembic: InProcess, engine: sa.Engine, pii: Pii) -> None:
    empty = pii("mask")
    assert empty.code == 2 and "holds none of TERP's tables" in empty.err
    alembic.upgrade("schema@head")
    with engine.begin() as connection:
        stamp(connection, "development", "stamp-environment")
        connection.execute(sa.text("alter table lots drop constraint pk_lots"))
    assert "lots in batches: it has no single-column primary key" in pii("mask").err
    with engine.begin() as connection:
        connection.execute(sa.text("alter table lots add primary key (id)"))
        connection.execute(sa.text("alter table lots alter column notes type integer using null"))
    result = pii("mask")
    assert (
        result.code == 2 and "cannot mask lots.notes: it is integer, not a text type" in result.err
    )


def test_the_command_line(seeded: sa.Engine, database_url: URL) -> None:
    plant(seeded)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return seed_data_command(*args)

    scan = run("scan", "--database-url", render(database_url))
    assert scan.returncode == 1 and "clients.email: 1 suspicious value(s) (e-mail)" in scan.stdout
    unconfirmed = run("mask", "--database-url", render(database_url))
    assert unconfirmed.returncode == 2
    assert f"repeat with --confirm-database {database_url.database}" in unconfirmed.stderr
    masked = run(
        "mask",
        "--database-url",
        render(database_url),
        "--confirm-database",
        str(database_url.database),
    )
    assert masked.returncode == 0, masked.stdout + masked.stderr
    assert "random key" in masked.stdout
    for output in (scan, masked):
        assert not any(value in output.stdout + output.stderr for value in PLANTED_VALUES)
    assert run("mask", "--batch-size", "0").returncode == 2  # argparse: usage error
    inventory = run("pii-inventory")
    assert inventory.returncode == 0
    assert inventory.stdout == (PROJECT_ROOT / "docs" / "pii-inventory.md").read_text()


@pytest.mark.parametrize("confirm", [None, "some_other_database"])
def test_mask_needs_the_database_name_typed_out(
    seeded: sa.Engine, pii: Pii, confirm: str | None
) -> None:
    plant(seeded)
    before = snapshot(seeded)
    argv = ("mask",) if confirm is None else ("mask", "--confirm-database", confirm)
    result = pii(*argv, env={"SEED_CONFIRM": ""} if confirm is None else {})
    assert result.code == 2 and len(result.failed_lines) == 1, result.err
    given = "names another database" if confirm else "is missing"
    assert f"cannot be undone, and the confirmation {given}: repeat with --confirm-database" in (
        result.err
    )
    assert snapshot(seeded) == before
    # SEED_CONFIRM is the same confirmation, for scripts
    assert pii("mask", env={"SEED_CONFIRM": str(seeded.url.database)}).code == 0


def test_mask_refuses_a_database_whose_environment_was_never_stated(
    alembic: InProcess, engine: sa.Engine, pii: Pii
) -> None:
    """TERP's real production is built by the app: no alembic_version, no stamp. And a
    stamp written from a default, or before sources were recorded, says nothing."""
    alembic.upgrade("seed@head")  # stamped development, by default
    with engine.begin() as connection:
        assert connection.scalar(sa.text("select source from seed_environment")) == "default"
    plant(engine)
    defaulted = pii("mask")
    assert defaulted.code == 2
    assert "is stamped development only by default (no SEED_ENV was given)" in defaulted.err
    assert "stamp-environment staging --confirm-database" in defaulted.err

    with engine.begin() as connection:  # as the app builds it: no stamp, no alembic_version
        connection.execute(sa.text("drop table seed_environment, alembic_version"))
    before = snapshot(engine)
    unstamped = pii("mask")
    assert unstamped.code == 2 and "has no environment stamp" in unstamped.err
    assert snapshot(engine) == before

    database = str(engine.url.database)
    stated = seed_data_command(
        "stamp-environment",
        "development",
        "--confirm-database",
        database,
        env={"DATABASE_URL": render(engine.url)},
    )
    assert stated.returncode == 0, stated.stderr
    assert stated.stdout.endswith("unstamped -> development\n")
    assert pii("mask").code == 0

    with engine.begin() as connection:  # a stamp from before sources were recorded
        connection.execute(sa.text("alter table seed_environment drop column source"))
    legacy = pii("mask")
    assert legacy.code == 2 and "but nothing records who said so" in legacy.err


def test_the_first_stamp_records_where_its_environment_came_from(
    cli: Cli, engine: sa.Engine
) -> None:
    assert cli("upgrade", "schema@head", env={"SEED_ENV": "staging"}).returncode == 0
    with engine.connect() as connection:
        row = connection.execute(sa.text("select environment, source from seed_environment")).one()
    assert tuple(row) == ("staging", "SEED_ENV")


def last_mask_run(engine: sa.Engine) -> sa.Row[tuple[object, ...]]:
    with engine.connect() as connection:
        return connection.execute(
            sa.text(
                "select outcome, error, who, database_user, client_address, application_name "
                "from seed_runs where direction = 'mask' order by id desc limit 1"
            )
        ).one()


@pytest.mark.parametrize(
    ("env", "argv", "expected"),
    [
        ({"SEED_ENV": "production"}, (), "SEED_ENV says production"),
        ({"SEED_ENV": "staging"}, (), "SEED_MASKING_KEY is not set"),
        ({"SEED_MASKING_KEY": "a" * 40}, (), "bits of randomness"),
        ({}, ("--confirm-database", "elsewhere"), "the confirmation names another database"),
    ],
)
def test_every_mask_refusal_is_recorded(
    seeded: sa.Engine, pii: Pii, env: dict[str, str], argv: tuple[str, ...], expected: str
) -> None:
    result = pii("mask", *argv, env=env)
    assert result.code == 2 and expected in result.err
    run = last_mask_run(seeded)
    assert run.outcome == "refused" and expected in str(run.error)
    assert "a" * 40 not in str(run.error)
    # what the server knows of the session, beside what the process says of itself
    assert run.database_user == seeded.url.username and run.application_name == "terp-seed"
    assert "@" in str(run.who)


def test_a_mask_lock_timeout_is_recorded(seeded: sa.Engine, pii: Pii) -> None:
    with seeded.connect() as holder:
        holder.execute(
            sa.text("select pg_advisory_lock(:n, :i)"), {"n": LOCK_NAMESPACE, "i": LOCK_ID}
        )
        holder.commit()
        result = pii("mask", env={"SEED_LOCK_TIMEOUT": "0"})
    assert result.code == 2 and "another run holds the seeding lock" in result.err
    run = last_mask_run(seeded)
    assert run.outcome == "failed" and "another run holds the seeding lock" in str(run.error)


def test_mask_logs_one_line_per_event(seeded: sa.Engine, database_url: URL) -> None:
    database = str(database_url.database)
    env = {"DATABASE_URL": render(database_url), "SEED_LOG_FORMAT": "json", **KEYED}
    result = seed_data_command("mask", "--confirm-database", database, env=env)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [event["event"] for event in events]
    assert (
        kinds.count("seed_mask_table") == len(PROJECT.pii_tables())
        and kinds.count("seed_mask") == 1
    )
    done = next(event for event in events if event["event"] == "seed_mask")
    assert done["outcome"] == "success" and done["database"] == database
    assert KEY not in result.stdout + result.stderr


def test_a_scan_that_fails_after_masking_says_the_masking_committed(
    seeded: sa.Engine, pii: Pii, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(connection: sa.Connection) -> None:
        raise ValueError("gw 010.001.002.003")  # an internal error quoting a value

    monkeypatch.setattr(scanner, "scan", broken)
    result = pii("mask", env=KEYED)
    assert result.code == 2
    assert result.failed_lines == [
        "FAILED: mask committed, but the scan afterwards could not run (ValueError): run "
        "`python -m seed_data scan` on it"
    ]
    assert "010.001" not in result.out + result.err
    assert "rewritten" in result.out  # the summary of what was masked came first

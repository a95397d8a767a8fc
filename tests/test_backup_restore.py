"""A seed downgrade in staging or production first writes exactly what it deletes;
`python -m seed_data restore` puts it back exactly, and a later downgrade undoes the
restored rows as if they had never left. Restore refuses, writing nothing, where the
backup does not fit."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from tests.conftest import SEED_HEAD, Cli, contents, render, seed_data_command, versions


@pytest.fixture
def staging(database_seeded_small: URL, tmp_path: Path) -> dict[str, str]:
    """A small seed; the variables a confirmed downgrade in staging needs."""
    return {
        "SEED_ENV": "staging",
        "SEED_CONFIRM": str(database_seeded_small.database),
        "SEED_BACKUP_DIR": str(tmp_path / "backups"),
    }


def restore(database_url: URL, *args: str) -> tuple[int, str, str]:
    result = seed_data_command("restore", *args, env={"DATABASE_URL": render(database_url)})
    return result.returncode, result.stdout, result.stderr


def the_backup(env: dict[str, str]) -> Path:
    (path,) = Path(env["SEED_BACKUP_DIR"]).iterdir()
    return path


def test_backup_then_restore_puts_everything_back_exactly(
    staging: dict[str, str], cli: Cli, database_url: URL, engine: sa.Engine
) -> None:
    before = contents(database_url)
    down = cli("downgrade", "seed@-3", env=staging)
    assert down.returncode == 0, down.stderr
    backup = the_backup(staging)
    assert f"backup: {backup} (554 rows" in down.stdout
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["revisions"] == ["seed_0010", "seed_0009", "seed_0008"]
    assert manifest["alembic_version_before"] == [SEED_HEAD]
    assert {entry["table"]: entry["rows"] for entry in manifest["tables"]} == {
        "inventory_movements": 221,
        "payments": 85,
        "invoice_line_items": 180,
        "invoices": 68,
    }
    with engine.connect() as connection:
        recorded = connection.scalar(
            sa.text("select backup from seed_runs where direction = 'downgrade'")
        )
    assert recorded == str(backup)
    after_downgrade = contents(database_url)
    assert after_downgrade != before

    code, out, err = restore(database_url, str(backup))
    assert code == 0, err
    assert out.startswith("restore: 554 rows of seed_0008, seed_0009, seed_0010 back in ")
    assert contents(database_url) == before  # every column of every row, ids included
    assert versions(engine) == {SEED_HEAD}
    valid = seed_data_command("validate", env={"DATABASE_URL": render(database_url)})
    assert valid.returncode == 0, valid.stdout

    again = cli("downgrade", "seed@-3", env=staging)
    assert again.returncode == 0, again.stderr
    assert contents(database_url) == after_downgrade


def test_restore_refuses_a_taken_id(
    staging: dict[str, str], cli: Cli, database_url: URL, engine: sa.Engine
) -> None:
    assert cli("downgrade", "seed@-1", env=staging).returncode == 0
    with engine.connect() as connection:
        batch = connection.scalar(sa.text("select min(id) from batches"))
    manifest = json.loads((the_backup(staging) / "manifest.json").read_text())
    taken = int(manifest["tables"][0]["id_ranges"].strip("{[").split(",")[0])
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "insert into inventory_movements (id, batch_id, movement_type, quantity_change,"
                " quantity_before, quantity_after, performed_by, created_at) "
                "select :id, :batch, 'ADJUSTMENT', 1, 0, 1, 1, now()"
            ),
            {"id": taken, "batch": batch},
        )
    before = contents(database_url)
    code, _, err = restore(database_url, str(the_backup(staging)))
    assert code == 2
    assert err.startswith(f"FAILED: inventory_movements id {taken} is taken by a row")
    assert contents(database_url) == before
    assert versions(engine) == {"seed_0009"}


def test_restore_refuses_a_drifted_schema_and_another_database(
    staging: dict[str, str], cli: Cli, database_url: URL, engine: sa.Engine
) -> None:
    assert cli("downgrade", "seed@-1", env=staging).returncode == 0
    backup = the_backup(staging)
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["database"] = "terp_production_copy"
    manifest_path.write_text(json.dumps(manifest))
    code, _, err = restore(database_url, str(backup))
    assert code == 2 and "the backup comes from database 'terp_production_copy'" in err
    assert f"--into-database {database_url.database}" in err

    with engine.begin() as connection:
        connection.execute(sa.text("alter table inventory_movements add column extra text"))
    code, _, err = restore(database_url, str(backup), "--into-database", str(database_url.database))
    assert code == 2 and "the schema has drifted" in err and "inventory_movements" in err
    assert versions(engine) == {"seed_0009"}
    with engine.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from inventory_movements")) == 0


def test_a_backup_that_cannot_be_written_deletes_nothing(
    staging: dict[str, str], cli: Cli, database_url: URL, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    before = contents(database_url)
    result = cli("downgrade", "seed@-1", env={**staging, "SEED_BACKUP_DIR": str(blocker)})
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"FAILED: cannot write the backup to {blocker}: ")
    assert "Nothing was deleted" in line
    assert contents(database_url) == before


def test_a_dry_run_says_where_the_backup_would_go(
    staging: dict[str, str], cli: Cli, database_url: URL
) -> None:
    before = contents(database_url)
    result = cli("-x", "dry_run=true", "downgrade", "seed@-1", env=staging)
    assert result.returncode == 0, result.stderr
    assert f"backup: would be written to {staging['SEED_BACKUP_DIR']}/" in result.stdout
    assert "downgrade seed_0010: deleted 221 rows" in result.stdout
    assert not Path(staging["SEED_BACKUP_DIR"]).exists()
    assert contents(database_url) == before


@pytest.mark.parametrize("opt_in", [False, True])
def test_development_backs_up_only_when_asked(cli: Cli, tmp_path: Path, opt_in: bool) -> None:
    env = {"SEED_BACKUP_DIR": str(tmp_path / "backups")}
    if opt_in:
        env["SEED_BACKUP"] = "yes"
    assert cli("upgrade", "seed@head", env=env).returncode == 0
    assert cli("downgrade", "seed@-1", env=env).returncode == 0
    assert (tmp_path / "backups").exists() is opt_in


def test_a_damaged_backup_and_a_downgrade_to_base(
    staging: dict[str, str], cli: Cli, database_url: URL, engine: sa.Engine
) -> None:
    before = contents(database_url)
    assert cli("downgrade", "seed@base", env=staging).returncode == 0
    backup = the_backup(staging)
    code, _, err = restore(database_url, str(backup))
    assert code == 2 and "run `alembic upgrade seed_0001` first" in err
    assert cli("upgrade", "seed_0001", env=staging).returncode == 0

    movements = backup / "seed_0010.inventory_movements.copy.gz"
    good = movements.read_bytes()
    movements.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    code, _, err = restore(database_url, str(backup))
    assert code == 2 and "does not match its checksum" in err
    movements.write_bytes(good)

    code, _, err = restore(database_url, str(backup))
    assert code == 0, err
    assert contents(database_url) == before
    assert versions(engine) == {SEED_HEAD}

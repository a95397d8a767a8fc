"""What a person sees: short text lines by default, JSON lines on request, one line for a
run with nothing to do, and a refusal for a dataset the database does not hold."""

import json
import re

import sqlalchemy as sa

from tests.conftest import SEED_HEAD, Cli, versions


def last_run(engine: sa.Engine) -> sa.Row[tuple[object, ...]]:
    with engine.connect() as connection:
        return connection.execute(
            sa.text(
                "select outcome, duration_seconds, profile, random_seed, direction "
                "from seed_runs order by id desc limit 1"
            )
        ).one()


def test_a_default_run_prints_short_human_lines(cli: Cli, engine: sa.Engine) -> None:
    result = cli("upgrade", "seed@head")
    assert result.returncode == 0, result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    assert all(len(line) < 200 for line in lines), max(lines, key=len)
    assert not any(line.lstrip().startswith("{") for line in lines)
    assert "Running upgrade seed_0006 -> seed_0007" in result.stderr
    assert "Context impl" not in result.stderr
    summary = result.stdout
    assert "upgrade seed_0007: inserted 291 rows" in summary
    assert re.search(r"order_line_items\s+211\n", summary)
    # the summary's time and the audit's duration are one measurement of one span
    seconds = re.search(r"random seed 42, environment development, (\d+\.\d\d) s in all", summary)
    assert seconds is not None
    recorded = last_run(engine)
    assert recorded.outcome == "success"
    assert abs(float(recorded.duration_seconds) - float(seconds.group(1))) <= 0.006


def test_counts_have_thousands_separators(cli: Cli) -> None:
    result = cli("-x", "dry_run=YES", "-x", "profile=Medium", "upgrade", "seed@head")
    assert result.returncode == 0, result.stderr
    assert "dry run: nothing written; profile medium, random seed 42" in result.stdout
    assert "upgrade seed_0007: inserted 17,638 rows" in result.stdout
    assert re.search(r"orders\s+4,400\n", result.stdout)


def test_json_lines_on_request(cli: Cli, engine: sa.Engine) -> None:
    result = cli("upgrade", "seed@head", env={"SEED_LOG_FORMAT": "json"})
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.stderr == ""
    assert all({"time", "level", "message", "event"} <= set(event) for event in events)
    kinds = [event["event"] for event in events]
    assert kinds.count("seed_revision") == 9 and kinds[-1] == "seed_run"
    assert any("Running upgrade seed_0001 -> seed_0002" in event["message"] for event in events)
    assert events[-1]["outcome"] == "success"
    assert last_run(engine).outcome == "success"  # the audit row is written either way


def test_quiet_prints_nothing_but_failures(cli: Cli, engine: sa.Engine) -> None:
    quiet = cli("-q", "upgrade", "seed@head")
    assert quiet.returncode == 0
    assert (quiet.stdout, quiet.stderr) == ("", "")
    assert versions(engine) == {SEED_HEAD}
    failing = cli("-q", "-x", "profile=large", "upgrade", "seed@head")
    assert failing.returncode == 1
    assert failing.stderr.startswith("FAILED: ") and len(failing.stderr.splitlines()) == 1


def test_a_run_with_nothing_to_do_says_so_in_one_line(cli: Cli) -> None:
    assert cli("-x", "random_seed=7", "upgrade", "seed@head").returncode == 0
    again = cli("upgrade", "seed@head")
    assert again.returncode == 0
    assert again.stdout == (
        f"nothing to do: the database is already at {SEED_HEAD}; it holds seed data of "
        "profile small, random seed 7\n"
    )
    down = cli("downgrade", "seed@base")
    assert down.returncode == 0
    nothing = cli("downgrade", "seed@base")
    assert nothing.stdout == (
        "nothing to do: the database is already at schema_0003; it holds no seed data\n"
    )


def test_another_dataset_is_refused_and_an_unasked_one_follows_the_database(
    cli: Cli, engine: sa.Engine
) -> None:
    assert cli("-x", "random_seed=7", "upgrade", "seed_0005").returncode == 0
    refused = cli("-x", "profile=medium", "upgrade", "seed@head")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"FAILED: database {engine.url.database!r} holds seed data of profile small, random "
        "seed 7, and this run asks for profile medium: to reseed, run `alembic downgrade "
        "seed@base` first, then `alembic -x profile=medium upgrade seed@head`"
    ]
    assert versions(engine) == {"seed_0005"}
    # the schema branch does not care which dataset the database holds
    schema = cli("-x", "profile=medium", "upgrade", "schema@head")
    assert schema.returncode == 0, schema.stderr
    # no profile or random seed asked for: the run continues the database's dataset
    continued = cli("upgrade", "seed@head")
    assert continued.returncode == 0, continued.stderr
    assert "profile small, random seed 7" in continued.stdout
    assert versions(engine) == {SEED_HEAD}

"""The Railway pre-deploy command (`scripts/release`, railway.json's preDeployCommand).

The schema always migrates, and a failed schema migration fails the release: the new
code needs its tables. Seed data runs only when SEED_ON_RELEASE is true, and a failed or
refused seed is logged loudly but does not block the deploy (each seed revision is
atomic, so the database is as it was), unless SEED_RELEASE_STRICT is true.

Both flags are read by the same parser as every other boolean (seed_data.settings), and a
value that is not a boolean stops the release before anything runs. The Alembic runs log
JSON lines (SEED_LOG_FORMAT=json, unless set otherwise) for Railway's log search. SIGTERM
and SIGINT are passed on to the running migration, which rolls back and says so."""

import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from types import FrameType

from seed_data.errors import ConfigurationError
from seed_data.output import failed
from seed_data.settings import PROJECT_ROOT, bool_setting, load_environment

EXIT_CONFIGURATION = 2


def say(line: str) -> None:
    print(f"release: {line}", flush=True)


def alembic(*args: str, env: Mapping[str, str]) -> int:
    """Run the Alembic command line; signals to this process go on to it. Returns its exit
    code, 128 + N when a signal N ended it."""
    child = subprocess.Popen(
        [sys.executable, "-m", "alembic", "-c", str(PROJECT_ROOT / "alembic.ini"), *args],
        cwd=PROJECT_ROOT,
        env=dict(env),
    )

    def forward(signum: int, frame: FrameType | None) -> None:
        child.send_signal(signum)

    previous = {
        signum: signal.signal(signum, forward) for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        code = child.wait()
        return 128 - code if code < 0 else code
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main() -> int:
    try:
        env = load_environment()
        seed = bool_setting(env, "SEED_ON_RELEASE")
        strict = bool_setting(env, "SEED_RELEASE_STRICT")
    except ConfigurationError as error:
        failed(f"{error}; nothing was run")
        return EXIT_CONFIGURATION
    child_env = dict(os.environ)
    if not child_env.get("SEED_LOG_FORMAT", "").strip():
        child_env["SEED_LOG_FORMAT"] = "json"

    say("alembic upgrade schema@head")
    code = alembic("upgrade", "schema@head", env=child_env)
    if code != 0:
        failed(f"release: schema migration failed (exit {code}); the deploy must not go live")
        return code if code > 128 else 1
    if not seed:
        say("seed skipped (SEED_ON_RELEASE is not true)")
        return 0

    say("alembic upgrade seed@head")
    code = alembic("upgrade", "seed@head", env=child_env)
    if code == 0:
        say("seed done")
        return 0
    if code > 128:  # stopped by a signal: the release was stopped, not the seed refused
        return code
    if strict:
        failed(
            f"release: seed failed (exit {code}) and SEED_RELEASE_STRICT is true; "
            "the deploy must not go live"
        )
        return code if code > 128 else 1
    print(
        "release: WARNING: SEED FAILED; the database is as it was before the seed. "
        "The deploy goes on (set SEED_RELEASE_STRICT=true to block it).",
        file=sys.stderr,
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

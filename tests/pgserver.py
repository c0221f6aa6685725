"""A throw-away PostgreSQL server for tests: `with postgres_server() as url: ...`.

Finds the server binaries (/usr/lib/postgresql/*/bin or PATH), initdb's a cluster in a temporary
directory, starts it on 127.0.0.1 on a free port (unix socket inside the temp dir, fsync off),
creates a database and yields its `postgresql://` URL; stops the server and removes the directory
on exit. PostgreSQL refuses to run as root, so as root every server command runs as the
`postgres` user through `runuser`.

Raises `PostgresUnavailable` when the binaries (or the postgres user, when root) are missing, so
callers can `pytest.skip`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SUPERUSER = "xiangli"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries (or no way to run them) on this machine."""


def find_bindir() -> Path:
    """The directory holding initdb and pg_ctl (the newest installed version first)."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    if which := shutil.which("pg_ctl"):
        candidates.append(str(Path(which).parent))
    for directory in candidates:
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (apt-get install postgresql); looked in "
        "/usr/lib/postgresql/*/bin and PATH"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runner() -> tuple[list[str], int | None, int | None]:
    """The command prefix to run server commands, and the uid/gid to own the files (root)."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root and there is no `postgres` user") from None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root and `runuser` is missing")
    return [runuser, "-u", "postgres", "--"], user.pw_uid, user.pw_gid


def _run(prefix: list[str], *cmd: str | Path) -> None:
    result = subprocess.run(
        [*prefix, *map(str, cmd)], capture_output=True, text=True, timeout=120, cwd="/"
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{cmd[0]} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )


def create_database(url: str, name: str) -> str:
    """Create another database on the server of `url`; return its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


@contextmanager
def postgres_server(dbname: str = "xiangli") -> Iterator[str]:
    """Run a private PostgreSQL server for the duration of the block; yield a database URL."""
    bindir = find_bindir()
    prefix, uid, gid = _runner()
    root = Path(tempfile.mkdtemp(prefix="xiangli-pg-"))
    data = root / "data"
    log = root / "server.log"
    started = False
    try:
        if uid is not None:
            os.chown(root, uid, gid)  # type: ignore[arg-type]
        _run(
            prefix,
            bindir / "initdb",
            "-D",
            data,
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        port = free_port()
        options = (
            f"-h 127.0.0.1 -p {port} -k {root} -F "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=50"
        )
        _run(
            prefix,
            bindir / "pg_ctl",
            "-D",
            data,
            "-o",
            options,
            "-l",
            log,
            "-w",
            "-t",
            "60",
            "start",
        )
        started = True
        url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
        yield create_database(url, dbname)
    finally:
        if started:
            try:
                _run(prefix, bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    with postgres_server() as database_url:
        print(database_url)

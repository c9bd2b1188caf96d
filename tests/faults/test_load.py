"""A minute of load on the deployed stack: gunicorn (2 workers, production settings) on the test
database, a real Celery worker, Redis. Twenty clients on the loopback read threads, claims,
readings and conflicts, create readings, vote, and (four reviewers) review conflicts.

Afterwards: no 5xx, every acknowledged write is in the database as acknowledged, and once the
outbox has drained the full rescan finds nothing the incremental jobs had not found."""

import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from rest_framework.authtoken.models import Token

from apps.accounts.roles import REVIEWERS_GROUP
from apps.annotations.models import Reading, Vote
from apps.conflicts.models import ConflictReview
from apps.core.models import OutboxJob
from tests.celery_worker import (
    PROJECT_ROOT,
    CeleryWorker,
    database_url,
    free_port,
    stop_process,
)
from tests.factories import make_claim, make_definition, make_reading, make_term, make_thread
from tests.faults.conftest import assert_rescan_agrees, wait_until

pytestmark = [
    pytest.mark.faults,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOAD_SECONDS = float(os.environ.get("SENSEMAP_LOAD_SECONDS", "60"))
ANNOTATORS, REVIEWERS = 16, 4
THREADS, COMMENTS, TERMS, SENSES = 4, 5, 5, 3
REQUEST_TIMEOUT_S = 30


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-20_000:]


@pytest.fixture
def gunicorn_server(transactional_db, settings, tmp_path: Path) -> Iterator[Server]:
    """gunicorn as deployed (production settings, 2 sync workers) on the test database."""
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # Several workers share one throttle count only through Redis, as deployed.
        "CACHE_URL": settings.CELERY_BROKER_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--workers=2",
        "--error-logfile=-",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(port, process, log_path)
    try:
        wait_until(
            lambda: process.poll() is not None or _answers(port),
            30,
            "gunicorn did not answer",
            poll=0.2,
        )
        assert process.poll() is None, f"gunicorn exited:\n{server.log()}"
        # Each worker's first requests import and connect: not what the figures are about.
        warm_up = Client(port, token=None, forwarded_for="127.0.0.1")
        for _ in range(10):
            warm_up.get("/api/threads/")
        yield server
    finally:
        stop_process(process)


def _answers(port: int) -> bool:
    try:
        status, _ = Client(port, token=None, forwarded_for="127.0.0.1").get("/api/workspaces/")
    except OSError:
        return False
    return status == 200


class Client:
    """One API client on its own connection, as a browser behind the TLS proxy would be."""

    def __init__(self, port: int, token: str | None, forwarded_for: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
        # What the TLS-terminating proxy in front of gunicorn adds (docker-compose.yml).
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": forwarded_for}
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, Any]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # a fresh connection for the next request
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        payload = (
            json.loads(raw) if raw and "json" in response.getheader("Content-Type", "") else None
        )
        return response.status, payload

    def get(self, path: str) -> tuple[int, Any]:
        return self.request("GET", path)

    def post(self, path: str, body: dict) -> tuple[int, Any]:
        return self.request("POST", path, body)


@dataclass
class Ledger:
    """What the server acknowledged, and how every request went. Shared by the client threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    # (operation, status, seconds)
    requests: list[tuple[str, int, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    readings: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    # (user id, reading id) -> the last acknowledged vote; 0 means withdrawn
    votes: dict[tuple[int, int], int] = field(default_factory=dict)
    # (conflict id, actor id, action, note, status it led to)
    reviews: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    reading_ids: list[int] = field(default_factory=list)


@dataclass
class World:
    threads: list[int]
    claims: list[int]
    senses: dict[int, list[int]]  # term -> its definitions


def seed(annotator, other) -> World:
    """Threads with a claim on every comment, terms with three senses each, and two readings
    per thread and term that disagree: conflicts for the reviewers from the start."""
    threads, claims, senses = [], [], {}
    terms = []
    for n in range(TERMS):
        term = make_term(annotator, f"load term {n}")
        terms.append(term)
        senses[term.id] = [
            make_definition(annotator, term, f"Sense {s} of load term {n}: {text}").id
            for s, text in enumerate(
                ("what the training data rewards", "what infinite data would reward", "neither")
            )
        ]
    for n in range(THREADS):
        thread = make_thread(
            texts=tuple(f"Comment {c} of load thread {n} uses every term." for c in range(COMMENTS))
        )
        threads.append(thread.id)
        thread_claims = [make_claim(annotator, c) for c in thread.comments.order_by("position")]
        claims.extend(c.id for c in thread_claims)
        for term in terms:
            first, second = term.definitions.order_by("id")[:2]
            make_reading(annotator, thread_claims[0], first)
            make_reading(other, thread_claims[1], second)
    return World(threads, claims, senses)


def run_client(
    port: int,
    user_id: int,
    token: str,
    reviewer: bool,
    index: int,
    world: World,
    ledger: Ledger,
    stop_at: float,
) -> None:
    rng = random.Random(index)
    client = Client(port, token, forwarded_for=f"127.0.0.{index + 10}")
    sent = 0
    while time.monotonic() < stop_at:
        sent += 1
        started = time.monotonic()
        try:
            operation, status = act(
                client, rng, user_id, reviewer, world, ledger, f"{index}-{sent}"
            )
        except (OSError, http.client.HTTPException, ValueError) as error:
            with ledger.lock:
                ledger.failures.append(f"client {index}: {type(error).__name__}: {error}")
            continue
        with ledger.lock:
            ledger.requests.append((operation, status, time.monotonic() - started))


def act(
    client: Client,
    rng: random.Random,
    user_id: int,
    reviewer: bool,
    world: World,
    ledger: Ledger,
    tag: str,
) -> tuple[str, int]:
    """One request; returns what it was and its status. Acknowledged writes go in the ledger."""
    roll = rng.random()
    thread = rng.choice(world.threads)
    if reviewer and roll < 0.6:
        status, page = client.get(f"/api/conflicts/?thread={thread}&page_size=50")
        if status != 200 or not page["results"]:
            return "conflict list", status
        conflict = rng.choice(page["results"])
        action = {
            "open": rng.choice(["confirm", "dismiss", "resolve"]),
            "confirmed": rng.choice(["dismiss", "resolve"]),
            "dismissed": "reopen",
            "resolved": "reopen",
        }.get(conflict["status"])
        if action is None:  # obsolete: nothing to review
            return "conflict list", status
        note = f"load review {tag}"
        status, body = client.post(
            f"/api/conflicts/{conflict['id']}/review/", {"action": action, "note": note}
        )
        if status == 200:
            with ledger.lock:
                ledger.reviews.append((conflict["id"], user_id, action, note, body["status"]))
        return "review", status
    if not reviewer and roll < 0.2:
        term = rng.choice(list(world.senses))
        body = {
            "claim": rng.choice(world.claims),
            "term": term,
            "definition": rng.choice(world.senses[term]),
        }
        status, created = client.post("/api/readings/", body)
        if status == 201:
            with ledger.lock:
                ledger.readings[created["id"]] = (
                    body["claim"],
                    body["term"],
                    body["definition"],
                    user_id,
                )
                ledger.votes[(user_id, created["id"])] = 1  # a reading starts with its +1
                ledger.reading_ids.append(created["id"])
        return "create reading", status
    if not reviewer and roll < 0.5:
        with ledger.lock:
            reading = rng.choice(ledger.reading_ids)
        value = rng.choice([1, 1, -1, 0])
        status, body = client.post(f"/api/readings/{reading}/vote/", {"value": value})
        if status == 200:
            with ledger.lock:
                ledger.votes[(user_id, reading)] = value
                if body["my_vote"] != value:
                    ledger.failures.append(f"vote {value} on {reading} answered {body}")
        return "vote", status
    path = rng.choice(
        [
            "/api/threads/?page_size=20",
            f"/api/threads/{thread}/",
            f"/api/claims/?thread={thread}",
            f"/api/readings/?thread={thread}",
            f"/api/conflicts/?thread={thread}",
        ]
    )
    status, _ = client.get(path)
    return "read", status


def percentile(latencies: list[float], p: int) -> float:
    """The p-th percentile, in milliseconds."""
    if len(latencies) < 2:
        return latencies[0] * 1000
    return statistics.quantiles(latencies, n=100, method="inclusive")[p - 1] * 1000


def test_a_minute_of_load_loses_no_write_and_detection_keeps_up(
    celery_live: CeleryWorker, gunicorn_server: Server, django_user_model, capsys
):
    annotators = [
        django_user_model.objects.create_user(f"annotator-{n:02d}") for n in range(ANNOTATORS)
    ]
    reviewers = [django_user_model.objects.create_user(f"reviewer-{n}") for n in range(REVIEWERS)]
    Group.objects.get(name=REVIEWERS_GROUP).user_set.add(*reviewers)
    world = seed(annotators[0], annotators[1])
    ledger = Ledger(reading_ids=list(Reading.objects.values_list("id", flat=True)))
    seeded_reviews = ConflictReview.objects.filter(actor__isnull=False).count()

    stop_at = time.monotonic() + LOAD_SECONDS
    clients = [
        threading.Thread(
            target=run_client,
            args=(
                gunicorn_server.port,
                user.id,
                Token.objects.create(user=user).key,
                user in reviewers,
                index,
                world,
                ledger,
                stop_at,
            ),
        )
        for index, user in enumerate(annotators + reviewers)
    ]
    started = time.monotonic()
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=LOAD_SECONDS + 2 * REQUEST_TIMEOUT_S)
    elapsed = time.monotonic() - started
    assert not any(client.is_alive() for client in clients), "a client never finished"

    statuses = Counter(status for _, status, _ in ledger.requests)
    assert not ledger.failures, ledger.failures[:10]
    assert not [s for s in statuses if s >= 500], f"{statuses}\n{gunicorn_server.log()}"

    drain_started = time.monotonic()
    wait_until(
        lambda: not OutboxJob.objects.exists(),
        120,
        f"the outbox did not drain: {list(OutboxJob.objects.values('key', 'attempts'))[:10]}"
        f"\n{celery_live.log()}",
        poll=0.5,
    )
    drain_seconds = time.monotonic() - drain_started

    # Every acknowledged reading, as acknowledged.
    stored = {
        r[0]: r[1:]
        for r in Reading.objects.filter(id__in=ledger.readings).values_list(
            "id", "claim", "term", "definition", "created_by"
        )
    }
    assert stored == ledger.readings
    # Every acknowledged vote is the user's vote now (a withdrawn one is gone)...
    votes = {
        (user, reading): value
        for user, reading, value in Vote.objects.values_list("user", "reading", "value")
    }
    assert {key: votes.get(key, 0) for key in ledger.votes} == ledger.votes
    # ...and every tally equals a recount.
    for reading in Reading.objects.all():
        recount = Counter(v for (_, r), v in votes.items() if r == reading.id)
        assert (reading.votes_up, reading.votes_down) == (recount[1], recount[-1]), reading.id
    # Every acknowledged review is in the history, and nothing else a person did is.
    history = set(
        ConflictReview.objects.filter(actor__isnull=False).values_list(
            "conflict", "actor", "action", "note", "to_status"
        )
    )
    assert set(ledger.reviews) <= history
    assert len(history) == len(ledger.reviews) + seeded_reviews

    # Detection kept up: the full rescan finds no conflict the jobs had not found.
    conflicts = assert_rescan_agrees()

    latencies = [seconds for _, _, seconds in ledger.requests]
    operations = Counter(operation for operation, _, _ in ledger.requests)
    by_operation = {
        operation: [s for o, _, s in ledger.requests if o == operation] for operation in operations
    }
    acknowledged_votes = sum(
        1 for operation, status, _ in ledger.requests if (operation, status) == ("vote", 200)
    )
    per_operation = ", ".join(
        f"{operation} {count} (p50 {percentile(by_operation[operation], 50):.0f} ms)"
        for operation, count in operations.most_common()
    )
    open_conflicts = sum(1 for _, status, _, _ in conflicts.values() if status == "open")
    figures = [
        f"{len(ledger.requests)} requests in {elapsed:.1f} s "
        f"({len(ledger.requests) / elapsed:.1f} req/s) from {len(clients)} clients; latency "
        f"p50 {percentile(latencies, 50):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
        f"p99 {percentile(latencies, 99):.0f} ms",
        f"statuses {dict(sorted(statuses.items()))}; {per_operation}",
        f"acknowledged writes: {len(ledger.readings)} readings, {acknowledged_votes} votes, "
        f"{len(ledger.reviews)} reviews, all stored as acknowledged; the outbox drained "
        f"{drain_seconds:.1f} s after the load; {len(conflicts)} conflicts ({open_conflicts} "
        "open), and the rescan found no other",
    ]
    with capsys.disabled():
        print("".join(f"\n[faults] load: {line}" for line in figures))

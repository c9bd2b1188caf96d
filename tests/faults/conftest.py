"""Shared parts of the fault suite: a private Redis to restart, annotations that give
detection jobs seconds of work, and the comparison of the conflict table with a full rescan."""

import contextlib
import random
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any

import pytest
import redis
from django.db import transaction
from django.db.models import Count

from apps.annotations.models import Claim, Reading, Vote
from apps.conflicts import detection
from apps.conflicts.models import Conflict
from apps.core.models import OutboxJob
from config.celery import app
from tests.celery_worker import (
    free_port,
    services_required,
    start_redis,
    stop_redis,
    use_broker,
)
from tests.factories import make_definition, make_term, make_thread

# Definitions are drawn from these words at random, so that no two are near-identical (which
# would make synonym candidates, a different unit from the ones these tests follow).
WORDS = re.findall(
    r"\w+",
    "reward policy training data deployment objective robust limit infinite learned model agent "
    "behaviour distribution proxy goal signal value metric human feedback search optimiser "
    "capability gradient loss shift world state action plan honest oversight specification",
)


def wait_until(condition: Callable[[], Any], seconds: float, what: str, poll: float = 0.05) -> Any:
    """Poll `condition` until it is truthy; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds:.0f} s", pytrace=False)
        time.sleep(poll)
    return value


@contextlib.contextmanager
def jobs_to_worker() -> Iterator[None]:
    """This process sends jobs to the broker instead of running them eagerly (as `celery_live`
    does, for tests that start and stop workers themselves)."""
    always_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = always_eager


@dataclass
class PrivateRedis:
    """A redis-server of this test's own, pointed at by this process and the workers it starts."""

    port: int
    persist_dir: Path | None
    process: Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def messages(self) -> int:
        """Messages with the broker: queued, or taken by a worker and not acknowledged."""
        client = self.client()
        try:
            return client.llen("celery") + client.hlen("unacked")
        finally:
            client.close()

    def restart(self) -> None:
        stop_redis(self.process)
        self.process = start_redis(self.port, self.persist_dir)


@pytest.fixture
def private_redis(request, settings, tmp_path: Path) -> Iterator[PrivateRedis]:
    """Parametrise indirectly with True for an append-only file (data survives a restart)."""
    if shutil.which("redis-server") is None:
        reason = "needs the redis-server binary to start a Redis of its own"
        if services_required():
            pytest.fail(f"{reason} (SENSEMAP_REQUIRE_SERVICES=1: not skipping)")
        pytest.skip(reason)
    persist_dir = None
    if getattr(request, "param", False):
        persist_dir = tmp_path / "redis"
        persist_dir.mkdir()
    port = free_port()
    server = PrivateRedis(port, persist_dir, start_redis(port, persist_dir))
    settings.CELERY_BROKER_URL = server.url  # for the workers the test starts
    try:
        use_broker(server.url)
        with jobs_to_worker():
            yield server
    finally:
        use_broker(None)
        stop_redis(server.process)


def annotated_threads(first_user: Any, second_user: Any, *, threads: int, terms: int) -> None:
    """`threads` threads of a comment and its reply, each with one claim that reads each of
    `terms` terms, in a different sense on either side: threads × terms thread-term units, with
    one equivocation each once detected. Committed with no job pending: the test asks for the
    detection it follows."""
    rng = random.Random(threads * 1000 + terms)
    with transaction.atomic():
        senses = []
        for n in range(terms):
            term = make_term(first_user, f"concept {n}")
            senses.append(
                [make_definition(first_user, term, " ".join(rng.sample(WORDS, 12))) for _ in "ab"]
            )
        claims = []
        for _ in range(threads):
            thread = make_thread(
                texts=(
                    "Each of these words means what the training data makes it mean.",
                    "No: each of them means what it would mean with infinite data.",
                )
            )
            for comment, user in zip(
                thread.comments.order_by("position"), (first_user, second_user), strict=True
            ):
                claims.append(
                    Claim(
                        comment=comment,
                        start=0,
                        end=len(comment.text),
                        quote=comment.text,
                        created_by=user,
                    )
                )
        # What claim_create and reading_create leave (a reading starts with its author's +1),
        # in a few queries: through the services this takes 60 ms a reading, and these tests
        # are about the jobs, not the writes.
        Claim.objects.bulk_create(claims)
        readings = [
            Reading(
                kind=Reading.Kind.SENSE,
                claim=claim,
                term=sense.term,
                definition=sense,
                created_by=claim.created_by,
                votes_up=1,
            )
            for index, claim in enumerate(claims)
            for sense in (pair[index % 2] for pair in senses)
        ]
        Reading.objects.bulk_create(readings)
        Vote.objects.bulk_create(
            Vote(reading=reading, user=reading.created_by, value=1) for reading in readings
        )
        OutboxJob.objects.all().delete()  # nothing is sent when this commits


ConflictState = dict[str, tuple[str, str, int, str]]


def conflict_state() -> ConflictState:
    """Every conflict by fingerprint: kind, status, severity and evidence hash."""
    return {
        fingerprint: rest
        for fingerprint, *rest in Conflict.objects.values_list(
            "fingerprint", "kind", "status", "severity", "evidence_hash"
        )
    }


def assert_rescan_agrees() -> ConflictState:
    """The full rescan finds exactly what the jobs left: it creates, changes and retires
    nothing. Returns the conflict table as both saw it."""
    found = conflict_state()
    result = detection.rescan()
    assert result == detection.DetectionResult(), f"the rescan changed the table: {result}"
    assert conflict_state() == found
    return found


def detected_once_each() -> bool:
    """Every conflict has exactly one entry in its history, the detector's "detected"."""
    histories = Conflict.objects.annotate(entries=Count("history")).values_list(
        "entries", flat=True
    )
    return (
        set(histories) == {1} and not Conflict.objects.exclude(history__action="detected").exists()
    )

"""Redis restarts with a hundred detection jobs pending: every job runs after it is back, and
the conflict table ends as one run of each would leave it.

A private redis-server, restarted under a running worker while the jobs wait out their
coalescing countdown. Without persistence the broker forgets them and the outbox relay sends
them again; with an append-only file it remembers them, unacknowledged, and the visibility
timeout gives them back to the worker without the relay."""

import time
from pathlib import Path

import pytest
from django.db import transaction

from apps.conflicts import triggers
from apps.conflicts.models import Conflict, ConflictReview
from apps.core.models import OutboxJob
from apps.core.outbox import relay_pending
from apps.forum.models import Thread
from apps.glossary.models import Term
from tests.celery_worker import run_celery_worker
from tests.faults.conftest import (
    PrivateRedis,
    annotated_threads,
    assert_rescan_agrees,
    detected_once_each,
    wait_until,
)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS, TERMS = 10, 10
JOBS = THREADS * TERMS
# The jobs wait this long at the worker before running: Redis restarts in the meantime.
COUNTDOWN_S = 5
# The relay, run here as beat runs it, sends a job again once it is this long overdue.
STALE_S = 8


@pytest.mark.parametrize(
    "private_redis", [False, True], indirect=True, ids=["no persistence", "append-only file"]
)
def test_jobs_pending_when_redis_restarts_all_run_once(
    private_redis: PrivateRedis, alice, bob, settings, tmp_path: Path, capsys
):
    persistent = private_redis.persist_dir is not None
    annotated_threads(alice, bob, threads=THREADS, terms=TERMS)
    pairs = [
        (t, term)
        for t in Thread.objects.values_list("id", flat=True)
        for term in Term.objects.values_list("id", flat=True)
    ]
    settings.OUTBOX_COALESCE_SECONDS = COUNTDOWN_S
    settings.OUTBOX_STALE_SECONDS = STALE_S

    with run_celery_worker(tmp_path) as worker:
        with transaction.atomic():
            triggers.sense_readings_changed(pairs)
        assert OutboxJob.objects.filter(enqueued_at__isnull=False).count() == JOBS
        wait_until(lambda: private_redis.messages() == JOBS, 5, "the jobs did not reach Redis")

        private_redis.restart()
        restarted = time.monotonic()
        assert private_redis.messages() == (JOBS if persistent else 0)
        assert not Conflict.objects.exists()  # none had run
        settings.OUTBOX_COALESCE_SECONDS = 0

        relayed = 0

        def drained() -> bool:
            nonlocal relayed
            if not persistent:
                relayed += relay_pending()
            return not OutboxJob.objects.exists()

        wait_until(drained, 60, f"jobs left in the outbox:\n{worker.log()}", poll=1)
        drain_seconds = time.monotonic() - restarted

    assert Conflict.objects.count() == JOBS
    assert set(Conflict.objects.values_list("kind", "status")) == {("equivocation", "open")}
    assert ConflictReview.objects.count() == JOBS
    assert detected_once_each()
    assert_rescan_agrees()
    if persistent:
        assert relayed == 0
    else:
        assert relayed >= JOBS

    with capsys.disabled():
        how = "the append-only file kept them" if persistent else f"the relay sent {relayed}"
        print(
            f"\n[faults] Redis restarted with {JOBS} jobs pending: {how}; all done "
            f"{drain_seconds:.1f} s after the restart; {JOBS} conflicts, {JOBS} history entries"
        )

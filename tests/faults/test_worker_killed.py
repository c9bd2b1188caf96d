"""A worker killed in the middle of a detection job: the job runs again, to the end, once.

The job is for a term read in many threads, one thread-term unit each: real work, loading
every thread's snapshot before saving them all in one transaction, which a kill interrupts or,
landing late, finds committed: never half done. It is killed while the worker reports it
running (Celery's remote control), twice: the pool process alone (its parent puts the message
back: reject_on_worker_lost), then the whole worker (the message stays unacknowledged in Redis
until the visibility timeout gives it to the next worker: acks_late)."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.db import transaction

from apps.conflicts import triggers
from apps.conflicts.models import Conflict
from apps.core.models import OutboxJob
from apps.glossary.models import Term
from config.celery import app
from tests.celery_worker import CeleryWorker, run_celery_worker
from tests.faults.conftest import (
    annotated_threads,
    assert_rescan_agrees,
    detected_once_each,
    jobs_to_worker,
    wait_until,
)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Threads that read the term: the job's units.
UNITS = 200


def running(worker: CeleryWorker, key: str) -> int | None:
    """The pid of the pool process running the job for `key`, as the worker reports it."""
    replies = app.control.inspect(destination=[worker.hostname], timeout=0.5).active() or {}
    for task in replies.get(worker.hostname, []):
        if task["args"] == [key]:
            return task["worker_pid"]
    return None


def assert_saved_whole_or_not_at_all() -> None:
    count = Conflict.objects.count()
    assert count in (0, UNITS), f"{count} of {UNITS} conflicts: a partial save"


def test_a_detection_job_whose_worker_is_killed_runs_again_to_the_end(
    alice, bob, settings, tmp_path: Path, capsys
):
    settings.OUTBOX_COALESCE_SECONDS = 0  # the job starts at once
    annotated_threads(alice, bob, threads=UNITS, terms=1)
    term = Term.objects.get()
    key = f"term:{term.id}"
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    first_dir.mkdir()
    second_dir.mkdir()

    with run_celery_worker(first_dir) as worker, jobs_to_worker():
        with transaction.atomic():
            triggers.terms_changed([term.id])  # as editing one of its senses does
        first = wait_until(lambda: running(worker, key), 30, "the job did not start", poll=0.1)
        os.kill(first, signal.SIGKILL)
        # The job still pending, and its one transaction all or nothing: it died with the
        # process, or (detection being fast, the kill landing late) it had committed whole.
        assert OutboxJob.objects.filter(key=key).exists(), "the job had finished"
        assert_saved_whole_or_not_at_all()

        # The parent saw its pool process die and put the message back; a new one runs it.
        second = wait_until(
            lambda: (pid := running(worker, key)) not in (None, first) and pid,
            30,
            f"the job did not run again after its pool process died:\n{worker.log()}",
            poll=0.1,
        )
        os.killpg(worker.process.pid, signal.SIGKILL)
        assert OutboxJob.objects.filter(key=key).exists(), "the job had finished"
        assert_saved_whole_or_not_at_all()
        assert "WorkerLostError" in worker.log()

    started = time.monotonic()
    with run_celery_worker(second_dir) as worker, jobs_to_worker():
        wait_until(
            lambda: not OutboxJob.objects.exists(),
            60,
            f"the job did not run after the worker died:\n{worker.log()}",
            poll=0.2,
        )
    rerun_seconds = time.monotonic() - started

    # The third run found every unit's conflict; no run left a duplicate or a second entry.
    assert Conflict.objects.count() == UNITS
    assert set(Conflict.objects.values_list("kind", "status")) == {("equivocation", "open")}
    assert Conflict.objects.values("thread").distinct().count() == UNITS
    assert detected_once_each()
    assert_rescan_agrees()

    with capsys.disabled():
        print(
            f"\n[faults] worker killed: a {UNITS}-unit job killed running in pool process "
            f"{first}, then in {second} with its whole worker; a new worker finished it "
            f"{rerun_seconds:.1f} s after starting (visibility timeout "
            f"{settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout']} s); "
            f"{UNITS} conflicts, no duplicate, one history entry each"
        )

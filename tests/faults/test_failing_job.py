"""A job that fails on every run, on a real worker: the relay sends it again after waits that
double, stops at the retry limit, and leaves it where an admin sees it and can send it again.

tests/core/test_outbox.py proves the attempt count and the limit in-process; this adds the
worker, the growing delays, the relay leaving a stopped job alone however late it is, and the
admin's list and action."""

import time
from datetime import timedelta
from itertools import pairwise

import pytest
from django.db import transaction
from django.utils import timezone

from apps.conflicts.units import DETECT_TASK
from apps.core.models import OutboxJob
from apps.core.outbox import relay_pending, request_jobs, retry_wait
from tests.celery_worker import CeleryWorker
from tests.faults.conftest import wait_until

pytestmark = [
    pytest.mark.faults,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A key no handler can parse: the real detection handler raises on every run.
KEY = "no-such-scope:1"
ADMIN_LIST = "/admin/core/outboxjob/"


def test_a_job_that_always_fails_backs_off_stops_and_shows_in_the_admin(
    celery_live: CeleryWorker, settings, admin_client, capsys
):
    settings.OUTBOX_COALESCE_SECONDS = 0
    settings.OUTBOX_STALE_SECONDS = 1  # waits of 1, 2, 4 s between runs
    settings.OUTBOX_MAX_ATTEMPTS = 4
    with transaction.atomic():
        request_jobs(DETECT_TASK, [KEY])

    # The relay runs here as beat runs it, only more often; each send stamps enqueued_at.
    sends: list = []
    failures: list[float] = []
    deadline = time.monotonic() + 60
    while len(failures) < settings.OUTBOX_MAX_ATTEMPTS:
        assert time.monotonic() < deadline, f"runs: {failures}\n{celery_live.log()}"
        relay_pending()
        job = OutboxJob.objects.get(key=KEY)
        if job.enqueued_at and job.enqueued_at not in sends:
            sends.append(job.enqueued_at)
        if job.attempts > len(failures):
            failures.append(time.monotonic())
        time.sleep(0.05)

    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(sends)]
    # Each wait is at least the backoff for the failures so far, and longer than the one before.
    assert len(gaps) == settings.OUTBOX_MAX_ATTEMPTS - 1
    for failed_runs, gap in enumerate(gaps, start=1):
        assert gap >= retry_wait(failed_runs).total_seconds()
    assert gaps == sorted(gaps) and gaps[-1] > 2 * gaps[0]

    # Stopped: the relay leaves it alone, now and a day later.
    job = OutboxJob.objects.get(key=KEY)
    assert (job.attempts, job.last_error) == (
        4,
        "ValueError: unknown detection scope in 'no-such-scope:1'",
    )
    assert relay_pending() == 0
    OutboxJob.objects.filter(key=KEY).update(enqueued_at=timezone.now() - timedelta(days=1))
    assert relay_pending() == 0
    assert OutboxJob.objects.get(key=KEY).attempts == 4

    # An admin finds it among the stopped jobs, with its error, and not among the waiting ones.
    stopped = admin_client.get(ADMIN_LIST, {"state": "stopped"})
    assert stopped.status_code == 200
    assert KEY in stopped.text and "unknown detection scope" in stopped.text
    assert KEY not in admin_client.get(ADMIN_LIST, {"state": "waiting"}).text

    # Once the cause is fixed, the admin sends it again with a fresh count: it runs at once.
    response = admin_client.post(
        ADMIN_LIST, {"action": "run_again", "_selected_action": [job.pk]}, follow=True
    )
    assert "1 of 1 jobs sent again" in response.text
    wait_until(
        lambda: OutboxJob.objects.get(key=KEY).attempts == 1,
        30,
        f"the job sent again did not run:\n{celery_live.log()}",
    )

    with capsys.disabled():
        waits = ", ".join(f"{gap:.1f}" for gap in gaps)
        print(
            f"\n[faults] failing job: {settings.OUTBOX_MAX_ATTEMPTS} runs, waits between "
            f"sends {waits} s (retry_wait doubling from 1 s), then stopped; shown to admins"
        )

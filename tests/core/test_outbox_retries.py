"""Failed outbox jobs: the relay's growing wait between runs, and what admins see and do about
jobs that stopped (apps/core/outbox.py, apps/core/admin.py). tests/faults/test_failing_job.py
runs the same on a real worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.conflicts.units import DETECT_TASK
from apps.core.models import OutboxJob
from apps.core.outbox import relay_pending, retry_wait

pytestmark = pytest.mark.django_db

ADMIN_LIST = "/admin/core/outboxjob/"
# No handler can parse it: the real detection handler raises on every run.
BROKEN_KEY = "no-such-scope:1"


def sent(ago: timedelta, attempts: int, key: str = BROKEN_KEY) -> OutboxJob:
    """A job handed to the broker `ago`, after `attempts` failed runs."""
    now = timezone.now()
    return OutboxJob.objects.create(
        task=DETECT_TASK, key=key, requested_at=now - ago, enqueued_at=now - ago, attempts=attempts
    )


def test_the_wait_before_a_run_is_sent_again_doubles_with_each_failure(settings):
    settings.OUTBOX_STALE_SECONDS = 600
    assert [retry_wait(n).total_seconds() for n in range(5)] == [600, 600, 1200, 2400, 4800]


@pytest.mark.parametrize("attempts", [0, 1, 2, 3, 4])
def test_the_relay_waits_out_the_backoff_before_sending_a_job_again(settings, attempts):
    settings.OUTBOX_STALE_SECONDS = 600
    settings.OUTBOX_MAX_ATTEMPTS = 5
    almost = retry_wait(attempts) - timedelta(seconds=5)
    job = sent(almost, attempts)

    assert relay_pending() == 0  # not yet
    assert OutboxJob.objects.get().enqueued_at == job.enqueued_at

    OutboxJob.objects.update(
        enqueued_at=timezone.now() - retry_wait(attempts) - timedelta(seconds=5)
    )
    relay_pending()
    # Sent, and run in-process, where it failed once more (so the relay counts no send).
    assert OutboxJob.objects.get().attempts == attempts + 1


def test_a_job_at_its_retry_limit_is_never_sent_again(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 5
    sent(timedelta(days=30), attempts=5)
    OutboxJob.objects.update(enqueued_at=None)  # even one the broker never took

    assert relay_pending() == 0
    assert OutboxJob.objects.get().attempts == 5


def test_admins_list_jobs_by_state(admin_client, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 5
    sent(timedelta(0), attempts=0, key="thread:101")
    sent(timedelta(0), attempts=2, key="thread:102")
    sent(timedelta(0), attempts=5, key="thread:103")

    def listed(state: str) -> list[str]:
        response = admin_client.get(ADMIN_LIST, {"state": state})
        assert response.status_code == 200
        return [key for key in ("thread:101", "thread:102", "thread:103") if key in response.text]

    assert listed("waiting") == ["thread:101"]
    assert listed("retrying") == ["thread:102"]
    assert listed("stopped") == ["thread:103"]


def test_an_admin_runs_a_stopped_job_again_with_a_fresh_count(admin_client, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 5
    job = sent(timedelta(hours=1), attempts=5)
    OutboxJob.objects.update(last_error="ValueError: the cause, since fixed")

    response = admin_client.post(
        ADMIN_LIST, {"action": "run_again", "_selected_action": [job.pk]}, follow=True
    )

    assert response.status_code == 200
    # Run at once (in-process here) with a fresh count: it still fails, so one attempt.
    job = OutboxJob.objects.get()
    assert (job.attempts, job.last_error) == (
        1,
        "ValueError: unknown detection scope in 'no-such-scope:1'",
    )


def test_only_staff_see_the_outbox(client, alice):
    client.force_login(alice)
    assert client.get(ADMIN_LIST).status_code == 302  # to the admin's sign-in page

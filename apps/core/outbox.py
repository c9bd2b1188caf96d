"""The transactional outbox: jobs are recorded with the write and relayed to Celery after it.

`request_jobs` inside a transaction records (task, key) rows; after commit each new row is
claimed with a conditional UPDATE and sent. A write that is rolled back sends nothing; a broker
that is down at commit time leaves the row for `relay_pending` to send later; a burst of
writes on one key before its job runs leaves one row, so one run. Handlers run through
`run_job`, which deletes the row only if no newer request arrived while they ran, and sends the
job again if one did. A run that fails keeps its row: the relay sends it again after a wait that
doubles with each failure, until OUTBOX_MAX_ATTEMPTS, and then leaves it for an admin.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as KombuOperationalError

from apps.core.models import OutboxJob

logger = logging.getLogger(__name__)

# What a send raises when the broker cannot be reached.
BROKER_ERRORS = (KombuOperationalError, ConnectionError, OSError)


def request_jobs(task: str, keys: Iterable[str], threads: Mapping[str, int] | None = None) -> None:
    """Record jobs in the current transaction and send them once it commits. `threads` names
    the thread a key works on, where it works on one."""
    keys = sorted(set(keys))
    if not keys:
        return
    now = timezone.now()
    threads = threads or {}
    OutboxJob.objects.bulk_create(
        [
            OutboxJob(task=task, key=key, requested_at=now, thread_id=threads.get(key))
            for key in keys
        ],
        update_conflicts=True,
        unique_fields=["task", "key"],
        update_fields=["requested_at"],
    )
    transaction.on_commit(lambda: dispatch(task, keys))


def dispatch(task: str, keys: Iterable[str]) -> int:
    """Send each job not already with the broker; returns how many were sent."""
    sent = 0
    for key in keys:
        claimed = OutboxJob.objects.filter(task=task, key=key, enqueued_at__isnull=True).update(
            enqueued_at=timezone.now()
        )
        if not claimed:
            continue  # already queued: that run will see this write too
        try:
            # Task names are their import paths, so the sender needs no task registry.
            import_string(task).apply_async(args=[key], countdown=settings.OUTBOX_COALESCE_SECONDS)
        except BROKER_ERRORS:
            # The row stays, unclaimed, for the relay: the job is late, not lost.
            logger.warning("could not send %s(%s); the relay will retry", task, key, exc_info=True)
            OutboxJob.objects.filter(task=task, key=key).update(enqueued_at=None)
            continue
        except Exception:
            # Only an eager (in-process) run gets here: the job itself failed. run_job counted
            # the attempt; the relay runs it again once it is stale, up to the retry limit.
            logger.exception("job %s(%s) failed", task, key)
            continue
        sent += 1
    return sent


def run_job(task: str, key: str, handler: Callable[[str], object]) -> bool:
    """Run `handler(key)` for a pending job; False when there was none (another run did it)."""
    job = OutboxJob.objects.filter(task=task, key=key).first()
    if job is None:
        return False
    try:
        handler(key)
    except Exception as error:
        OutboxJob.objects.filter(pk=job.pk).update(
            attempts=job.attempts + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    finished = OutboxJob.objects.filter(pk=job.pk, requested_at=job.requested_at).delete()[0]
    if not finished:
        # Written to again while the handler ran: run once more to pick that write up.
        OutboxJob.objects.filter(pk=job.pk).update(enqueued_at=None)
        dispatch(task, [key])
    return True


def retry_wait(attempts: int) -> timedelta:
    """How long a job sent to the broker may go undone before the relay sends it again: a lost
    message (no failed run yet) waits OUTBOX_STALE_SECONDS, and each failed run doubles that."""
    return timedelta(seconds=settings.OUTBOX_STALE_SECONDS * 2 ** max(attempts - 1, 0))


def due_for_relay() -> Q:
    """Jobs the broker never got, and jobs sent but not done after their retry wait, while
    under their retry limit."""
    now = timezone.now()
    sent_long_ago = Q()
    for attempts in range(settings.OUTBOX_MAX_ATTEMPTS):
        sent_long_ago |= Q(attempts=attempts, enqueued_at__lt=now - retry_wait(attempts))
    return Q(enqueued_at__isnull=True, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS) | sent_long_ago


def relay_pending() -> int:
    """Send jobs the broker never got, jobs whose message was lost, and failed jobs after a
    backoff, up to their retry limit; returns how many were sent."""
    due = due_for_relay()
    sent = 0
    for task, key in OutboxJob.objects.filter(due).values_list("task", "key"):
        # Unclaimed only if still due: a run may have finished it, or another relay sent it.
        OutboxJob.objects.filter(due, task=task, key=key).update(enqueued_at=None)
        sent += dispatch(task, [key])
    return sent

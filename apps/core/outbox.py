"""The transactional outbox: jobs are recorded with the write and relayed to Celery after it.

`request_jobs` inside a transaction records (task, key) rows; after commit each new row is
claimed with a conditional UPDATE and sent. A write that is rolled back sends nothing; a broker
that is down at commit time leaves the row for `relay_pending` to send later; a burst of
writes on one key before its job runs leaves one row, so one run. Handlers run through
`run_job`, which deletes the row only if no newer request arrived while they ran, and sends the
job again if one did.
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


def relay_pending() -> int:
    """Send jobs the broker never got, and jobs whose message was lost, up to their retry limit."""
    stale = timezone.now() - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    pending = OutboxJob.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale),
        attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
    ).values_list("task", "key")
    sent = 0
    for task, key in pending:
        OutboxJob.objects.filter(task=task, key=key, enqueued_at__lt=stale).update(enqueued_at=None)
        sent += dispatch(task, [key])
    return sent

"""Celery entry points for conflict detection: thin wrappers around apps/conflicts/detection.py."""

from celery import shared_task
from django.db import DatabaseError

from apps.conflicts import detection
from apps.conflicts.services import conflict_counts_compact
from apps.conflicts.units import DETECT_TASK
from apps.core.outbox import run_job


@shared_task(
    name=DETECT_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=120,
    time_limit=300,
)
def detect_conflicts_task(key: str) -> bool:
    """Detect conflicts for one outbox key; False when another run already did the job."""
    return run_job(DETECT_TASK, key, lambda k: detection.run([k]))


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3600)
def rescan_conflicts_task(thread_id: int | None = None) -> dict:
    """The periodic full rescan (Celery beat), or one thread's."""
    return detection.rescan(thread_id).__dict__


@shared_task
def compact_conflict_counts_task() -> None:
    """Periodic (Celery beat): keeps the review queue's count a sum of few rows."""
    conflict_counts_compact()

"""Celery entry points for conflict detection: thin wrappers around apps/conflicts/detection.py."""

import uuid

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from apps.conflicts import detection, snapshot
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
def rescan_conflicts_task(thread_id: int | None = None) -> dict | None:
    """The periodic full rescan (Celery beat): its chunks of threads in
    `CONFLICT_RESCAN_LANES` lanes of jobs, and one job for the synonym units, so that every
    worker process takes part (they own disjoint conflicts, so they run in any order); or one
    thread's rescan, in this job."""
    if thread_id is not None:
        return detection.rescan(thread_id).__dict__
    chunks = detection.thread_chunks()
    run = uuid.uuid4().hex
    lanes = settings.CONFLICT_RESCAN_LANES
    for lane in range(min(lanes, len(chunks))):
        rescan_threads_task.delay(chunks[lane::lanes], run)
    rescan_synonyms_task.delay()
    return None


# One glossary per rescan in each worker process: its chunks read the same terms again and
# again, and a later rescan must not see this one's.
_glossary: tuple[str, snapshot.Glossary] | None = None


def rescan_chunk(thread_ids: list[int], run: str) -> detection.DetectionResult:
    """One chunk of the full rescan `run`, with this process's glossary of that run."""
    global _glossary
    if _glossary is None or _glossary[0] != run:
        _glossary = (run, snapshot.Glossary())
    return detection.rescan_threads(thread_ids, _glossary[1])


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def rescan_threads_task(chunks: list[list[int]], run: str) -> dict:
    """The first of a lane's chunks of a full rescan; then the lane's next job takes the rest,
    also when this chunk failed (the next rescan covers it)."""
    try:
        return rescan_chunk(chunks[0], run).__dict__
    finally:
        if len(chunks) > 1:
            rescan_threads_task.delay(chunks[1:], run)


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1800)
def rescan_synonyms_task() -> dict:
    """The synonym units of a full rescan."""
    return detection.rescan_synonyms().__dict__


@shared_task
def compact_conflict_counts_task() -> None:
    """Periodic (Celery beat): keeps the review queue's count a sum of few rows."""
    conflict_counts_compact()

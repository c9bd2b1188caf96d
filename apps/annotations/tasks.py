"""Celery entry points for the suggestion jobs: thin wrappers that load by id and call services."""

from celery import shared_task
from django.db import OperationalError

from apps.annotations.suggestions import suggestions_refresh
from apps.forum.models import Comment, Thread

# A lost connection or a deadlock is worth retrying; the job is idempotent, so a retry after
# partial work does no harm.
_RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(soft_time_limit=120, time_limit=180, **_RETRY)
def refresh_suggestions_task(thread_id: int) -> list[int] | None:
    """Find mentions and definition candidates in one thread; [mentions, candidates] created."""
    thread = Thread.objects.filter(id=thread_id).first()
    if thread is None:
        return None  # deleted since the job was queued: nothing to do
    return list(suggestions_refresh(thread=thread))


@shared_task(soft_time_limit=60, time_limit=120, **_RETRY)
def refresh_workspace_suggestions_task(workspace_id: int) -> int:
    """Queue a refresh of every thread with comments in the workspace, after a glossary
    change; returns how many were queued. One job per thread keeps each within its limits."""
    thread_ids = (
        Comment.objects.filter(thread__workspace_id=workspace_id)
        .values_list("thread_id", flat=True)
        .distinct()
        .order_by("thread_id")
    )
    thread_ids = list(thread_ids)
    for thread_id in thread_ids:
        refresh_suggestions_task.delay(thread_id)
    return len(thread_ids)

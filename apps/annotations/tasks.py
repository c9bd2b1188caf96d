"""Celery entry points for the suggestion jobs: thin wrappers that load by id and call services."""

from celery import shared_task
from django.db import OperationalError, transaction

from apps.annotations import jobs
from apps.annotations.suggestions import suggestions_refresh
from apps.core.outbox import run_job
from apps.forum.models import Comment, Thread


@shared_task(
    name=jobs.SUGGEST_TASK,
    acks_late=True,
    # A lost connection or a deadlock is worth retrying; the job is idempotent.
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def refresh_suggestions_task(key: str) -> bool:
    """Refresh one thread ("thread:ID"), or fan a workspace ("workspace:ID") out into one job
    per thread so each stays within its time limit."""
    return run_job(jobs.SUGGEST_TASK, key, _refresh)


def _refresh(key: str) -> None:
    scope, _, ident = key.partition(":")
    if scope == "workspace":
        thread_ids = (
            Comment.objects.filter(thread__workspace_id=int(ident))
            .values_list("thread_id", flat=True)
            .distinct()
        )
        with transaction.atomic():
            jobs.refresh_threads(sorted(thread_ids))
        return
    thread = Thread.objects.filter(id=int(ident)).first()
    if thread is not None:  # deleted since the job was queued: nothing to do
        suggestions_refresh(thread=thread)

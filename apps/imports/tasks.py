"""Celery entry points for imports too large to run inside a request."""

from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model

from apps.imports.services import thread_import
from apps.workspaces.models import Workspace


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360, max_retries=0)
def import_thread_task(
    *, content: str, format: str | None, workspace_id: int, user_id: int | None
) -> int:
    """Import a thread and return its id. Safe to run twice: a re-import changes nothing."""
    user: Any = get_user_model().objects.filter(id=user_id).first() if user_id else None
    result = thread_import(
        user=user,
        content=content,
        format=format,
        workspace=Workspace.objects.get(id=workspace_id),
    )
    return result.thread.id

"""Reads of conflicts, filtered to what the user may see."""

from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet, Sum

from apps.conflicts.models import Conflict, ConflictCount, ConflictReview
from apps.workspaces.selectors import readable_q


def conflicts_visible(user: Any) -> QuerySet[Conflict]:
    return Conflict.objects.filter(readable_q(user, "workspace"))


def conflict_list(user: Any) -> QuerySet[Conflict]:
    """Most severe first, then most recently changed: the order of the review queue."""
    return (
        conflicts_visible(user)
        .select_related("workspace", "thread", "term")
        .prefetch_related(
            Prefetch("history", queryset=ConflictReview.objects.select_related("actor"))
        )
        .order_by("-severity", "-updated_at", "-id")
    )


def conflict_count(user: Any, statuses: list[str], workspace_slug: str | None) -> int | None:
    """How many conflicts in these statuses the user may see, from the kept counts (see
    ConflictCount); None where they are not kept (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    rows = ConflictCount.objects.filter(readable_q(user, "workspace"), status__in=statuses)
    if workspace_slug is not None:
        rows = rows.filter(workspace__slug=workspace_slug)
    return rows.aggregate(n=Sum("delta"))["n"] or 0

"""Reads of conflicts, filtered to what the user may see."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from apps.conflicts.models import Conflict, ConflictReview
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

"""Reads of conflicts, filtered to what the user may see."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import F, Prefetch, QuerySet, Sum

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


# A page of the review queue is read as plain rows of the columns the list shows, each
# conflict's history attached by `with_history`: building a Conflict, its workspace, thread and
# term and its history's reviews for 50 conflicts, and DRF reading them back field by field,
# took more than the queries (full scale: 20 of a page's 45 ms).


def conflict_rows(conflicts: QuerySet[Conflict], columns: Iterable[str]) -> QuerySet:
    """A `conflict_list` queryset (filtered and ordered) as rows of these columns, with the
    names of the workspace (`workspace_slug`), thread and term."""
    return (
        conflicts.select_related(None)
        .prefetch_related(None)
        .values(
            *columns,
            workspace_slug=F("workspace__slug"),
            thread_title=F("thread__title"),
            term_name=F("term__name"),
        )
    )


def with_history(conflicts: list[dict]) -> list[dict]:
    """Attach to each conflict row its history's rows, oldest first, in one query."""
    history: dict[int, list[dict]] = defaultdict(list)
    entries = ConflictReview.objects.filter(conflict_id__in=[c["id"] for c in conflicts])
    for entry in entries.values(
        "conflict_id",
        "action",
        "from_status",
        "to_status",
        "note",
        "created_at",
        actor_username=F("actor__username"),
    ):
        history[entry.pop("conflict_id")].append(entry)
    for conflict in conflicts:
        conflict["history"] = history[conflict["id"]]
    return conflicts


def conflict_count(user: Any, statuses: list[str], workspace_slug: str | None) -> int | None:
    """How many conflicts in these statuses the user may see, from the kept counts (see
    ConflictCount); None where they are not kept (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    rows = ConflictCount.objects.filter(readable_q(user, "workspace"), status__in=statuses)
    if workspace_slug is not None:
        rows = rows.filter(workspace__slug=workspace_slug)
    return rows.aggregate(n=Sum("delta"))["n"] or 0

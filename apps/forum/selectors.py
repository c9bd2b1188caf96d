"""Reads of threads and comments, filtered to what the user may see."""

from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, QuerySet

from apps.core.db import subquery_count
from apps.core.models import OutboxJob
from apps.forum.models import Comment, Thread
from apps.workspaces.selectors import readable_q

OPEN_CONFLICT_STATUSES = ("open", "confirmed")


def threads_visible(user: Any) -> QuerySet[Thread]:
    return Thread.objects.filter(readable_q(user, "workspace"))


def thread_list(user: Any) -> QuerySet[Thread]:
    # The apps that own claims and conflicts depend on forum, not the other way round, so
    # their models are looked up by name for these counts.
    claim_model = apps.get_model("annotations", "Claim")
    conflict_model = apps.get_model("conflicts", "Conflict")
    return (
        threads_visible(user)
        .select_related("workspace", "created_by")
        .annotate(
            # Suggestion or detection work for the thread is still queued or running.
            jobs_pending=Exists(OutboxJob.objects.filter(thread_id=OuterRef("pk"))),
            comment_count=subquery_count(Comment.objects.filter(thread=OuterRef("pk")), "thread"),
            claim_count=subquery_count(
                claim_model.objects.filter(comment__thread=OuterRef("pk")), "comment__thread"
            ),
            open_conflict_count=subquery_count(
                conflict_model.objects.filter(
                    thread=OuterRef("pk"), status__in=OPEN_CONFLICT_STATUSES
                ),
                "thread",
            ),
        )
    )


def comments_visible(user: Any) -> QuerySet[Comment]:
    return Comment.objects.filter(readable_q(user, "thread__workspace"))


def comment_list(user: Any) -> QuerySet[Comment]:
    claim_model = apps.get_model("annotations", "Claim")
    return comments_visible(user).annotate(
        claim_count=subquery_count(claim_model.objects.filter(comment=OuterRef("pk")), "comment")
    )

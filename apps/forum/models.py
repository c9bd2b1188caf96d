"""Threads and their comments, as imported from a forum."""

from django.conf import settings
from django.db import models

from apps.core.models import TimeStampedModel


class Thread(TimeStampedModel):
    class Source(models.TextChoices):
        LESSWRONG = "lesswrong", "LessWrong"
        ALIGNMENT_FORUM = "alignment_forum", "Alignment Forum"
        EA_FORUM = "ea_forum", "EA Forum"
        DISCOURSE = "discourse", "Discourse"
        REDDIT = "reddit", "Reddit"
        HACKERNEWS = "hackernews", "Hacker News"
        TEXT = "text", "Pasted text"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(max_length=500)
    source = models.CharField(max_length=30, choices=Source.choices)
    source_url = models.URLField(max_length=1000, blank=True)
    external_id = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Re-importing the same forum thread updates it instead of creating a twin.
            models.UniqueConstraint(
                fields=["workspace", "source", "external_id"], name="thread_unique_external"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Comment(TimeStampedModel):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    external_id = models.CharField(max_length=200)
    author = models.CharField(max_length=200, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField()
    # Shown above the comment but not part of it (e.g. the post title on a profile page).
    context = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    score = models.IntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["thread_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "external_id"], name="comment_unique_external"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="comment_not_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["thread", "position"])]

    def __str__(self) -> str:
        return f"{self.author or 'anonymous'}: {self.text[:60]}"

    @property
    def workspace(self):
        return self.thread.workspace

"""Shared abstract base models."""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxJob(models.Model):
    """Background work recorded in the transaction of the write that causes it.

    A row exists while work for (task, key) is pending; it is relayed to Celery after commit,
    or later by the relay if the broker was down. One row per (task, key) coalesces bursts:
    many writes before the job runs mean one run."""

    task = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    requested_at = models.DateTimeField()
    # Set when handed to the broker; cleared when that failed so the relay sends it again.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The thread the job works on, when it is one: lists show which threads are still busy.
    thread_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "key"], name="outbox_job_unique")]
        indexes = [models.Index(fields=["enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.task}({self.key})"

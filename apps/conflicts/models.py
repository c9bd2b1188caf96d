"""Flagged definitional conflicts and their review history."""

from django.conf import settings
from django.db import models

from apps.core.models import TimeStampedModel


class Conflict(TimeStampedModel):
    class Kind(models.TextChoices):
        EQUIVOCATION = "equivocation", "Equivocation"
        DECOMPOSITION_MISMATCH = "decomposition_mismatch", "Decomposition mismatch"
        CONTESTED_READING = "contested_reading", "Contested reading"
        AMBIGUOUS_USAGE = "ambiguous_usage", "Ambiguous usage"
        SYNONYM_CANDIDATE = "synonym_candidate", "Synonym candidate"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"
        RESOLVED = "resolved", "Resolved"
        OBSOLETE = "obsolete", "Obsolete: the evidence is gone"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="conflicts"
    )
    thread = models.ForeignKey(
        "forum.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts"
    )
    # SET_NULL: conflicts about a term are deleted with it (apps/conflicts/signals.py); the
    # ones that only name it are re-detected.
    term = models.ForeignKey(
        "glossary.Term", null=True, blank=True, on_delete=models.SET_NULL, related_name="conflicts"
    )
    # The second term of a synonym candidate.
    other_term = models.ForeignKey(
        "glossary.Term", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Hash of the kind and the identity of the evidence: detection upserts by it.
    fingerprint = models.CharField(max_length=64, unique=True)
    # Hash of the evidence's content, to tell "same conflict, changed evidence".
    evidence_hash = models.CharField(max_length=64, blank=True)
    # Hash of the evidence exactly as stored, tallies included: a re-detection with the same
    # digest changes nothing and is not written.
    evidence_digest = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    severity = models.PositiveSmallIntegerField(default=1)
    summary = models.CharField(max_length=500, blank=True)
    evidence = models.JSONField(default=dict)
    # When the detector last found this evidence new (first found it, or found it changed).
    detected_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-severity", "-updated_at", "-id"]
        # With the id: a rescan gives thousands of conflicts one severity and one updated_at, and
        # without it a page of the queue sorted all of them (2,575 rows read for 50).
        indexes = [models.Index(fields=["status", "-severity", "-updated_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=5), name="conflict_severity_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ConflictReview(models.Model):
    """One status change: who (None for the detector), when, why."""

    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conflict_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class ConflictCount(models.Model):
    """A change in how many conflicts a workspace has in a status: on PostgreSQL a trigger
    adds rows for every statement that inserts, deletes or re-statuses conflicts (migration
    0004), in the statement's transaction, so the sum of `delta` is the count. The review queue
    pages with it: counting the open conflicts visited every one of them (245 ms for 137k).
    `conflict_counts_compact` folds the rows into one per (workspace, status)."""

    # No constraint: rows of a workspace being deleted are written while it goes.
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Conflict.Status.choices)
    delta = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["workspace", "status"])]

    def __str__(self) -> str:
        return f"{self.status} {self.delta:+d} in workspace {self.workspace_id}"

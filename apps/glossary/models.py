"""Terms with their variants, the definitions (senses) they carry, and decompositions."""

from django.conf import settings
from django.db import models

from apps.core.models import TimeStampedModel


class Term(TimeStampedModel):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="terms"
    )
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, editable=False)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Claims with a sense reading of the term, kept by the writes that change it, in their
    # transaction (apps/annotations/services.py): counting them for the claims list took
    # seconds for a term read half a million times.
    claim_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "normalized"], name="term_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class TermAlias(models.Model):
    """Every surface form of a term, its canonical name included, so one constraint keeps a
    variant from belonging to two terms of the same workspace."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="variants")
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200)
    is_canonical = models.BooleanField(default=False)

    class Meta:
        ordering = ["term_id", "-is_canonical", "text"]
        verbose_name_plural = "term aliases"
        constraints = [
            models.UniqueConstraint(fields=["workspace", "normalized"], name="alias_unique_variant")
        ]
        indexes = [models.Index(fields=["normalized"])]

    def __str__(self) -> str:
        return self.text


class Definition(TimeStampedModel):
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="definitions")
    text = models.TextField()
    label = models.CharField(max_length=120, blank=True)
    # The forum author who proposed this sense, when it comes from a thread.
    proposed_by = models.CharField(max_length=200, blank=True)
    source_claim = models.ForeignKey(
        "annotations.Claim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stated_definitions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The imported thread whose post stated this sense (a ForumMagnum glossary entry), so that
    # importing the thread again updates the definition instead of adding a twin.
    source_thread = models.ForeignKey(
        "forum.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: every edit names the version it read and adds one to it in the
    # same conditional UPDATE, so two edits from one version cannot both succeed.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["term_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="definition_version_positive"
            ),
            models.UniqueConstraint(
                fields=["term", "source_thread"],
                condition=models.Q(source_thread__isnull=False),
                name="definition_unique_per_source_thread",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.text[:80]

    @property
    def workspace(self):
        return self.term.workspace


class DefinitionRevision(models.Model):
    """A definition as it was at `version`, until `edited_by` replaced it at `edited_at` with
    version + 1. One per edit, written in the edit's transaction; the current text is on the
    definition itself."""

    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField()
    label = models.CharField(max_length=120, blank=True)
    proposed_by = models.CharField(max_length=200, blank=True)
    source_claim = models.ForeignKey(
        "annotations.Claim", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField()

    class Meta:
        ordering = ["definition_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "version"], name="definition_revision_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"definition {self.definition_id} v{self.version}"


class DefinitionEquivalence(models.Model):
    """Two definitions that state the same sense; stored once, smaller id first."""

    first = models.ForeignKey(
        Definition, on_delete=models.CASCADE, related_name="equivalences_as_first"
    )
    second = models.ForeignKey(
        Definition, on_delete=models.CASCADE, related_name="equivalences_as_second"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="equivalence_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="equivalence_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≡ {self.second_id}"


class Decomposition(TimeStampedModel):
    """A named way of splitting a problem into senses, e.g. one author's outer + inner."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="decompositions"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    definitions = models.ManyToManyField(Definition, related_name="decompositions", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="decomposition_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

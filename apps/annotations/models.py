"""Claims marked in comments, links between them, readings with votes, and suggestions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel


class Claim(TimeStampedModel):
    """A span of one comment, anchored like a W3C TextPositionSelector + TextQuoteSelector so it
    can be found again when the comment's text changes on re-import."""

    class Anchor(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        ORPHANED = "orphaned", "Orphaned: the quoted text is gone"

    comment = models.ForeignKey("forum.Comment", on_delete=models.CASCADE, related_name="claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    anchor = models.CharField(max_length=10, choices=Anchor.choices, default=Anchor.ANCHORED)
    note = models.TextField(blank=True)
    # The `id` of the W3C Web Annotation (or Hypothesis annotation) the claim was imported from,
    # so importing the same file again finds the claim instead of making a second one.
    annotation_id = models.CharField(max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="claims"
    )

    class Meta:
        ordering = ["comment_id", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="claim_span_valid")
        ]
        indexes = [
            models.Index(
                fields=["annotation_id"],
                condition=~Q(annotation_id=""),
                name="claim_annotation_id",
            )
        ]

    def __str__(self) -> str:
        return self.quote[:80]

    @property
    def workspace(self):
        return self.comment.thread.workspace


class ClaimLink(TimeStampedModel):
    """An argument-map edge: `source` supports / attacks / restates / clarifies `target`."""

    class Kind(models.TextChoices):
        SUPPORTS = "supports", "supports"
        ATTACKS = "attacks", "attacks"
        RESTATES = "restates", "restates"
        CLARIFIES = "clarifies", "clarifies"

    source = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="outgoing_links")
    target = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="incoming_links")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="claimlink_unique"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="claimlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"

    @property
    def workspace(self):
        return self.source.workspace


class Reading(TimeStampedModel):
    """ "In claim C, term T carries definition D" (sense) or "claim C assumes decomposition X"."""

    class Kind(models.TextChoices):
        SENSE = "sense", "Sense reading"
        DECOMPOSITION = "decomposition", "Decomposition reading"

    class Origin(models.TextChoices):
        PERSON = "person", "Made by a person"
        SUGGESTION = "suggestion", "Suggested by the service"

    kind = models.CharField(max_length=15, choices=Kind.choices)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="readings")
    term = models.ForeignKey(
        "glossary.Term", null=True, blank=True, on_delete=models.CASCADE, related_name="readings"
    )
    definition = models.ForeignKey(
        "glossary.Definition",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="readings",
    )
    decomposition = models.ForeignKey(
        "glossary.Decomposition",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="readings",
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.PERSON)
    # Only machine-made readings carry a confidence; people's readings carry votes.
    confidence = models.FloatField(null=True, blank=True)
    # Tallies kept in the vote's transaction so lists never aggregate vote rows.
    votes_up = models.PositiveIntegerField(default=0, editable=False)
    votes_down = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="readings"
    )

    class Meta:
        ordering = ["claim_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="sense",
                        term__isnull=False,
                        definition__isnull=False,
                        decomposition__isnull=True,
                    )
                    | Q(
                        kind="decomposition",
                        term__isnull=True,
                        definition__isnull=True,
                        decomposition__isnull=False,
                    )
                ),
                name="reading_shape_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["claim", "term", "definition"],
                condition=Q(kind="sense"),
                name="reading_unique_sense",
            ),
            models.UniqueConstraint(
                fields=["claim", "decomposition"],
                condition=Q(kind="decomposition"),
                name="reading_unique_decomposition",
            ),
        ]
        indexes = [models.Index(fields=["term", "claim"])]

    def __str__(self) -> str:
        if self.kind == self.Kind.SENSE:
            return f"claim {self.claim_id}: term {self.term_id} = definition {self.definition_id}"
        return f"claim {self.claim_id} assumes decomposition {self.decomposition_id}"

    @property
    def workspace(self):
        return self.claim.workspace


class Vote(TimeStampedModel):
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reading", "user"], name="vote_one_per_user"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d} on reading {self.reading_id}"


class Suggestion(TimeStampedModel):
    """What the suggestion jobs propose; a person accepts or rejects it, for everyone."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    comment = models.ForeignKey("forum.Comment", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("glossary.Term", on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def workspace(self):
        return self.comment.thread.workspace


class Mention(Suggestion):
    """Term T appears at comment.text[start:end] (found by the term matcher)."""

    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["comment_id", "start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "term", "start", "end"], name="mention_unique"
            ),
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="mention_span"),
        ]

    def __str__(self) -> str:
        return f"{self.text} @ {self.comment_id}:{self.start}"


class DefinitionCandidate(Suggestion):
    """The sentence at comment.text[start:end] looks like an explicit definition of a term.

    The defined phrase may not be a known term yet: then `term` is empty and accepting the
    candidate creates the term from `term_text`."""

    # SET_NULL: deleting a term keeps the decisions people made on its candidates.
    term = models.ForeignKey(
        "glossary.Term", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    term_text = models.CharField(max_length=200)
    sentence = models.TextField()
    definition_text = models.TextField()
    pattern = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["comment_id", "start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "term_text", "start", "end"],
                name="definition_candidate_unique",
            ),
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="definition_candidate_span"
            ),
        ]

    def __str__(self) -> str:
        return self.definition_text[:80]

"""Workspaces decide who reads and who writes a set of threads and their glossary."""

from django.conf import settings
from django.db import models

from apps.core.models import TimeStampedModel


class Workspace(TimeStampedModel):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone reads, any user writes"
        RESTRICTED = "restricted", "Restricted: anyone reads, members write"
        PRIVATE = "private", "Private: members only"

    DEFAULT_SLUG = "public"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="workspaces"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "restricted", "private"]),
                name="workspace_visibility_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace}"

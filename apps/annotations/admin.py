from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.annotations.models import Claim, ClaimLink, DefinitionCandidate, Mention, Reading, Vote
from apps.annotations.services import term_claim_counts_refresh, terms_read_under


class KeepsClaimCounts:
    """For admins whose deletes (and edits) cascade to readings without the services: the
    terms those readings carried get their `claim_count` recounted in the same transaction."""

    # From the admin's model to the term of a reading.
    term_path: str

    def _terms(self, queryset: QuerySet) -> set[int]:
        return terms_read_under(queryset, self.term_path)

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        terms = self._terms(type(obj).objects.filter(pk=obj.pk))
        super().delete_model(request, obj)
        term_claim_counts_refresh(terms)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        terms = self._terms(queryset)
        super().delete_queryset(request, queryset)
        term_claim_counts_refresh(terms)

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = self._terms(type(obj).objects.filter(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        term_claim_counts_refresh(before | self._terms(type(obj).objects.filter(pk=obj.pk)))


@admin.register(Claim)
class ClaimAdmin(KeepsClaimCounts, admin.ModelAdmin):
    term_path = "readings__term"
    list_display = ["__str__", "comment", "anchor", "created_by", "created_at"]
    list_filter = ["anchor"]
    search_fields = ["quote", "note"]
    readonly_fields = ["quote", "prefix", "suffix"]
    raw_id_fields = ["comment", "created_by"]


@admin.register(ClaimLink)
class ClaimLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target", "created_by"]
    list_filter = ["kind"]
    raw_id_fields = ["source", "target", "created_by"]


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Reading)
class ReadingAdmin(KeepsClaimCounts, admin.ModelAdmin):
    term_path = "term"
    list_display = ["__str__", "kind", "origin", "votes_up", "votes_down", "created_at"]
    list_filter = ["kind", "origin"]
    readonly_fields = ["votes_up", "votes_down"]
    raw_id_fields = ["claim", "term", "definition", "decomposition", "created_by"]
    inlines = [VoteInline]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["reading", "user", "value", "created_at"]
    raw_id_fields = ["reading", "user"]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["text", "term", "comment", "start", "status"]
    list_filter = ["status"]
    raw_id_fields = ["comment", "term", "decided_by"]


@admin.register(DefinitionCandidate)
class DefinitionCandidateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "term", "comment", "pattern", "status"]
    list_filter = ["status", "pattern"]
    search_fields = ["sentence", "definition_text"]
    raw_id_fields = ["comment", "term", "decided_by"]

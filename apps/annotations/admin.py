from django.contrib import admin

from apps.annotations.models import Claim, ClaimLink, DefinitionCandidate, Mention, Reading, Vote


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
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
class ReadingAdmin(admin.ModelAdmin):
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

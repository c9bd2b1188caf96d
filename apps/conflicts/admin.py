from django.contrib import admin

from apps.conflicts.models import Conflict, ConflictReview


class ConflictReviewInline(admin.TabularInline):
    model = ConflictReview
    extra = 0
    readonly_fields = ["action", "from_status", "to_status", "note", "actor", "created_at"]
    can_delete = False


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "severity", "thread", "term", "updated_at"]
    list_filter = ["kind", "status", "severity"]
    search_fields = ["summary", "fingerprint"]
    readonly_fields = ["fingerprint", "evidence_hash", "detected_at"]
    raw_id_fields = ["workspace", "thread", "term"]
    inlines = [ConflictReviewInline]


@admin.register(ConflictReview)
class ConflictReviewAdmin(admin.ModelAdmin):
    list_display = ["conflict", "action", "from_status", "to_status", "actor", "created_at"]
    raw_id_fields = ["conflict", "actor"]

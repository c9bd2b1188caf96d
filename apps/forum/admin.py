from django.contrib import admin

from apps.annotations.admin import KeepsClaimCounts
from apps.forum.models import Comment, Thread


@admin.register(Thread)
class ThreadAdmin(KeepsClaimCounts, admin.ModelAdmin):
    term_path = "comments__claims__readings__term"
    list_display = ["title", "source", "workspace", "created_at"]
    list_filter = ["source", "workspace"]
    search_fields = ["title", "external_id", "source_url"]
    raw_id_fields = ["created_by"]


@admin.register(Comment)
class CommentAdmin(KeepsClaimCounts, admin.ModelAdmin):
    term_path = "claims__readings__term"
    list_display = ["__str__", "thread", "author", "posted_at"]
    list_filter = ["thread__source"]
    search_fields = ["text", "author", "external_id"]
    raw_id_fields = ["thread", "parent"]

from django.contrib import admin

from apps.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "created_by", "status", "stage", "comments_total", "thread", "created_at"]
    list_filter = ["status", "stage"]
    readonly_fields = ["result", "error"]
    raw_id_fields = ["created_by", "workspace", "target_thread", "thread"]
    exclude = ["content"]

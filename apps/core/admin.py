from django.contrib import admin

from apps.core.models import OutboxJob


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    """Jobs waiting to run; the ones at their retry limit have stopped and need a look."""

    list_display = ["task", "key", "requested_at", "enqueued_at", "attempts", "last_error"]
    list_filter = ["task"]
    search_fields = ["key", "last_error"]

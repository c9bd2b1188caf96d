from django.conf import settings
from django.contrib import admin, messages

from apps.core.models import OutboxJob
from apps.core.outbox import dispatch


class JobStateFilter(admin.SimpleListFilter):
    """Which jobs are waiting for their first run, failing and retried, or stopped for good."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Waiting (no failed run)"),
            ("retrying", "Failed, will be retried"),
            ("stopped", "Stopped at the retry limit"),
        ]

    def queryset(self, request, queryset):
        limit = settings.OUTBOX_MAX_ATTEMPTS
        if self.value() == "waiting":
            return queryset.filter(attempts=0)
        if self.value() == "retrying":
            return queryset.filter(attempts__gt=0, attempts__lt=limit)
        if self.value() == "stopped":
            return queryset.filter(attempts__gte=limit)
        return queryset


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    """Jobs waiting to run; the ones at their retry limit have stopped and need a look."""

    list_display = ["task", "key", "requested_at", "enqueued_at", "attempts", "last_error"]
    list_filter = [JobStateFilter, "task"]
    search_fields = ["key", "last_error"]
    actions = ["run_again"]

    @admin.action(description="Run the selected jobs again, with a fresh retry count")
    def run_again(self, request, queryset):
        jobs = list(queryset.values_list("task", "key"))
        queryset.update(attempts=0, enqueued_at=None, last_error="")
        sent = sum(dispatch(task, [key]) for task, key in jobs)
        self.message_user(
            request,
            f"{sent} of {len(jobs)} jobs sent again; the others wait for the relay.",
            messages.SUCCESS if sent == len(jobs) else messages.WARNING,
        )

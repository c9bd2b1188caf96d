"""What other apps call, inside their write transactions, to have suggestions refreshed.

Like apps/conflicts/triggers.py it imports no models, so the glossary and the importers can
ask for a refresh without depending on this app; the job runs through the outbox after
commit, and a burst of glossary edits is one refresh per thread."""

from collections.abc import Iterable

from apps.core.outbox import request_jobs

SUGGEST_TASK = "apps.annotations.tasks.refresh_suggestions_task"


def refresh_threads(thread_ids: Iterable[int]) -> None:
    keys = {f"thread:{thread}": thread for thread in thread_ids}
    request_jobs(SUGGEST_TASK, keys, threads=keys)


def refresh_workspace(workspace_id: int) -> None:
    """The glossary changed: what the term matcher finds may change in every thread."""
    request_jobs(SUGGEST_TASK, [f"workspace:{workspace_id}"])

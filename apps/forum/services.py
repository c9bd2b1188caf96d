"""Writes to threads that are not imports: renaming and deleting."""

from django.db import transaction

from apps.annotations.services import term_claim_counts_refresh, terms_read_under
from apps.core.errors import ApplicationError
from apps.forum.models import Thread


@transaction.atomic
def thread_update(*, thread: Thread, title: str | None = None) -> Thread:
    if title is not None:
        title = title.strip()
        if not title:
            raise ApplicationError("A thread needs a title.", code="invalid_title")
        thread.title = title
    thread.save()
    return thread


@transaction.atomic
def thread_delete(*, thread: Thread) -> None:
    terms = terms_read_under(
        Thread.objects.filter(pk=thread.pk), "comments__claims__readings__term"
    )
    thread.delete()  # and its claims with their readings
    term_claim_counts_refresh(terms)

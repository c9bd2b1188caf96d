"""Keeping conflicts right when a term is deleted.

The glossary does not know about conflicts (this app depends on it), so the deletion is
observed here. Conflicts about the term lose their subject and go with it; a decomposition
mismatch only names its first shared term, so it stays (term set to null) and its threads
are re-detected, which files it under a shared term that is left or retires it."""

from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from apps.annotations.models import Reading
from apps.conflicts import triggers
from apps.conflicts.models import Conflict
from apps.glossary.models import Term

K = Conflict.Kind


@receiver(pre_delete, sender=Term, dispatch_uid="conflicts-term-deleted")
def term_deleted(sender, instance: Term, **kwargs) -> None:
    Conflict.objects.filter(
        Q(kind__in=[K.EQUIVOCATION, K.AMBIGUOUS_USAGE, K.CONTESTED_READING], term=instance)
        | Q(kind=K.SYNONYM_CANDIDATE) & (Q(term=instance) | Q(other_term=instance))
    ).delete()
    threads = Reading.objects.filter(decomposition__definitions__term=instance).values_list(
        "claim__comment__thread_id", flat=True
    )
    triggers.decomposition_readings_changed(set(threads))

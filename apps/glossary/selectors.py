"""Reads of terms, definitions and decompositions, filtered to what the user may see."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from apps.glossary.models import Decomposition, Definition, DefinitionRevision, Term, TermAlias
from apps.glossary.normalize import normalize_term
from apps.workspaces.selectors import readable_q


def terms_visible(user: Any) -> QuerySet[Term]:
    return Term.objects.filter(readable_q(user, "workspace"))


def term_list(user: Any) -> QuerySet[Term]:
    aliases = TermAlias.objects.filter(is_canonical=False).order_by("text")
    return (
        terms_visible(user)
        .select_related("workspace", "created_by")
        .prefetch_related(Prefetch("variants", queryset=aliases, to_attr="alias_rows"))
    )


def terms_matching(queryset: QuerySet[Term], text: str) -> QuerySet[Term]:
    """Terms whose name or any alias contains `text`, compared as normalised variants too."""
    key = normalize_term(text)
    match = Q(variants__text__icontains=text)
    if key:
        match |= Q(variants__normalized__contains=key)
    return queryset.filter(id__in=Term.objects.filter(match).values("id"))


def definitions_visible(user: Any) -> QuerySet[Definition]:
    return Definition.objects.filter(readable_q(user, "term__workspace"))


def definitions_with_term(user: Any) -> QuerySet[Definition]:
    return definitions_visible(user).select_related("term")


def definition_list(user: Any) -> QuerySet[Definition]:
    return (
        definitions_visible(user)
        .select_related("term", "created_by")
        .prefetch_related("equivalences_as_first", "equivalences_as_second")
    )


def decompositions_visible(user: Any) -> QuerySet[Decomposition]:
    return Decomposition.objects.filter(readable_q(user, "workspace"))


def decomposition_list(user: Any) -> QuerySet[Decomposition]:
    return (
        decompositions_visible(user)
        .select_related("workspace", "created_by")
        .prefetch_related(
            Prefetch("definitions", queryset=Definition.objects.select_related("term"))
        )
    )


def definition_revisions(definition: Definition) -> QuerySet[DefinitionRevision]:
    return DefinitionRevision.objects.filter(definition=definition).select_related("edited_by")

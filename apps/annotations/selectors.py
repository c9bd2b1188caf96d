"""Reads of claims, links, readings and suggestions, filtered to what the user may see."""

from typing import Any

from django.db.models import F, Prefetch, QuerySet

from apps.annotations.models import Claim, ClaimLink, DefinitionCandidate, Mention, Reading, Vote
from apps.workspaces.selectors import readable_q

CLAIM_WORKSPACE = "comment__thread__workspace"


def claims_visible(user: Any) -> QuerySet[Claim]:
    return Claim.objects.filter(readable_q(user, CLAIM_WORKSPACE))


def claims_with_workspace(user: Any) -> QuerySet[Claim]:
    return claims_visible(user).select_related(CLAIM_WORKSPACE)


# Lists read the names they show as columns, not as related rows: a page of claims holds a few
# hundred readings, and building a Term, a Definition and a User for each was most of its time.


def _readings_with_my_vote(user: Any) -> QuerySet[Reading]:
    readings = Reading.objects.annotate(
        term_name=F("term__name"),
        definition_label=F("definition__label"),
        definition_text=F("definition__text"),
        decomposition_name=F("decomposition__name"),
        created_by_username=F("created_by__username"),
    )
    mine = Vote.objects.filter(user_id=getattr(user, "id", None) or 0)
    return readings.prefetch_related(Prefetch("votes", queryset=mine, to_attr="my_votes"))


def claim_list(user: Any) -> QuerySet[Claim]:
    return (
        claims_visible(user)
        .annotate(
            comment_thread=F("comment__thread_id"),
            comment_author=F("comment__author"),
            created_by_username=F("created_by__username"),
        )
        .prefetch_related(Prefetch("readings", queryset=_readings_with_my_vote(user)))
    )


def claim_links_visible(user: Any) -> QuerySet[ClaimLink]:
    return ClaimLink.objects.filter(readable_q(user, f"source__{CLAIM_WORKSPACE}")).select_related(
        "source__comment", "created_by"
    )


def readings_visible(user: Any) -> QuerySet[Reading]:
    return Reading.objects.filter(readable_q(user, f"claim__{CLAIM_WORKSPACE}"))


def reading_list(user: Any) -> QuerySet[Reading]:
    return _readings_with_my_vote(user).filter(readable_q(user, f"claim__{CLAIM_WORKSPACE}"))


def mentions_visible(user: Any) -> QuerySet[Mention]:
    return Mention.objects.filter(readable_q(user, "comment__thread__workspace")).select_related(
        "term", "comment"
    )


def definition_candidates_visible(user: Any) -> QuerySet[DefinitionCandidate]:
    return DefinitionCandidate.objects.filter(
        readable_q(user, "comment__thread__workspace")
    ).select_related("term", "comment")

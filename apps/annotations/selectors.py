"""Reads of claims, links, readings and suggestions, filtered to what the user may see."""

from collections.abc import Iterable
from typing import Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.accounts.models import User
from apps.annotations.models import Claim, ClaimLink, DefinitionCandidate, Mention, Reading, Vote
from apps.glossary.models import Term
from apps.workspaces.selectors import readable_q

CLAIM_WORKSPACE = "comment__thread__workspace"


def claims_visible(user: Any) -> QuerySet[Claim]:
    return Claim.objects.filter(readable_q(user, CLAIM_WORKSPACE))


def claims_with_workspace(user: Any) -> QuerySet[Claim]:
    return claims_visible(user).select_related(CLAIM_WORKSPACE)


# Lists read the names they show as columns, not as related rows: a page of claims holds a few
# hundred readings, and building a Term, a Definition and a User for each was most of its time.
# The requesting user's vote is a column too (a subquery), not a prefetch.


def _reading_columns(readings: QuerySet[Reading], user: Any) -> QuerySet[Reading]:
    mine = Vote.objects.filter(reading=OuterRef("pk"), user_id=getattr(user, "id", None) or 0)
    return readings.annotate(
        # The term's and the creator's names by a lookup per reading: as joins, PostgreSQL
        # hashed every term and every user (8,000 and 5,000 rows at full scale, 3 of a claims
        # page's 4 ms) to name a few hundred readings.
        term_name=Subquery(Term.objects.filter(pk=OuterRef("term_id")).order_by().values("name")),
        definition_label=F("definition__label"),
        definition_text=F("definition__text"),
        decomposition_name=F("decomposition__name"),
        created_by_username=Subquery(
            User.objects.filter(pk=OuterRef("created_by_id")).values("username")
        ),
        my_vote=Coalesce(Subquery(mine.values("value")[:1]), 0),
    )


def claim_list(user: Any) -> QuerySet[Claim]:
    """Claims with the columns a claim shows; a page of them is read as rows (`claim_rows`)."""
    return claims_visible(user).annotate(
        comment_thread=F("comment__thread_id"),
        comment_author=F("comment__author"),
        created_by_username=F("created_by__username"),
    )


def claim_detail(user: Any) -> QuerySet[Claim]:
    """`claim_list` with each claim's readings (see `reading_list`), for single claims."""
    return claim_list(user).prefetch_related(
        Prefetch("readings", queryset=_reading_columns(Reading.objects, user))
    )


# A page of the claims list is read as plain rows of the columns its serializers read, each
# claim's readings attached by `with_readings`. Building model instances for 50 claims and their
# ~250 readings, and then reading them back attribute by attribute, cost more than the queries.


def claim_rows(claims: QuerySet[Claim], columns: Iterable[str]) -> QuerySet:
    """A `claim_list` queryset (filtered and ordered) as rows of these columns."""
    return claims.values(*columns)


def with_readings(user: Any, claims: list[dict], columns: Iterable[str]) -> list[dict]:
    """Attach to each claim row its readings' rows (of these columns, `claim_id` among them),
    in id order, in one query."""
    readings: dict[int, list[dict]] = {claim["id"]: [] for claim in claims}
    rows = _reading_columns(Reading.objects.filter(claim_id__in=readings), user)
    for reading in rows.order_by("claim_id", "id").values(*columns):
        readings[reading["claim_id"]].append(reading)
    for claim in claims:
        claim["readings"] = readings[claim["id"]]
    return claims


def claim_links_visible(user: Any) -> QuerySet[ClaimLink]:
    return ClaimLink.objects.filter(readable_q(user, f"source__{CLAIM_WORKSPACE}")).select_related(
        "source__comment", "created_by"
    )


def readings_visible(user: Any) -> QuerySet[Reading]:
    return Reading.objects.filter(readable_q(user, f"claim__{CLAIM_WORKSPACE}"))


def reading_list(user: Any) -> QuerySet[Reading]:
    return _reading_columns(readings_visible(user), user)


def as_created(reading: Reading) -> Reading:
    """A reading just created, with the columns `reading_list` annotates, from the rows
    `reading_create` had in hand (its term, definition or decomposition, its creator and
    their +1): reading it back was a join of five tables in the write's path."""
    reading.term_name = reading.term.name if reading.term else None
    reading.definition_label = reading.definition.label if reading.definition else None
    reading.definition_text = reading.definition.text if reading.definition else None
    reading.decomposition_name = reading.decomposition.name if reading.decomposition else None
    reading.created_by_username = reading.created_by.username
    reading.my_vote = 1
    return reading


def mentions_visible(user: Any) -> QuerySet[Mention]:
    return Mention.objects.filter(readable_q(user, "comment__thread__workspace")).select_related(
        "term", "comment"
    )


def definition_candidates_visible(user: Any) -> QuerySet[DefinitionCandidate]:
    return DefinitionCandidate.objects.filter(
        readable_q(user, "comment__thread__workspace")
    ).select_related("term", "comment")

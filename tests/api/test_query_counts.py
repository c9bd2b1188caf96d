"""Every list and detail endpoint runs a constant number of queries, whatever the page, thread
or corpus size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import DefinitionCandidate, Mention
from apps.annotations.services import claim_link_create, reading_vote
from apps.conflicts.models import Conflict
from apps.conflicts.services import conflict_review
from apps.glossary.services import definitions_mark_equivalent
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    public_workspace,
)

# (endpoint, the most queries it may run: each named)
BUDGETS = [
    # count, page
    ("/api/threads/", 2),
    ("/api/comments/", 2),
    # count, page, readings (the user's votes a column)
    ("/api/claims/", 3),
    # count, page
    ("/api/claim-links/", 2),
    # count, page, aliases
    ("/api/terms/", 3),
    # count, page, equivalences (both directions)
    ("/api/definitions/", 4),
    # count, page, definitions
    ("/api/decompositions/", 3),
    # count, page (the user's votes a column)
    ("/api/readings/", 2),
    # count, page, review history with actors
    ("/api/conflicts/", 3),
    ("/api/mentions/", 2),
    ("/api/definition-candidates/", 2),
    ("/api/workspaces/", 2),
]


def build_corpus(numbers: range, alice, bob, rita) -> None:
    """One thread per number, each with claims, readings, votes, links, suggestions, a conflict."""
    for n in numbers:
        thread = make_thread()
        comments = list(thread.comments.order_by("position"))
        term = make_term(alice, f"term {n}", aliases=[f"alias {n}", f"other alias {n}"])
        senses = [make_definition(alice, term, f"sense {i} of term {n}") for i in range(2)]
        definitions_mark_equivalent(user=rita, definition=senses[0], other=senses[1])
        make_decomposition(alice, f"split {n}", senses)
        claims = [make_claim(alice, comment) for comment in comments]
        claim_link_create(user=alice, source=claims[1], target=claims[0], kind="attacks")
        for claim, sense in zip(claims, senses * 2, strict=False):
            reading = make_reading(alice, claim, sense)
            reading_vote(reading=reading, user=bob, value=-1)
        conflict = Conflict.objects.create(
            workspace=public_workspace(),
            thread=thread,
            term=term,
            kind=Conflict.Kind.EQUIVOCATION,
            fingerprint=f"fp-{n}",
            evidence={},
        )
        conflict_review(conflict=conflict, user=rita, action="confirm")
        Mention.objects.create(comment=comments[0], term=term, start=0, end=5, text="Outer")
        DefinitionCandidate.objects.create(
            comment=comments[0], term=term, start=0, end=10, sentence="x", definition_text="y"
        )


def queries_for(client, url: str, page_size: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) > 0, url
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "budget"), BUDGETS)
def test_list_query_count_is_constant(
    url, budget, alice, bob, rita, api_client_for, django_assert_max_num_queries
) -> None:
    client = api_client_for(alice)
    build_corpus(range(2), alice, bob, rita)
    small = queries_for(client, url, 1)
    build_corpus(range(2, 6), alice, bob, rita)
    with django_assert_max_num_queries(budget):
        large = queries_for(client, url, 50)
    assert small == large


# Detail endpoints: (list endpoint, the most queries a detail may run). Each is the list's
# budget without its count query: the object, then the same prefetches.
DETAIL_BUDGETS = [(url, budget - 1) for url, budget in BUDGETS if url != "/api/threads/"]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "budget"), DETAIL_BUDGETS)
def test_detail_query_count_does_not_grow_with_the_corpus(
    url, budget, alice, bob, rita, api_client_for, django_assert_max_num_queries
) -> None:
    client = api_client_for(alice)
    build_corpus(range(2), alice, bob, rita)

    def key(item: dict) -> str:
        return item.get("slug") or item["id"]  # workspaces are addressed by slug

    first = key(client.get(url, {"page_size": 1}).json()["results"][0])
    build_corpus(range(2, 6), alice, bob, rita)
    last = key(client.get(url, {"page_size": 200}).json()["results"][-1])
    counts = []
    for object_id in (first, last):
        with django_assert_max_num_queries(budget), CaptureQueriesContext(connection) as seen:
            response = client.get(f"{url}{object_id}/")
        assert response.status_code == 200, response.content
        counts.append(len(seen))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_import_job_list_and_detail_query_counts_are_constant(
    alice, api_client_for, django_assert_max_num_queries
) -> None:
    client = api_client_for(alice)
    for n in range(3):
        response = client.post(
            "/api/threads/import/",
            {"format": "text", "content": f"Post {n}.\n\nA reply {n}.", "background": True},
            format="json",
        )
        assert response.status_code == 202, response.content
    # count, page
    with django_assert_max_num_queries(2):
        jobs = client.get("/api/import-jobs/").json()["results"]
    assert len(jobs) == 3
    # the job
    with django_assert_max_num_queries(1):
        assert client.get(f"/api/import-jobs/{jobs[0]['id']}/").status_code == 200


@pytest.mark.django_db
def test_thread_detail_query_count_does_not_grow_with_the_thread(
    alice, anon_client, django_assert_max_num_queries
) -> None:
    small = make_thread(texts=("one", "two"))
    large = make_thread(texts=tuple(f"comment {i}" for i in range(60)))
    for comment in large.comments.all()[:30]:
        make_claim(alice, comment)
    counts = []
    for thread in (small, large):
        # the thread with its counts, its comments
        with django_assert_max_num_queries(2), CaptureQueriesContext(connection) as captured:
            anon_client.get(f"/api/threads/{thread.id}/")
        counts.append(len(captured))
    assert counts[0] == counts[1]

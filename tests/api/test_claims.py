import pytest

from apps.annotations.models import Reading
from apps.annotations.services import reading_create, reading_vote
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
)

pytestmark = pytest.mark.django_db


def test_create_claim_computes_quote_prefix_and_suffix(alice, api_client_for) -> None:
    thread = make_thread()
    comment = thread.comments.get(position=1)
    start = comment.text.index("in the limit")
    end = start + len("in the limit of infinite data")

    response = api_client_for(alice).post(
        "/api/claims/", {"comment": comment.id, "start": start, "end": end}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quote"] == "in the limit of infinite data"
    assert body["prefix"] == comment.text[max(0, start - 32) : start]
    assert body["suffix"] == comment.text[end : end + 32]
    assert body["thread"] == thread.id
    assert body["author"] == comment.author
    assert body["created_by"] == "alice"
    assert body["anchor"] == "anchored"


def test_client_cannot_choose_the_quote(alice, api_client_for) -> None:
    comment = make_thread().comments.first()
    response = api_client_for(alice).post(
        "/api/claims/",
        {"comment": comment.id, "start": 0, "end": 5, "quote": "forged", "created_by": 999},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["quote"] == comment.text[:5]
    assert response.json()["created_by"] == "alice"


def test_claims_filtered_by_thread_comment_term_author_annotator_and_text(
    alice, bob, anon_client
) -> None:
    thread, other = make_thread(), make_thread()
    first, second = thread.comments.order_by("position")[:2]
    term = make_term(alice)
    sense = make_definition(alice, term, "the reward is right on the training distribution")
    read = make_claim(alice, first, "training distribution")
    unread = make_claim(bob, second, "infinite data")
    elsewhere = make_claim(bob, other.comments.first())
    make_reading(alice, read, sense)

    def ids(query: str) -> set[int]:
        response = anon_client.get(f"/api/claims/?{query}")
        assert response.status_code == 200
        return {c["id"] for c in response.json()["results"]}

    assert ids(f"thread={thread.id}") == {read.id, unread.id}
    assert ids(f"comment={second.id}") == {unread.id}
    assert ids(f"term={term.id}") == {read.id}
    assert ids(f"definition={sense.id}") == {read.id}
    assert ids(f"author={first.author.upper()}") >= {read.id}
    assert ids("annotator=bob") == {unread.id, elsewhere.id}
    assert ids("q=infinite") >= {unread.id}
    assert read.id not in ids("q=infinite")


def test_claim_lists_its_readings_with_tallies_and_my_vote(alice, bob, api_client_for) -> None:
    thread = make_thread()
    claim = make_claim(alice, thread.comments.first())
    term = make_term(alice)
    reading = make_reading(alice, claim, make_definition(alice, term, "a sense"))

    body = api_client_for(bob).get(f"/api/claims/{claim.id}/").json()
    assert body["readings"] == [
        {
            **body["readings"][0],
            "id": reading.id,
            "kind": "sense",
            "term": term.id,
            "term_name": "outer alignment",
            "votes_up": 1,
            "votes_down": 0,
            "my_vote": 0,
        }
    ]
    assert (
        api_client_for(alice).get(f"/api/claims/{claim.id}/").json()["readings"][0]["my_vote"] == 1
    )


def test_a_claim_in_the_list_is_the_claim_in_detail(alice, bob, api_client_for) -> None:
    """The list serialises rows and the detail model instances: the same JSON either way, for
    every kind of reading (a person's sense, a decomposition, a suggestion with a confidence)
    and the reader's own votes."""
    claim = make_claim(alice, make_thread().comments.first())
    term = make_term(alice)
    sense = make_definition(alice, term, "a sense", label="first")
    other = make_definition(alice, term, "another sense")
    make_reading(alice, claim, sense)
    decomposition = reading_create(
        user=bob, claim=claim, decomposition=make_decomposition(alice, "two senses", [sense])
    )
    reading_vote(reading=decomposition, user=alice, value=-1)
    Reading.objects.create(
        claim=claim,
        kind=Reading.Kind.SENSE,
        term=term,
        definition=other,
        origin=Reading.Origin.SUGGESTION,
        confidence=0.75,
    )

    for user in (alice, bob, None):
        client = api_client_for(user)
        listed = client.get(f"/api/claims/?comment={claim.comment_id}").json()["results"]
        assert listed == [client.get(f"/api/claims/{claim.id}/").json()]
        assert len(listed[0]["readings"]) == 3


def test_owner_moves_the_span_and_the_quote_follows(alice, api_client_for) -> None:
    comment = make_thread().comments.first()
    claim = make_claim(alice, comment, "training distribution")
    response = api_client_for(alice).patch(
        f"/api/claims/{claim.id}/", {"start": 0, "note": "the whole opening"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["quote"] == comment.text[: claim.end]
    assert response.json()["note"] == "the whole opening"


def test_claim_links_connect_claims_of_one_thread(alice, api_client_for, anon_client) -> None:
    thread = make_thread()
    first, second = (make_claim(alice, c) for c in thread.comments.order_by("position")[:2])
    client = api_client_for(alice)

    response = client.post(
        "/api/claim-links/",
        {"source": second.id, "target": first.id, "kind": "attacks"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["thread"] == thread.id
    listed = anon_client.get(f"/api/claim-links/?claim={first.id}").json()["results"]
    assert [(link["source"], link["kind"], link["target"]) for link in listed] == [
        (second.id, "attacks", first.id)
    ]

import pytest

from apps.annotations.models import Vote
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(alice):
    return make_claim(alice, make_thread().comments.first())


@pytest.fixture
def sense(alice):
    return make_definition(alice, make_term(alice), "good behaviour on the training distribution")


def test_sense_reading_starts_with_its_creators_vote(claim, sense, bob, api_client_for) -> None:
    response = api_client_for(bob).post(
        "/api/readings/",
        {"claim": claim.id, "term": sense.term_id, "definition": sense.id},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["votes_up"], body["votes_down"], body["my_vote"]) == (
        "sense",
        1,
        0,
        1,
    )
    assert body["definition_text"] == sense.text
    assert body["origin"] == "person"


def test_term_may_be_left_out_of_a_sense_reading(claim, sense, alice, api_client_for) -> None:
    response = api_client_for(alice).post(
        "/api/readings/", {"claim": claim.id, "definition": sense.id}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["term"] == sense.term_id


def test_decomposition_reading(claim, sense, alice, api_client_for) -> None:
    split = make_decomposition(alice, "Training-distribution split", [sense])
    response = api_client_for(alice).post(
        "/api/readings/", {"claim": claim.id, "decomposition": split.id}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["decomposition_name"], body["term"]) == (
        "decomposition",
        "Training-distribution split",
        None,
    )


@pytest.mark.parametrize("kind", ["sense", "decomposition"])
def test_created_reading_is_answered_as_it_reads_back(
    claim, sense, bob, api_client_for, kind
) -> None:
    """The answer to a create is built from the rows in hand, not read back: it must be what
    reading it back gives."""
    client = api_client_for(bob)
    if kind == "sense":
        payload = {"claim": claim.id, "term": sense.term_id, "definition": sense.id}
    else:
        payload = {"claim": claim.id, "decomposition": make_decomposition(bob, "Split", [sense]).id}
    response = client.post("/api/readings/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == client.get(f"/api/readings/{response.json()['id']}/").json()


def test_votes_one_per_user_change_and_withdraw(claim, sense, alice, bob, rita, api_client_for):
    reading = make_reading(alice, claim, sense)
    url = f"/api/readings/{reading.id}/vote/"

    def vote(user, value):
        response = api_client_for(user).post(url, {"value": value}, format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    assert vote(bob, -1)["votes_down"] == 1
    assert vote(bob, -1)["votes_down"] == 1  # voting again does not count twice
    body = vote(rita, 1)
    assert (body["votes_up"], body["votes_down"], body["my_vote"]) == (2, 1, 1)
    body = vote(bob, 1)  # changing one's mind moves the vote
    assert (body["votes_up"], body["votes_down"]) == (3, 0)
    body = vote(alice, 0)  # withdrawing removes it
    assert (body["votes_up"], body["votes_down"], body["my_vote"]) == (2, 0, 0)
    assert Vote.objects.filter(reading=reading).count() == 2


def test_readings_filtered_by_thread_term_and_kind(claim, sense, alice, anon_client) -> None:
    reading = make_reading(alice, claim, sense)
    thread_id = claim.comment.thread_id
    for query in (f"thread={thread_id}", f"term={sense.term_id}", "kind=sense"):
        results = anon_client.get(f"/api/readings/?{query}").json()["results"]
        assert [r["id"] for r in results] == [reading.id], query
    assert anon_client.get("/api/readings/?kind=decomposition").json()["results"] == []

import pytest
from django.utils import timezone

from apps.conflicts.models import Conflict
from tests.factories import make_term, make_thread, public_workspace

pytestmark = pytest.mark.django_db


def make_conflict(**fields) -> Conflict:
    defaults = {
        "workspace": public_workspace(),
        "kind": Conflict.Kind.EQUIVOCATION,
        "fingerprint": f"fp-{Conflict.objects.count()}",
        "severity": 3,
        "evidence": {"claims": []},
    }
    return Conflict.objects.create(**{**defaults, **fields})


def test_review_queue_orders_by_severity_then_recency(anon_client) -> None:
    low = make_conflict(severity=1)
    high_old = make_conflict(severity=5)
    high_new = make_conflict(severity=5)
    results = anon_client.get("/api/conflicts/").json()["results"]
    assert [c["id"] for c in results] == [high_new.id, high_old.id, low.id]


def test_filters_by_status_kind_term_and_thread(alice, anon_client) -> None:
    thread, term = make_thread(), make_term(alice)
    wanted = make_conflict(thread=thread, term=term)
    make_conflict(kind=Conflict.Kind.SYNONYM_CANDIDATE)
    make_conflict(
        kind=Conflict.Kind.CONTESTED_READING, status=Conflict.Status.DISMISSED, thread=thread
    )
    for query in (f"thread={thread.id}&status=open", f"term={term.id}", "kind=equivocation"):
        results = anon_client.get(f"/api/conflicts/?{query}").json()["results"]
        assert [c["id"] for c in results] == [wanted.id], query
    both = anon_client.get("/api/conflicts/?status=open&status=dismissed").json()["results"]
    assert len(both) == 3


def test_review_transitions_are_kept_in_the_history(rita, api_client_for) -> None:
    conflict = make_conflict()
    client = api_client_for(rita)

    def review(action, note=""):
        response = client.post(
            f"/api/conflicts/{conflict.id}/review/", {"action": action, "note": note}, format="json"
        )
        assert response.status_code == 200, response.json()
        return response.json()

    assert review("confirm")["status"] == "confirmed"
    assert review("dismiss", "both senses are stated openly")["status"] == "dismissed"
    assert review("reopen")["status"] == "open"
    body = review("resolve", "merged the two definitions")
    assert body["status"] == "resolved"
    assert [
        (h["action"], h["from_status"], h["to_status"], h["actor"]) for h in body["history"]
    ] == [
        ("confirm", "open", "confirmed", "rita"),
        ("dismiss", "confirmed", "dismissed", "rita"),
        ("reopen", "dismissed", "open", "rita"),
        ("resolve", "open", "resolved", "rita"),
    ]
    assert body["history"][1]["note"] == "both senses are stated openly"


def test_an_invalid_transition_names_the_current_status(rita, api_client_for) -> None:
    conflict = make_conflict(status=Conflict.Status.RESOLVED)
    response = api_client_for(rita).post(
        f"/api/conflicts/{conflict.id}/review/", {"action": "confirm"}, format="json"
    )
    assert response.status_code == 409
    assert "resolved" in response.json()["error"]["message"]


def test_the_list_shows_each_conflict_as_its_detail_does(rita, api_client_for) -> None:
    """The list serialises plain rows, the detail a model instance: they must agree, with and
    without a thread and term, with a history by the detector and by a reviewer."""
    term = make_term(rita)
    evidence = {"senses": [{"claims": [{"claim": 1, "quote": "“x”", "votes_up": 2}]}], "n": 1.5}
    make_conflict(thread=make_thread(), term=term, evidence=evidence, detected_at=timezone.now())
    reviewed = make_conflict(kind=Conflict.Kind.SYNONYM_CANDIDATE, term=term, other_term=term)
    client = api_client_for(rita)
    for action in ("confirm", "dismiss"):
        review = {"action": action, "note": "named apart on purpose"}
        response = client.post(f"/api/conflicts/{reviewed.id}/review/", review, format="json")
        assert response.status_code == 200, response.json()
    listed = client.get("/api/conflicts/?status=open&status=dismissed").json()["results"]
    assert len(listed) == 2
    for conflict in listed:
        assert conflict == client.get(f"/api/conflicts/{conflict['id']}/").json()
    assert [h["actor"] for h in listed[0]["history"] + listed[1]["history"]].count("rita") == 2

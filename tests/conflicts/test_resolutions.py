"""Resolving a conflict by fixing its cause: merging definitions or splitting a term."""

import pytest

from apps.annotations.models import Reading
from apps.conflicts import detection
from apps.conflicts.models import Conflict
from apps.glossary.models import Term
from tests.conflicts.test_rules import EXCHANGE, INFINITE, TRAINING, comments
from tests.factories import make_claim, make_definition, make_reading, make_term, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def equivocation(alice, bob):
    thread = make_thread(texts=EXCHANGE)
    term = make_term(alice, "outer alignment")
    training = make_definition(alice, term, TRAINING, label="training distribution")
    infinite = make_definition(alice, term, INFINITE, label="infinite data")
    first, second, _ = comments(thread)
    readings = (
        make_reading(alice, make_claim(alice, first), training),
        make_reading(bob, make_claim(bob, second), infinite),
    )
    detection.run([f"thread:{thread.id}"])
    return Conflict.objects.get(kind="equivocation"), term, training, infinite, readings


def resolve(client, conflict, resolution, note=""):
    return client.post(
        f"/api/conflicts/{conflict.id}/review/",
        {"action": "resolve", "note": note, "resolution": resolution},
        format="json",
    )


def test_merge_definitions_marks_them_equivalent_and_resolves(
    equivocation, rita, api_client_for, django_capture_on_commit_callbacks
):
    conflict, _, training, infinite, _ = equivocation
    with django_capture_on_commit_callbacks(execute=True):
        response = resolve(
            api_client_for(rita),
            conflict,
            {"type": "merge_definitions", "definitions": [training.id, infinite.id]},
            note="same sense after all",
        )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "resolved"
    assert body["history"][-1]["note"] == (
        f"Merged definitions {training.id} and {infinite.id}. same sense after all"
    )
    # Detection ran again after the merge: nothing new, and the verdict stands.
    assert list(Conflict.objects.values_list("kind", "status")) == [("equivocation", "resolved")]


def test_split_term_moves_senses_and_readings_to_new_terms(
    equivocation, rita, api_client_for, django_capture_on_commit_callbacks
):
    conflict, term, training, infinite, (read_training, read_infinite) = equivocation
    with django_capture_on_commit_callbacks(execute=True):
        response = resolve(
            api_client_for(rita),
            conflict,
            {
                "type": "split_term",
                "parts": [
                    {
                        "name": "outer alignment (training distribution)",
                        "definitions": [training.id],
                    },
                    {"name": "outer alignment (infinite data)", "definitions": [infinite.id]},
                ],
            },
        )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "resolved"
    new_terms = Term.objects.exclude(id=term.id).order_by("id")
    assert [t.name for t in new_terms] == [
        "outer alignment (training distribution)",
        "outer alignment (infinite data)",
    ]
    training.refresh_from_db()
    assert training.term == new_terms[0]
    assert Reading.objects.get(id=read_training.id).term == new_terms[0]
    assert Reading.objects.get(id=read_infinite.id).term == new_terms[1]
    assert Conflict.objects.filter(status__in=["open", "confirmed"]).count() == 0


def test_resolutions_need_a_reviewer_and_valid_parts(equivocation, alice, rita, api_client_for):
    conflict, _, training, _, _ = equivocation
    merge = {"type": "merge_definitions", "definitions": [training.id, training.id]}
    assert resolve(api_client_for(alice), conflict, merge).status_code == 403
    response = resolve(api_client_for(rita), conflict, merge)
    assert response.status_code == 400
    assert "itself" in response.json()["error"]["message"]
    response = resolve(api_client_for(rita), conflict, {"type": "merge_definitions"})
    assert "exactly two" in response.json()["error"]["message"]
    foreign = make_definition(rita, make_term(rita, "robustness"), "works off-distribution")
    response = resolve(
        api_client_for(rita),
        conflict,
        {"type": "split_term", "parts": [{"name": "x", "definitions": [foreign.id]}]},
    )
    assert response.status_code == 400
    assert "not senses" in response.json()["error"]["message"]
    conflict.refresh_from_db()
    assert conflict.status == "open"
    assert Term.objects.count() == 2


def test_merging_a_synonym_candidates_definitions_keeps_it_resolved(
    alice, rita, api_client_for, django_capture_on_commit_callbacks
):
    inner = make_term(alice, "inner alignment")
    robust = make_term(alice, "objective robustness")
    a = make_definition(alice, inner, "The policy's behavioural objective is the base one.")
    b = make_definition(alice, robust, "The policy's behavioral objective is the base one")
    detection.run([f"term:{inner.id}"])
    conflict = Conflict.objects.get(kind="synonym_candidate")

    with django_capture_on_commit_callbacks(execute=True):
        response = resolve(
            api_client_for(rita),
            conflict,
            {"type": "merge_definitions", "definitions": [a.id, b.id]},
        )

    assert response.status_code == 200, response.json()
    conflict.refresh_from_db()
    assert conflict.status == "resolved"
    assert conflict.evidence["pairs"][0]["marked_equivalent"] is True  # re-detected, kept
    assert [h.action for h in conflict.history.all()] == ["detected", "resolve"]

import pytest

from apps.glossary.models import TermAlias
from tests.factories import make_decomposition, make_definition, make_term

pytestmark = pytest.mark.django_db


def test_create_term_with_aliases(alice, api_client_for) -> None:
    response = api_client_for(alice).post(
        "/api/terms/",
        {"name": "mesa-optimizer", "aliases": ["learned optimizer", "inner optimiser"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "mesa-optimizer"
    assert body["aliases"] == ["inner optimiser", "learned optimizer"]
    assert body["normalized"] == "mesa optimizer"
    assert body["workspace"] == "public"
    assert TermAlias.objects.filter(term_id=body["id"]).count() == 3


def test_term_search_matches_aliases_and_spelling_variants(alice, anon_client) -> None:
    term = make_term(alice, "mesa-optimizer", aliases=["learned optimizer"])
    make_term(alice, "inner alignment")
    for query in ("Mesa Optimisers", "learned", "optimizer"):
        results = anon_client.get("/api/terms/", {"q": query}).json()["results"]
        assert [t["id"] for t in results] == [term.id], query


def test_update_aliases_replaces_them(alice, api_client_for) -> None:
    term = make_term(alice, "robustness", aliases=["robust generalisation"])
    response = api_client_for(alice).patch(
        f"/api/terms/{term.id}/", {"aliases": ["objective robustness"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["aliases"] == ["objective robustness"]
    assert response.json()["name"] == "robustness"


def test_definitions_of_a_term_and_their_equivalence(alice, rita, api_client_for, anon_client):
    inner = make_term(alice, "inner alignment")
    robust = make_term(alice, "objective robustness")
    first = make_definition(alice, inner, "the learned policy pursues the base objective")
    second = make_definition(alice, robust, "the policy's behavioural objective is the base one")

    response = api_client_for(rita).post(
        f"/api/definitions/{first.id}/mark-equivalent/",
        {"definition": second.id, "note": "same sense, different words"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["equivalent_to"] == [second.id]
    other_side = anon_client.get(f"/api/definitions/{second.id}/").json()
    assert other_side["equivalent_to"] == [first.id]
    listed = anon_client.get(f"/api/definitions/?term={inner.id}").json()["results"]
    assert [(d["id"], d["term_name"]) for d in listed] == [(first.id, "inner alignment")]

    response = api_client_for(rita).post(
        f"/api/definitions/{second.id}/unmark-equivalent/", {"definition": first.id}, format="json"
    )
    assert response.json()["equivalent_to"] == []


def test_decomposition_is_a_named_set_of_definitions(alice, api_client_for, anon_client) -> None:
    outer = make_definition(alice, make_term(alice, "outer alignment"), "right on training data")
    inner = make_definition(alice, make_term(alice, "inner alignment"), "right on deployment")
    response = api_client_for(alice).post(
        "/api/decompositions/",
        {"name": "Training-distribution split", "definitions": [outer.id, inner.id]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(d["id"], d["term_name"]) for d in body["definitions"]] == [
        (outer.id, "outer alignment"),
        (inner.id, "inner alignment"),
    ]
    by_term = anon_client.get(f"/api/decompositions/?term={outer.term_id}").json()["results"]
    assert [d["id"] for d in by_term] == [body["id"]]


def test_decomposition_update_changes_its_definitions(alice, api_client_for) -> None:
    outer = make_definition(alice, make_term(alice, "outer alignment"), "right in the limit")
    split = make_decomposition(alice, "Infinite-data split", [outer])
    response = api_client_for(alice).patch(
        f"/api/decompositions/{split.id}/", {"definitions": []}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["definitions"] == []

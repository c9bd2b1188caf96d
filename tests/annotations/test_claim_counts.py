"""`Term.claim_count`, the claims that read a term, kept by every write that changes it.

The claims list filtered by a term pages with it instead of counting (which took seconds for a
term read half a million times), so after each kind of write it must equal a recount."""

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Claim, Reading
from apps.annotations.services import claim_delete, reading_delete
from apps.conflicts.services import term_split
from apps.forum.models import Thread
from apps.forum.services import thread_delete
from apps.glossary.models import Term
from apps.glossary.services import definition_delete
from apps.workspaces.models import Workspace
from tests.factories import make_claim, make_definition, make_reading, make_term, make_thread

pytestmark = pytest.mark.django_db


def recount() -> dict[int, int]:
    claims = Term.objects.annotate(n=Count("readings__claim", distinct=True))
    return dict(claims.values_list("id", "n"))


def kept() -> dict[int, int]:
    return dict(Term.objects.values_list("id", "claim_count"))


@pytest.fixture
def world(alice):
    """Two claims in a thread, a term with two senses and another term with one."""
    thread = make_thread(user=alice)
    first, second, _ = thread.comments.order_by("position")
    term, other = make_term(alice), make_term(alice, "inner alignment")
    senses = [
        make_definition(alice, term, "The reward is right on the training distribution."),
        make_definition(alice, term, "The reward is right in the limit of infinite data."),
    ]
    other_sense = make_definition(alice, other, "The model pursues the reward it was given.")
    claims = [make_claim(alice, first), make_claim(alice, second)]
    return thread, term, other, senses, other_sense, claims


def test_readings_and_claims_created_and_deleted_keep_the_count(world, alice, bob):
    _, term, other, senses, other_sense, (claim, second_claim) = world
    a = make_reading(alice, claim, senses[0])
    b = make_reading(bob, claim, senses[1])  # a second reading of the term on the same claim
    make_reading(alice, claim, other_sense)
    assert kept()[term.id] == 1 and kept() == recount()
    c = make_reading(bob, second_claim, senses[0])
    assert kept()[term.id] == 2 and kept() == recount()

    reading_delete(reading=a)  # the claim still reads the term through b
    assert kept()[term.id] == 2 and kept() == recount()
    reading_delete(reading=b)
    assert kept()[term.id] == 1 and kept() == recount()
    claim_delete(claim=Claim.objects.get(pk=claim.pk))
    assert kept() == recount() == {term.id: 1, other.id: 0}
    reading_delete(reading=c)
    assert kept() == recount() == {term.id: 0, other.id: 0}


def test_bulk_changes_recount_the_terms_they_touch(world, alice, rita):
    thread, term, other, senses, other_sense, claims = world
    for claim in claims:
        for definition in (*senses, other_sense):
            make_reading(alice, claim, definition)
    assert kept() == recount() == {term.id: 2, other.id: 2}

    definition_delete(definition=other_sense)  # its readings go with it
    assert kept() == recount() == {term.id: 2, other.id: 0}

    (narrow,) = term_split(
        user=rita, term=term, parts=[{"name": "narrow outer alignment", "definitions": senses[:1]}]
    )
    assert kept() == recount() == {term.id: 2, other.id: 0, narrow.id: 2}

    thread_delete(thread=thread)
    assert kept() == recount() == {term.id: 0, other.id: 0, narrow.id: 0}


@pytest.mark.parametrize("model", [Reading, Claim, Thread])
def test_deletes_in_the_admin_recount_too(world, alice, rf, admin_user, model):
    _, _, _, senses, _, claims = world
    for claim in claims:
        make_reading(alice, claim, senses[0])
    request = rf.post("/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    first = model.objects.order_by("id").first()
    model_admin.delete_model(request, first)
    assert kept() == recount()
    model_admin.delete_queryset(request, model.objects.all())
    assert kept() == recount() == {t: 0 for t in recount()}


def test_the_claims_list_by_term_pages_with_the_count(world, alice, alice_client):
    _, term, _, senses, other_sense, claims = world
    for claim in claims:
        make_reading(alice, claim, senses[0])
    make_reading(alice, claims[0], senses[1])
    make_reading(alice, claims[0], other_sense)

    with CaptureQueriesContext(connection) as queries:
        page = alice_client.get(f"/api/claims/?term={term.id}&page_size=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]
    second = alice_client.get(page["next"]).json()
    assert {c["id"] for c in page["results"] + second["results"]} == {c.id for c in claims}

    # With any other filter the list counts as usual.
    narrowed = alice_client.get(f"/api/claims/?term={term.id}&comment={claims[0].comment_id}")
    assert narrowed.json()["count"] == 1


def test_a_term_out_of_sight_lists_no_claims(world, alice, bob_client):
    _, term, _, senses, _, claims = world
    make_reading(alice, claims[0], senses[0])
    Workspace.objects.filter(pk=term.workspace_id).update(visibility=Workspace.Visibility.PRIVATE)
    page = bob_client.get(f"/api/claims/?term={term.id}").json()
    assert (page["count"], page["results"]) == (0, [])

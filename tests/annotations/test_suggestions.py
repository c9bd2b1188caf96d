"""The suggestion jobs (mentions, definition candidates) and accepting or rejecting them."""

import json

import pytest
from django.db import transaction

from apps.annotations.models import Claim, DefinitionCandidate, Mention, Reading
from apps.annotations.suggestions import mention_reject, suggestions_refresh
from apps.forum.models import Comment
from apps.glossary.models import Definition, Term
from apps.imports.services import thread_import
from apps.workspaces.models import Workspace
from tests.factories import make_definition, make_term, make_thread, make_workspace

pytestmark = pytest.mark.django_db

S = Mention.Status


@pytest.fixture
def terms(alice) -> dict[str, Term]:
    return {
        "outer": make_term(alice, "outer alignment", aliases=["outer-aligned"]),
        "inner": make_term(alice, "inner alignment"),
    }


def mentions_of(thread) -> list[tuple[int, str, str]]:
    rows = Mention.objects.filter(comment__thread=thread).select_related("term", "comment")
    return [(m.comment.position, m.term.name, m.comment.text[m.start : m.end]) for m in rows]


def test_refresh_finds_mentions_at_exact_offsets(terms) -> None:
    thread = make_thread(
        texts=(
            "Outer alignment is one half; “inner-alignment” is the other.",
            "I’d say the policy is outer aligned but not\ninner alignment-robust.",
        )
    )
    created = suggestions_refresh(thread=thread)
    assert mentions_of(thread) == [
        (0, "outer alignment", "Outer alignment"),
        (0, "inner alignment", "inner-alignment"),
        (1, "outer alignment", "outer aligned"),
        (1, "inner alignment", "inner alignment"),
    ]
    assert created[0] == 4
    assert all(m.status == S.SUGGESTED for m in Mention.objects.all())


def test_refresh_proposes_definitions_linked_to_known_terms(terms) -> None:
    thread = make_thread(
        texts=(
            "outer alignment = the reward is right on the training distribution",
            "By corrigibility I mean accepting correction without resistance.",
        )
    )
    _, created = suggestions_refresh(thread=thread)
    assert created == 2
    rows = {c.term_text: c for c in DefinitionCandidate.objects.all()}
    assert rows["outer alignment"].term == terms["outer"]
    assert rows["outer alignment"].definition_text == (
        "the reward is right on the training distribution"
    )
    assert rows["corrigibility"].term is None  # not a known term yet
    comment = rows["corrigibility"].comment
    assert comment.text[rows["corrigibility"].start : rows["corrigibility"].end] == (
        rows["corrigibility"].sentence
    )


def test_refresh_is_idempotent(terms) -> None:
    thread = make_thread()
    first = suggestions_refresh(thread=thread)
    counts = (Mention.objects.count(), DefinitionCandidate.objects.count())
    assert first == counts and first[0] > 0 and first[1] > 0
    assert suggestions_refresh(thread=thread) == (0, 0)
    assert (Mention.objects.count(), DefinitionCandidate.objects.count()) == counts


def test_rejected_mentions_stay_rejected_after_a_refresh(terms, bob) -> None:
    thread = make_thread()
    suggestions_refresh(thread=thread)
    mention = Mention.objects.filter(term=terms["inner"]).get()
    mention_reject(mention=mention, user=bob)
    suggestions_refresh(thread=thread)
    again = Mention.objects.filter(term=terms["inner"]).get()
    assert (again.id, again.status, again.decided_by) == (mention.id, S.REJECTED, bob)


def test_a_new_term_links_existing_candidates_on_the_next_refresh(alice) -> None:
    thread = make_thread(texts=("By corrigibility I mean accepting correction gracefully.",))
    suggestions_refresh(thread=thread)
    assert DefinitionCandidate.objects.get().term is None
    term = make_term(alice, "corrigibility")
    suggestions_refresh(thread=thread)
    assert DefinitionCandidate.objects.get().term == term


def forum_thread(first: str, second: str) -> str:
    """A ForumMagnum export whose two comments keep their ids while their text changes."""

    def comment(_id: str, text: str, parent: str | None) -> dict:
        return {
            "_id": _id,
            "postedAt": "2026-01-05T10:00:00Z",
            "htmlBody": f"<p>{text}</p>",
            "user": {"displayName": "ada"},
            "parentCommentId": parent,
        }

    post = {
        "_id": "p1",
        "title": "Decompositions",
        "postedAt": "2026-01-05T09:00:00Z",
        "htmlBody": "<p>A post.</p>",
        "user": {"displayName": "ben"},
    }
    comments = [comment("c1", first, None), comment("c2", second, "c1")]
    return json.dumps({"data": {"post": {"result": post}, "comments": {"results": comments}}})


def test_reimport_with_changed_text_drops_stale_suggested_mentions(terms, alice, bob) -> None:
    result = thread_import(
        user=alice,
        content=forum_thread(
            "Inner alignment is hard.", "So is outer alignment, and inner alignment."
        ),
    )
    thread = result.thread
    suggestions_refresh(thread=thread)
    second = Comment.objects.get(thread=thread, external_id="c2")
    rejected = Mention.objects.get(comment=second, term=terms["inner"])
    mention_reject(mention=rejected, user=bob)

    thread_import(user=alice, content=forum_thread("Inner alignment is hard.", "Agreed."))
    suggestions_refresh(thread=thread)

    # The suggested mention of text that is gone is dropped; the decision is kept.
    assert list(Mention.objects.filter(comment=second).values_list("id", "status")) == [
        (rejected.id, S.REJECTED)
    ]
    suggested = Mention.objects.filter(comment__thread=thread, status=S.SUGGESTED)
    assert [(m.comment.external_id, m.text) for m in suggested] == [("c1", "Inner alignment")]


def test_an_import_refreshes_suggestions_after_commit(
    terms, alice, django_capture_on_commit_callbacks
) -> None:
    content = forum_thread("Outer alignment first.", "Then inner alignment.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = thread_import(user=alice, content=content)
    assert callbacks, "the import registered no after-commit job"
    assert mentions_of(result.thread) == [
        (1, "outer alignment", "Outer alignment"),
        (2, "inner alignment", "inner alignment"),
    ]


def test_a_rolled_back_import_enqueues_nothing(
    terms, alice, django_capture_on_commit_callbacks
) -> None:
    content = forum_thread("Outer alignment first.", "Then inner alignment.")
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        thread_import(user=alice, content=content)
        raise RuntimeError("the caller's transaction fails after the import")
    assert callbacks == []
    assert Mention.objects.count() == 0


def test_a_new_term_refreshes_every_thread_of_its_workspace(
    alice, django_capture_on_commit_callbacks
) -> None:
    thread = make_thread(texts=("Mesa optimisers are everywhere.",))
    with django_capture_on_commit_callbacks(execute=True):
        make_term(alice, "mesa-optimizer")
    assert mentions_of(thread) == [(0, "mesa-optimizer", "Mesa optimisers")]


# Accepting and rejecting through the API


@pytest.fixture
def candidate(terms) -> DefinitionCandidate:
    thread = make_thread(
        texts=("Intro.\nouter alignment = the reward is right on the training distribution",)
    )
    suggestions_refresh(thread=thread)
    return DefinitionCandidate.objects.get()


def test_accepting_a_candidate_creates_claim_definition_and_reading(
    candidate, alice, bob, api_client_for
) -> None:
    response = api_client_for(bob).post(
        f"/api/definition-candidates/{candidate.id}/accept/", {"label": "training"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["decided_by"], body["term"]) == (
        "accepted",
        bob.id,
        candidate.term_id,
    )
    claim = Claim.objects.get(id=body["claim"])
    definition = Definition.objects.get(id=body["definition"])
    reading = Reading.objects.get(id=body["reading"])
    assert claim.quote == "outer alignment = the reward is right on the training distribution"
    assert (definition.text, definition.label, definition.proposed_by) == (
        "the reward is right on the training distribution",
        "training",
        candidate.comment.author,
    )
    assert definition.source_claim == claim
    assert (reading.claim, reading.term_id, reading.definition, reading.kind) == (
        claim,
        candidate.term_id,
        definition,
        Reading.Kind.SENSE,
    )

    again = api_client_for(alice).post(f"/api/definition-candidates/{candidate.id}/accept/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "suggestion_accepted"
    assert Definition.objects.count() == 1


def test_accepting_with_corrections_and_an_unknown_term_creates_the_term(
    alice, api_client_for
) -> None:
    thread = make_thread(texts=("By corrigibility I mean accepting correction gracefully.",))
    suggestions_refresh(thread=thread)
    candidate = DefinitionCandidate.objects.get()
    response = api_client_for(alice).post(
        f"/api/definition-candidates/{candidate.id}/accept/",
        {"text": "not resisting correction"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    term = Term.objects.get(name="corrigibility")
    assert response.json()["term"] == term.id
    assert Definition.objects.get().text == "not resisting correction"


def test_rejecting_hides_a_candidate_for_everyone(candidate, alice, bob, api_client_for) -> None:
    response = api_client_for(alice).post(f"/api/definition-candidates/{candidate.id}/reject/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "rejected"
    queue = api_client_for(bob).get("/api/definition-candidates/", {"status": "suggested"})
    assert queue.json()["results"] == []
    everything = api_client_for(bob).get("/api/definition-candidates/").json()["results"]
    assert [c["status"] for c in everything] == ["rejected"]
    late = api_client_for(bob).post(f"/api/definition-candidates/{candidate.id}/accept/")
    assert late.status_code == 409
    assert "rejected by alice" in late.json()["error"]["message"]


def test_accepting_a_mention_with_a_definition_records_the_sense(
    terms, alice, api_client_for
) -> None:
    thread = make_thread(texts=("First sentence. Then outer alignment, as I read it, is easy.",))
    suggestions_refresh(thread=thread)
    mention = Mention.objects.get()
    sense = make_definition(alice, terms["outer"], "the reward is right on training data")
    response = api_client_for(alice).post(
        f"/api/mentions/{mention.id}/accept/", {"definition": sense.id}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "accepted"
    claim = Claim.objects.get(id=body["claim"])
    assert claim.quote == "Then outer alignment, as I read it, is easy."
    assert Reading.objects.get(id=body["reading"]).definition == sense


def test_accepting_a_mention_without_a_definition_only_marks_it(
    terms, alice, api_client_for
) -> None:
    suggestions_refresh(thread=make_thread())
    mention = Mention.objects.filter(term=terms["inner"]).get()
    response = api_client_for(alice).post(f"/api/mentions/{mention.id}/accept/")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["claim"]) == ("accepted", None)
    assert Claim.objects.count() == 0


def test_a_mention_cannot_take_a_sense_of_another_term(terms, alice, api_client_for) -> None:
    suggestions_refresh(thread=make_thread())
    mention = Mention.objects.filter(term=terms["inner"]).get()
    other = make_definition(alice, terms["outer"], "the reward is right")
    response = api_client_for(alice).post(
        f"/api/mentions/{mention.id}/accept/", {"definition": other.id}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "definition_term_mismatch"
    assert Mention.objects.get(id=mention.id).status == S.SUGGESTED


def test_rejecting_a_mention_twice_is_refused(terms, alice, bob, api_client_for) -> None:
    suggestions_refresh(thread=make_thread())
    mention = Mention.objects.filter(term=terms["inner"]).get()
    assert api_client_for(alice).post(f"/api/mentions/{mention.id}/reject/").status_code == 200
    again = api_client_for(bob).post(f"/api/mentions/{mention.id}/reject/")
    assert again.status_code == 409


def test_anonymous_visitors_cannot_decide(candidate, anon_client) -> None:
    mention = Mention.objects.first()
    assert anon_client.post(f"/api/definition-candidates/{candidate.id}/accept/").status_code == 401
    assert anon_client.post(f"/api/mentions/{mention.id}/reject/").status_code == 401
    candidate.refresh_from_db()
    assert candidate.status == S.SUGGESTED


def test_non_members_cannot_decide(alice, bob, api_client_for) -> None:
    restricted = make_workspace(Workspace.Visibility.RESTRICTED, members=(alice,))
    private = make_workspace(Workspace.Visibility.PRIVATE, members=(alice,))
    found = {}
    for workspace in (restricted, private):
        make_term(alice, "outer alignment", workspace=workspace)
        thread = make_thread(workspace=workspace)
        suggestions_refresh(thread=thread)
        found[workspace.visibility] = DefinitionCandidate.objects.filter(
            comment__thread=thread
        ).first()
    bob_client = api_client_for(bob)
    url = "/api/definition-candidates/{}/accept/"
    assert bob_client.post(url.format(found["restricted"].id)).status_code == 403
    assert bob_client.post(url.format(found["private"].id)).status_code == 404
    assert api_client_for(alice).post(url.format(found["restricted"].id)).status_code == 200


def test_suggestions_are_searchable(terms, anon_client) -> None:
    suggestions_refresh(thread=make_thread())
    mentions = anon_client.get("/api/mentions/", {"q": "inner"}).json()["results"]
    assert [m["term_name"] for m in mentions] == ["inner alignment"]
    candidates = anon_client.get("/api/definition-candidates/", {"q": "infinite data"}).json()
    assert [c["term_text"] for c in candidates["results"]] == ["outer alignment"]

"""Definition edits name the version they were made from; each edit keeps the replaced version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.glossary.models import Definition, DefinitionRevision
from tests.factories import make_claim, make_definition, make_term, make_thread, make_workspace

pytestmark = pytest.mark.django_db

TRAINING = "The reward is right on the training distribution."
INFINITE = "The reward is right in the limit of infinite data."


@pytest.fixture
def definition(alice) -> Definition:
    return make_definition(alice, make_term(alice), TRAINING, label="training")


def url(definition: Definition, suffix: str = "") -> str:
    return f"/api/definitions/{definition.id}/{suffix}"


def test_an_edit_adds_one_to_the_version_and_keeps_the_old_one(
    definition, alice, alice_client, anon_client
) -> None:
    assert anon_client.get(url(definition)).json()["version"] == 1
    assert anon_client.get(url(definition, "history/")).json()["results"] == []

    response = alice_client.patch(
        url(definition), {"text": f"  {INFINITE} ", "label": "limit", "version": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["version"], body["text"], body["label"]) == (2, INFINITE, "limit")
    history = anon_client.get(url(definition, "history/")).json()
    assert history["count"] == 1
    (revision,) = history["results"]
    assert {k: revision[k] for k in ("version", "text", "label", "edited_by")} == {
        "version": 1,
        "text": TRAINING,
        "label": "training",
        "edited_by": "alice",
    }
    assert revision["edited_at"] == body["updated_at"]


def test_an_edit_without_a_version_is_refused_and_says_so(definition, alice_client) -> None:
    response = alice_client.patch(url(definition), {"text": INFINITE}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"].startswith("version: Send the version of the definition")
    assert list(error["detail"]) == ["version"]
    definition.refresh_from_db()
    assert (definition.text, definition.version) == (TRAINING, 1)


@pytest.mark.parametrize("version", [0, -1, 2**31, "one", None])
def test_a_version_that_is_not_a_version_number_is_a_400(definition, alice_client, version):
    response = alice_client.patch(url(definition), {"label": "x", "version": version}, "json")
    assert response.status_code == 400
    assert list(response.json()["error"]["detail"]) == ["version"]


def test_an_edit_of_a_stale_version_is_a_409_with_the_current_text(
    definition, alice_client, bob, api_client_for
) -> None:
    first = alice_client.patch(url(definition), {"text": INFINITE, "version": 1}, format="json")
    assert first.status_code == 200

    # bob read version 1 before alice's edit landed.
    definition.created_by = bob
    definition.save(update_fields=["created_by"])  # so bob may edit it at all
    stale = api_client_for(bob).patch(url(definition), {"label": "bob's", "version": 1}, "json")

    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "stale_version"
    assert "Someone else changed this definition" in error["message"]
    assert error["detail"] == {"version": 2, "text": INFINITE, "label": "training"}
    definition.refresh_from_db()
    assert (definition.label, definition.version) == ("training", 2)
    assert definition.revisions.count() == 1


def test_a_version_from_the_future_is_a_409_too(definition, alice_client) -> None:
    response = alice_client.patch(url(definition), {"label": "x", "version": 7}, format="json")
    assert response.status_code == 409
    assert "no version 7" in response.json()["error"]["message"]


def test_a_patch_that_changes_nothing_makes_no_version(definition, alice_client) -> None:
    response = alice_client.patch(url(definition), {"version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert not DefinitionRevision.objects.exists()


def test_history_keeps_every_field_as_it_was_newest_first(definition, alice, alice_client):
    thread = make_thread(user=alice)
    claim = make_claim(alice, thread.comments.first())
    edits = [
        {"proposed_by": "ada", "source_claim": claim.id},
        {"text": INFINITE},
        {"label": "", "source_claim": None},
    ]
    for version, edit in enumerate(edits, start=1):
        response = alice_client.patch(url(definition), {**edit, "version": version}, "json")
        assert response.status_code == 200, response.json()

    history = alice_client.get(url(definition, "history/")).json()["results"]
    fields = ("version", "text", "label", "proposed_by", "source_claim")
    rows = [tuple(revision[f] for f in fields) for revision in history]
    assert rows == [
        (3, INFINITE, "training", "ada", claim.id),
        (2, TRAINING, "training", "ada", claim.id),
        (1, TRAINING, "training", "", None),
    ]
    definition.refresh_from_db()
    assert (definition.version, definition.label, definition.source_claim) == (4, "", None)


def test_history_reads_in_a_constant_number_of_queries(definition, alice_client) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(url(definition, "history/")).status_code == 200
        return len(captured)

    alice_client.patch(url(definition), {"label": "a", "version": 1}, format="json")
    one = queries()
    for version in range(2, 6):
        alice_client.patch(url(definition), {"label": f"v{version}", "version": version}, "json")
    assert queries() == one


def test_history_of_a_private_definition_is_not_found_for_outsiders(
    alice, alice_client, bob_client, anon_client
) -> None:
    term = make_term(alice, workspace=make_workspace("private", members=(alice,)))
    secret = make_definition(alice, term, TRAINING)
    assert alice_client.patch(url(secret), {"label": "x", "version": 1}, "json").status_code == 200

    assert alice_client.get(url(secret, "history/")).json()["count"] == 1
    for client in (bob_client, anon_client):
        response = client.get(url(secret, "history/"))
        assert response.status_code == 404
        assert TRAINING not in response.content.decode()


def test_history_is_read_only(definition, alice_client) -> None:
    response = alice_client.post(url(definition, "history/"), {}, format="json")
    assert response.status_code == 405


# The admin


def admin_form(definition: Definition, **changes) -> dict:
    """The change form's fields as the page sends them back, with `changes` made."""
    fields = {
        "term": definition.term_id,
        "text": definition.text,
        "label": definition.label,
        "proposed_by": definition.proposed_by,
        "source_claim": definition.source_claim_id or "",
        "created_by": definition.created_by_id or "",
        "read_version": definition.version,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
        "revisions-MIN_NUM_FORMS": 0,
        "revisions-MAX_NUM_FORMS": 0,
    }
    return {**fields, **changes}


def test_the_admin_shows_the_history_and_edits_through_a_new_version(
    definition, alice_client, admin_client
) -> None:
    alice_client.patch(url(definition), {"text": INFINITE, "version": 1}, format="json")
    definition.refresh_from_db()
    page = f"/admin/glossary/definition/{definition.id}/change/"

    shown = admin_client.get(page)
    assert shown.status_code == 200
    assert TRAINING in shown.content.decode()  # version 1, in the revisions

    saved = admin_client.post(page, admin_form(definition, label="limit"))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    definition.refresh_from_db()
    assert (definition.version, definition.label, definition.text) == (3, "limit", INFINITE)
    assert list(definition.revisions.values_list("version", "edited_by__username")) == [
        (2, "admin"),
        (1, "alice"),
    ]
    assert admin_client.get("/admin/glossary/definition/").status_code == 200


def test_the_admin_refuses_to_save_over_a_newer_version(
    definition, alice_client, admin_client
) -> None:
    form = admin_form(definition, label="from a stale page")  # the page was loaded at version 1
    alice_client.patch(url(definition), {"text": INFINITE, "version": 1}, format="json")

    response = admin_client.post(f"/admin/glossary/definition/{definition.id}/change/", form)

    assert response.status_code == 200
    assert "Someone else changed this definition" in response.content.decode()
    definition.refresh_from_db()
    assert (definition.version, definition.label) == (2, "training")


def test_a_definition_added_in_the_admin_starts_at_version_one(definition, admin_client):
    form = admin_form(definition, text=INFINITE, label="limit")
    response = admin_client.post("/admin/glossary/definition/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Definition.objects.get(label="limit")
    assert (added.version, added.revisions.count()) == (1, 0)

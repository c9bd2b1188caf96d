import json
from pathlib import Path

import pytest

from apps.annotations.models import Claim
from apps.forum.models import Comment, Thread
from tests.factories import make_claim, make_thread

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def test_thread_list_counts_and_search(alice, anon_client) -> None:
    thread = make_thread(user=alice)
    make_claim(alice, thread.comments.first())
    make_thread()
    results = anon_client.get("/api/threads/", {"q": thread.title[-4:]}).json()["results"]
    assert [
        (t["id"], t["comment_count"], t["claim_count"], t["open_conflict_count"]) for t in results
    ] == [(thread.id, 3, 1, 0)]


def test_thread_detail_has_its_comments_as_a_tree(anon_client) -> None:
    thread = make_thread()
    body = anon_client.get(f"/api/threads/{thread.id}/").json()
    comments = body["comments"]
    assert [c["position"] for c in comments] == [0, 1, 2]
    assert comments[0]["parent"] is None
    assert comments[1]["parent"] == comments[0]["id"]
    assert set(comments[0]) >= {"id", "thread", "parent", "author", "posted_at", "text"}


def test_comments_of_a_thread(anon_client) -> None:
    thread = make_thread()
    make_thread()
    results = anon_client.get(f"/api/comments/?thread={thread.id}").json()["results"]
    assert [c["id"] for c in results] == list(
        thread.comments.order_by("position").values_list("id", flat=True)
    )


def test_import_json_content_then_reimport_updates_in_place(alice, api_client_for) -> None:
    client = api_client_for(alice)
    content = (FIXTURES / "forummagnum_post.json").read_text()

    first = client.post("/api/threads/import/", {"content": content}, format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["created"] is True
    assert body["thread"]["source"] in {"lesswrong", "alignment_forum"}
    assert body["comments_created"] == body["thread"]["comment_count"] > 3

    again = client.post(
        "/api/threads/import/", {"content": content, "format": "forummagnum"}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["comments_created"] == 0
    assert again.json()["thread"]["id"] == body["thread"]["id"]
    assert Thread.objects.count() == 1


def test_import_a_file_upload(alice, api_client_for) -> None:
    with (FIXTURES / "discourse_topic.json").open("rb") as upload:
        response = api_client_for(alice).post(
            "/api/threads/import/", {"file": upload, "format": "discourse"}, format="multipart"
        )
    assert response.status_code == 201, response.json()
    assert response.json()["thread"]["source"] == "discourse"


def forum_post(second: str, third: str) -> dict:
    """A ForumMagnum post whose comments keep their ids while their text is edited."""

    def comment(_id: str, html: str, parent: str | None) -> dict:
        return {
            "_id": _id,
            "postedAt": "2026-01-05T10:00:00Z",
            "htmlBody": html,
            "user": {"displayName": "ada"},
            "parentCommentId": parent,
        }

    return {
        "data": {
            "post": {
                "result": {
                    "_id": "post1",
                    "title": "What is outer alignment?",
                    "pageUrl": "https://www.lesswrong.com/posts/post1/what-is-outer-alignment",
                    "postedAt": "2026-01-05T09:00:00Z",
                    "htmlBody": "<p>Outer alignment is about the reward on training data.</p>",
                    "user": {"displayName": "ben"},
                }
            },
            "comments": {"results": [comment("c2", second, None), comment("c3", third, "c2")]},
        }
    }


def test_reimport_of_edited_comments_reanchors_and_orphans_claims(alice, api_client_for) -> None:
    client = api_client_for(alice)
    before = forum_post(
        "<p>I read it as the reward being right in the limit of infinite data.</p>",
        "<p>Both of you leave robustness out.</p>",
    )
    body = client.post("/api/threads/import/", {"content": json.dumps(before)}, format="json")
    thread_id = body.json()["thread"]["id"]
    second = Comment.objects.get(thread_id=thread_id, external_id="c2")
    third = Comment.objects.get(thread_id=thread_id, external_id="c3")
    moved = make_claim(alice, second, "in the limit of infinite data")
    gone = make_claim(alice, third, "robustness")

    after = forum_post(
        "<p>Edit: I read it as the reward being right in the limit of infinite data.</p>",
        "<p>Both of you leave something out.</p>",
    )
    response = client.post("/api/threads/import/", {"content": json.dumps(after)}, format="json")

    assert response.status_code == 200, response.json()
    result = response.json()
    assert (result["comments_created"], result["comments_updated"]) == (0, 2)
    assert (result["claims_moved"], result["claims_orphaned"]) == (1, 1)
    moved.refresh_from_db()
    gone.refresh_from_db()
    second.refresh_from_db()
    assert second.text[moved.start : moved.end] == "in the limit of infinite data"
    assert moved.anchor == Claim.Anchor.ANCHORED
    assert gone.anchor == Claim.Anchor.ORPHANED

    # Bringing the text back anchors the orphan again.
    client.post("/api/threads/import/", {"content": json.dumps(before)}, format="json")
    gone.refresh_from_db()
    assert gone.anchor == Claim.Anchor.ANCHORED

"""Reddit and Hacker News end to end: the command and the API detect, store and re-import."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.forum.models import Comment, Thread

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
CASES = [
    # fixture, source, external id, comments kept (the post or story included), left out
    ("reddit_thread.json", "reddit", "1b7qx4z", 7, 15),
    ("hackernews_item.json", "hackernews", "39612345", 6, 0),
]


def run_import(path: Path) -> str:
    out = StringIO()
    call_command("import_thread", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "source", "external_id", "count", "missing"), CASES)
def test_command_detects_imports_and_reimports_without_changes(
    name, source, external_id, count, missing
) -> None:
    first = run_import(FIXTURES / name)

    assert first.startswith("Imported thread")
    assert f"comments: {count} new, 0 updated, 0 unchanged" in first
    assert (f"{missing} comments are not in the file" in first) == bool(missing)
    thread = Thread.objects.get()
    assert (thread.source, thread.external_id) == (source, external_id)
    assert thread.comments.count() == count
    assert thread.comments.filter(parent=None).count() == 1

    again = run_import(FIXTURES / name)

    assert again.startswith("Updated thread")
    assert f"comments: 0 new, 0 updated, {count} unchanged" in again
    assert Thread.objects.count() == 1 and Comment.objects.count() == count


@pytest.mark.parametrize(("name", "source", "external_id", "count", "missing"), CASES)
def test_api_detects_imports_and_reimports_without_changes(
    alice, api_client_for, name, source, external_id, count, missing
) -> None:
    client = api_client_for(alice)
    content = (FIXTURES / name).read_text(encoding="utf-8")

    first = client.post("/api/threads/import/", {"content": content}, format="json")

    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["thread"]["source"] == source
    assert body["comments_created"] == body["thread"]["comment_count"] == count
    assert body["missing_comments"] == missing

    again = client.post("/api/threads/import/", {"content": content}, format="json")

    assert again.status_code == 200, again.json()
    assert again.json()["comments_created"] == 0
    assert again.json()["comments_updated"] == 0
    assert again.json()["thread"]["id"] == body["thread"]["id"]
    assert Thread.objects.count() == 1 and Comment.objects.count() == count


def test_reply_tree_is_stored(alice, api_client_for) -> None:
    content = (FIXTURES / "reddit_thread.json").read_text(encoding="utf-8")
    api_client_for(alice).post("/api/threads/import/", {"content": content}, format="json")

    deepest = Comment.objects.get(external_id="kt3a004")

    chain = []
    comment = deepest
    while comment is not None:
        chain.append(comment.external_id)
        comment = comment.parent
    assert chain == ["kt3a004", "kt3a003", "kt3a002", "kt3a001", "1b7qx4z"]
    assert Comment.objects.get(external_id="kt3a003").author == "[deleted]"
    assert Comment.objects.get(external_id="kt3a005").text == "[removed]"


def test_api_refuses_a_broken_file_and_writes_nothing(alice, api_client_for) -> None:
    content = (FIXTURES / "hackernews_item.json").read_text(encoding="utf-8")
    broken = content.replace('"parent_id": 39612455', '"parent_id": 1', 1)

    response = api_client_for(alice).post(
        "/api/threads/import/", {"content": broken}, format="json"
    )

    assert response.status_code == 400, response.json()
    assert "replies to item 1" in response.json()["error"]["message"]
    assert Thread.objects.count() == Comment.objects.count() == 0

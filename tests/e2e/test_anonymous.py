"""An anonymous visitor reads threads and annotations, and can write nothing, in the UI or not."""

import json
import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.annotations.models import Claim
from apps.annotations.services import claim_create, reading_create
from apps.forum.models import Comment, Thread
from apps.glossary.services import definition_create, term_create
from apps.imports.services import thread_import
from apps.workspaces.selectors import default_workspace
from tests.e2e.conftest import App

# Transactional, for the live server; the "public" workspace comes from a data migration.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Is robustness part of outer alignment?"
CLAIM_QUOTE = "robustness to distributional shift is a separate problem"
OTHER_PHRASE = "the reward only has to be right on the inputs we train on"
THREAD = {
    "post": {
        "_id": "e2eAnonPost",
        "title": TITLE,
        "pageUrl": "https://www.lesswrong.com/posts/e2eAnonPost/robustness",
        "postedAt": "2025-04-02T09:00:00.000Z",
        "user": {"displayName": "Noor Halvorsen"},
        "htmlBody": (
            "<p>I keep reading that robustness to distributional shift is a separate problem "
            "from outer alignment. Is that a definition or a claim?</p>"
        ),
    },
    "comments": [
        {
            "_id": "e2eAnonC1",
            "postId": "e2eAnonPost",
            "postedAt": "2025-04-02T10:15:00.000Z",
            "user": {"displayName": "Tomas Brenner"},
            "htmlBody": (
                "<p>A definition, on my reading: the reward only has to be right on the inputs "
                "we train on, and the rest is somebody else's problem.</p>"
            ),
        }
    ],
}


@pytest.fixture
def thread(alice: User, jobs: object) -> Thread:
    """The thread, with a claim in its post that alice read with one sense of a term."""
    workspace = default_workspace()
    result = thread_import(
        user=alice, content=json.dumps(THREAD), format="forummagnum", workspace=workspace
    )
    post = Comment.objects.get(thread=result.thread, author="Noor Halvorsen")
    start = post.text.index(CLAIM_QUOTE)
    claim = claim_create(user=alice, comment=post, start=start, end=start + len(CLAIM_QUOTE))
    term = term_create(user=alice, workspace=workspace, name="robustness")
    definition = definition_create(
        user=alice, term=term, text="the learned policy behaves well off the training distribution"
    )
    reading_create(user=alice, claim=claim, term=term, definition=definition)
    return result.thread


def test_an_anonymous_visitor_reads_but_cannot_annotate(app: App, thread: Thread) -> None:
    page = app.open("/threads")

    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Import thread", exact=True)).to_have_count(0)

    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/threads/{thread.id}$"))
    post, reply = app.comment(page, "Noor Halvorsen"), app.comment(page, "Tomas Brenner")
    expect(post).to_contain_text("Is that a definition or a claim?")
    expect(reply).to_contain_text(OTHER_PHRASE)

    # Selecting text offers a way to log in where a reader who may write gets Mark claim.
    app.select_text(page, reply, OTHER_PHRASE)
    expect(reply.get_by_role("link", name="Log in to annotate", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Mark claim", exact=True)).to_have_count(0)

    # alice's claim and reading are there to read, not to add to.
    app.click_text(page, post, CLAIM_QUOTE)
    panel = page.get_by_role("complementary", name="Claim", exact=True)
    expect(panel).to_contain_text(CLAIM_QUOTE)
    expect(panel).to_contain_text("the learned policy behaves well off the training distribution")
    expect(panel.get_by_role("link", name="Log in to annotate", exact=True)).to_be_visible()
    expect(panel.get_by_label("Term", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Save reading", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Mark claim", exact=True)).to_have_count(0)


def test_the_api_refuses_writes_from_an_anonymous_page(app: App, thread: Thread) -> None:
    page = app.open(f"/threads/{thread.id}")
    expect(app.comment(page, "Tomas Brenner")).to_be_visible()
    # The refusals below are the point; the browser logs each as a failed resource load.
    app.allow_console_error(page, r"status of 40[13]")
    reply = Comment.objects.get(thread=thread, author="Tomas Brenner")
    claims_before = Claim.objects.count()

    answers = page.evaluate(
        """async ({ comment }) => {
            const csrf = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
            const headers = { "Content-Type": "application/json" };
            if (csrf) headers["X-CSRFToken"] = decodeURIComponent(csrf[1]);
            const post = async (url, body) => {
                const response = await fetch(url, {
                    method: "POST", headers, body: JSON.stringify(body), credentials: "same-origin",
                });
                return { url, status: response.status, body: await response.json() };
            };
            return [
                await post("/api/claims/", { comment, start: 0, end: 20 }),
                await post("/api/terms/", { name: "distributional shift" }),
                await post("/api/threads/import/", { format: "text", content: "Hello.\\n\\nHi." }),
            ];
        }""",
        {"comment": reply.id},
    )

    for answer in answers:
        assert answer["status"] in (401, 403), answer
        assert set(answer["body"]) == {"error"}, answer
        assert {"code", "message", "detail"} <= set(answer["body"]["error"]), answer
    assert Claim.objects.count() == claims_before
    assert Thread.objects.count() == 1

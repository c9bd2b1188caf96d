"""The issue's flow end to end, through the UI only: alice imports a thread in which a comment and
its reply read "outer alignment" two ways and marks both readings, bob agrees with them, the
background job flags the equivocation, and rita the reviewer dismisses it."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from apps.accounts.models import User
from apps.conflicts.models import Conflict
from tests.e2e.conftest import JOB_TIMEOUT_MS, App

# Transactional, for the live server and the worker; the "public" workspace and the Reviewers
# group come from data migrations.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Where does outer alignment stop?"
DANA, EZRA = "Dana Whitlock", "Ezra Lindqvist"
CLAIM_IN_COMMENT = (
    "outer alignment means the reward function rewards good behaviour on the inputs we "
    "actually train on"
)
CLAIM_IN_REPLY = (
    "outer alignment means the reward function would still reward good behaviour in the "
    "limit of infinite, fully diverse data"
)
TRAINING_SENSE = "the reward function rewards good behaviour on the inputs we actually train on"
INFINITE_DATA_SENSE = (
    "the reward function would still reward good behaviour in the limit of infinite, "
    "fully diverse data"
)
# ForumMagnum GraphQL JSON, as LessWrong's API returns it: a post, a comment and its reply.
THREAD = {
    "data": {
        "post": {
            "result": {
                "_id": "e2eFlowPost",
                "title": "Outer and inner, again",
                "pageUrl": "https://www.alignmentforum.org/posts/e2eFlowPost/outer-and-inner",
                "postedAt": "2025-05-06T08:00:00.000Z",
                "user": {"displayName": "Mara Quill"},
                "htmlBody": "<p>Before we argue about failures, what does each of us count as "
                "an <em>outer</em> failure?</p>",
            }
        },
        "comments": {
            "results": [
                {
                    "_id": "e2eFlowC1",
                    "postId": "e2eFlowPost",
                    "postedAt": "2025-05-06T09:30:00.000Z",
                    "user": {"displayName": DANA},
                    "htmlBody": f"<p>For me, {CLAIM_IN_COMMENT}. Whatever happens after "
                    "deployment is a <strong>robustness</strong> problem.</p>",
                },
                {
                    "_id": "e2eFlowC2",
                    "postId": "e2eFlowPost",
                    "parentCommentId": "e2eFlowC1",
                    "postedAt": "2025-05-06T11:05:00.000Z",
                    "user": {"displayName": EZRA},
                    "htmlBody": f"<p>I read it differently: {CLAIM_IN_REPLY}. So a failure "
                    "after deployment can still be an outer failure.</p>",
                },
            ]
        },
    }
}
EQUIVOCATION = re.compile(r"“outer alignment” is read in two different senses in a reply chain")


def import_thread(page: Page) -> str:
    """Import THREAD through the dialog; the thread view's path."""
    page.get_by_role("button", name="Import thread", exact=True).click()
    dialog = page.get_by_role("dialog", name="Import thread", exact=True)
    dialog.get_by_role("textbox", name="Thread text", exact=True).fill(json.dumps(THREAD, indent=1))
    dialog.get_by_role("combobox", name="Format", exact=True).select_option("forummagnum")
    dialog.get_by_role("textbox", name="Title", exact=True).fill(TITLE)
    dialog.get_by_role("button", name="Import", exact=True).click()
    opened = dialog.get_by_role("link", name="Open thread", exact=True)
    expect(opened).to_be_visible(timeout=JOB_TIMEOUT_MS)
    opened.click()
    expect(page).to_have_url(re.compile(r"/threads/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    return re.sub(r"^https?://[^/]+", "", page.url)


def read_claim(
    app: App, page: Page, author: str, quote: str, term: str, sense: str, *, new_term: bool
) -> None:
    """Mark `quote` in `author`'s comment as a claim and read `term` in it with `sense`, a new
    definition (and, with `new_term`, a new term)."""
    app.select_text(page, app.comment(page, author), quote)
    page.get_by_role("button", name="Mark claim", exact=True).click()
    panel = page.get_by_role("complementary", name="Claim", exact=True)
    expect(panel.get_by_text(quote)).to_be_visible()
    panel.get_by_label("Term", exact=True).fill(term)
    if new_term:
        # The panel offers to create a term it does not know.
        create = panel.get_by_role("button", name=f"Create term “{term}”", exact=True)
        create.click()
        expect(create).to_be_hidden()
    panel.get_by_label("Definition", exact=True).fill(sense)
    panel.get_by_role("button", name="Save reading", exact=True).click()
    reading = panel.get_by_role("listitem").filter(has_text=sense)
    expect(reading).to_be_visible()
    expect(reading).to_contain_text(term)
    # Saving a reading counts as its author's agreement.
    expect(reading.get_by_role("button", name="Agree", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def agree(app: App, page: Page, author: str, quote: str, sense: str) -> None:
    """Open the claim on `quote` in `author`'s comment and agree with its reading `sense`."""
    app.click_text(page, app.comment(page, author), quote)
    panel = page.get_by_role("complementary", name="Claim", exact=True)
    expect(panel.get_by_text(quote)).to_be_visible()
    button = (
        panel.get_by_role("listitem")
        .filter(has_text=sense)
        .get_by_role("button", name="Agree", exact=True)
    )
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def test_two_readings_of_one_term_are_flagged_and_a_reviewer_dismisses_it(
    app: App, jobs: object, alice: User, bob: User, rita: User
) -> None:
    # alice imports the thread and reads the term one way in the comment, another in the reply.
    page = app.open("/threads", as_user=alice)
    thread_path = import_thread(page)
    expect(app.comment(page, DANA)).to_contain_text(CLAIM_IN_COMMENT)
    expect(app.comment(page, EZRA)).to_contain_text(CLAIM_IN_REPLY)

    read_claim(app, page, DANA, CLAIM_IN_COMMENT, "outer alignment", TRAINING_SENSE, new_term=True)
    # Once the suggestion job has matched the new term, its mentions are underlined in the
    # reply: the next selection then starts inside one (and the DOM stops changing under it).
    mention = app.comment(page, EZRA).get_by_title(re.compile(r"^outer alignment"))
    expect(mention.first).to_be_visible(timeout=JOB_TIMEOUT_MS)
    read_claim(
        app, page, EZRA, CLAIM_IN_REPLY, "outer alignment", INFINITE_DATA_SENSE, new_term=False
    )

    # bob agrees with both readings.
    bob_page = app.open(thread_path, as_user=bob)
    agree(app, bob_page, DANA, CLAIM_IN_COMMENT, TRAINING_SENSE)
    agree(app, bob_page, EZRA, CLAIM_IN_REPLY, INFINITE_DATA_SENSE)

    # The detection job flags the equivocation; rita, a reviewer, dismisses it with a note.
    rita_page = app.open("/conflicts", as_user=rita)
    conflict = rita_page.get_by_role("article", name=EQUIVOCATION)
    expect(conflict).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(conflict).to_contain_text(TITLE)
    expect(conflict).to_contain_text(TRAINING_SENSE)
    expect(conflict).to_contain_text(INFINITE_DATA_SENSE)
    note = "Both senses are stated openly in the thread; nobody is misled."
    conflict.get_by_label("Note", exact=True).fill(note)
    conflict.get_by_role("button", name="Dismiss", exact=True).click()
    expect(rita_page.get_by_role("status")).to_contain_text(re.compile(r"\bdismissed\b", re.I))

    # Dismissed conflicts leave the default queue; the status filter brings them back.
    dismissed = rita_page.get_by_role("checkbox", name="Dismissed", exact=True)
    # click(), not check(): the box reads its state back from the URL a moment later.
    dismissed.click()
    expect(dismissed).to_be_checked()
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Dismissed")
    expect(conflict).to_contain_text(note)
    for button in ("Confirm", "Dismiss"):
        expect(conflict.get_by_role("button", name=button, exact=True)).to_have_count(0)
    expect(conflict.get_by_role("button", name="Reopen", exact=True)).to_be_visible()

    stored = Conflict.objects.get(kind=Conflict.Kind.EQUIVOCATION)
    assert stored.status == Conflict.Status.DISMISSED
    assert stored.history.filter(actor=rita, note=note).exists()

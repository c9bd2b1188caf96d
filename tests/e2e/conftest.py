"""Browser tests: the built app in headless Debian Chromium against a live server on the test DB.

Every test here gets the `e2e` marker and runs after the rest of the suite. `app` opens pages
(signed in through the login form when given a user), fails a test whose pages logged console
errors, and a failing test leaves screenshots of its open pages in test-results/. `jobs` makes
background jobs run: eagerly in the live server's request thread without a broker, in a real
Celery worker on the same test database with one.

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_something(app, jobs, alice): page = app.open("/threads", as_user=alice)
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Locator, Page, expect

from tests.celery_worker import PROJECT_ROOT, services_required

# Without a broker, a write runs its background jobs eagerly inside the request, so a reading
# saved on a busy two-core machine can take longer than expect()'s 5 s default to show.
expect.set_options(timeout=10_000)

CHROMIUM = Path("/usr/bin/chromium")
INDEX_HTML = PROJECT_ROOT / "frontend" / "dist" / "index.html"
RESULTS_DIR = PROJECT_ROOT / "test-results"
E2E_DIR = Path(__file__).resolve().parent
# The size of the README screenshots too.
VIEWPORT = {"width": 1280, "height": 800}
# The app's reads poll every 5 s, and a worker waits 2 s to coalesce a burst of writes.
JOB_TIMEOUT_MS = 30_000

# The issue asks for the server on 127.0.0.1 (pytest-django's default is "localhost").
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

_PAGES = pytest.StashKey[list["OpenPage"]]()
_CALL_REPORT = pytest.StashKey[pytest.TestReport]()


def _missing_prerequisites() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(
            f"Chromium is not at {CHROMIUM} (apt-get install -y chromium chromium-driver; "
            "`make test` does it as root)"
        )
    if not INDEX_HTML.exists():
        missing.append(
            f"the browser app is not built ({INDEX_HTML.relative_to(PROJECT_ROOT)} is missing: "
            "run `make frontend`)"
        )
    return missing


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests last: the Python tests report first, and Playwright's event loop, which
    # lives until the session ends, never runs beside another test.
    ours = [item for item in items if E2E_DIR in Path(item.path).parents]
    if not ours:
        return
    items[:] = [item for item in items if item not in ours] + ours
    missing = _missing_prerequisites()
    for item in ours:
        item.add_marker(pytest.mark.e2e)
        if missing and not services_required():
            item.add_marker(pytest.mark.skip(reason="browser tests: " + "; ".join(missing)))


@pytest.fixture(scope="session", autouse=True)
def _browser_prerequisites() -> None:
    """Under SENSEMAP_REQUIRE_SERVICES=1 (CI) a missing browser or build fails, never skips
    (otherwise the tests were marked skipped at collection and never get here)."""
    missing = _missing_prerequisites()
    if missing and services_required():
        pytest.fail("SENSEMAP_REQUIRE_SERVICES=1 but " + "; ".join(missing), pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _async_unsafe_allowed() -> None:
    # Sync Playwright keeps an asyncio loop running in this thread, and Django then refuses
    # every ORM call from it. Left set: the loop, and the test database's teardown, outlive
    # the last test.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def _serialized_test_databases(django_db_setup: None) -> dict[str, str]:
    """What each test database was serialized to for serialized_rollback, read before
    Playwright starts (see `playwright`)."""
    from django.db import connections

    return {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def playwright(_serialized_test_databases: dict[str, str], playwright: Any) -> Any:
    # Once Playwright has started, its event loop counts as running in this thread, and
    # Django's connection handler (an asgiref Local) hands out a second set of connection
    # objects. When other tests created the test database first, the new ones know nothing of
    # its serialized contents, and serialized_rollback would silently restore nothing.
    from django.db import connections

    for alias, contents in _serialized_test_databases.items():
        connections[alias]._test_serialized_contents = contents
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Playwright cannot download its own browser here: Debian's Chromium, headless.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    """None: the live server's URL is per run, and `app` passes it to each context.

    Also replaces pytest-playwright 0.10's fallback fixture, a method of a plugin object,
    which pytest 9 deprecates with a warning (an error here)."""
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "en-GB", "timezone_id": "UTC"}


@pytest.fixture
def jobs(request: pytest.FixtureRequest, transactional_db: None) -> Iterator[Any]:
    """Background jobs run while the test drives the browser.

    Without a broker, Celery is eager: a job runs in the live server's request thread when
    the write that asked for it commits. With a Redis broker, a real worker runs them, on the
    test database: its DATABASE_URL is built from the connection the live server uses.
    """
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        yield None
        return
    from django.db import connection

    worker = request.getfixturevalue("celery_live")
    # The live server runs in this process, so it sends to the worker, on the same database.
    assert connection.vendor == "postgresql", "a worker cannot share an in-memory database"
    yield worker


@dataclass
class OpenPage:
    """A page `app` opened, with who it is signed in as and what its console said."""

    page: Page
    who: str
    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


class App:
    """The browser app on the live server, as seen by anonymous visitors and signed-in users."""

    def __init__(self, base_url: str, new_context: Callable[..., BrowserContext]) -> None:
        self.base_url = base_url
        self._new_context = new_context
        self.pages: list[OpenPage] = []

    def open(
        self,
        path: str = "/",
        *,
        as_user: Any = None,
        password: str | None = None,
        prepare: Callable[[BrowserContext], None] | None = None,
    ) -> Page:
        """A page in a fresh browser context (its own cookies), signed in through the form.

        `prepare` sets the context up (routes, bindings) before anything loads in it."""
        context = self._new_context(base_url=self.base_url)
        if prepare is not None:
            prepare(context)
        page = context.new_page()
        # Actions fail in 10 s rather than Playwright's 30: nothing here takes that long.
        page.set_default_timeout(10_000)
        who = as_user.username if as_user is not None else "anonymous"
        opened = OpenPage(page=page, who=who)
        self.pages.append(opened)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = (message.location or {}).get("url")
                opened.errors.append(
                    f"console error: {message.text}" + (f" ({where})" if where else "")
                )

        page.on("console", on_console)
        page.on("pageerror", lambda error: opened.errors.append(f"uncaught: {error}"))
        if as_user is not None:
            self.log_in(page, as_user.username, password or f"pw-{as_user.username}", then=path)
        else:
            page.goto(path)
        return page

    def log_in(self, page: Page, username: str, password: str, *, then: str = "/") -> None:
        page.goto(f"/login?next={quote(then)}")
        page.get_by_label("Username", exact=True).fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
        expect(page).to_have_url(re.compile(re.escape(self.base_url + then) + r"/?$"))

    def allow_console_error(self, page: Page, pattern: str) -> None:
        """Tolerate console errors matching `pattern` on `page` (one the test causes on purpose)."""
        for opened in self.pages:
            if opened.page is page:
                opened.allowed.append(re.compile(pattern))

    def console_errors(self) -> list[str]:
        return [f"[{p.who}] {error}" for p in self.pages for error in p.unexpected_errors()]

    def assert_no_console_errors(self) -> None:
        errors = self.console_errors()
        assert not errors, "the browser console reported errors:\n" + "\n".join(errors)

    # Reading and selecting in the thread view

    @staticmethod
    def comment(page: Page, author: str) -> Locator:
        """A comment of the thread view: an <article> whose accessible name includes its author."""
        return page.get_by_role("article", name=re.compile(re.escape(author)))

    @staticmethod
    def select_text(page: Page, container: Locator, phrase: str) -> None:
        """Select `phrase` inside `container` by dragging the mouse across it, as a reader does:
        from the middle of its first character's left half to that of its last's right half."""
        first, last = _character_boxes(container, phrase)
        page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
        page.mouse.down()
        page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=8)
        page.mouse.up()
        selected = page.evaluate("() => document.getSelection().toString()")
        assert " ".join(selected.split()) == " ".join(phrase.split()), (
            f"dragging across {phrase!r} selected {selected!r}"
        )

    @staticmethod
    def click_text(page: Page, container: Locator, phrase: str) -> None:
        """Click the first character of `phrase` inside `container` (a highlight, say)."""
        first, _ = _character_boxes(container, phrase)
        page.mouse.click((first["left"] + first["right"]) / 2, (first["top"] + first["bottom"]) / 2)


def _character_boxes(container: Locator, phrase: str) -> tuple[dict, dict]:
    """The viewport boxes of the first and last characters of `phrase` in `container`.

    The phrase may cross element boundaries (claim highlights, underlined mentions): the text
    nodes are joined to find it.
    """
    container.scroll_into_view_if_needed()
    boxes = container.evaluate(
        """(root, phrase) => {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const nodes = [];
            let text = "";
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                if (n.data.length) nodes.push([n, text.length]);
                text += n.data;
            }
            const at = text.indexOf(phrase);
            if (at < 0) return null;
            const box = (offset) => {
                const [node, start] = nodes.findLast(([, from]) => from <= offset);
                const range = document.createRange();
                range.setStart(node, offset - start);
                range.setEnd(node, offset - start + 1);
                const r = range.getClientRects()[0] ?? range.getBoundingClientRect();
                return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
            };
            return [box(at), box(at + phrase.length - 1)];
        }""",
        phrase,
    )
    assert boxes is not None, f"{phrase!r} is not in the text of {container}"
    return boxes[0], boxes[1]


@pytest.fixture
def app(
    request: pytest.FixtureRequest, live_server: Any, new_context: Callable[..., BrowserContext]
) -> Iterator[App]:
    """The app on the live server; fails the test if any of its pages logged console errors."""
    browser_app = App(live_server.url, new_context)
    request.node.stash[_PAGES] = browser_app.pages
    yield browser_app
    call = request.node.stash.get(_CALL_REPORT, None)
    if call is not None and call.passed and browser_app.console_errors():
        shots = _screenshot_pages(request.node)
        pytest.fail(
            "the browser console reported errors:\n"
            + "\n".join(browser_app.console_errors())
            + ("\nscreenshots:\n" + "\n".join(shots) if shots else ""),
            pytrace=False,
        )


# Screenshots of every open page of a failing test: the thread view and the conflicts view
# are what the issue asks for, and they are the pages the flow has open when it fails.


def _view_name(url: str) -> str:
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].rstrip("/")
    if re.fullmatch(r"/threads/\d+", path):
        return "thread-view"
    if re.fullmatch(r"/threads/\d+/map", path):
        return "map"
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "threads"


def _screenshot_pages(item: pytest.Item) -> list[str]:
    saved = []
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.nodeid.split("::", 1)[-1]).strip("-")
    for index, opened in enumerate(item.stash.get(_PAGES, [])):
        if opened.page.is_closed():
            continue
        name = f"{test_name}-{index + 1}-{opened.who}-{_view_name(opened.page.url)}.png"
        path = RESULTS_DIR / name
        try:
            RESULTS_DIR.mkdir(exist_ok=True)
            opened.page.screenshot(path=str(path), full_page=True, timeout=5_000)
        except Error as error:
            saved.append(f"{opened.page.url}: no screenshot ({error.message.splitlines()[0]})")
            continue
        saved.append(f"{opened.page.url} -> {path.relative_to(PROJECT_ROOT)}")
    return saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
        if report.failed:
            shots = _screenshot_pages(item)
            if shots:
                report.sections.append(("screenshots", "\n".join(shots)))
            errors = [f"[{p.who}] {e}" for p in item.stash.get(_PAGES, []) for e in p.errors]
            if errors:
                report.sections.append(("browser console", "\n".join(errors)))
    return report

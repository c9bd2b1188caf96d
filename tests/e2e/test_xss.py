"""Stored XSS is impossible: hostile text saved through every way in stays text everywhere.

Each payload of tests/fixtures/xss_payloads.py is saved, through the services, as comment text
by every importer (pasted text; ForumMagnum htmlBody and contents.markdown; Discourse cooked;
Reddit body and body_html; Hacker News text), in thread titles, author names and comment URLs,
as claim notes, term names, aliases and descriptions, definition texts and labels, decomposition
names, and review notes on conflicts. That one data set is then checked:

- the JSON API returns every payload verbatim (it is data), URLs are web addresses or nothing,
  and the exports keep payloads inert (no CSV cell a spreadsheet runs, a Markdown glossary that
  renders to the text as written and no markup, W3C annotations with text bodies and web IRIs);
- every screen of the browser app, and DRF's browsable API, is rendered in Chromium twice: with
  the Content-Security-Policy as served, and with the header stripped, so what is proved is the
  app's own escaping, not the CSP. On each, no payload runs (the `__xss` binding, dialogs,
  requests under /xss-probe/), nothing is injected (no probe element, handler attribute,
  script, frame, object or javascript: URL: a mutation observer records the whole visit, and
  the final DOM is audited), and the payloads are shown as text.

A last test shows the probes work: the same payloads, put in a page as a careless app would,
are caught.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import cycle, pairwise
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from markdown_it import MarkdownIt
from playwright.sync_api import BrowserContext, Dialog, Locator, Page, Request, Route, expect
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.annotations.models import Claim, DefinitionCandidate, Mention
from apps.annotations.services import claim_create, claim_link_create, reading_create
from apps.conflicts.models import Conflict
from apps.conflicts.services import conflict_review
from apps.exports.services import thread_export
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, Term
from apps.glossary.services import decomposition_create, definition_create, term_create
from apps.imports.services import thread_import
from apps.workspaces.models import Workspace
from apps.workspaces.selectors import default_workspace
from tests.e2e.conftest import App
from tests.fixtures.xss_payloads import (
    BINDING,
    BY_ID,
    EQUIVOCATIONS,
    MORE_TITLES,
    PAYLOADS,
    PROBE_ATTRIBUTE,
    PROBE_CLASS,
    PROBE_PATH,
    STORED,
    flat,
    import_files,
)

# Transactional, for the live server; the "public" workspace and the Reviewers group come from
# data migrations.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSP_SERVED, CSP_STRIPPED = "CSP as served", "CSP stripped"
# The thread in which every payload's comment is a claim: the one with the fewest comments, as
# the claim panel re-renders the whole thread for each claim it shows.
ANNOTATED = "forummagnum-markdown"
# How the reviewer walks each conflict through the workflow, a payload as the note of each step.
REVIEW_STEPS = ["dismiss", "reopen", "resolve", "reopen", "confirm", "reopen"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def fit(text: str, limit: int) -> str:
    """A payload cut to a column's length, as a person would have to type it."""
    return text[:limit].strip()


def shortened(text: str, limit: int) -> str:
    """What an import stores of a display text longer than its column."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# The data set


@dataclass
class Hostile:
    """Every payload in every field, built once and shared by all the checks."""

    threads: dict[str, Thread]
    titled: list[Thread]
    terms: dict[int, Term]
    definitions: dict[int, Definition]
    decompositions: dict[int, Decomposition]
    conflicts: list[Conflict]


def seed(annotator: User, reviewer: User) -> Hostile:
    """Each step is one transaction, so the background jobs its writes ask for run once each
    when it commits (a burst of writes on one unit is one run), not once per write."""
    workspace = default_workspace()
    with transaction.atomic():
        # Terms before threads: each import then looks for every term in its comments once.
        terms, definitions, decompositions = _glossary(annotator, workspace)
    with transaction.atomic():
        threads = {
            key: thread_import(
                user=annotator, content=content, format=format, title=title, workspace=workspace
            ).thread
            for key, (format, content, title) in import_files().items()
        }
        # The payloads no importer's thread has in its title, in titles of small threads.
        titled = [
            thread_import(
                user=annotator,
                content=f"A thread with hostile payloads in its title, number {index}.",
                format="text",
                title=title,
                workspace=workspace,
            ).thread
            for index, title in enumerate(MORE_TITLES)
        ]
    with transaction.atomic():
        _equivocations(annotator, threads, terms, definitions)
        _annotate(annotator, threads[ANNOTATED], terms, definitions, decompositions)
    return Hostile(
        threads=threads,
        titled=titled,
        terms=terms,
        definitions=definitions,
        decompositions=decompositions,
        conflicts=_review(reviewer),
    )


def _glossary(
    annotator: User, workspace: Workspace
) -> tuple[dict[int, Term], dict[int, Definition], dict[int, Decomposition]]:
    terms, definitions, decompositions = {}, {}, {}
    for p in PAYLOADS:
        terms[p.id] = term_create(
            user=annotator,
            workspace=workspace,
            name=fit(p.text, 150),
            aliases=[fit(p.text, 150) + " alias"],
            description=p.text,
        )
        definitions[p.id] = definition_create(
            user=annotator, term=terms[p.id], text=p.text, label=fit(p.text, 120)
        )
        decompositions[p.id] = decomposition_create(
            user=annotator,
            workspace=workspace,
            name=fit(p.text, 200),
            description=p.text,
            definitions=[definitions[p.id]],
        )
    return terms, definitions, decompositions


def _equivocations(
    annotator: User,
    threads: dict[str, Thread],
    terms: dict[int, Term],
    definitions: dict[int, Definition],
) -> None:
    """In each thread the post and its first reply read one term in two senses."""
    for key, (term_payload, other_payload) in EQUIVOCATIONS.items():
        post, reply = Comment.objects.filter(thread=threads[key]).order_by("position")[:2]
        term = terms[term_payload]
        other = BY_ID[other_payload].text
        second = definition_create(
            user=annotator,
            term=term,
            text=f"Another sense altogether: {other}",
            label=fit(other, 120),
        )
        for comment, definition in ((post, definitions[term_payload]), (reply, second)):
            claim = claim_create(
                user=annotator,
                comment=comment,
                start=0,
                end=len(comment.text),
                note=BY_ID[term_payload].text,
            )
            reading_create(user=annotator, claim=claim, term=term, definition=definition)


def _annotate(
    annotator: User,
    thread: Thread,
    terms: dict[int, Term],
    definitions: dict[int, Definition],
    decompositions: dict[int, Decomposition],
) -> None:
    """A claim on each payload's comment with the payload as its note, read with its term,
    sense and decomposition, and linked to the next."""
    claims = []
    for p in PAYLOADS:
        comment = Comment.objects.get(thread=thread, external_id=f"xss-{ANNOTATED}-{p.id}")
        claim = claim_create(
            user=annotator, comment=comment, start=0, end=len(comment.text), note=p.text
        )
        reading_create(user=annotator, claim=claim, term=terms[p.id], definition=definitions[p.id])
        reading_create(user=annotator, claim=claim, decomposition=decompositions[p.id])
        claims.append(claim)
    kinds = cycle(["supports", "attacks", "restates", "clarifies"])
    for source, target in pairwise(claims):
        claim_link_create(user=annotator, source=source, target=target, kind=next(kinds))


def _review(reviewer: User) -> list[Conflict]:
    """Every payload as a review note, spread over the flagged equivocations."""
    conflicts = list(Conflict.objects.filter(kind=Conflict.Kind.EQUIVOCATION).order_by("id"))
    assert len(conflicts) == len(EQUIVOCATIONS), (
        f"expected an equivocation in each thread, the detector flagged {len(conflicts)}"
    )
    steps = {conflict.id: cycle(REVIEW_STEPS) for conflict in conflicts}
    for index, p in enumerate(PAYLOADS):
        conflict = conflicts[index % len(conflicts)]
        conflict_review(
            conflict=conflict, user=reviewer, action=next(steps[conflict.id]), note=p.text
        )
    return conflicts


# Stored data: the API and the exports


def _strings(node: Any, keys: set[str] | None = None) -> Iterator[str]:
    """The strings in decoded JSON (under `keys` only, when given)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                if keys is None or key in keys:
                    yield value
            else:
                yield from _strings(value, keys)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, keys)
    elif isinstance(node, str) and keys is None:
        yield node


def _is_web_url(url: str) -> bool:
    return re.match(r"https?://", url, re.IGNORECASE) is not None


def check_the_api_returns_payloads_verbatim(data: Hostile) -> None:
    client = APIClient()

    def get(url: str) -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Type"] == "application/json", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        return response.json()

    titles = []
    for key, thread in data.threads.items():
        detail = get(f"/api/threads/{thread.id}/")
        titles.append(detail["title"])
        texts = {c["text"] for c in detail["comments"]}
        missing = [p.id for p in PAYLOADS if STORED[key](p.text) not in texts]
        assert not missing, f"{key}: the texts of payloads {missing} are not stored verbatim"
        if key != "text":  # pasted text names no authors
            authors = {c["author"] for c in detail["comments"]}
            missing = [p.id for p in PAYLOADS if shortened(p.text.strip(), 200) not in authors]
            assert not missing, f"{key}: the author names {missing} are not stored verbatim"
        urls = [detail["source_url"], *(c["url"] for c in detail["comments"])]
        scripts = [url for url in urls if url and not _is_web_url(url)]
        assert not scripts, f"{key}: URLs that are not web addresses: {scripts}"
    titles += [get(f"/api/threads/{t.id}/")["title"] for t in data.titled]
    # The longest payload is cut to the title column, with an ellipsis.
    missing = [p.id for p in PAYLOADS if not any(p.text[:450] in title for title in titles)]
    assert not missing, f"payloads {missing} are in no thread title"

    annotated = data.threads[ANNOTATED]
    notes = {c["note"] for c in get(f"/api/claims/?thread={annotated.id}&page_size=200")["results"]}
    assert {p.text for p in PAYLOADS} <= notes
    for p in PAYLOADS:
        term = get(f"/api/terms/{data.terms[p.id].id}/")
        assert (term["name"], term["description"]) == (fit(p.text, 150), p.text)
        assert term["aliases"] == [fit(p.text, 150) + " alias"]
        definition = get(f"/api/definitions/{data.definitions[p.id].id}/")
        assert (definition["text"], definition["label"]) == (p.text.strip(), fit(p.text, 120))
        assert get(f"/api/decompositions/{data.decompositions[p.id].id}/")["name"] == fit(
            p.text, 200
        )
    notes = [
        entry["note"]
        for conflict in data.conflicts
        for entry in get(f"/api/conflicts/{conflict.id}/")["history"]
        if entry["actor"] is not None  # not the detector's own entries
    ]
    assert sorted(notes) == sorted(p.text.strip() for p in PAYLOADS)


class RenderedMarkdown:
    """Markdown as a renderer that passes raw HTML through and links bare URLs would show it."""

    renderer = MarkdownIt("commonmark", {"html": True, "linkify": True})
    # What the glossary's own structure renders to: headings, lists, paragraphs, bold labels.
    STRUCTURE = frozenset({"h1", "h2", "ul", "li", "p", "strong"})

    def __init__(self, markdown: str) -> None:
        self.soup = BeautifulSoup(self.renderer.render(markdown), "html.parser")

    def markup(self) -> list[str]:
        """Elements that are not the glossary's structure, or have attributes."""
        return [
            str(tag)[:120]
            for tag in self.soup.find_all(True)
            if tag.name not in self.STRUCTURE or tag.attrs
        ]


def check_the_exports_keep_payloads_inert(data: Hostile) -> None:
    thread = data.threads[ANNOTATED]

    rows = list(csv.reader(io.StringIO(thread_export(thread=thread, format="csv").content)))
    header, body = rows[0], rows[1:]
    formulas = [
        f"{header[index]}={cell[:60]!r}"
        for row in body
        for index, cell in enumerate(row)
        if cell.startswith(FORMULA_START)
    ]
    assert not formulas, "CSV cells a spreadsheet would run as formulas:\n" + "\n".join(formulas)
    cells = {cell for row in body for cell in row}
    missing = [p.id for p in PAYLOADS if not {p.text.strip(), "'" + p.text.strip()} & cells]
    assert not missing, f"the CSV does not hold payloads {missing}"

    rendered = RenderedMarkdown(thread_export(thread=thread, format="glossary").content)
    assert not rendered.markup(), "the glossary renders markup:\n" + "\n".join(rendered.markup())
    shown = flat(rendered.soup.get_text(" "))
    changed = [p.id for p in PAYLOADS if flat(p.text) not in shown]
    assert not changed, f"the rendered glossary does not show payloads {changed} as written"

    document = json.loads(thread_export(thread=thread, format="w3c").content)
    bodies = [
        body
        for annotation in document["first"]["items"]
        for body in annotation.get("body") or []
        if isinstance(body, dict) and body.get("type") == "TextualBody"
    ]
    assert {body["format"] for body in bodies} == {"text/plain"}
    assert {p.text.strip() for p in PAYLOADS} <= {body["value"] for body in bodies}
    iris = [iri for iri in _strings(document, {"id", "source", "target"}) if not _is_web_url(iri)]
    assert not iris, f"W3C resources that are not web IRIs: {iris[:5]}"


# The browser

# Installed before any page script. `__xssAudit(root)` lists what looks injected under `root`;
# a mutation observer records the same for every element that enters the page or changes, so
# markup that React (or anything) replaces a moment later is still caught.
WATCH_SCRIPT = r"""
(() => {
  window.__xssSeen = [];
  const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "srcdoc", "poster", "background", "srcset", "ping", "cite", "codebase", "lowsrc"]);
  // What a browser loads by itself; a link to a probe path is harmless until clicked.
  const LOADING_ATTRS = new Set(["src", "srcset", "data", "poster", "background", "lowsrc"]);
  const SCRIPT_URL = /^(javascript|vbscript|data):/i;
  // The one handler attribute in DRF's own browsable-API template (its "Log out" link).
  const DRF_LOG_OUT = 'document.getElementById("logoutForm").submit()';
  // As a browser reads a URL: control characters and spaces anywhere in it do not count.
  const bare = (url) => url.replace(/[\u0000-\u0020]/g, "");

  function audit(el) {
    const problems = [];
    const tag = el.tagName.toLowerCase();
    if (el.hasAttribute("PROBE_ATTRIBUTE") || el.classList.contains("PROBE_CLASS")
        || tag === "PROBE_CLASS")
      problems.push("probe element");
    if (["iframe", "frame", "object", "embed", "base", "applet", "template"].includes(tag))
      problems.push("element that loads or hides content");
    const equiv = (el.getAttribute("http-equiv") || "").toLowerCase();
    if (tag === "meta" && equiv && equiv !== "content-type") problems.push("meta http-equiv");
    // Scripts and styles come from /static/; a JSON block is data, never run.
    if (tag === "script" && !el.hasAttribute("data-csp-probe")) {
      const src = el.getAttribute("src") || "";
      const json = !src && el.getAttribute("type") === "application/json";
      if (!src.startsWith("/static/") && !json) problems.push("script");
    }
    if (tag === "link" && !(el.getAttribute("href") || "").startsWith("/static/"))
      problems.push("link");
    if (tag === "style" && /xss|javascript:|expression\(/i.test(el.textContent))
      problems.push("style");
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const value = bare(attr.value);
      if (name.startsWith("on") && attr.value !== DRF_LOG_OUT) problems.push(`handler ${name}`);
      if ((URL_ATTRS.has(name) || name.endsWith(":href")) && SCRIPT_URL.test(value))
        problems.push(`${name}=${attr.value}`);
      if (LOADING_ATTRS.has(name) && value.includes("xss-probe"))
        problems.push(`${name}=${attr.value}`);
      if (name === "style" && /expression\(|javascript:|url\(|xss-probe/i.test(attr.value))
        problems.push(`style=${attr.value}`);
    }
    if ((tag === "a" || tag === "area") && el.hasAttribute("href")) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(bare(el.getAttribute("href")))?.[1];
      if (scheme && !/^https?$/i.test(scheme)) problems.push(`link to ${scheme}:`);
    }
    return problems.map((p) => `<${tag}> ${p}: ${el.outerHTML.slice(0, 160)}`);
  }

  window.__xssAudit = (root = document) => Array.from(root.querySelectorAll("*")).flatMap(audit);
  new MutationObserver((records) => {
    for (const record of records) {
      const nodes = record.type === "attributes" ? [record.target] : [...record.addedNodes];
      for (const node of nodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        for (const el of [node, ...node.querySelectorAll("*")]) window.__xssSeen.push(...audit(el));
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
})();
""".replace("PROBE_ATTRIBUTE", PROBE_ATTRIBUTE).replace("PROBE_CLASS", PROBE_CLASS)

# Run in a page without a CSP: proof that only the app's escaping stood in a payload's way.
INLINE_SCRIPT_RUNS = """() => {
  const s = document.createElement("script");
  s.dataset.cspProbe = "";
  s.textContent = "window.__inlineRan = true";
  document.head.append(s);
  s.remove();
  return window.__inlineRan === true;
}"""


class Watch:
    """What a payload would do if it ran or loaded: call the binding, open a dialog, fetch a
    probe path. Set on a browser context before its first page loads."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.events: list[str] = []

    def prepare(self, context: BrowserContext) -> None:
        context.add_init_script(WATCH_SCRIPT)
        # In every frame, an iframe's srcdoc included.
        context.expose_binding(
            BINDING, lambda source, n=None: self.events.append(f"__xss({n}) ran")
        )
        context.on("page", lambda page: page.on("dialog", self._dialog))
        context.on("request", self._request)
        if self.mode == CSP_STRIPPED:
            context.route("**/*", _without_csp)

    def _dialog(self, dialog: Dialog) -> None:
        self.events.append(f"a {dialog.type} dialog opened: {dialog.message!r}")
        dialog.dismiss()

    def _request(self, request: Request) -> None:
        if PROBE_PATH in request.url or request.url.startswith(("javascript:", "data:text")):
            self.events.append(f"requested {request.url}")


def _without_csp(route: Route) -> None:
    if route.request.resource_type != "document":
        route.fallback()
        return
    response = route.fetch()
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"}
    route.fulfill(response=response, headers=headers)


class Screens:
    """Visits screens on one page in one mode, and checks each: nothing ran, nothing was
    injected, the expected texts are shown as text, the console stayed clean."""

    def __init__(self, app: App, page: Page, watch: Watch) -> None:
        self.app, self.page, self.watch = app, page, watch
        self.events_from = self.errors_from = 0

    def visit(self, path: str, ready: Callable[[Page], object]) -> None:
        # What an earlier screen did is that screen's failure, not this one's.
        self.events_from = len(self.watch.events)
        self.errors_from = len(self.app.console_errors())
        response = self.page.goto(path)
        assert response is not None
        csp = response.headers.get("content-security-policy")
        if self.watch.mode == CSP_SERVED:
            assert csp and "script-src 'self'" in csp, f"{path} was served without its CSP"
        else:
            assert csp is None, f"{path} still has a CSP"
        ready(self.page)

    def check(self, texts: list[str]) -> None:
        page = self.page
        # Image errors, load events and autofocus fire within a frame or two of insertion.
        page.wait_for_load_state("networkidle")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        ran = self.watch.events[self.events_from :]
        assert not ran, "payloads ran:\n" + "\n".join(ran)
        seen = page.evaluate("() => [...window.__xssSeen, ...window.__xssAudit()]")
        assert not seen, "markup injected into the page:\n" + "\n".join(seen[:20])
        shown = page.evaluate("() => document.body.textContent")
        missing = [text[:80] for text in texts if text not in shown]
        assert not missing, f"not shown as text on {page.url}:\n" + "\n".join(map(repr, missing))
        if self.watch.mode == CSP_STRIPPED:
            assert page.evaluate(INLINE_SCRIPT_RUNS), "inline script did not run without a CSP"
        errors = self.app.console_errors()[self.errors_from :]
        assert not errors, "the browser console reported errors:\n" + "\n".join(errors)


def thread_view_ready(thread: Thread) -> Callable[[Page], None]:
    """Waits for every comment, claim highlight, suggestion and the glossary of `thread`."""
    counts = [
        Comment.objects.filter(thread=thread).count(),
        Claim.objects.filter(comment__thread=thread).count(),
        Mention.objects.filter(comment__thread=thread, status="suggested").count(),
        DefinitionCandidate.objects.filter(comment__thread=thread, status="suggested").count(),
        Claim.objects.filter(comment__thread=thread, readings__isnull=False).exists(),
    ]

    def ready(page: Page) -> None:
        page.wait_for_function(
            """([comments, claims, mentions, candidates, read]) => {
                const starts = new Set([...document.querySelectorAll("mark[data-starts]")]
                  .flatMap((m) => m.dataset.starts.split(" ")));
                return document.querySelectorAll("article.comment").length === comments
                  && starts.size === claims
                  && document.querySelectorAll("[data-mention]").length === mentions
                  && document.querySelectorAll(".candidate").length === candidates
                  && (document.querySelector(".glossary-term") !== null) === read;
            }""",
            arg=counts,
        )

    return ready


def thread_view_texts(thread: Thread) -> list[str]:
    """The title, each comment's text and author, the suggestions, and the glossary."""
    texts = [thread.title]
    for comment in Comment.objects.filter(thread=thread):
        texts += [comment.text, comment.author]
    mentions = Mention.objects.filter(comment__thread=thread).select_related("term")
    texts += [mention.term.name for mention in mentions]
    candidates = DefinitionCandidate.objects.filter(comment__thread=thread)
    texts += [candidate.definition_text for candidate in candidates]
    readings = Claim.objects.filter(comment__thread=thread).prefetch_related(
        "readings__definition", "readings__term", "readings__decomposition"
    )
    for claim in readings:
        for reading in claim.readings.all():
            if reading.definition:
                texts += [reading.term.name, reading.definition.text, reading.definition.label]
            else:
                texts.append(reading.decomposition.name)
    return [text for text in texts if text]


# Opens each claim's panel by clicking its highlight, as a reader does (a click on overlapping
# highlights moves on to the next claim under them), and returns the claims whose panel does
# not show their quote and note exactly as stored.
CLAIM_PANEL_SCRIPT = """
async (claims) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const until = async (test, ms) => {
    for (const end = performance.now() + ms; !test(); await frame())
      if (performance.now() > end) return false;
    return true;
  };
  const selected = () => new URLSearchParams(location.search).get("claim");
  const wrong = [];
  for (const [id, quote, note] of claims) {
    const mark = document.querySelector(`mark[data-starts~="${id}"]`);
    if (!mark) { wrong.push(`${id}: no highlight`); continue; }
    for (let tries = 0; tries < 4 && selected() !== String(id); tries++) {
      const before = selected();
      mark.click();
      await until(() => selected() !== before, 2000);
    }
    const shows = () => {
      const panel = document.querySelector(".claim-panel");
      return selected() === String(id)
        && panel?.querySelector(".claim-quote")?.textContent === quote
        && (panel.querySelector(".claim-note")?.textContent ?? "") === note;
    };
    if (!(await until(shows, 3000))) wrong.push(`${id}: selected ${selected()}`);
  }
  return wrong;
}
"""


class Tour:
    """Every screen, in one mode, as the reviewer (who sees the most controls)."""

    def __init__(self, app: App, data: Hostile, reviewer: User, mode: str, subtests: Any):
        self.app, self.data, self.mode, self.subtests = app, data, mode, subtests
        watch = Watch(mode)
        self.page = app.open("/threads", as_user=reviewer, prepare=watch.prepare)
        # Threads of hundreds of comments, claims and mentions load slowly on a busy machine.
        self.page.set_default_timeout(30_000)
        self.screens = Screens(app, self.page, watch)
        self.annotated = data.threads[ANNOTATED]

    def run(self) -> None:
        for screen in (
            self.threads_list,
            self.thread_views,
            self.claim_panel,
            self.conflicts_queue,
            self.terms_list,
            self.term_pages,
            self.map,
            self.import_dialog,
            # Last: it tolerates the CSP's console reports for the rest of the page's life.
            self.browsable_api,
        ):
            screen()

    def test(self, screen: str, **about: Any) -> Any:
        return self.subtests.test(screen, mode=self.mode, **about)

    def threads_list(self) -> None:
        with self.test("threads list"):
            titles = list(Thread.objects.values_list("title", flat=True))
            self.screens.visit(
                "/threads", lambda p: expect(p.locator(".thread-row")).to_have_count(len(titles))
            )
            self.screens.check(titles)

    def thread_views(self) -> None:
        for key, thread in self.data.threads.items():
            with self.test("thread view", thread=key):
                self.screens.visit(f"/threads/{thread.id}", thread_view_ready(thread))
                # A document's title collapses whitespace.
                assert self.page.title() == flat(f"{thread.title} · Sensemap")
                shown = self.page.evaluate(
                    """() => Object.fromEntries([...document.querySelectorAll(
                        "[data-comment-text]")].map((el) => [el.dataset.commentText,
                        el.textContent]))"""
                )
                stored = {str(c.id): c.text for c in Comment.objects.filter(thread=thread)}
                assert shown == stored, "a comment's text is not shown exactly as stored"
                self.screens.check(thread_view_texts(thread))

    def claim_panel(self) -> None:
        with self.test("claim panel"):
            claims = Claim.objects.filter(comment__thread=self.annotated).order_by("id")
            self.screens.visit(f"/threads/{self.annotated.id}", thread_view_ready(self.annotated))
            wrong = self.page.evaluate(
                CLAIM_PANEL_SCRIPT, [[c.id, c.quote, c.note] for c in claims]
            )
            assert not wrong, "claim panels not showing their claim as stored:\n" + "\n".join(wrong)
            # The last claim's panel: its readings, the decomposition picker, its links.
            self.screens.check([t.name for t in Term.objects.filter(readings__claim=claims.last())])

    def conflicts_queue(self) -> None:
        with self.test("conflicts queue"):
            listed = APIClient().get("/api/conflicts/?page_size=100").json()["results"]
            self.screens.visit(
                "/conflicts?status=all",
                lambda p: expect(p.locator("article.conflict")).to_have_count(len(listed)),
            )
            expect(self.page.get_by_role("group", name="Review").first).to_be_visible()
            texts = [p.text.strip() for p in PAYLOADS]  # the review notes
            for conflict in self.data.conflicts:
                claims = Claim.objects.filter(
                    readings__term=conflict.term, comment__thread=conflict.thread
                ).select_related("comment")
                texts += [text for c in claims for text in (c.quote, c.comment.author)]
                texts += [d.text for d in Definition.objects.filter(term=conflict.term)]
            self.screens.check(texts)

    def terms_list(self) -> None:
        with self.test("terms list"):
            # The list shows the first 50 by name; the others' names are checked in the thread
            # views' glossaries and on the conflicts.
            listed = APIClient().get("/api/terms/?page_size=50").json()["results"]
            self.screens.visit(
                "/terms", lambda p: expect(p.locator(".term-list > li")).to_have_count(len(listed))
            )
            self.screens.check(
                [t["name"] for t in listed] + [a for t in listed for a in t["aliases"]]
            )

    def term_pages(self) -> None:
        # The term read two ways (two senses, claims, conflicts), JSON-looking, the longest.
        for payload in (EQUIVOCATIONS[ANNOTATED][0], 57, 58):
            with self.test("term page", payload=payload):
                term = self.data.terms[payload]
                definitions = list(Definition.objects.filter(term=term))

                def ready(page: Page, count: int = len(definitions)) -> None:
                    expect(page.locator(".definition-list > li")).to_have_count(count)
                    expect(page.locator(".claim-item").first).to_be_attached()

                self.screens.visit(f"/terms/{term.id}", ready)
                texts = [term.description, *(a.text for a in term.variants.all())]
                texts += [text for d in definitions for text in (d.text, d.label)]
                texts += [d.name for d in Decomposition.objects.filter(definitions__term=term)]
                texts += [c.quote for c in Claim.objects.filter(readings__term=term)]
                self.screens.check(texts)

    def map(self) -> None:
        with self.test("map and its text alternative"):
            term = self.data.terms[EQUIVOCATIONS[ANNOTATED][0]]
            claims = Claim.objects.filter(comment__thread=self.annotated).select_related("comment")
            self.screens.visit(
                f"/threads/{self.annotated.id}/map?term={term.id}",
                lambda p: expect(p.locator(".map-claim")).to_have_count(len(claims)),
            )
            colour = self.page.get_by_role("combobox", name="Colour by term")
            expect(colour).to_have_value(str(term.id))
            self.page.wait_for_timeout(300)  # the canvas lays out and draws its labels
            # Every term read in the thread is an option of the colour picker.
            read = Term.objects.filter(readings__claim__comment__thread=self.annotated)
            texts = [t.name for t in read] + [d.label for d in Definition.objects.filter(term=term)]
            texts += [text for c in claims for text in (c.quote, c.comment.author)]
            self.screens.check(texts)

    def import_dialog(self) -> None:
        with self.test("import dialog"):
            page = self.page
            self.screens.visit(
                "/threads", lambda p: expect(p.locator(".thread-row").first).to_be_visible()
            )
            page.get_by_role("button", name="Import thread", exact=True).click()
            dialog = page.get_by_role("dialog", name="Import thread", exact=True)
            # A refused import whose message quotes a payload: a duplicate id.
            hostile_id = BY_ID[17].text
            refused = {
                "post": {"_id": hostile_id, "htmlBody": "<p>x</p>"},
                "comments": [{"_id": hostile_id}],
            }
            self.app.allow_console_error(page, r"status of 400")
            import_in_dialog(dialog, json.dumps(refused), "forummagnum", "")
            expect(dialog.get_by_role("alert")).to_contain_text(hostile_id)
            self.screens.check([hostile_id])
            # Pasted payloads under a title of payloads: the result, then the thread made.
            title = " ¦ ".join(p.text for p in PAYLOADS[8:11])
            import_in_dialog(dialog, "\n\n".join(p.text for p in PAYLOADS[:20]), "text", title)
            expect(dialog.get_by_role("link", name="Open thread", exact=True)).to_be_visible()
            self.screens.check([title])
            dialog.get_by_role("link", name="Open thread", exact=True).click()
            imported = Thread.objects.get(title=title)
            thread_view_ready(imported)(page)
            self.screens.check([c.text for c in Comment.objects.filter(thread=imported)])

    def browsable_api(self) -> None:
        # Not the browser app, but HTML pages of stored data all the same. Its own template has
        # inline styles and a handler that the CSP refuses, and reports, whatever the data: an
        # injected handler would still be in the DOM audit, and run without the CSP.
        self.app.allow_console_error(self.page, "violates the following Content Security Policy")
        pages = {
            "thread": f"/api/threads/{self.data.threads['forummagnum-html'].id}/",
            "claims": f"/api/claims/?thread={self.annotated.id}&page_size=200",
            "conflicts": "/api/conflicts/?page_size=100",
        }
        for name, path in pages.items():
            with self.test("browsable API", page=name):
                body = APIClient().get(path).json()
                self.screens.visit(
                    f"{path}{'&' if '?' in path else '?'}format=api",
                    lambda p: expect(p.locator(".response-info")).to_be_visible(),
                )
                # The JSON as it is sent, so each string as JSON writes it.
                self.screens.check(
                    [json.dumps(text, ensure_ascii=False)[1:-1] for text in _strings(body)]
                )


def import_in_dialog(dialog: Locator, content: str, format: str, title: str) -> None:
    dialog.get_by_role("textbox", name="Thread text", exact=True).fill(content)
    dialog.get_by_role("combobox", name="Format", exact=True).select_option(format)
    dialog.get_by_role("textbox", name="Title", exact=True).fill(title)
    dialog.get_by_role("button", name="Import", exact=True).click()


def test_stored_payloads_stay_text_everywhere(
    app: App, alice: User, rita: User, subtests: Any
) -> None:
    data = seed(alice, rita)
    with subtests.test("the API returns payloads verbatim"):
        check_the_api_returns_payloads_verbatim(data)
    with subtests.test("the exports keep payloads inert"):
        check_the_exports_keep_payloads_inert(data)
    for mode in (CSP_SERVED, CSP_STRIPPED):
        Tour(app, data, rita, mode, subtests).run()


# Payloads that HTML itself reads as harmless text or unknown elements, whatever the context:
# the template syntaxes (the app has no template engine), Markdown (checked on the glossary
# export), tricks that only dodge naive filters (a zero-width space or fullwidth brackets in a
# tag name, a tag inside a tag name), and a <body> tag, which only a whole document obeys.
INERT_AS_HTML = {p.id for p in PAYLOADS if p.kind in ("template", "markdown")} | {8, 34, 47, 70}

# Each payload put where a careless app would put user text: as markup, inside a double- and a
# single-quoted attribute, as a link, in a textarea, and decoded once or twice too often (HTML
# entities, percent-encoding); a section per payload, so what the audit finds names its payload.
INJECT_SCRIPT = """
(payloads) => {
  const decode = (text) => {
    const area = document.createElement("textarea");
    area.innerHTML = text;
    return area.value;
  };
  const percent = (text) => { try { return decodeURIComponent(text); } catch { return text; } };
  for (const [id, text] of payloads) {
    const section = document.createElement("section");
    section.dataset.payload = id;
    section.innerHTML = [
      `<div>${text}</div>`, `<div title="${text}"></div>`, `<div title='${text}'></div>`,
      `<a href="${text}">x</a>`, `<textarea>${text}</textarea>`, `<div>${decode(text)}</div>`,
      `<div>${decode(decode(text))}</div>`, `<div>${percent(text)}</div>`,
    ].join("");
    document.body.append(section);
  }
  return Object.fromEntries(payloads.map(([id]) => [
    id, window.__xssAudit(document.querySelector(`section[data-payload="${id}"]`)).length,
  ]));
}
"""


def test_the_probes_catch_every_payload_a_careless_app_would_render(app: App) -> None:
    """The checks above can fail: every payload meant for HTML, put in a page as a careless app
    would put it, is caught (the CSP stripped) by the audit, the binding, a dialog or a probe
    request."""
    watch = Watch(CSP_STRIPPED)
    page = app.open("/threads", prepare=watch.prepare)
    # The browser reports what it refuses to do for the payloads (a javascript: base URL, say).
    app.allow_console_error(page, ".")
    expect(page.get_by_role("heading", name="Threads", exact=True)).to_be_visible()

    audited = page.evaluate(INJECT_SCRIPT, [[p.id, p.text] for p in PAYLOADS])
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 200)))")

    happened = " ".join(watch.events)
    caught = {p.id for p in PAYLOADS if audited[str(p.id)] or re.search(rf"\b{p.id}\b", happened)}
    missed = {p.id for p in PAYLOADS} - caught
    assert missed <= INERT_AS_HTML, f"payloads {sorted(missed - INERT_AS_HTML)} went unnoticed"
    # Each kind of signal fired at least once: the probes are live.
    assert re.search(r"__xss\(\d+\) ran", happened), happened
    assert "dialog opened" in happened and "requested" in happened, happened

"""Importing W3C Web Annotations (and Hypothesis exports) onto a thread: claims, terms, readings,
claim links. Runs inside the caller's transaction; writes nothing when it raises.

How the file's parts map (apps/imports/importers/w3c.py reads them):

- **The thread** is given, or found from the annotations' target sources: a comment's URL, the
  thread's URL, or the IRIs apps/exports/w3c.py writes (`<base>/threads/<t>#comment-<c>`). The
  sources must all be on one thread the user can read. Into a given thread, a source naming
  another thread's comment (a copy of this thread elsewhere) means this thread's comment with
  the same forum id, and an unknown source means the thread's page.
- **A claim** per annotation that selects text. On a comment, the TextPositionSelector is tried
  first and the TextQuoteSelector (with prefix and suffix) re-anchors it when the comment's text
  moved; a target with no selector is the whole comment. On a page (the thread's URL, and every
  Hypothesis annotation, whose offsets count the whole web page) the quote is searched in all
  the thread's comments. The claim records the annotation's `id`, so importing the file again
  finds it; an existing claim on the same span is reused. What cannot be anchored is an
  *orphan*, reported with why, never an error.
- **Terms**: each `classifying`/`tagging` body or Hypothesis tag is a term, found by its
  normalised name (or created). With a definition (a `describing` body) it is a sense reading
  of the claim; the definition is found by its text (or created). A bare tag only names the
  term: a sense reading needs a sense. `classifying` bodies with `sensemap:decomposition` are
  decomposition readings of a decomposition of that name. Imported readings start without
  votes: votes belong to the people who cast them.
- **Claim links**: `linking` annotations (target: the source claim, bodies: the other claim and
  the kind as a tag), and replies: a W3C `replying` annotation with a resource body, or a
  Hypothesis reply (`references`) that selects text of its own, links the reply's claim to the
  one it answers, as `clarifies` unless a tag names another kind. A reply with only text selects
  nothing in the thread and is an orphan. `replying` annotations between two whole comments
  are the thread's own reply tree, which the thread's import brings: they are skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.annotations import jobs as suggestion_jobs
from apps.annotations.anchoring import Anchor, anchor_span, quote_matches, reanchor
from apps.annotations.models import Claim, ClaimLink, Reading
from apps.annotations.services import term_claim_counts_refresh
from apps.conflicts import triggers
from apps.core.errors import ApplicationError
from apps.forum.models import Comment, Thread
from apps.forum.selectors import threads_visible
from apps.glossary.models import Decomposition, Definition, Term, TermAlias
from apps.glossary.normalize import normalize_term
from apps.imports.importers.base import ImportFormatError
from apps.imports.importers.w3c import ParsedAnnotation, ParsedAnnotations, Sense, TextTarget
from apps.workspaces.selectors import check_can_write

LINK_KINDS = frozenset(ClaimLink.Kind.values)
REPLY_LINK_KIND = ClaimLink.Kind.CLARIFIES
TERM_CHARS = Term._meta.get_field("name").max_length
LABEL_CHARS = Definition._meta.get_field("label").max_length
# IRIs apps/exports/w3c.py writes, after PUBLIC_BASE_URL.
_OWN_COMMENT = re.compile(r"/threads/(\d+)#comment-(\d+)")
_OWN_THREAD = re.compile(r"/threads/(\d+)/?")
_OWN_OBJECT = re.compile(r"/api/(claims|terms|definitions|decompositions)/(\d+)/")
SHOWN = 3  # sources named in a message


@dataclass(frozen=True)
class AnnotationImportResult:
    thread: Thread
    annotations: int
    claims_created: int
    claims_updated: int
    claims_unchanged: int
    terms_created: int
    definitions_created: int
    readings_created: int
    links_created: int
    # {"annotation": id, "reason": why} for annotations that could not be anchored or linked.
    orphans: list[dict[str, str]] = field(default_factory=list)
    # {"annotation": id, "reason": why} for parts of imported annotations that were left out.
    ignored: list[dict[str, str]] = field(default_factory=list)


def annotations_import(
    *,
    user: Any,
    parsed: ParsedAnnotations,
    thread: Thread | None = None,
) -> AnnotationImportResult:
    """Import the annotations onto `thread`, or onto the one their targets name among the
    threads the user can read. `user` None is the operator at the command line."""
    run = _Import(user, parsed)
    thread = run.find_thread(thread)
    if user is not None:
        check_can_write(user, thread.workspace)
    # Serialises imports and re-imports of one thread, so two runs cannot both create a claim.
    thread = Thread.objects.select_for_update().select_related("workspace").get(pk=thread.pk)
    return run.apply(thread)


def _own(iri: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return pattern.fullmatch(iri[len(base) :]) if iri.startswith(base + "/") else None


def _own_pk(iri: str, kind: str) -> int | None:
    match = _own(iri, _OWN_OBJECT)
    return int(match[2]) if match and match[1] == kind else None


def _url_variants(url: str) -> set[str]:
    """The URL as a forum or the exporter may have written it: with or without a final slash."""
    bare = url.rstrip("/")
    return {url, bare, bare + "/"} if bare else {url}


def _listed(sources: list[str]) -> str:
    shown = ", ".join(repr(s[:200]) for s in sources[:SHOWN])
    return shown + (f" and {len(sources) - SHOWN} more" if len(sources) > SHOWN else "")


def _is_link_kind(sense: Sense) -> bool:
    return not sense.definition and sense.term.strip().casefold() in LINK_KINDS


@dataclass(frozen=True)
class _Place:
    """Where a target source is in a thread: one comment, or the thread's page (where the
    comment, if any, is the one whose URL is also the page's: a forum post)."""

    thread_id: int
    comment_id: int | None = None
    page: bool = False


class _Import:
    def __init__(self, user: Any, parsed: ParsedAnnotations) -> None:
        self.user = user
        self.annotations = parsed.annotations
        self.file_ids = {a.id for a in self.annotations}
        self.places: dict[str, _Place] = {}
        self.orphans: list[dict[str, str]] = []
        self.ignored: list[dict[str, str]] = []
        # Annotation id -> its claim, or why it has none (an orphan, or a link).
        self.claim_of: dict[str, Claim | str] = {}
        self.created: set[int] = set()
        self.changed: set[int] = set()
        self.matched: set[int] = set()
        self.terms_created = self.definitions_created = self.readings_created = 0
        self.links_created = 0
        self.defined_terms: set[int] = set()
        self.unplaced: set[str] = set()

    # Which thread

    def _link_ends(self) -> set[str]:
        """Bare IRIs at the ends of links and replies: they name annotations or documents."""
        iris = set()
        for a in self.annotations:
            if not a.page_offsets and a.motivations & {"linking", "replying"}:
                iris |= {r.source for r in (*a.targets, *a.linked) if r.bare}
        return iris

    def _is_ref(self, iri: str) -> bool:
        """Whether a bare IRI names an annotation (a claim) rather than a document."""
        return iri in self.file_ids or _own_pk(iri, "claims") is not None or iri in self.unplaced

    def _sources(self) -> set[str]:
        sources = set()
        for a in self.annotations:
            resources = list(a.targets)
            if not a.page_offsets and a.motivations & {"linking", "replying"}:
                resources += a.linked
            sources |= {r.source for r in resources if not (r.bare and self._is_ref(r.source))}
        return sources

    def find_thread(self, thread: Thread | None) -> Thread:
        sources = self._sources()
        readable = Thread.objects.all() if self.user is None else threads_visible(self.user)
        scope = readable if thread is None else readable | Thread.objects.filter(pk=thread.pk)
        found = _places(sources, scope)
        # A link's end that is no document here names an annotation: one imported before, or
        # one that is missing, which the link reports as its orphan.
        self.unplaced = {iri for iri in self._link_ends() & sources if not found[iri]}
        sources -= self.unplaced
        if thread is not None:
            self._places_in(thread, sources, found)
            return thread
        return self._one_thread(sources, found, readable)

    def _one_thread(self, sources: set[str], found: dict[str, list[_Place]], scope: Any) -> Thread:
        if not sources:
            raise ApplicationError(
                "The annotations only link other annotations and name no comment or page, so "
                "the thread they are on is not known: name the thread to import them into.",
                code="unknown_thread",
            )
        unknown = sorted(s for s in sources if not found[s])
        if unknown:
            raise ApplicationError(
                f"The annotations are on {_listed(unknown)}, which is no thread or comment here"
                " that you can read. Import the thread first, or name the thread to import "
                "the annotations into.",
                code="unknown_thread",
                detail={"sources": unknown[:100]},
            )
        candidates: set[int] | None = None
        for source in sources:
            ids = {place.thread_id for place in found[source]}
            candidates = ids if candidates is None else candidates & ids
        if not candidates:
            every = sorted({p.thread_id for s in sources for p in found[s]})
            raise ApplicationError(
                f"The annotations are on more than one thread (threads {every}); import each "
                "thread's annotations separately, naming the thread.",
                code="several_threads",
                detail={"threads": every},
            )
        if len(candidates) > 1:
            raise ApplicationError(
                f"The annotated pages are in threads {sorted(candidates)} (copies of one forum "
                "thread); name the thread to import the annotations into.",
                code="ambiguous_thread",
                detail={"threads": sorted(candidates)},
            )
        (thread_id,) = candidates
        for source in sources:
            self.places[source] = next(p for p in found[source] if p.thread_id == thread_id)
        return scope.get(pk=thread_id)

    def _places_in(self, thread: Thread, sources: set[str], found: dict[str, list[_Place]]) -> None:
        """Into a named thread: other threads' comments map to this thread's by forum id, and
        what is not in it stands for its page."""
        elsewhere = {p.comment_id for s in sources for p in found[s] if p.thread_id != thread.id}
        twins = dict(
            Comment.objects.filter(thread=thread)
            .filter(
                external_id__in=Comment.objects.filter(id__in=elsewhere - {None}).values(
                    "external_id"
                )
            )
            .values_list("external_id", "id")
        )
        external_ids = dict(
            Comment.objects.filter(id__in=elsewhere - {None}).values_list("id", "external_id")
        )
        for source in sources:
            here = [p for p in found[source] if p.thread_id == thread.id]
            if here:
                self.places[source] = here[0]
                continue
            copies = [twins.get(external_ids.get(p.comment_id)) for p in found[source]]
            twin = next((c for c in copies if c is not None), None)
            self.places[source] = _Place(thread.id, twin, page=twin is None)

    # Writing

    def apply(self, thread: Thread) -> AnnotationImportResult:
        self.thread = thread
        self.workspace = thread.workspace
        self.comments = list(Comment.objects.filter(thread=thread).order_by("position", "id"))
        self.comments_by_id = {c.id: c for c in self.comments}
        self.claims = {
            c.id: c for c in Claim.objects.filter(comment__thread=thread).select_related("comment")
        }
        self.by_annotation = {c.annotation_id: c for c in self.claims.values() if c.annotation_id}
        self.by_span = {(c.comment_id, c.start, c.end): c for c in self.claims.values()}
        self.readings = set(
            Reading.objects.filter(claim__comment__thread=thread).values_list(
                "claim_id", "term_id", "definition_id", "decomposition_id"
            )
        )
        self.terms: dict[str, Term] = {}
        self.terms_read: set[int] = set()  # their claim counts are refreshed at the end
        self.definitions: dict[tuple[int, str], Definition] = {}

        links = []
        for a in self.annotations:
            kind = self._kind(a)
            if kind == "claim":
                self._claim_annotation(a)
            elif kind in ("link", "reply"):
                links.append((a, kind))
                self.claim_of[a.id] = f"annotation {a.id!r} is a link, not a claim"
                if kind == "reply":
                    self._reply_claim(a)
        for a, kind in links:
            self._link(a, kind)
        return self._finish()

    def _kind(self, a: ParsedAnnotation) -> str:
        if a.page_offsets:
            return "reply" if a.references else "claim"
        if "linking" in a.motivations:
            return "link"
        if "replying" in a.motivations:
            ends = (*a.targets, *a.linked)
            if a.linked and all(r.bare and not self._is_ref(r.source) for r in ends):
                return "comment_reply"
            if any(t.bare and self._is_ref(t.source) for t in a.targets):
                return "reply"
        return "claim"

    def _orphan(self, a: ParsedAnnotation, reason: str) -> None:
        self.orphans.append({"annotation": a.id, "reason": reason})
        if not isinstance(self.claim_of.get(a.id), Claim):
            self.claim_of[a.id] = f"annotation {a.id!r} is an orphan ({reason})"

    def _ignore(self, a: ParsedAnnotation, reason: str) -> None:
        self.ignored.append({"annotation": a.id, "reason": reason})

    def _claim_annotation(self, a: ParsedAnnotation) -> None:
        if len(a.targets) > 1:
            self._orphan(a, f"it has {len(a.targets)} targets; a claim is one span of a comment")
            return
        claim = self._claim_at(a, a.targets[0], record_id=a.id)
        if isinstance(claim, str):
            self._orphan(a, claim)
            return
        self.claim_of[a.id] = claim
        self._annotate(a, claim, a.senses)
        for resource in a.linked:
            self._ignore(a, f"its body {resource.source[:200]!r} is a resource, not text")

    def _reply_claim(self, a: ParsedAnnotation) -> None:
        """A reply's own claim: its selected text (Hypothesis) or its resource body (W3C)."""
        own = a.targets[0] if a.page_offsets else (a.linked[0] if a.linked else None)
        if own is None or (a.page_offsets and not own.selects_text):
            self._orphan(
                a,
                "a reply with only text: it selects nothing in the thread, and a link joins "
                "two claims",
            )
            return
        claim = self._end(a, own, record_id=a.id)
        if isinstance(claim, str):
            self._orphan(a, claim)
            return
        self.claim_of[a.id] = claim
        if not (own.bare and self._is_ref(own.source)):  # its own text, not another's claim
            self._annotate(a, claim, [s for s in a.senses if not _is_link_kind(s)])

    def _annotate(self, a: ParsedAnnotation, claim: Claim, senses: list[Sense] | tuple) -> None:
        for reason in a.ignored:
            self._ignore(a, reason)
        if a.note.strip() and not claim.note:
            claim.note = a.note.strip()
            self._change(claim, "note")
        for sense in senses:
            self._sense_reading(a, claim, sense)
        for body in a.decompositions:
            decomposition = self._decomposition(body.name, body.iri)
            if decomposition is None:
                self._ignore(
                    a,
                    f"the decomposition {body.name[:200]!r} is not in the workspace "
                    f"“{self.workspace.name}”; create it to import this reading",
                )
                continue
            self._reading(claim, decomposition=decomposition)

    def _change(self, claim: Claim, *fields: str) -> None:
        if claim.id not in self.created:
            self.changed.add(claim.id)
        claim.save(update_fields=[*fields, "updated_at"])

    # Claims

    def _end(self, a: ParsedAnnotation, resource: TextTarget, record_id: str = "") -> Claim | str:
        """The claim at one end of a link: a named annotation, or a span it selects."""
        if resource.bare and self._is_ref(resource.source):
            return self._claim_by_ref(resource.source)
        return self._claim_at(a, resource, record_id=record_id)

    def _claim_by_ref(self, ref: str) -> Claim | str:
        if ref in self.claim_of:
            return self.claim_of[ref]
        claim = self.by_annotation.get(ref) or self.claims.get(_own_pk(ref, "claims") or 0)
        if claim is None:
            return (
                f"it names annotation {ref[:200]!r}, which is neither in the file nor a claim "
                f"of thread {self.thread.id}"
            )
        return claim

    def _claim_at(self, a: ParsedAnnotation, target: TextTarget, record_id: str) -> Claim | str:
        if record_id:
            known = self.by_annotation.get(record_id) or self.claims.get(
                _own_pk(record_id, "claims") or 0
            )
            if known is not None:
                self.matched.add(known.id)
                return known
        anchored = self._anchor(a, target)
        if isinstance(anchored, str):
            return anchored
        comment, anchor = anchored
        claim = self.by_span.get((comment.id, anchor.start, anchor.end))
        if claim is not None:
            self.matched.add(claim.id)
            if record_id and not claim.annotation_id:
                claim.annotation_id = record_id
                self.by_annotation[record_id] = claim
                self._change(claim, "annotation_id")
            return claim
        claim = Claim.objects.create(
            comment=comment,
            start=anchor.start,
            end=anchor.end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            annotation_id=record_id,
            created_by=self.user,
        )
        claim.comment = comment
        self.created.add(claim.id)
        self.claims[claim.id] = claim
        self.by_span[(comment.id, anchor.start, anchor.end)] = claim
        if record_id:
            self.by_annotation[record_id] = claim
        return claim

    def _anchor(self, a: ParsedAnnotation, target: TextTarget) -> tuple[Comment, Anchor] | str:
        place = self.places[target.source]
        named = self.comments_by_id.get(place.comment_id or 0)
        if named is not None and not place.page and not a.page_offsets:
            return self._anchor_in_comment(a, target, named)
        if target.exact is None:
            if named is not None and target.bare and not a.page_offsets:
                return self._anchor_in_comment(a, target, named)  # the post: a whole comment
            if target.bare:
                return "a note on the whole page: it selects no text of a comment"
            return (
                "its selectors count characters of the whole page and quote nothing, so no "
                "comment's text can be matched (a TextQuoteSelector is needed)"
            )
        # Offsets count in the named comment only when they are not the web page's.
        hint = None if a.page_offsets or named is None else target.start
        if hint is not None and named.text[hint : hint + len(target.exact)] == target.exact:
            return named, anchor_span(named.text, hint, hint + len(target.exact))
        best: tuple[tuple[int, ...], Comment, int] | None = None
        for order, comment in enumerate(self.comments):
            matches = quote_matches(comment.text, target.exact, target.prefix, target.suffix)
            for score, start in matches:
                # Most context kept; then the comment the source names, nearest its offsets;
                # then the earliest.
                is_named = comment is named
                distance = abs(start - hint) if is_named and hint is not None else 0
                key = (score, is_named, -distance, -order, -start)
                if best is None or key > best[0]:
                    best = (key, comment, start)
        if best is None:
            return (
                f"the quoted text {target.exact[:80]!r} is in no comment of thread {self.thread.id}"
            )
        _, comment, start = best
        return comment, anchor_span(comment.text, start, start + len(target.exact))

    def _anchor_in_comment(
        self, a: ParsedAnnotation, target: TextTarget, comment: Comment
    ) -> tuple[Comment, Anchor] | str:
        text = comment.text
        if target.bare:
            if not text.strip():
                return f"comment {comment.external_id!r} has no text to claim"
            return comment, anchor_span(text, 0, len(text))
        if target.exact is not None:
            start = target.start if target.start is not None else 0
            end = target.end if target.end is not None else start
            anchor = reanchor(text, Anchor(start, end, target.exact, target.prefix, target.suffix))
            if anchor is None:
                return (
                    f"the quoted text {target.exact[:80]!r} is not in comment "
                    f"{comment.external_id!r} any more"
                )
            return comment, anchor
        if target.start is None:
            return (
                f"it selects text only with {', '.join(target.other_selectors)}, which cannot "
                "be matched to a comment's text"
            )
        try:
            return comment, anchor_span(text, target.start, target.end)
        except ApplicationError as error:
            # Offsets alone, without a quote to find the text again by: they must fit.
            raise ImportFormatError(
                f"{a.path}: {error.message} (comment {comment.external_id!r}); give a "
                "TextQuoteSelector to re-anchor by.",
                detail={"path": a.path, "annotation": a.id},
            ) from None

    # Terms, definitions, readings

    def _sense_reading(self, a: ParsedAnnotation, claim: Claim, sense: Sense) -> None:
        term = self._term(a, sense)
        if term is None or not sense.definition:
            return
        definition = self._definition(term, sense)
        origin = sense.origin if sense.origin in Reading.Origin.values else Reading.Origin.PERSON
        self._reading(claim, term=term, definition=definition, origin=origin)

    def _term(self, a: ParsedAnnotation, sense: Sense) -> Term | None:
        name = " ".join(sense.term.split())
        key = normalize_term(name)
        if not key:
            self._ignore(a, f"the tag {sense.term[:200]!r} has no letters or digits")
            return None
        if len(name) > TERM_CHARS or len(key) > TERM_CHARS:
            raise ImportFormatError(
                f"{a.path}: the term {name[:40]!r}… is {len(name)} characters long; at most "
                f"{TERM_CHARS} fit.",
                detail={"path": a.path, "annotation": a.id},
            )
        own = _own_pk(sense.term_iri, "terms")
        if own is not None:
            term = Term.objects.filter(pk=own, workspace=self.workspace).first()
            if term is not None:
                return term
        if key not in self.terms:
            self.terms[key] = self._term_get_or_create(name, key)
        return self.terms[key]

    def _term_get_or_create(self, name: str, key: str) -> Term:
        variants = TermAlias.objects.filter(workspace=self.workspace, normalized=key)
        alias = variants.select_related("term").first()
        if alias is not None:
            return alias.term
        try:
            with transaction.atomic():  # a savepoint: the unique variant decides a race
                term = Term.objects.create(
                    workspace=self.workspace, name=name, normalized=key, created_by=self.user
                )
                TermAlias.objects.create(
                    term=term,
                    workspace=self.workspace,
                    text=name,
                    normalized=key,
                    is_canonical=True,
                )
        except IntegrityError:
            alias = variants.select_related("term").first()
            if alias is None:
                raise
            return alias.term
        self.terms_created += 1
        return term

    def _definition(self, term: Term, sense: Sense) -> Definition:
        text = sense.definition.strip()
        cached = self.definitions.get((term.id, text))
        if cached is not None:
            return cached
        own = _own_pk(sense.definition_iri, "definitions")
        definition = (
            Definition.objects.filter(pk=own, term=term).first() if own is not None else None
        ) or Definition.objects.filter(term=term, text=text).order_by("id").first()
        if definition is None:
            label = sense.label
            if len(label) > LABEL_CHARS:
                label = label[: LABEL_CHARS - 1].rstrip() + "…"
            definition = Definition.objects.create(
                term=term, text=text, label=label, created_by=self.user
            )
            self.definitions_created += 1
            self.defined_terms.add(term.id)
        self.definitions[(term.id, text)] = definition
        return definition

    def _decomposition(self, name: str, iri: str) -> Decomposition | None:
        decompositions = Decomposition.objects.filter(workspace=self.workspace)
        own = _own_pk(iri, "decompositions")
        found = decompositions.filter(pk=own).first() if own is not None else None
        return found or decompositions.filter(name=name).first()

    def _reading(
        self,
        claim: Claim,
        *,
        term: Term | None = None,
        definition: Definition | None = None,
        decomposition: Decomposition | None = None,
        origin: str = Reading.Origin.PERSON,
    ) -> None:
        key = (
            claim.id,
            term.id if term else None,
            definition.id if definition else None,
            decomposition.id if decomposition else None,
        )
        if key in self.readings:
            return
        Reading.objects.create(
            claim=claim,
            kind=Reading.Kind.DECOMPOSITION if decomposition else Reading.Kind.SENSE,
            term=term,
            definition=definition,
            decomposition=decomposition,
            origin=origin,
            created_by=self.user,
        )
        self.readings.add(key)
        self.readings_created += 1
        if term is not None:
            self.terms_read.add(term.id)
        if claim.id not in self.created:
            self.changed.add(claim.id)

    # Links

    def _link(self, a: ParsedAnnotation, kind: str) -> None:
        if kind == "reply":
            source = self.claim_of[a.id]
            if isinstance(source, str):
                return  # the reply itself is an orphan, reported already
            if a.page_offsets:
                # The parent, or else the nearest ancestor that is a claim: a reply to a reply
                # with only text answers the thread above it.
                ancestors = [self._claim_by_ref(ref) for ref in reversed(a.references)]
                target = next((c for c in ancestors if isinstance(c, Claim)), ancestors[0])
            else:
                parent = next(t.source for t in a.targets if t.bare and self._is_ref(t.source))
                target = self._claim_by_ref(parent)
            kinds = [s.term.strip().casefold() for s in a.senses if _is_link_kind(s)]
            kinds = kinds or [REPLY_LINK_KIND]
        else:
            if not a.linked:
                self._orphan(a, "it links nothing: no body names the other claim")
                return
            kinds = [s.term.strip().casefold() for s in a.senses if _is_link_kind(s)]
            for sense in a.senses:
                if not _is_link_kind(sense):
                    self._ignore(a, f"the tag {sense.term[:200]!r} is not a link kind")
            if not kinds:
                self._orphan(
                    a,
                    "it names no link kind: a tagging body says supports, attacks, restates "
                    "or clarifies",
                )
                return
            source = self._end(a, a.targets[0])
            target = self._end(a, a.linked[0])
        for end in (source, target):
            if isinstance(end, str):
                self._orphan(a, end)
                return
        assert isinstance(source, Claim) and isinstance(target, Claim)
        if source.id == target.id:
            self._orphan(a, "both of its ends are the same claim")
            return
        for link_kind in dict.fromkeys(kinds):
            _, created = ClaimLink.objects.get_or_create(
                source=source, target=target, kind=link_kind, defaults={"created_by": self.user}
            )
            self.links_created += created

    def _finish(self) -> AnnotationImportResult:
        term_claim_counts_refresh(self.terms_read)
        created, changed = len(self.created), len(self.changed - self.created)
        if created or changed or self.links_created:
            # Recorded in this transaction: a failed import asks for nothing.
            triggers.threads_changed([self.thread.id])
        if self.terms_created:
            suggestion_jobs.refresh_workspace(self.workspace.id)
        if self.defined_terms:
            triggers.terms_changed(self.defined_terms)
        return AnnotationImportResult(
            thread=self.thread,
            annotations=len(self.annotations),
            claims_created=created,
            claims_updated=changed,
            claims_unchanged=len(self.matched - self.changed - self.created),
            terms_created=self.terms_created,
            definitions_created=self.definitions_created,
            readings_created=self.readings_created,
            links_created=self.links_created,
            orphans=self.orphans,
            ignored=self.ignored,
        )


def _places(sources: set[str], threads: Any) -> dict[str, list[_Place]]:
    """Every place in `threads` each source names: comments by URL or exported IRI, threads'
    pages by URL or IRI. A forum URL can be in several threads (copies in other workspaces)."""
    by_url: dict[str, set[str]] = defaultdict(set)
    own_comments: dict[int, tuple[str, int]] = {}
    own_threads: dict[int, str] = {}
    for source in sources:
        if match := _own(source, _OWN_COMMENT):
            own_comments[int(match[2])] = (source, int(match[1]))
        elif match := _own(source, _OWN_THREAD):
            own_threads[int(match[1])] = source
        for variant in _url_variants(source):
            by_url[variant].add(source)
    # (source, thread id) -> the comment it names there, and whether it is the thread's page.
    comment_of: dict[tuple[str, int], int] = {}
    pages: set[tuple[str, int]] = set()
    rows = Comment.objects.filter(thread__in=threads).filter(
        Q(url__in=list(by_url)) | Q(id__in=list(own_comments))
    )
    for comment_id, thread_id, url in rows.values_list("id", "thread_id", "url"):
        named = set(by_url.get(url, ()))
        own = own_comments.get(comment_id)
        if own is not None and own[1] == thread_id:
            named.add(own[0])
        for source in named:
            comment_of.setdefault((source, thread_id), comment_id)
    page_rows = threads.filter(Q(source_url__in=list(by_url)) | Q(id__in=list(own_threads)))
    for thread_id, url in page_rows.values_list("id", "source_url"):
        for source in {*by_url.get(url, ()), own_threads.get(thread_id)} - {None}:
            pages.add((source, thread_id))
    found: dict[str, list[_Place]] = {source: [] for source in sources}
    for source, thread_id in sorted({*comment_of, *pages}):
        found[source].append(
            _Place(thread_id, comment_of.get((source, thread_id)), (source, thread_id) in pages)
        )
    return found

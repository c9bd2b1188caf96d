"""A thread's claims, readings, claim links and reply tree as W3C Web Annotation JSON-LD.

Shape (https://www.w3.org/TR/annotation-model/):

- The document is an `AnnotationCollection` (model §5) whose `first` is the one embedded
  `AnnotationPage` holding every annotation in `items`. The model defines collections as the way
  to carry many annotations in one JSON-LD document, the test suite has MUST assertions for them
  (`collections/collectionMusts.test`, `collections/pages/pageMusts.test`), and a bare JSON list
  would have no `@context`. Items inherit the collection's `@context`, as in the model's
  examples; each item with that context added passes `annotations/annotationMusts.test`.
- `@context` is `["http://www.w3.org/ns/anno.jsonld", {"sensemap": "<base>/ns#", …}]`: the suite
  accepts an array holding the anno context (3.1-annotationContextValidated), and the few keys
  the W3C vocabulary has no word for are `sensemap:` terms declared there.
- **One annotation per claim**, `motivation: "highlighting"` (a claim is a span marked as an
  assertion; what it says about its terms is in the bodies' purposes). Its `target` is a
  SpecificResource on the comment (its forum URL, else `<base>/threads/<thread>#comment-<id>`)
  with a `TextPositionSelector` (character offsets in the comment text) and a
  `TextQuoteSelector` (exact, prefix, suffix). Bodies:
  - each **sense reading** is two TextualBodies, `purpose: "classifying"` with the term's name and
    `purpose: "describing"` with the definition's text. They are not a `Choice` (that would mean
    "pick one") and two bodies cannot share one `id` (they would merge into one resource), so
    both carry `sensemap:reading` (the reading's IRI) to pair them, plus `sensemap:term` or
    `sensemap:definition` (IRIs) and the definition's label, the votes and the origin;
  - each **decomposition reading** is a TextualBody, `purpose: "classifying"`, valued with the
    decomposition's name, carrying `sensemap:reading` and `sensemap:decomposition`;
  - the claim's **note** is a TextualBody with `purpose: "commenting"` (the annotator's own
    remark, kept apart from the `describing` definition texts).
- **One annotation per claim link**, `motivation: "linking"`: its `target` is the source claim's
  annotation IRI, its bodies the target claim's annotation IRI (a SpecificResource,
  `purpose: "linking"`) and the kind ("supports", "attacks", "restates", "clarifies") as a
  TextualBody with `purpose: "tagging"` — "claim A (target) supports claim B (body)".
- **One annotation per reply** (a comment with a parent), `motivation: "replying"`: target the
  parent comment, body the reply comment, so the reply tree (what "talking past each other"
  is judged on) survives the export.

IRIs: claims `<base>/api/claims/<id>/`, links `<base>/api/claim-links/<id>/`, readings, terms,
definitions and decompositions under `/api/` likewise; people `<base>/users/<username>`.
Times are UTC `xsd:dateTime` with a `Z`, as the model recommends.
"""

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from django.conf import settings

from apps.annotations.models import Claim, ClaimLink, Reading
from apps.forum.models import Comment, Thread

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
W3C_CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def _context(base_url: str) -> list[Any]:
    iri = {"@type": "@id"}
    return [
        ANNO_CONTEXT,
        {
            "sensemap": f"{base_url}/ns#",
            "sensemap:reading": iri,
            "sensemap:term": iri,
            "sensemap:definition": iri,
            "sensemap:decomposition": iri,
            "sensemap:thread": iri,
        },
    ]


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Iris:
    def __init__(self, base_url: str, thread: Thread) -> None:
        self.base = base_url
        self.thread = thread

    def api(self, kind: str, pk: int) -> str:
        return f"{self.base}/api/{kind}/{pk}/"

    def comment(self, comment: Comment) -> str:
        return comment.url or f"{self.base}/threads/{self.thread.id}#comment-{comment.id}"

    def person(self, user: Any) -> dict[str, str] | None:
        if user is None:
            return None
        return {
            "id": f"{self.base}/users/{quote(user.username, safe='')}",
            "type": "Person",
            "nickname": user.username,
        }


def _stamped(annotation: dict[str, Any], obj: Any, iris: _Iris) -> dict[str, Any]:
    creator = iris.person(obj.created_by) if hasattr(obj, "created_by") else None
    if creator:
        annotation["creator"] = creator
    annotation["created"] = _time(obj.created_at)
    annotation["modified"] = _time(obj.updated_at)
    return annotation


def _reading_bodies(reading: Reading, iris: _Iris) -> list[dict[str, Any]]:
    common = {
        "sensemap:reading": iris.api("readings", reading.id),
        "sensemap:votesUp": reading.votes_up,
        "sensemap:votesDown": reading.votes_down,
        "sensemap:origin": reading.origin,
    }
    if reading.kind == Reading.Kind.DECOMPOSITION:
        return [
            {
                "type": "TextualBody",
                "purpose": "classifying",
                "value": reading.decomposition.name,
                "format": "text/plain",
                "sensemap:decomposition": iris.api("decompositions", reading.decomposition_id),
                **common,
            }
        ]
    definition = reading.definition
    describing = {
        "type": "TextualBody",
        "purpose": "describing",
        "value": definition.text,
        "format": "text/plain",
        "sensemap:definition": iris.api("definitions", definition.id),
    }
    if definition.label:
        describing["sensemap:label"] = definition.label
    return [
        {
            "type": "TextualBody",
            "purpose": "classifying",
            "value": reading.term.name,
            "format": "text/plain",
            "sensemap:term": iris.api("terms", reading.term_id),
            **common,
        },
        {**describing, "sensemap:reading": common["sensemap:reading"]},
    ]


def _claim_annotation(claim: Claim, iris: _Iris) -> dict[str, Any]:
    bodies = []
    for reading in claim.readings.all():
        bodies += _reading_bodies(reading, iris)
    if claim.note:
        note = {"type": "TextualBody", "purpose": "commenting", "value": claim.note}
        bodies.append({**note, "format": "text/plain"})
    annotation: dict[str, Any] = {
        "id": iris.api("claims", claim.id),
        "type": "Annotation",
        "motivation": "highlighting",
    }
    _stamped(annotation, claim, iris)
    if bodies:
        annotation["body"] = bodies
    annotation["target"] = {
        "type": "SpecificResource",
        "source": iris.comment(claim.comment),
        "selector": [
            {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            {
                "type": "TextQuoteSelector",
                "exact": claim.quote,
                "prefix": claim.prefix,
                "suffix": claim.suffix,
            },
        ],
    }
    return annotation


def _link_annotation(link: ClaimLink, iris: _Iris) -> dict[str, Any]:
    annotation: dict[str, Any] = {
        "id": iris.api("claim-links", link.id),
        "type": "Annotation",
        "motivation": "linking",
    }
    _stamped(annotation, link, iris)
    annotation["body"] = [
        {
            "type": "SpecificResource",
            "purpose": "linking",
            "source": iris.api("claims", link.target_id),
        },
        {"type": "TextualBody", "purpose": "tagging", "value": link.kind, "format": "text/plain"},
    ]
    annotation["target"] = iris.api("claims", link.source_id)
    return annotation


def _reply_annotation(comment: Comment, iris: _Iris) -> dict[str, Any]:
    annotation: dict[str, Any] = {
        "id": f"{iris.api('comments', comment.id)}#reply",
        "type": "Annotation",
        "motivation": "replying",
    }
    if comment.author:
        annotation["creator"] = {"type": "Person", "nickname": comment.author}
    if comment.posted_at:
        annotation["created"] = _time(comment.posted_at)
    annotation["body"] = iris.comment(comment)
    annotation["target"] = iris.comment(comment.parent)
    return annotation


def thread_annotations(thread: Thread, base_url: str) -> dict[str, Any]:
    """The thread's annotations as one AnnotationCollection with a single embedded page."""
    base_url = base_url.rstrip("/")
    iris = _Iris(base_url, thread)
    claims = (
        Claim.objects.filter(comment__thread=thread)
        .select_related("comment", "created_by")
        .prefetch_related("readings__term", "readings__definition", "readings__decomposition")
        .order_by("comment__position", "start", "id")
    )
    links = (
        ClaimLink.objects.filter(source__comment__thread=thread)
        .select_related("created_by")
        .order_by("id")
    )
    replies = (
        Comment.objects.filter(thread=thread, parent__isnull=False)
        .select_related("parent")
        .order_by("position", "id")
    )
    items = [_claim_annotation(c, iris) for c in claims]
    items += [_link_annotation(link, iris) for link in links]
    items += [_reply_annotation(c, iris) for c in replies]
    collection_id = f"{base_url}/api/threads/{thread.id}/export/w3c/"
    return {
        "@context": _context(base_url),
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": thread.title,
        "sensemap:thread": f"{base_url}/api/threads/{thread.id}/",
        "total": len(items),
        "first": {
            "id": f"{collection_id}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def thread_annotations_jsonld(thread: Thread) -> str:
    """The collection as JSON-LD text, its IRIs under the PUBLIC_BASE_URL setting."""
    collection = thread_annotations(thread, settings.PUBLIC_BASE_URL)
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"

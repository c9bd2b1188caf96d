"""The W3C Web Annotation export: every annotation passes the test suite's MUST assertions."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from apps.annotations.models import ClaimLink
from apps.annotations.services import claim_create, claim_link_create, reading_create, reading_vote
from apps.forum.models import Comment
from tests.exports import w3c_checker
from tests.exports.w3c_checker import COLLECTION_MUSTS, MISSING, PAGE_MUSTS, must_failures
from tests.factories import (
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
)

pytestmark = pytest.mark.django_db

BASE = "https://sensemap.example"
needs_suite = pytest.mark.skipif(not w3c_checker.suite_present(), reason=MISSING)


def _claim(user, comment, quote, note=""):
    start = comment.text.index(quote)
    return claim_create(user=user, comment=comment, start=start, end=start + len(quote), note=note)


@pytest.fixture
def annotated(settings, alice, bob, rita):
    """Three replies disagreeing about "outer alignment": notes, senses, a decomposition, links."""
    settings.PUBLIC_BASE_URL = BASE
    thread = make_thread()
    first, second, third = Comment.objects.filter(thread=thread).order_by("position")
    first.url = "https://www.lesswrong.com/posts/abc/outer?commentId=c1"
    first.save(update_fields=["url"])
    term = make_term(alice, "outer alignment")
    inner = make_term(alice, "inner alignment")
    training = make_definition(alice, term, "The reward is right on training data.", "training")
    infinite = make_definition(bob, term, "The reward is right with infinite data.")
    leftover = make_definition(bob, inner, "Whatever outer alignment leaves over.")
    split = make_decomposition(bob, "Limit-of-data split", [infinite, leftover])
    a = _claim(alice, first, "the reward is right on the training distribution", "Ada's sense.")
    b = _claim(bob, second, "outer alignment means the reward is right in the limit")
    c = _claim(bob, third, "inner alignment is everything left over")
    d = _claim(alice, third, "which seems too broad to me")
    readings = [
        make_reading(alice, a, training),
        make_reading(bob, b, infinite),
        make_reading(bob, c, leftover),
        reading_create(user=bob, claim=b, decomposition=split),
    ]
    reading_vote(reading=readings[0], user=rita, value=1)
    links = [
        claim_link_create(user=bob, source=b, target=a, kind=ClaimLink.Kind.ATTACKS),
        claim_link_create(user=bob, source=c, target=b, kind=ClaimLink.Kind.SUPPORTS),
        claim_link_create(user=alice, source=d, target=c, kind=ClaimLink.Kind.ATTACKS),
        claim_link_create(user=alice, source=c, target=d, kind=ClaimLink.Kind.CLARIFIES),
        claim_link_create(user=bob, source=b, target=c, kind=ClaimLink.Kind.RESTATES),
    ]
    return thread, [a, b, c, d], readings, links


def _export(anon_client, thread):
    response = anon_client.get(f"/api/threads/{thread.id}/export/w3c/")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    assert f"thread-{thread.id}-annotations.jsonld" in response["Content-Disposition"]
    return json.loads(response.content)


def _items(collection):
    return collection["first"]["items"]


def _by_motivation(collection, motivation):
    return [i for i in _items(collection) if i["motivation"] == motivation]


def test_collection_is_json_ld_with_the_anno_context_first(annotated, anon_client):
    thread, *_ = annotated
    collection = _export(anon_client, thread)
    assert next(iter(collection)) == "@context"
    context = collection["@context"]
    assert context[0] == "http://www.w3.org/ns/anno.jsonld"
    assert context[1]["sensemap"] == f"{BASE}/ns#"
    assert collection["type"] == "AnnotationCollection"
    assert collection["id"] == f"{BASE}/api/threads/{thread.id}/export/w3c/"
    assert collection["first"]["type"] == "AnnotationPage"
    # Four claims, five links, two replies (comment 2 answers 1, comment 3 answers 2).
    assert collection["total"] == len(_items(collection)) == 4 + 5 + 2
    ids = [i["id"] for i in _items(collection)]
    assert len(set(ids)) == len(ids)
    # The suite's "format": "uri" and date checks need optional packages: check them here.
    assert all(i.startswith(f"{BASE}/api/") for i in ids)
    stamps = [i[key] for i in _items(collection) for key in ("created", "modified") if key in i]
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps)


@needs_suite
def test_every_annotation_passes_every_must(annotated, anon_client):
    thread, *_ = annotated
    collection = _export(anon_client, thread)
    assert must_failures(collection, COLLECTION_MUSTS) == []
    assert must_failures(collection, PAGE_MUSTS) == []
    for item in _items(collection):
        # An item of a page inherits the collection's context; standing alone it carries it.
        assert must_failures({"@context": collection["@context"], **item}) == [], item["id"]


def test_selectors_point_at_the_claimed_text(annotated, anon_client):
    thread, claims, _, _ = annotated
    collection = _export(anon_client, thread)
    highlights = {i["id"]: i for i in _by_motivation(collection, "highlighting")}
    assert set(highlights) == {f"{BASE}/api/claims/{c.id}/" for c in claims}
    for claim in claims:
        annotation = highlights[f"{BASE}/api/claims/{claim.id}/"]
        text = claim.comment.text
        target = annotation["target"]
        position, quote = target["selector"]
        assert position["type"] == "TextPositionSelector"
        assert quote["type"] == "TextQuoteSelector"
        assert text[position["start"] : position["end"]] == quote["exact"] == claim.quote
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        assert quote["prefix"] or quote["suffix"]
        expected_source = (
            claim.comment.url or f"{BASE}/threads/{thread.id}#comment-{claim.comment.id}"
        )
        assert target["source"] == expected_source
        assert annotation["created"].endswith("Z") and annotation["modified"].endswith("Z")
        assert annotation["creator"]["type"] == "Person"
        assert annotation["creator"]["nickname"] == claim.created_by.username
    first = highlights[f"{BASE}/api/claims/{claims[0].id}/"]
    assert first["target"]["source"].startswith("https://www.lesswrong.com/")


def test_readings_and_notes_are_bodies(annotated, anon_client):
    thread, claims, readings, _ = annotated
    collection = _export(anon_client, thread)
    highlights = {i["id"]: i for i in _by_motivation(collection, "highlighting")}
    bodies = [b for i in highlights.values() for b in i.get("body", [])]
    by_reading = {}
    for body in bodies:
        if "sensemap:reading" in body:
            by_reading.setdefault(body["sensemap:reading"], []).append(body)
    assert set(by_reading) == {f"{BASE}/api/readings/{r.id}/" for r in readings}
    for reading in readings[:3]:
        pair = by_reading[f"{BASE}/api/readings/{reading.id}/"]
        assert [(b["purpose"], b["value"]) for b in pair] == [
            ("classifying", reading.term.name),
            ("describing", reading.definition.text),
        ]
        assert pair[1]["sensemap:definition"] == f"{BASE}/api/definitions/{reading.definition_id}/"
    assert by_reading[f"{BASE}/api/readings/{readings[0].id}/"][0]["sensemap:votesUp"] == 2
    (decomposition,) = by_reading[f"{BASE}/api/readings/{readings[3].id}/"]
    assert (decomposition["purpose"], decomposition["value"]) == (
        "classifying",
        "Limit-of-data split",
    )
    first_bodies = highlights[f"{BASE}/api/claims/{claims[0].id}/"]["body"]
    notes = [b["value"] for b in first_bodies if b["purpose"] == "commenting"]
    assert notes == ["Ada's sense."]
    assert "body" not in highlights[f"{BASE}/api/claims/{claims[3].id}/"]


def test_links_and_replies_are_annotations(annotated, anon_client):
    thread, _, _, links = annotated
    collection = _export(anon_client, thread)
    exported = {
        (i["target"], i["body"][0]["source"], i["body"][1]["value"])
        for i in _by_motivation(collection, "linking")
    }
    assert exported == {
        (f"{BASE}/api/claims/{link.source_id}/", f"{BASE}/api/claims/{link.target_id}/", link.kind)
        for link in links
    }
    assert {k for _, _, k in exported} == set(ClaimLink.Kind.values)
    replies = _by_motivation(collection, "replying")
    comments = list(Comment.objects.filter(thread=thread).order_by("position"))
    assert [(r["body"], r["target"]) for r in replies][1] == (
        f"{BASE}/threads/{thread.id}#comment-{comments[2].id}",
        f"{BASE}/threads/{thread.id}#comment-{comments[1].id}",
    )
    assert replies[0]["target"] == comments[0].url


@needs_suite
def test_command_writes_the_same_collection(annotated, anon_client):
    thread, *_ = annotated
    out = StringIO()
    call_command("export_thread", str(thread.id), "--format", "w3c", stdout=out)
    assert json.loads(out.getvalue()) == _export(anon_client, thread)


@needs_suite
def test_an_empty_thread_is_an_empty_valid_collection(settings, anon_client):
    settings.PUBLIC_BASE_URL = BASE
    thread = make_thread(texts=("Nothing annotated here.",))
    collection = _export(anon_client, thread)
    assert collection["total"] == 0 and _items(collection) == []
    assert must_failures(collection, COLLECTION_MUSTS) == []
    assert must_failures(collection, PAGE_MUSTS) == []

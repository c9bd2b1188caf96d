"""Importing W3C Web Annotations and Hypothesis exports onto a thread, and the export round trip."""

import json
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.annotations.models import Claim, ClaimLink, Reading, Vote
from apps.annotations.services import claim_create, claim_link_create, reading_create
from apps.core.errors import ApplicationError
from apps.exports.services import thread_export
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, Term, TermAlias
from apps.imports.importers import FORMATS, parse_thread
from apps.imports.importers.base import ImportFormatError
from apps.imports.services import thread_import
from apps.imports.w3c import AnnotationImportResult
from apps.workspaces.models import Workspace
from tests.db_state import table_rows
from tests.exports import w3c_checker
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    make_workspace,
    public_workspace,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "w3c"
BASE = "https://sensemap.example"
PAGE = "https://forum.example/t/what-outer-alignment-means/42"
# The thread the fixtures annotate: a post (whose URL is the page's, as on ForumMagnum) and two
# replies in a chain.
TEXTS = {
    "post": (
        "Here is how I split the problem. Outer alignment means the reward is right on the "
        "training distribution. Inner alignment means the trained model actually pursues the "
        "reward. Both halves matter."
    ),
    "c2": (
        "I read it differently: outer alignment means the reward is right in the limit of "
        "infinite data. On that reading most failures are inner."
    ),
    "c3": (
        "If that is so, inner alignment carries almost everything, and the reward barely matters."
    ),
}
URLS = {"post": PAGE, "c2": f"{PAGE}?commentId=c2", "c3": f"{PAGE}?commentId=c3"}
WRITTEN = [Claim, ClaimLink, Reading, Vote, Term, TermAlias, Definition, Comment, Thread]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def make_forum_thread(workspace: Workspace | None = None, user=None, texts=TEXTS) -> Thread:
    thread = Thread.objects.create(
        workspace=workspace or public_workspace(),
        title="What outer alignment means",
        source=Thread.Source.LESSWRONG,
        source_url=PAGE,
        external_id="42",
        created_by=user,
    )
    parent = None
    for position, (key, text) in enumerate(texts.items()):
        parent = Comment.objects.create(
            thread=thread,
            parent=parent,
            external_id=key,
            author=["ada", "ben", "cy"][position],
            text=text,
            url=URLS[key],
            position=position,
        )
    return thread


@pytest.fixture
def forum_thread(alice) -> Thread:
    return make_forum_thread(user=alice)


def comment(thread: Thread, key: str) -> Comment:
    return Comment.objects.get(thread=thread, external_id=key)


def import_annotations(content: str, user=None, **kwargs) -> AnnotationImportResult:
    result = thread_import(user=user, content=content, **kwargs)
    assert isinstance(result, AnnotationImportResult)
    return result


def claim_spans(thread: Thread) -> set[tuple[str, int, int, str]]:
    return {
        (c.comment.external_id, c.start, c.end, c.quote)
        for c in Claim.objects.filter(comment__thread=thread).select_related("comment")
    }


def span_of(key: str, quote: str) -> tuple[str, int, int, str]:
    start = TEXTS[key].index(quote)
    return (key, start, start + len(quote), quote)


def orphan_ids(result: AnnotationImportResult) -> list[str]:
    return [orphan["annotation"] for orphan in result.orphans]


# One annotation, a collection, a Hypothesis export


def test_a_single_annotation_becomes_a_claim_with_its_sense(forum_thread, alice):
    result = import_annotations(fixture("single_annotation.jsonld"), user=alice)

    assert result.thread == forum_thread
    quote = "outer alignment means the reward is right in the limit of infinite data"
    (claim,) = Claim.objects.filter(comment__thread=forum_thread)
    assert (claim.comment.external_id, claim.start, claim.end, claim.quote) == span_of("c2", quote)
    assert claim.annotation_id == "https://notes.example/anno/ben-infinite-data"
    assert claim.note == "Not the sense the post uses."
    assert claim.created_by == alice
    (reading,) = Reading.objects.filter(claim=claim)
    assert (reading.kind, reading.term.name) == ("sense", "Outer alignment")
    assert reading.definition.text == "The reward is right in the limit of infinite data."
    # Votes belong to the people who cast them; an import casts none.
    assert (reading.votes_up, reading.votes_down) == (0, 0)
    assert not Vote.objects.exists()
    # The tag names a term the claim uses; without a definition it is no sense reading.
    assert set(Term.objects.values_list("name", flat=True)) == {"Outer alignment", "infinite data"}
    assert reading.term.claim_count == 1  # the counter the claims list pages with
    assert (result.claims_created, result.claims_updated, result.claims_unchanged) == (1, 0, 0)
    assert (result.terms_created, result.definitions_created, result.readings_created) == (2, 1, 1)
    assert result.orphans == result.ignored == []


def test_a_collection_brings_claims_links_replies_and_orphans(forum_thread, alice):
    result = import_annotations(fixture("collection.jsonld"), user=alice)

    post_quote = "Outer alignment means the reward is right on the training distribution"
    c2_quote = "outer alignment means the reward is right in the limit of infinite data"
    assert claim_spans(forum_thread) == {
        span_of("post", post_quote),
        span_of("c2", c2_quote),
        span_of("c3", TEXTS["c3"]),  # a target without a selector: the whole comment
        span_of("c3", "inner alignment carries almost everything"),  # the reply's own text
    }
    claims = {c.quote: c for c in Claim.objects.filter(comment__thread=forum_thread)}
    assert claims[TEXTS["c3"]].note == "The whole reply leans on the second sense."
    reading = Reading.objects.get(claim=claims[post_quote])
    assert reading.definition.label == "training distribution"
    links = {(link.source.quote, link.kind, link.target.quote) for link in ClaimLink.objects.all()}
    assert links == {
        (c2_quote, "attacks", post_quote),
        ("inner alignment carries almost everything", "clarifies", c2_quote),
    }
    assert result.links_created == 2
    assert result.claims_created == 4
    # The reply between two whole comments is the thread's own reply tree: skipped, not an
    # orphan; the quote nobody wrote is an orphan, named with why.
    assert orphan_ids(result) == ["https://notes.example/anno/gone"]
    assert "'a sentence nobody wrote' is not in comment 'c2'" in result.orphans[0]["reason"]
    assert result.annotations == 7


def test_a_hypothesis_export_is_anchored_by_quote_across_the_page(forum_thread, alice):
    inner = make_term(alice, "inner alignment")

    result = import_annotations(fixture("hypothesis_export.json"), user=alice)

    # Hypothesis offsets count the whole web page; the quotes find the comments.
    assert claim_spans(forum_thread) == {
        span_of("post", "Inner alignment means the trained model actually pursues the reward"),
        span_of("c2", "most failures are inner"),
        span_of("c3", "the reward barely matters"),
    }
    claims = {c.annotation_id: c for c in Claim.objects.filter(comment__thread=forum_thread)}
    assert set(claims) == {"Hq1", "Hq2", "Hq3"}
    assert claims["Hq1"].note == "The post's second half."
    # "Inner-Alignment" and "inner alignment" are one term; "attacks" on a reply is its kind.
    assert set(Term.objects.values_list("name", flat=True)) == {
        "inner alignment",
        "decomposition",
        "reward",
    }
    assert Term.objects.get(name="inner alignment") == inner
    assert result.terms_created == 2
    (link,) = ClaimLink.objects.all()
    assert (link.source, link.kind, link.target) == (claims["Hq3"], "attacks", claims["Hq2"])
    orphans = dict((o["annotation"], o["reason"]) for o in result.orphans)
    assert set(orphans) == {"Hq4", "Hq5"}
    assert "a reply with only text" in orphans["Hq4"]
    assert "whole page" in orphans["Hq5"]


def test_a_hypothesis_search_answer_and_a_plain_list_read_the_same(forum_thread):
    export = json.loads(fixture("hypothesis_export.json"))
    search = {"total": 5, "rows": export["annotations"][:3], "replies": export["annotations"][3:]}

    def read(content: str) -> list:
        # The same annotations; only their places in the file differ.
        return [replace(a, path="") for a in parse_thread(content).annotations]

    from_export = read(fixture("hypothesis_export.json"))
    assert read(json.dumps(search)) == from_export
    assert read(json.dumps(export["annotations"])) == from_export
    assert [a.references for a in from_export] == [(), (), ("Hq2",), ("Hq2",), ()]


def quote_target(key: str, quote: str) -> dict:
    return {"source": URLS[key], "selector": {"type": "TextQuoteSelector", "exact": quote}}


def test_links_between_spans_and_links_that_cannot_be_made(forum_thread, alice):
    annotations = [
        # Another tool's link between two spans it selects: both become claims.
        {
            "id": "urn:x:span-link",
            "type": "Annotation",
            "motivation": "linking",
            "target": quote_target("c3", "the reward barely matters"),
            "body": [
                quote_target("post", "Both halves matter"),
                {"type": "TextualBody", "purpose": "tagging", "value": "Attacks"},
            ],
        },
        {
            "id": "urn:x:no-kind",
            "type": "Annotation",
            "motivation": "linking",
            "target": quote_target("c3", "the reward barely matters"),
            "body": quote_target("c2", "most failures are inner"),
        },
        {
            "id": "urn:x:dangling",
            "type": "Annotation",
            "motivation": "linking",
            "target": "urn:x:span-link-never-written",
            "body": [
                quote_target("c2", "most failures are inner"),
                {"type": "TextualBody", "purpose": "tagging", "value": "supports"},
            ],
        },
    ]

    result = import_annotations(json.dumps(annotations), user=alice)

    (link,) = ClaimLink.objects.all()
    assert (link.source.quote, link.kind, link.target.quote) == (
        "the reward barely matters",
        "attacks",
        "Both halves matter",
    )
    orphans = {o["annotation"]: o["reason"] for o in result.orphans}
    assert "names no link kind" in orphans["urn:x:no-kind"]
    assert (
        "'urn:x:span-link-never-written', which is neither in the file"
        in (orphans["urn:x:dangling"])
    )


def test_a_reply_to_a_reply_without_text_links_to_the_nearest_claim(forum_thread, alice):
    export = json.loads(fixture("hypothesis_export.json"))
    by_id = {a["id"]: a for a in export["annotations"]}
    # Hq6 answers Hq4 (a reply with only text, so no claim) in the thread under Hq2.
    nested = {
        **by_id["Hq3"],
        "id": "Hq6",
        "tags": [],
        "references": ["Hq2", "Hq4"],
        "target": [
            {"source": PAGE, "selector": [quote_target("c3", "inner alignment")["selector"]]}
        ],
    }
    export["annotations"].append(nested)

    result = import_annotations(json.dumps(export), user=alice)

    claims = {c.annotation_id: c for c in Claim.objects.all()}
    link = ClaimLink.objects.get(source=claims["Hq6"])
    assert (link.kind, link.target) == ("clarifies", claims["Hq2"])
    assert result.links_created == 2


# Anchoring


def test_moved_positions_are_re_anchored_by_quote_and_context(alice):
    texts = {
        "post": "The reward is fine. Later: the reward is wrong, said nobody. The end.",
        "c2": "A reply.",
        "c3": "Another reply.",
    }
    thread = make_forum_thread(user=alice, texts=texts)
    second = texts["post"].index("the reward is wrong")
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://notes.example/anno/moved",
        "type": "Annotation",
        "target": {
            "source": PAGE,
            "selector": [
                # Written before 40 characters were added at the top: now these offsets point
                # nearer the first "reward", but the context says the second.
                {"type": "TextPositionSelector", "start": 0, "end": 10},
                {
                    "type": "TextQuoteSelector",
                    "exact": "reward",
                    "prefix": "Later: the ",
                    "suffix": " is wrong",
                },
            ],
        },
    }
    post = comment(thread, "post")
    post.text = "An introduction of exactly forty chars. " + texts["post"]
    post.save()

    result = import_annotations(json.dumps(annotation), user=alice)

    (claim,) = Claim.objects.filter(comment=post)
    start = 40 + second + len("the ")
    assert (claim.start, claim.end, claim.quote) == (start, start + len("reward"), "reward")
    assert post.text[claim.start - 11 : claim.start] == "Later: the "
    assert result.orphans == []


def test_positions_in_a_comment_are_used_when_they_still_hold(forum_thread, alice):
    text = TEXTS["c3"]
    annotation = {
        "id": "urn:x:exact",
        "type": "Annotation",
        "target": {
            "source": URLS["c3"],
            "selector": [{"type": "TextPositionSelector", "start": 0, "end": 14}],
        },
    }

    import_annotations(json.dumps(annotation), user=alice)

    assert claim_spans(forum_thread) == {("c3", 0, 14, text[:14])}


# Re-import


def test_importing_again_duplicates_nothing(forum_thread, alice):
    for name in ("collection.jsonld", "hypothesis_export.json", "single_annotation.jsonld"):
        import_annotations(fixture(name), user=alice)
    before = table_rows(WRITTEN)

    for name in ("collection.jsonld", "hypothesis_export.json", "single_annotation.jsonld"):
        result = import_annotations(fixture(name), user=alice)
        assert (result.claims_created, result.claims_updated) == (0, 0), name
        assert result.terms_created == result.readings_created == result.links_created == 0
        assert result.claims_unchanged > 0

    assert table_rows(WRITTEN) == before


def test_a_claim_already_on_the_span_is_reused_and_remembers_the_annotation(forum_thread, bob):
    quote = "outer alignment means the reward is right in the limit of infinite data"
    c2 = comment(forum_thread, "c2")
    start = c2.text.index(quote)
    existing = claim_create(user=bob, comment=c2, start=start, end=start + len(quote))

    result = import_annotations(fixture("single_annotation.jsonld"), user=bob)

    assert list(Claim.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.annotation_id == "https://notes.example/anno/ben-infinite-data"
    assert existing.note == "Not the sense the post uses."
    assert (result.claims_created, result.claims_updated, result.claims_unchanged) == (0, 1, 0)


# The round trip through our own export


@pytest.fixture
def annotated(settings, alice, bob):
    """A thread with claims, senses with definitions, a decomposition reading and links."""
    settings.PUBLIC_BASE_URL = BASE
    thread = make_forum_thread(user=alice)
    outer = make_term(alice, "outer alignment")
    inner = make_term(alice, "inner alignment")
    training = make_definition(alice, outer, "The reward is right on the training data.", "train")
    infinite = make_definition(bob, outer, "The reward is right with infinite data.", "limit")
    leftover = make_definition(bob, inner, "Whatever outer alignment leaves over.")
    split = make_decomposition(bob, "Limit-of-data split", [infinite, leftover])

    def claim(key, quote, user, note=""):
        c = comment(thread, key)
        start = c.text.index(quote)
        return claim_create(user=user, comment=c, start=start, end=start + len(quote), note=note)

    a = claim("post", "Outer alignment means the reward is right on the training", alice, "Ada")
    b = claim("c2", "outer alignment means the reward is right in the limit", bob)
    c = claim("c3", "inner alignment carries almost everything", bob)
    make_reading(alice, a, training)
    make_reading(bob, b, infinite)
    make_reading(alice, b, training)  # two senses read in one claim
    make_reading(bob, c, leftover)
    reading_create(user=bob, claim=b, decomposition=split)
    claim_link_create(user=bob, source=b, target=a, kind="attacks")
    claim_link_create(user=bob, source=c, target=b, kind="supports")
    claim_link_create(user=alice, source=a, target=c, kind="clarifies")
    return thread


def annotations_of(thread: Thread) -> dict[str, set]:
    claims = Claim.objects.filter(comment__thread=thread).select_related("comment")
    readings = Reading.objects.filter(claim__in=claims).select_related(
        "claim", "term", "definition", "decomposition"
    )
    links = ClaimLink.objects.filter(source__in=claims).select_related("source", "target")
    return {
        "claims": {(c.comment.external_id, c.start, c.end, c.quote, c.note) for c in claims},
        "readings": {
            (
                r.claim.quote,
                r.kind,
                r.term.name if r.term else None,
                (r.definition.text, r.definition.label) if r.definition else None,
                r.decomposition.name if r.decomposition else None,
            )
            for r in readings
        },
        "links": {(link.source.quote, link.kind, link.target.quote) for link in links},
    }


def test_export_then_import_brings_the_same_annotations_back(annotated, alice):
    exported = thread_export(thread=annotated, format="w3c").content
    before = annotations_of(annotated)
    definitions = Definition.objects.count()
    Claim.objects.filter(comment__thread=annotated).delete()

    result = import_annotations(exported, user=alice)

    assert annotations_of(annotated) == before
    assert (result.claims_created, result.readings_created, result.links_created) == (3, 5, 3)
    # The senses are found again by their IRIs: no definition or term is made twice.
    assert Definition.objects.count() == definitions
    assert result.terms_created == result.definitions_created == 0
    assert result.orphans == result.ignored == []


def test_importing_our_own_export_onto_its_thread_changes_nothing(annotated, alice):
    exported = thread_export(thread=annotated, format="w3c").content
    before = table_rows([*WRITTEN, Decomposition])

    result = import_annotations(exported, user=alice)

    assert (result.claims_created, result.claims_updated, result.claims_unchanged) == (0, 0, 3)
    assert table_rows([*WRITTEN, Decomposition]) == before


def test_export_imports_into_a_copy_of_the_thread_in_another_workspace(annotated, alice):
    exported = thread_export(thread=annotated, format="w3c").content
    elsewhere = make_workspace("restricted", members=(alice,))
    copy = make_forum_thread(workspace=elsewhere, user=alice)
    Decomposition.objects.create(workspace=elsewhere, name="Limit-of-data split")

    result = import_annotations(exported, user=alice, thread=copy)

    original, copied = annotations_of(annotated), annotations_of(copy)
    assert copied["claims"] == original["claims"]
    assert copied["links"] == original["links"]
    assert copied["readings"] == original["readings"]
    # The copy's workspace gets its own terms and definitions, with their labels.
    assert set(Term.objects.filter(workspace=elsewhere).values_list("name", flat=True)) == {
        "outer alignment",
        "inner alignment",
    }
    assert (result.terms_created, result.definitions_created) == (2, 3)
    assert claim_spans(annotated) == claim_spans(copy)


def test_comments_without_urls_round_trip_through_their_exported_iris(settings, alice):
    settings.PUBLIC_BASE_URL = BASE
    thread = make_thread(user=alice)  # pasted text: no forum URLs
    first, second, _ = Comment.objects.filter(thread=thread).order_by("position")
    a = make_claim(alice, first, "the reward is right on the training distribution")
    b = make_claim(alice, second, "in the limit of infinite data")
    claim_link_create(user=alice, source=b, target=a, kind="attacks")
    exported = thread_export(thread=thread, format="w3c").content
    assert f"{BASE}/threads/{thread.id}#comment-{first.id}" in exported
    before = annotations_of(thread)
    # A copy elsewhere: the same comments (by forum id), other rows.
    copy = Thread.objects.create(
        workspace=make_workspace("restricted", members=(alice,)),
        title=thread.title,
        source=thread.source,
        external_id=thread.external_id,
    )
    for original in Comment.objects.filter(thread=thread):
        Comment.objects.create(
            thread=copy,
            external_id=original.external_id,
            text=original.text,
            position=original.position,
        )
    Claim.objects.filter(comment__thread=thread).delete()

    import_annotations(exported, user=alice)
    import_annotations(exported, user=alice, thread=copy)

    assert annotations_of(thread) == annotations_of(copy) == before


def test_without_a_thread_the_copies_of_a_forum_thread_are_ambiguous(annotated, alice):
    exported = thread_export(thread=annotated, format="w3c").content
    # The export names comments by their forum URLs, which a copy shares.
    make_forum_thread(workspace=make_workspace("restricted", members=(alice,)), user=alice)
    Claim.objects.filter(comment__thread=annotated).delete()
    before = table_rows(WRITTEN)

    with pytest.raises(ApplicationError) as caught:
        import_annotations(exported, user=alice)

    assert caught.value.code == "ambiguous_thread"
    assert "name the thread" in caught.value.message
    assert table_rows(WRITTEN) == before


# The API, the command line and background jobs


def post_import(client, **data):
    return client.post("/api/threads/import/", data, format="json")


def test_the_api_detects_annotations_and_reports_what_it_did(forum_thread, bob_client):
    # bob did not import the thread: annotating it is open to any writer of its workspace.
    response = post_import(bob_client, content=fixture("collection.jsonld"))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["thread"]["id"] == forum_thread.id
    assert body["claims_created"] == 4 and body["links_created"] == 2
    assert body["orphans"] == [
        {"annotation": "https://notes.example/anno/gone", "reason": body["orphans"][0]["reason"]}
    ]
    again = post_import(bob_client, content=fixture("collection.jsonld"), format="w3c")
    assert again.status_code == 200
    assert (again.json()["claims_created"], again.json()["claims_unchanged"]) == (0, 4)


def test_the_api_imports_into_a_named_thread(forum_thread, alice, alice_client):
    copy = make_forum_thread(workspace=make_workspace("restricted", members=(alice,)))

    response = post_import(
        alice_client, content=fixture("single_annotation.jsonld"), thread=copy.id
    )

    assert response.status_code == 200
    assert response.json()["thread"]["id"] == copy.id
    assert Claim.objects.get().comment.thread == copy


def test_a_background_import_of_annotations_records_its_counts(
    forum_thread, alice_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(
            alice_client, content=fixture("hypothesis_export.json"), background=True
        )

    assert response.status_code == 202
    job = alice_client.get(f"/api/import-jobs/{response.json()['id']}/").json()
    assert job["status"] == "done", job
    assert job["thread"] == forum_thread.id
    assert job["result"]["claims_created"] == 3
    assert [o["annotation"] for o in job["result"]["orphans"]] == ["Hq4", "Hq5"]


def test_in_the_background_a_named_thread_takes_anyones_annotations_not_their_comments(
    forum_thread, bob_client, django_capture_on_commit_callbacks
):
    # bob may annotate alice's thread; re-importing its comments is hers. With the format left
    # out, which of the two a file is shows only when the worker parses it.
    jobs = {}
    with django_capture_on_commit_callbacks(execute=True):
        for name, content in (
            ("annotations", fixture("single_annotation.jsonld")),
            ("comments", "A post.\n\nA reply that replaces alice's comments."),
        ):
            response = post_import(
                bob_client, content=content, thread=forum_thread.id, background=True
            )
            assert response.status_code == 202
            jobs[name] = response.json()["id"]

    done = bob_client.get(f"/api/import-jobs/{jobs['annotations']}/").json()
    assert (done["status"], done["result"]["claims_created"]) == ("done", 1)
    refused = bob_client.get(f"/api/import-jobs/{jobs['comments']}/").json()
    assert refused["status"] == "failed"
    assert refused["error"]["code"] == "permission_denied"
    assert [c.text for c in forum_thread.comments.order_by("position")] == list(TEXTS.values())


def test_the_command_imports_annotations_onto_a_named_thread(alice, tmp_path):
    thread = make_forum_thread(user=alice)
    out = StringIO()

    call_command(
        "import_thread",
        str(FIXTURES / "collection.jsonld"),
        "--thread",
        str(thread.id),
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0] == f"Imported 7 annotations onto thread {thread.id}: {thread.title}"
    assert lines[1] == "  claims: 4 new, 0 updated, 0 unchanged"
    assert lines[3].startswith("  orphan: https://notes.example/anno/gone: the quoted text")
    assert Claim.objects.filter(comment__thread=thread).count() == 4
    with pytest.raises(CommandError, match="No thread with id 0"):
        call_command("import_thread", str(FIXTURES / "collection.jsonld"), "--thread", "0")


def test_the_format_is_named_in_the_messages():
    assert "w3c" in FORMATS
    with pytest.raises(ImportFormatError) as caught:
        parse_thread("{}", "mastodon")
    assert "text, w3c" in caught.value.message
    with pytest.raises(ImportFormatError) as caught:
        parse_thread('{"kind": "Listing"}')
    assert "W3C Web Annotations" in caught.value.message and "w3c" in caught.value.message


# Bad input: a clear 4xx, nothing written


def annotation_on(target, **extra):
    return json.dumps(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "https://notes.example/anno/bad",
            "type": "Annotation",
            "target": target,
            **extra,
        }
    )


def selectors(*selector):
    return {"source": URLS["c2"], "selector": list(selector)}


QUOTE = {"type": "TextQuoteSelector", "exact": "infinite data"}
BAD_INPUTS = {
    "not annotations": ('{"post_stream": {"posts": []}, "id": 1}', "not W3C Web Annotations"),
    "no annotations": (
        '{"type": "AnnotationCollection", "id": "urn:x:c", "total": 0}',
        "holds no annotations",
    ),
    "unknown thread": (
        annotation_on("https://elsewhere.example/t/1"),
        "'https://elsewhere.example/t/1', which is no thread or comment here",
    ),
    "inverted offsets": (
        annotation_on(selectors({"type": "TextPositionSelector", "start": 9, "end": 3}, QUOTE)),
        "start (9) must be less than end (3)",
    ),
    "negative offset": (
        annotation_on(selectors({"type": "TextPositionSelector", "start": -1, "end": 3})),
        "should be a character offset",
    ),
    "offsets past the end": (
        annotation_on(selectors({"type": "TextPositionSelector", "start": 100, "end": 900})),
        "end (900) is past the end of the comment",
    ),
    "empty quote": (
        annotation_on(selectors({"type": "TextQuoteSelector", "exact": "  "})),
        "exact is empty",
    ),
    "quote of the wrong type": (
        annotation_on(selectors({"type": "TextQuoteSelector", "exact": 7})),
        "exact should be a string, not a number",
    ),
    "selector without a type": (annotation_on(selectors({"exact": "x"})), "has no type"),
    "no target": (annotation_on(None), "has no target"),
    "a target without a source": (annotation_on({"selector": QUOTE}), "has no source"),
    "no id": (
        json.dumps({"type": "Annotation", "target": URLS["c2"]}),
        "has no id",
    ),
    "two annotations with one id": (
        json.dumps(
            [
                {"id": "urn:x:a", "type": "Annotation", "target": URLS["c2"]},
                {"id": "urn:x:a", "type": "Annotation", "target": URLS["c3"]},
            ]
        ),
        "Two annotations have the id 'urn:x:a'",
    ),
    "a page given by its IRI": (
        '{"type": "AnnotationCollection", "id": "urn:x:c", "first": "https://x.example/p1"}',
        "is a link to a page",
    ),
    "an item that is no annotation": (
        '{"type": "AnnotationPage", "items": [{"type": "Note"}]}',
        "$.items[0] is not an annotation",
    ),
    "a broken annotation after good ones": (
        json.dumps(
            [
                {"id": "urn:x:good", "type": "Annotation", "target": URLS["c3"]},
                {
                    "id": "urn:x:bad",
                    "type": "Annotation",
                    "target": selectors({"type": "TextPositionSelector", "start": 1, "end": 999}),
                },
            ]
        ),
        "$[1]: end (999) is past the end of the comment",
    ),
    "a term too long": (
        annotation_on(
            URLS["c2"], body={"type": "TextualBody", "purpose": "tagging", "value": "x" * 300}
        ),
        "at most 200 fit",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_by_name_and_writes_nothing(case, forum_thread, alice_client):
    content, message = BAD_INPUTS[case]
    claim_create(user=forum_thread.created_by, comment=comment(forum_thread, "c2"), start=0, end=5)
    before = table_rows(WRITTEN)

    response = post_import(alice_client, content=content, format="w3c")

    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert message in error["message"], error
    assert table_rows(WRITTEN) == before


def test_a_thread_the_user_cannot_read_is_not_found(alice, bob_client):
    private = make_workspace("private", members=(alice,))
    make_forum_thread(workspace=private, user=alice)

    response = post_import(bob_client, content=fixture("single_annotation.jsonld"))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_thread"
    assert not Claim.objects.exists()


def test_a_restricted_thread_needs_membership_to_annotate(alice, bob_client):
    make_forum_thread(workspace=make_workspace("restricted", members=(alice,)), user=alice)

    response = post_import(bob_client, content=fixture("single_annotation.jsonld"))

    assert response.status_code == 403
    assert not Claim.objects.exists()


# The fixtures are real Web Annotations


@pytest.mark.skipif(not w3c_checker.suite_present(), reason=w3c_checker.MISSING)
def test_the_w3c_fixtures_pass_the_test_suite_musts():
    single = json.loads(fixture("single_annotation.jsonld"))
    assert w3c_checker.must_failures(single) == []
    collection = json.loads(fixture("collection.jsonld"))
    assert w3c_checker.must_failures(collection, w3c_checker.COLLECTION_MUSTS) == []
    for item in collection["first"]["items"]:
        assert w3c_checker.must_failures({"@context": collection["@context"], **item}) == []

"""Bad input: every mistake gets a 4xx in the one error shape, names the problem, writes nothing.

Each case states the status and a word the message must contain, so a vague "invalid input"
does not pass for an answer.
"""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.annotations.models import Claim, ClaimLink, Reading, Vote
from apps.annotations.services import claim_link_create
from apps.conflicts.models import Conflict, ConflictReview
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, DefinitionEquivalence, Term, TermAlias
from apps.glossary.normalize import normalize_term
from tests.db_state import table_rows
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Thread,
    Comment,
    Claim,
    ClaimLink,
    Term,
    TermAlias,
    Definition,
    DefinitionEquivalence,
    Decomposition,
    Reading,
    Vote,
    Conflict,
    ConflictReview,
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return table_rows(MODELS)


def assert_refused(response, status: int, word: str, before: dict) -> None:
    """A 4xx in the shape `{"error": {code, message, detail}}` naming `word`; nothing written."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "detail"}, body
    assert word.lower() in body["error"]["message"].lower(), body["error"]
    assert snapshot() == before, "a refused request changed data"


@pytest.fixture
def world(alice) -> dict[str, Any]:
    """Objects the bad requests refer to, all alice's, in the public workspace."""
    thread = make_thread(user=alice)
    first, second, _ = thread.comments.order_by("position")
    other_thread = make_thread(user=alice)
    claim = make_claim(alice, first, "Outer alignment means the reward is right")
    claim2 = make_claim(alice, second)
    elsewhere = make_claim(alice, other_thread.comments.first())
    claim_link_create(user=alice, source=claim, target=claim2, kind="supports")
    term = make_term(alice, "outer alignment", aliases=["outer-aligned"])
    term2 = make_term(alice, "inner alignment")
    definition = make_definition(alice, term, "The reward is right on the training distribution.")
    definition2 = make_definition(alice, term2, "The learned policy behaves well on deployment.")
    decomposition = make_decomposition(alice, "Split A", [definition])
    decomposition2 = make_decomposition(alice, "Split B", [definition2])
    make_reading(alice, claim, definition)
    conflicts = {
        status: Conflict.objects.create(
            workspace=thread.workspace,
            thread=thread,
            term=term,
            kind=Conflict.Kind.EQUIVOCATION,
            fingerprint=f"equivocation-{status}",
            status=status,
            severity=2,
            evidence={"claims": [claim.id, claim2.id]},
        )
        for status in (Conflict.Status.OPEN, Conflict.Status.DISMISSED)
    }
    return {
        "thread": thread.id,
        "comment": first.id,
        "claim": claim.id,
        "claim2": claim2.id,
        "elsewhere": elsewhere.id,
        "term": term.id,
        "term2": term2.id,
        "definition": definition.id,
        "definition2": definition2.id,
        "decomposition": decomposition.id,
        "decomposition2": decomposition2.id,
        "open_conflict": conflicts[Conflict.Status.OPEN].id,
        "dismissed_conflict": conflicts[Conflict.Status.DISMISSED].id,
    }


@pytest.fixture
def clients(alice, rita, api_client_for) -> dict[str, APIClient]:
    made = {"alice": api_client_for(alice), "rita": api_client_for(rita)}
    for client in made.values():
        # A crash should fail the test as a wrong status, like any other wrong answer.
        client.raise_request_exception = False
    return made


def resolve(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    if isinstance(value, dict):
        return {key: resolve(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, ids) for item in value]
    return value


def forummagnum(comments: list[dict[str, Any]], **post: Any) -> str:
    result = {"_id": "p1", "title": "Outer alignment", "htmlBody": "<p>What is it?</p>", **post}
    return json.dumps({"data": {"post": {"result": result}, "comments": {"results": comments}}})


ORPHAN_REPLY = forummagnum(
    [{"_id": "c1", "postId": "p1", "parentCommentId": "ghost", "htmlBody": "<p>Reply</p>"}]
)
# "\u0000" in JSON is a NUL character once decoded: no text column can hold it on PostgreSQL.
ESCAPED_NUL = forummagnum(
    [{"_id": "c1", "postId": "p1", "htmlBody": "<p>Outer\u0000alignment</p>"}],
    title="Outer\u0000alignment",
)
CLAIM = "/api/claims/"
TERMS = "/api/terms/"
READINGS = "/api/readings/"
IMPORT = "/api/threads/import/"
LINKS = "/api/claim-links/"
VOTE = "/api/readings/{reading}/vote/"
REVIEW_OPEN = "/api/conflicts/{open_conflict}/review/"
REVIEW_DISMISSED = "/api/conflicts/{dismissed_conflict}/review/"
MANY_ALIASES = [f"alias number {n}" for n in range(201)]

BAD_INPUTS = [
    # case, who, method, path, body ("@name" is a world id), expected status, word in the message
    # imports
    ("import malformed forummagnum JSON", "alice", "post", IMPORT,
     {"format": "forummagnum", "content": '{"data": {"post": '}, 400, "JSON"),
    ("import unknown format", "alice", "post", IMPORT,
     {"format": "myspace", "content": "Outer alignment"}, 400, "format"),
    ("import empty content", "alice", "post", IMPORT, {"format": "text", "content": ""}, 400,
     "content"),
    ("import blank content", "alice", "post", IMPORT, {"format": "text", "content": " \n\t "},
     400, "empty"),
    ("import reply to a missing parent", "alice", "post", IMPORT,
     {"format": "forummagnum", "content": ORPHAN_REPLY}, 400, "ghost"),
    ("import reply to a missing parent, format detected", "alice", "post", IMPORT,
     {"content": ORPHAN_REPLY}, 400, "ghost"),
    ("import neither content nor file", "alice", "post", IMPORT, {"format": "text"}, 400,
     "either"),
    ("import JSON of no known format", "alice", "post", IMPORT, {"content": '{"hello": 1}'},
     400, "format"),
    ("import escaped NUL in the JSON text", "alice", "post", IMPORT,
     {"format": "forummagnum", "content": ESCAPED_NUL}, 400, "NUL"),
    ("import title too long", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "title": "t" * 501}, 400, "title"),
    ("import into a missing thread", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "thread": 999999}, 400, "thread"),
    # claims
    ("claim end past the end", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": 10_000}, 400, "past the end"),
    ("claim start after end", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 10, "end": 5}, 400, "less than"),
    ("claim start equals end", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 5, "end": 5}, 400, "less than"),
    ("claim negative start", "alice", "post", CLAIM,
     {"comment": "@comment", "start": -1, "end": 5}, 400, "start"),
    ("claim negative end", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": -3}, 400, "end"),
    ("claim whitespace only", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 5, "end": 6}, 400, "whitespace"),
    ("claim missing comment", "alice", "post", CLAIM,
     {"comment": 999999, "start": 0, "end": 5}, 400, "comment"),
    ("claim comment id past bigint", "alice", "post", CLAIM,
     {"comment": 10**20, "start": 0, "end": 5}, 400, "comment"),
    ("claim comment id not a number", "alice", "post", CLAIM,
     {"comment": "first", "start": 0, "end": 5}, 400, "comment"),
    ("claim start not an integer", "alice", "post", CLAIM,
     {"comment": "@comment", "start": "one", "end": 5}, 400, "start"),
    ("claim fractional end", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": 4.5}, 400, "end"),
    ("claim offsets past int range", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": 2**63}, 400, "end"),
    ("claim edit end past the end", "alice", "patch", "/api/claims/{claim}/", {"end": 10_000},
     400, "past the end"),
    ("claim edit start after end", "alice", "patch", "/api/claims/{claim}/", {"start": 50},
     400, "less than"),
    # readings and votes
    ("reading definition of another term", "alice", "post", READINGS,
     {"claim": "@claim2", "term": "@term2", "definition": "@definition"}, 400, "sense of"),
    ("reading term without definition", "alice", "post", READINGS,
     {"claim": "@claim2", "term": "@term"}, 400, "definition"),
    ("reading claim alone", "alice", "post", READINGS, {"claim": "@claim2"}, 400, "definition"),
    ("reading sense and decomposition", "alice", "post", READINGS,
     {"claim": "@claim2", "definition": "@definition", "decomposition": "@decomposition"},
     400, "not both"),
    ("reading duplicate", "alice", "post", READINGS,
     {"claim": "@claim", "term": "@term", "definition": "@definition"}, 409, "already exists"),
    ("reading duplicate, term left out", "alice", "post", READINGS,
     {"claim": "@claim", "definition": "@definition"}, 409, "already exists"),
    ("reading missing claim", "alice", "post", READINGS,
     {"claim": 999999, "definition": "@definition"}, 400, "claim"),
    ("vote of 7", "alice", "post", VOTE, {"value": 7}, 400, "value"),
    ("vote of yes", "alice", "post", VOTE, {"value": "yes"}, 400, "value"),
    ("vote without value", "alice", "post", VOTE, {}, 400, "value"),
    # terms
    ("term empty name", "alice", "post", TERMS, {"name": ""}, 400, "name"),
    ("term name of punctuation", "alice", "post", TERMS, {"name": "--"}, 400, "letter"),
    ("term name too long", "alice", "post", TERMS, {"name": "x" * 201}, 400, "name"),
    ("term aliases that are one variant", "alice", "post", TERMS,
     {"name": "mesa optimizer", "aliases": ["optimiser", "optimizer"]}, 400, "optimizer"),
    ("term alias a variant of the name", "alice", "post", TERMS,
     {"name": "mesa-optimiser", "aliases": ["Mesa Optimizers"]}, 400, "Mesa Optimizers"),
    ("term alias of another term", "alice", "post", TERMS,
     {"name": "reward specification", "aliases": ["Outer Aligned"]}, 409, "outer"),
    ("term name of another term", "alice", "post", TERMS, {"name": "Outer-Alignment"}, 409,
     "outer alignment"),
    ("term 201 aliases", "alice", "post", TERMS, {"name": "goal", "aliases": MANY_ALIASES},
     400, "aliases"),
    ("term aliases not a list", "alice", "post", TERMS,
     {"name": "goal", "aliases": {"a": "b"}}, 400, "aliases"),
    ("term edit alias of another term", "alice", "patch", "/api/terms/{term2}/",
     {"aliases": ["outer-aligned"]}, 409, "outer-aligned"),
    ("term edit empty name", "alice", "patch", "/api/terms/{term}/", {"name": ""}, 400,
     "name"),
    # definitions
    ("definition empty text", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": ""}, 400, "text"),
    ("definition blank text", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": "   "}, 400, "text"),
    ("definition missing term", "alice", "post", "/api/definitions/",
     {"term": 999999, "text": "The reward is right."}, 400, "term"),
    ("definition edit empty text", "alice", "patch", "/api/definitions/{definition}/",
     {"text": ""}, 400, "text"),
    ("equivalent to itself", "rita", "post", "/api/definitions/{definition}/mark-equivalent/",
     {"definition": "@definition"}, 400, "itself"),
    ("equivalent to a missing definition", "rita", "post",
     "/api/definitions/{definition}/mark-equivalent/", {"definition": 999999}, 400,
     "definition"),
    # decompositions
    ("decomposition duplicate name", "alice", "post", "/api/decompositions/",
     {"name": "Split A"}, 409, "already exists"),
    ("decomposition empty name", "alice", "post", "/api/decompositions/", {"name": ""}, 400,
     "name"),
    ("decomposition missing definition", "alice", "post", "/api/decompositions/",
     {"name": "Split C", "definitions": [999999]}, 400, "definitions"),
    ("decomposition rename onto another", "alice", "patch",
     "/api/decompositions/{decomposition2}/", {"name": "Split A"}, 409, "already exists"),
    # conflict review
    ("review unknown action", "rita", "post", REVIEW_OPEN, {"action": "archive"}, 400,
     "action"),
    ("review dismiss without a note", "rita", "post", REVIEW_OPEN, {"action": "dismiss"}, 400,
     "note"),
    ("review dismiss with a blank note", "rita", "post", REVIEW_OPEN,
     {"action": "dismiss", "note": "   "}, 400, "note"),
    ("review confirm a dismissed conflict", "rita", "post", REVIEW_DISMISSED,
     {"action": "confirm"}, 409, "dismissed"),
    ("review reopen an open conflict", "rita", "post", REVIEW_OPEN, {"action": "reopen"}, 409,
     "open"),
    # claim links
    ("link to itself", "alice", "post", LINKS,
     {"source": "@claim", "target": "@claim", "kind": "supports"}, 400, "itself"),
    ("link duplicate", "alice", "post", LINKS,
     {"source": "@claim", "target": "@claim2", "kind": "supports"}, 409, "already"),
    ("link across threads", "alice", "post", LINKS,
     {"source": "@claim", "target": "@elsewhere", "kind": "attacks"}, 400, "thread"),
    ("link unknown kind", "alice", "post", LINKS,
     {"source": "@claim", "target": "@claim2", "kind": "refutes"}, 400, "kind"),
    # threads
    ("thread blank title", "alice", "patch", "/api/threads/{thread}/", {"title": "   "}, 400,
     "title"),
    ("thread title too long", "alice", "patch", "/api/threads/{thread}/", {"title": "t" * 501},
     400, "title"),
    # list filters (query parameters)
    ("filter thread not a number", "alice", "get", CLAIM, {"thread": "abc"}, 400, "thread"),
    ("filter NUL in a search", "alice", "get", TERMS, {"q": "outer\x00"}, 400, "q"),
    ("filter unknown conflict status", "alice", "get", "/api/conflicts/", {"status": "bogus"},
     400, "status"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "who", "method", "path", "body", "status", "word"),
    BAD_INPUTS,
    ids=[row[0] for row in BAD_INPUTS],
)
def test_bad_input_is_refused(world, clients, case, who, method, path, body, status, word):
    ids = {**world, "reading": Reading.objects.get(claim_id=world["claim"]).id}
    client = clients[who]
    url = path.format(**ids)
    before = snapshot()

    if method == "get":
        response = client.get(url, body)
    else:
        response = getattr(client, method)(url, resolve(body, ids), format="json")

    assert_refused(response, status, word, before)


@pytest.mark.parametrize(
    "path",
    [
        CLAIM,
        READINGS,
        TERMS,
        LINKS,
        IMPORT,
        "/api/definitions/",
        "/api/decompositions/",
        REVIEW_OPEN,
        VOTE,
        "/api/definitions/{definition}/mark-equivalent/",
    ],
)
def test_malformed_json_body_gets_a_json_400(world, clients, path):
    ids = {**world, "reading": Reading.objects.get(claim_id=world["claim"]).id}
    client = clients["rita"]

    for raw, word in (("{", "JSON"), ("[1, 2]", "dictionary")):
        before = snapshot()
        response = client.post(path.format(**ids), data=raw, content_type="application/json")
        assert_refused(response, 400, word, before)


def test_malformed_json_patch_gets_a_json_400(world, clients):
    before = snapshot()

    response = clients["alice"].patch(
        f"/api/claims/{world['claim']}/", data="{", content_type="application/json"
    )

    assert_refused(response, 400, "JSON", before)


# Imports with files and size limits


def test_import_file_over_the_size_limit_is_413(world, clients, settings):
    settings.IMPORT_MAX_BYTES = 100
    before = snapshot()
    upload = SimpleUploadedFile("thread.txt", b"Outer alignment means a lot.\n\n" * 20)

    response = clients["alice"].post(IMPORT, {"format": "text", "file": upload}, format="multipart")

    assert_refused(response, 413, "limit", before)
    assert response.json()["error"]["detail"]["limit"] == 100


def test_import_content_over_the_size_limit_is_413(world, clients, settings):
    settings.IMPORT_MAX_BYTES = 100
    before = snapshot()

    response = clients["alice"].post(
        IMPORT, {"format": "text", "content": "Outer alignment. " * 20}, format="json"
    )

    assert_refused(response, 413, "limit", before)


def test_import_body_far_over_the_size_limit_is_413_before_parsing(world, clients, settings):
    settings.IMPORT_MAX_BYTES = 100
    before = snapshot()

    # Not even JSON: the size alone must decide, before the body is read.
    response = clients["alice"].post(
        IMPORT, data="x" * (80 * 1024), content_type="application/json"
    )

    assert_refused(response, 413, "limit", before)


def test_import_with_both_content_and_file_is_refused(world, clients):
    before = snapshot()
    upload = SimpleUploadedFile("thread.txt", b"Outer alignment means a lot.")

    response = clients["alice"].post(
        IMPORT,
        {"format": "text", "content": "Outer alignment means a lot.", "file": upload},
        format="multipart",
    )

    assert_refused(response, 400, "either", before)


def test_import_file_that_is_not_utf8_is_refused(world, clients):
    before = snapshot()
    upload = SimpleUploadedFile("thread.txt", "Outer alignment – à la Hubinger".encode("cp1252"))

    response = clients["alice"].post(IMPORT, {"format": "text", "file": upload}, format="multipart")

    assert_refused(response, 400, "UTF-8", before)


def test_import_empty_file_is_refused(world, clients):
    before = snapshot()
    upload = SimpleUploadedFile("thread.txt", b"")

    response = clients["alice"].post(IMPORT, {"format": "text", "file": upload}, format="multipart")

    assert_refused(response, 400, "empty", before)


def test_import_file_with_malformed_json_is_refused(world, clients):
    before = snapshot()
    upload = SimpleUploadedFile("post.json", b'{"data": {"post": {"result": ')

    response = clients["alice"].post(
        IMPORT, {"format": "forummagnum", "file": upload}, format="multipart"
    )

    assert_refused(response, 400, "JSON", before)


def test_deeply_nested_json_body_gets_a_json_400(world, clients):
    before = snapshot()
    body = "[" * 100_000 + "]" * 100_000

    response = clients["alice"].post(CLAIM, data=body, content_type="application/json")

    assert_refused(response, 400, "JSON", before)


# Values the importer accepts but the database cannot hold: refused by name, or stored intact,
# never a crash halfway through the import.

LONG_ID = "p" * 300
LONG_URL = "https://www.lesswrong.com/posts/" + "a" * 1500
NOT_FITTING = [
    # case                    content                                          field
    ("score past 64 bits",    forummagnum([], baseScore=10**30),               "baseScore"),
    ("score past 32 bits",    forummagnum([], baseScore=2**31),                "baseScore"),
    ("post _id of 300 chars", forummagnum([], _id=LONG_ID),                    "_id"),
    ("comment _id of 300",    forummagnum([{"_id": "c" * 300, "postId": "p1",
                                            "htmlBody": "<p>Reply</p>"}]),   "_id"),
    ("title of 600 chars",    forummagnum([], title="t" * 600),                "title"),
    ("pageUrl of 1500 chars", forummagnum([], pageUrl=LONG_URL),               "pageUrl"),
]  # fmt: skip


def _stored_intact(content: str) -> bool:
    post = json.loads(content)["data"]["post"]["result"]
    thread = Thread.objects.get(external_id=post["_id"])
    root = thread.comments.get(external_id=post["_id"])
    comments = json.loads(content)["data"]["comments"]["results"]
    return (
        root.score == post.get("baseScore")
        # A title may be shortened to the column, with an ellipsis to show it was.
        and (thread.title == post["title"] or thread.title == post["title"][:499] + "…")
        and thread.source_url == post.get("pageUrl", "")
        and all(thread.comments.filter(external_id=c["_id"]).exists() for c in comments)
    )


@pytest.mark.parametrize(("case", "content", "field"), NOT_FITTING, ids=[r[0] for r in NOT_FITTING])
def test_import_values_that_do_not_fit_a_column(world, clients, case, content, field):
    before = snapshot()

    response = clients["alice"].post(
        IMPORT, {"format": "forummagnum", "content": content}, format="json"
    )

    if response.status_code == 201:
        assert _stored_intact(content), f"{case}: imported, but not as given"
    else:
        assert_refused(response, 400, field, before)


@pytest.mark.parametrize(
    "name",
    [
        "ß" * 150,  # casefolds to "ss" * 150: 300 characters
        "ﷺ" * 20,  # NFKC expands each to 18 characters
    ],
    ids=["eszett", "nfkc-ligature"],
)
@pytest.mark.parametrize("as_alias", [False, True], ids=["name", "alias"])
def test_term_whose_normalised_form_outgrows_the_column(world, clients, name, as_alias):
    before = snapshot()
    body = {"name": "reward model", "aliases": [name]} if as_alias else {"name": name}

    response = clients["alice"].post(TERMS, body, format="json")

    if response.status_code == 201:
        assert TermAlias.objects.filter(text=name, normalized=normalize_term(name)).exists()
    else:
        assert_refused(response, 400, "alias" if as_alias else "name", before)

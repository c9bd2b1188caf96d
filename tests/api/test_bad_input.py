"""Bad input: every mistake gets a 4xx in the one error shape, names the problem, writes nothing.

Each case states the status and a word the message must contain, so a vague "invalid input"
does not pass for an answer; "writes nothing" is every row of the domain tables and the row
count of every table in the database, before and after. The importers' own catalogue (every
format through the API and through `manage.py import_thread`) is
tests/imports/test_bad_import_input.py; test_the_catalogue_holds_200_distinct_bad_inputs counts
both.
"""

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.accounts.roles import REVIEWERS_GROUP
from apps.annotations.models import Claim, ClaimLink, Reading, Vote
from apps.annotations.services import claim_link_create
from apps.conflicts.models import Conflict, ConflictReview
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, DefinitionEquivalence, Term, TermAlias
from apps.glossary.normalize import normalize_term
from apps.imports.tasks import run_import_job_task
from tests.db_state import row_counts, table_rows
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    make_workspace,
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


def snapshot() -> dict[str, Any]:
    return {"rows": table_rows(MODELS), "counts": row_counts()}


def assert_refused(response, status: int, word: str, before: dict) -> None:
    """A 4xx in the shape `{"error": {code, message, detail}}` naming `word`; nothing written."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "detail"}, body
    assert word.lower() in body["error"]["message"].lower(), body["error"]
    assert snapshot() == before, "a refused request changed data"


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """alice, bob and rita (a reviewer) and the world they made, built once for the module in
    a transaction rolled back at its end; each test runs in a savepoint inside it, so what one
    test writes by mistake is gone before the next, and the hundreds of cases share one setup."""
    with django_db_blocker.unblock(), transaction.atomic():
        users = {
            name: User.objects.create_user(username=name, password=f"pw-{name}")
            for name in ("alice", "bob", "rita")
        }
        users["rita"].groups.add(Group.objects.get(name=REVIEWERS_GROUP))
        ids = _build_world(users["alice"], users["bob"])
        yield {**users, "ids": ids}
        transaction.set_rollback(True)


@pytest.fixture
def world(personas, db) -> dict[str, Any]:
    return personas["ids"]


def _build_world(alice, bob) -> dict[str, Any]:
    """Objects the bad requests refer to: alice's, in the public workspace, and bob's, in a
    private workspace alice is not a member of (they must answer like ids that do not exist)."""
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
    private = make_workspace("private", members=(bob,))
    private_thread = make_thread(workspace=private, user=bob)
    private_claim = make_claim(bob, private_thread.comments.first())
    private_term = make_term(bob, "mesa optimizer", workspace=private)
    private_definition = make_definition(bob, private_term, "A learned model that optimises.")
    private_reading = make_reading(bob, private_claim, private_definition)
    private_conflict = Conflict.objects.create(
        workspace=private,
        thread=private_thread,
        term=private_term,
        kind=Conflict.Kind.AMBIGUOUS_USAGE,
        fingerprint="ambiguous-private",
        evidence={"claims": [private_claim.id]},
    )
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
        "comment_end": len(first.text),
        "private_workspace": private.slug,
        "private_thread": private_thread.id,
        "private_comment": private_claim.comment_id,
        "private_claim": private_claim.id,
        "private_term": private_term.id,
        "private_definition": private_definition.id,
        "private_decomposition": make_decomposition(bob, "Split P", [private_definition]).id,
        "private_reading": private_reading.id,
        "private_conflict": private_conflict.id,
        "reading": Reading.objects.get(claim=claim).id,
    }


@pytest.fixture
def clients(personas, api_client_for) -> dict[str, APIClient]:
    made = {"alice": api_client_for(personas["alice"]), "rita": api_client_for(personas["rita"])}
    for client in made.values():
        # A crash should fail the test as a wrong status, like any other wrong answer.
        client.raise_request_exception = False
    return made


def resolve(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        name, _, plus = value[1:].partition("+")
        return ids[name] + (float(plus) if "." in plus else int(plus)) if plus else ids[name]
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
    # ---- More claims: wrong types, offsets, references that do not resolve
    ("claim start a boolean", "alice", "post", CLAIM,
     {"comment": "@comment", "start": True, "end": 5}, 400, "start"),
    ("claim start a list", "alice", "post", CLAIM,
     {"comment": "@comment", "start": [0], "end": 5}, 400, "start"),
    ("claim end null", "alice", "post", CLAIM, {"comment": "@comment", "start": 0, "end": None},
     400, "end"),
    ("claim without start", "alice", "post", CLAIM, {"comment": "@comment", "end": 5}, 400,
     "start"),
    ("claim without end", "alice", "post", CLAIM, {"comment": "@comment", "start": 0}, 400,
     "end"),
    ("claim end one past the end", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": "@comment_end+1"}, 400, "past the end"),
    ("claim start at the end", "alice", "post", CLAIM,
     {"comment": "@comment", "start": "@comment_end", "end": "@comment_end+1"}, 400,
     "past the end"),
    ("claim both offsets negative", "alice", "post", CLAIM,
     {"comment": "@comment", "start": -5, "end": -1}, 400, "start"),
    ("claim comment a boolean", "alice", "post", CLAIM, {"comment": True, "start": 0, "end": 5},
     400, "comment"),
    ("claim comment a list", "alice", "post", CLAIM, {"comment": [1], "start": 0, "end": 5},
     400, "comment"),
    ("claim comment an object", "alice", "post", CLAIM,
     {"comment": {"id": 1}, "start": 0, "end": 5}, 400, "comment"),
    ("claim comment id 0", "alice", "post", CLAIM, {"comment": 0, "start": 0, "end": 5}, 400,
     "comment"),
    ("claim comment id negative", "alice", "post", CLAIM, {"comment": -1, "start": 0, "end": 5},
     400, "comment"),
    # A lookup would truncate it to the id of the comment itself.
    ("claim comment id fractional", "alice", "post", CLAIM,
     {"comment": "@comment+0.5", "start": 0, "end": 5}, 400, "fractional"),
    ("definition term id fractional", "alice", "post", "/api/definitions/",
     {"term": "@term+0.25", "text": "The reward is right."}, 400, "fractional"),
    ("claim comment null", "alice", "post", CLAIM, {"comment": None, "start": 0, "end": 5}, 400,
     "comment"),
    ("claim on a private workspace's comment", "alice", "post", CLAIM,
     {"comment": "@private_comment", "start": 0, "end": 5}, 400, "comment"),
    ("claim note over 5000 characters", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": 5, "note": "n" * 5001}, 400, "note"),
    ("claim note null", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": 5, "note": None}, 400, "note"),
    ("claim note a list", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": 5, "note": ["a"]}, 400, "note"),
    ("claim with end misspelt", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "ned": 5}, 400, "end"),
    ("claim edit start null", "alice", "patch", "/api/claims/{claim}/", {"start": None}, 400,
     "start"),
    ("claim edit negative start", "alice", "patch", "/api/claims/{claim}/", {"start": -1}, 400,
     "start"),
    ("claim edit equal offsets", "alice", "patch", "/api/claims/{claim}/",
     {"start": 3, "end": 3}, 400, "less than"),
    ("claim edit note too long", "alice", "patch", "/api/claims/{claim}/", {"note": "n" * 5001},
     400, "note"),
    ("claim edit of a private claim", "alice", "patch", "/api/claims/{private_claim}/",
     {"note": "mine now"}, 404, "no claim"),
    ("claim delete of a private claim", "alice", "delete", "/api/claims/{private_claim}/", None,
     404, "no claim"),
    ("claim delete past bigint", "alice", "delete", "/api/claims/99999999999999999999/", None,
     404, "no claim"),
    ("claim detail negative id", "alice", "get", "/api/claims/-1/", {}, 404, "no claim"),
    ("claim detail id 0", "alice", "get", "/api/claims/0/", {}, 404, "no claim"),
    ("claim detail id not a number", "alice", "get", "/api/claims/first/", {}, 404,
     "no claim"),
    ("claim replaced with PUT", "alice", "put", "/api/claims/{claim}/",
     {"comment": "@comment", "start": 0, "end": 5}, 405, "PUT"),
    # ---- More claim links
    ("link kind null", "alice", "post", LINKS,
     {"source": "@claim", "target": "@claim2", "kind": None}, 400, "kind"),
    ("link kind in capitals", "alice", "post", LINKS,
     {"source": "@claim", "target": "@claim2", "kind": "SUPPORTS"}, 400, "kind"),
    ("link kind a list", "alice", "post", LINKS,
     {"source": "@claim", "target": "@claim2", "kind": ["supports"]}, 400, "kind"),
    ("link kind empty", "alice", "post", LINKS,
     {"source": "@claim", "target": "@claim2", "kind": ""}, 400, "kind"),
    ("link without target", "alice", "post", LINKS, {"source": "@claim", "kind": "attacks"},
     400, "target"),
    ("link target past bigint", "alice", "post", LINKS,
     {"source": "@claim", "target": 10**30, "kind": "attacks"}, 400, "target"),
    ("link source a boolean", "alice", "post", LINKS,
     {"source": False, "target": "@claim2", "kind": "attacks"}, 400, "source"),
    ("link to a private claim", "alice", "post", LINKS,
     {"source": "@claim", "target": "@private_claim", "kind": "attacks"}, 400, "target"),
    ("link the second claim to itself", "alice", "post", LINKS,
     {"source": "@claim2", "target": "@claim2", "kind": "clarifies"}, 400, "itself"),
    # ---- More readings and votes
    ("reading of a private claim", "alice", "post", READINGS,
     {"claim": "@private_claim", "definition": "@definition"}, 400, "claim"),
    ("reading with a private definition", "alice", "post", READINGS,
     {"claim": "@claim2", "definition": "@private_definition"}, 400, "definition"),
    ("reading with a private term", "alice", "post", READINGS,
     {"claim": "@claim2", "term": "@private_term", "definition": "@definition"}, 400, "term"),
    ("reading with a private decomposition", "alice", "post", READINGS,
     {"claim": "@claim2", "decomposition": "@private_decomposition"}, 400, "decomposition"),
    ("reading with a missing decomposition", "alice", "post", READINGS,
     {"claim": "@claim2", "decomposition": 999999}, 400, "decomposition"),
    ("reading claim null", "alice", "post", READINGS,
     {"claim": None, "definition": "@definition"}, 400, "claim"),
    ("reading definition a list", "alice", "post", READINGS,
     {"claim": "@claim2", "definition": ["@definition"]}, 400, "definition"),
    ("reading delete of a private reading", "alice", "delete",
     "/api/readings/{private_reading}/", None, 404, "no reading"),
    ("vote of -2", "alice", "post", VOTE, {"value": -2}, 400, "value"),
    ("vote of up", "alice", "post", VOTE, {"value": "up"}, 400, "value"),
    ("vote of null", "alice", "post", VOTE, {"value": None}, 400, "value"),
    ("vote of true", "alice", "post", VOTE, {"value": True}, 400, "value"),
    ("vote of 0.5", "alice", "post", VOTE, {"value": 0.5}, 400, "value"),
    ("vote of a list", "alice", "post", VOTE, {"value": [1]}, 400, "value"),
    ("vote of 2**63", "alice", "post", VOTE, {"value": 2**63}, 400, "value"),
    ("vote on a missing reading", "alice", "post", "/api/readings/999999/vote/", {"value": 1},
     404, "no reading"),
    ("vote on a private reading", "alice", "post", "/api/readings/{private_reading}/vote/",
     {"value": 1}, 404, "no reading"),
    ("vote on reading id not a number", "alice", "post", "/api/readings/abc/vote/",
     {"value": 1}, 404, "no reading"),
    ("vote on reading id past bigint", "alice", "post", "/api/readings/99999999999999999999/vote/",
     {"value": 1}, 404, "no reading"),
    # ---- More terms: types, lengths, duplicate aliases in every spelling, other terms' names
    ("term name a list", "alice", "post", TERMS, {"name": ["goal"]}, 400, "name"),
    ("term name a boolean", "alice", "post", TERMS, {"name": True}, 400, "name"),
    ("term name null", "alice", "post", TERMS, {"name": None}, 400, "name"),
    ("term name an object", "alice", "post", TERMS, {"name": {"en": "goal"}}, 400, "name"),
    ("term name whitespace", "alice", "post", TERMS, {"name": "   "}, 400, "name"),
    ("term without a name", "alice", "post", TERMS, {"aliases": ["goal"]}, 400, "name"),
    ("term aliases a string", "alice", "post", TERMS, {"name": "goal", "aliases": "goals"},
     400, "aliases"),
    ("term aliases null", "alice", "post", TERMS, {"name": "goal", "aliases": None}, 400,
     "aliases"),
    ("term alias empty", "alice", "post", TERMS, {"name": "goal", "aliases": [""]}, 400,
     "aliases"),
    ("term alias null", "alice", "post", TERMS, {"name": "goal", "aliases": [None]}, 400,
     "aliases"),
    ("term alias a list", "alice", "post", TERMS, {"name": "goal", "aliases": [["aim"]]}, 400,
     "aliases"),
    ("term alias of 201 characters", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["a" * 201]}, 400, "aliases"),
    ("term alias of punctuation", "alice", "post", TERMS, {"name": "goal", "aliases": ["!?"]},
     400, "no letters"),
    ("term same alias twice", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["aim", "aim"]}, 400, "'aim'"),
    ("term aliases differing in case", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["Terminal Aim", "terminal aim"]}, 400, "terminal aim"),
    ("term aliases differing by a hyphen", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["end state", "end-state"]}, 400, "end-state"),
    ("term aliases singular and plural", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["objective", "objectives"]}, 400, "objectives"),
    ("term aliases -ise and -ize", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["optimisation target", "optimization target"]}, 400,
     "optimization target"),
    ("term alias equal to its own name", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["goal"]}, 400, "variant"),
    ("term alias the name in capitals", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["GOAL"]}, 400, "GOAL"),
    ("term alias another term's name", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["inner alignment"]}, 409, "inner alignment"),
    ("term alias another term's name, hyphenated", "alice", "post", TERMS,
     {"name": "goal", "aliases": ["Inner-Alignment"]}, 409, "inner alignment"),
    ("term name another term's alias", "alice", "post", TERMS, {"name": "outer aligned"}, 409,
     "outer alignment"),
    ("term name another term's name, plural", "alice", "post", TERMS,
     {"name": "inner alignments"}, 409, "inner alignment"),
    ("term 10,000 aliases", "alice", "post", TERMS,
     {"name": "goal", "aliases": [f"goal variant {n}" for n in range(10_000)]}, 400,
     "200"),
    ("term description over 5000 characters", "alice", "post", TERMS,
     {"name": "goal", "description": "d" * 5001}, 400, "description"),
    ("term description a list", "alice", "post", TERMS,
     {"name": "goal", "description": ["d"]}, 400, "description"),
    ("term in an unknown workspace", "alice", "post", TERMS,
     {"name": "goal", "workspace": "nowhere"}, 400, "workspace"),
    ("term in a private workspace", "alice", "post", TERMS,
     {"name": "goal", "workspace": "@private_workspace"}, 400, "workspace"),
    ("term workspace by number", "alice", "post", TERMS, {"name": "goal", "workspace": 1}, 400,
     "workspace"),
    ("term workspace a list", "alice", "post", TERMS,
     {"name": "goal", "workspace": ["public"]}, 400, "workspace"),
    ("term edit aliases null", "alice", "patch", "/api/terms/{term}/", {"aliases": None}, 400,
     "aliases"),
    ("term edit name null", "alice", "patch", "/api/terms/{term}/", {"name": None}, 400,
     "name"),
    ("term edit aliases repeated", "alice", "patch", "/api/terms/{term}/",
     {"aliases": ["outer-aligned", "Outer Aligned"]}, 400, "Outer Aligned"),
    ("term edit name onto another term", "alice", "patch", "/api/terms/{term}/",
     {"name": "Inner Alignment"}, 409, "inner alignment"),
    ("term edit of a private term", "alice", "patch", "/api/terms/{private_term}/",
     {"name": "mine"}, 404, "no term"),
    ("term edit id past bigint", "alice", "patch", "/api/terms/99999999999999999999999/",
     {"name": "goal"}, 404, "no term"),
    # ---- More definitions and equivalences
    ("definition label over 120 characters", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": "The reward is right.", "label": "l" * 121}, 400, "label"),
    ("definition text over 5000 characters", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": "t" * 5001}, 400, "text"),
    ("definition proposed_by over 200 characters", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": "The reward is right.", "proposed_by": "p" * 201}, 400,
     "proposed_by"),
    ("definition text a list", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": ["The reward is right."]}, 400, "text"),
    ("definition text null", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": None}, 400, "text"),
    ("definition term a boolean", "alice", "post", "/api/definitions/",
     {"term": True, "text": "The reward is right."}, 400, "term"),
    ("definition of a private term", "alice", "post", "/api/definitions/",
     {"term": "@private_term", "text": "The reward is right."}, 400, "term"),
    ("definition stated by a missing claim", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": "The reward is right.", "source_claim": 999999}, 400,
     "source_claim"),
    ("definition stated by a private claim", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": "The reward is right.", "source_claim": "@private_claim"}, 400,
     "source_claim"),
    ("definition edit text null", "alice", "patch", "/api/definitions/{definition}/",
     {"text": None}, 400, "text"),
    ("definition edit blank text", "alice", "patch", "/api/definitions/{definition}/",
     {"text": " \n "}, 400, "text"),
    ("definition edit label too long", "alice", "patch", "/api/definitions/{definition}/",
     {"label": "l" * 121}, 400, "label"),
    ("definition edit of a private definition", "alice", "patch",
     "/api/definitions/{private_definition}/", {"text": "Mine."}, 404, "no definition"),
    ("equivalent without a definition", "rita", "post",
     "/api/definitions/{definition}/mark-equivalent/", {}, 400, "definition"),
    ("equivalent to a boolean", "rita", "post",
     "/api/definitions/{definition}/mark-equivalent/", {"definition": True}, 400,
     "definition"),
    ("equivalent to a private definition", "rita", "post",
     "/api/definitions/{definition}/mark-equivalent/", {"definition": "@private_definition"},
     400, "definition"),
    ("equivalent with a note over 5000 characters", "rita", "post",
     "/api/definitions/{definition}/mark-equivalent/",
     {"definition": "@definition2", "note": "n" * 5001}, 400, "note"),
    ("unmark equivalent to itself", "rita", "post",
     "/api/definitions/{definition}/unmark-equivalent/", {"definition": "@definition"}, 400,
     "itself"),
    ("equivalent of a private definition", "rita", "post",
     "/api/definitions/{private_definition}/mark-equivalent/", {"definition": "@definition"},
     404, "no definition"),
    # ---- More decompositions
    ("decomposition name over 200 characters", "alice", "post", "/api/decompositions/",
     {"name": "n" * 201}, 400, "name"),
    ("decomposition name null", "alice", "post", "/api/decompositions/", {"name": None}, 400,
     "name"),
    ("decomposition name blank", "alice", "post", "/api/decompositions/", {"name": " \t "},
     400, "name"),
    ("decomposition duplicate name with spaces around", "alice", "post",
     "/api/decompositions/", {"name": "  Split A  "}, 409, "already exists"),
    ("decomposition definitions a string", "alice", "post", "/api/decompositions/",
     {"name": "Split C", "definitions": "all"}, 400, "definitions"),
    ("decomposition definitions [null]", "alice", "post", "/api/decompositions/",
     {"name": "Split C", "definitions": [None]}, 400, "definitions"),
    ("decomposition definitions [true]", "alice", "post", "/api/decompositions/",
     {"name": "Split C", "definitions": [True]}, 400, "definitions"),
    ("decomposition with a private definition", "alice", "post", "/api/decompositions/",
     {"name": "Split C", "definitions": ["@private_definition"]}, 400, "definitions"),
    ("decomposition description over 5000 characters", "alice", "post",
     "/api/decompositions/", {"name": "Split C", "description": "d" * 5001}, 400,
     "description"),
    ("decomposition in a private workspace", "alice", "post", "/api/decompositions/",
     {"name": "Split C", "workspace": "@private_workspace"}, 400, "workspace"),
    ("decomposition edit missing definition", "alice", "patch",
     "/api/decompositions/{decomposition}/", {"definitions": [999999]}, 400, "definitions"),
    ("decomposition edit name null", "alice", "patch", "/api/decompositions/{decomposition}/",
     {"name": None}, 400, "name"),
    ("decomposition edit blank name", "alice", "patch",
     "/api/decompositions/{decomposition}/", {"name": "  "}, 400, "name"),
    # ---- More conflict reviews: every enum, every resolution shape
    ("review action null", "rita", "post", REVIEW_OPEN, {"action": None}, 400, "action"),
    ("review action in capitals", "rita", "post", REVIEW_OPEN, {"action": "CONFIRM"}, 400,
     "action"),
    ("review action empty", "rita", "post", REVIEW_OPEN, {"action": ""}, 400, "action"),
    ("review action a list", "rita", "post", REVIEW_OPEN, {"action": ["confirm"]}, 400,
     "action"),
    ("review without an action", "rita", "post", REVIEW_OPEN, {"note": "why not"}, 400,
     "action"),
    ("review dismiss a dismissed conflict", "rita", "post", REVIEW_DISMISSED,
     {"action": "dismiss", "note": "again"}, 409, "dismissed"),
    ("review note over 5000 characters", "rita", "post", REVIEW_OPEN,
     {"action": "dismiss", "note": "n" * 5001}, 400, "note"),
    ("review resolution a string", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": "merge"}, 400, "resolution"),
    ("review resolution of unknown type", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {"type": "delete_term"}}, 400, "type"),
    ("review resolution without a type", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {"definitions": ["@definition", "@definition2"]}},
     400, "type"),
    ("review merge of one definition", "rita", "post", REVIEW_OPEN,
     {"action": "resolve",
      "resolution": {"type": "merge_definitions", "definitions": ["@definition"]}},
     400, "exactly two"),
    ("review merge of three definitions", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {
         "type": "merge_definitions",
         "definitions": ["@definition", "@definition2", "@definition"]}},
     400, "exactly two"),
    ("review merge of a definition with itself", "rita", "post", REVIEW_OPEN,
     {"action": "resolve",
      "resolution": {"type": "merge_definitions", "definitions": ["@definition", "@definition"]}},
     400, "itself"),
    ("review merge of a missing definition", "rita", "post", REVIEW_OPEN,
     {"action": "resolve",
      "resolution": {"type": "merge_definitions", "definitions": ["@definition", 999999]}},
     400, "definitions"),
    ("review split into no parts", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {"type": "split_term", "parts": []}}, 400,
     "at least one part"),
    ("review split part without a name", "rita", "post", REVIEW_OPEN,
     {"action": "resolve",
      "resolution": {"type": "split_term", "parts": [{"definitions": ["@definition"]}]}},
     400, "name"),
    ("review split part named with punctuation", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {
         "type": "split_term", "parts": [{"name": "--", "definitions": ["@definition"]}]}},
     400, "letter"),
    ("review split part named like another term", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {
         "type": "split_term",
         "parts": [{"name": "Inner Alignment", "definitions": ["@definition"]}]}},
     409, "inner alignment"),
    ("review split taking another term's sense", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {
         "type": "split_term",
         "parts": [{"name": "outer alignment (deployment)", "definitions": ["@definition2"]}]}},
     400, "not senses"),
    ("review split giving one sense to two parts", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {"type": "split_term", "parts": [
         {"name": "outer alignment (training)", "definitions": ["@definition"]},
         {"name": "outer alignment (limit)", "definitions": ["@definition"]}]}},
     400, "one part"),
    ("review split into two parts with one name", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {"type": "split_term", "parts": [
         {"name": "outer alignment (training)", "definitions": ["@definition"]},
         {"name": "Outer Alignment (Training)", "definitions": []}]}},
     409, "outer alignment (training)"),
    ("review resolution with confirm", "rita", "post", REVIEW_OPEN,
     {"action": "confirm", "resolution": {
         "type": "merge_definitions", "definitions": ["@definition", "@definition2"]}},
     400, "resolution"),
    ("review of a missing conflict", "rita", "post", "/api/conflicts/999999/review/",
     {"action": "confirm"}, 404, "no conflict"),
    ("review of a private conflict", "rita", "post", "/api/conflicts/{private_conflict}/review/",
     {"action": "confirm"}, 404, "no conflict"),
    # ---- More imports (the request; the files themselves: tests/imports/)
    ("import format a list", "alice", "post", IMPORT,
     {"format": ["text"], "content": "Outer alignment"}, 400, "format"),
    ("import format in capitals", "alice", "post", IMPORT,
     {"format": "TEXT", "content": "Outer alignment"}, 400, "format"),
    ("import export format as import format", "alice", "post", IMPORT,
     {"format": "csv", "content": "Outer alignment"}, 400, "format"),
    ("import content a list", "alice", "post", IMPORT,
     {"format": "text", "content": ["Outer alignment"]}, 400, "content"),
    ("import content null", "alice", "post", IMPORT, {"format": "text", "content": None}, 400,
     "content"),
    ("import title null", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "title": None}, 400, "title"),
    ("import background maybe", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "background": "maybe"}, 400,
     "background"),
    ("import background title too long", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "title": "t" * 501, "background": True},
     400, "title"),
    ("import into thread by name", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "thread": "outer"}, 400, "thread"),
    ("import into thread true", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "thread": True}, 400, "thread"),
    ("import into a private thread", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "thread": "@private_thread"}, 400,
     "thread"),
    ("import into an unknown workspace", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "workspace": "nowhere"}, 400,
     "workspace"),
    ("import into a private workspace", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "workspace": "@private_workspace"}, 400,
     "workspace"),
    ("import file given as a string", "alice", "post", IMPORT,
     {"format": "text", "file": "thread.txt"}, 400, "file"),
    # ---- More threads
    ("thread title null", "alice", "patch", "/api/threads/{thread}/", {"title": None}, 400,
     "title"),
    ("thread title a list", "alice", "patch", "/api/threads/{thread}/", {"title": ["t"]}, 400,
     "title"),
    ("thread edit without a title", "alice", "patch", "/api/threads/{thread}/", {}, 400,
     "title"),
    ("thread edit of a private thread", "alice", "patch", "/api/threads/{private_thread}/",
     {"title": "Mine"}, 404, "no thread"),
    ("thread detail of a private thread", "alice", "get", "/api/threads/{private_thread}/", {},
     404, "no thread"),
    ("thread detail past bigint", "alice", "get", "/api/threads/9223372036854775808/", {}, 404,
     "no thread"),
    ("thread replaced with PUT", "alice", "put", "/api/threads/{thread}/", {"title": "T"}, 405,
     "PUT"),
    ("thread created by POST", "alice", "post", "/api/threads/", {"title": "T"}, 405, "POST"),
    # ---- Suggestions, jobs, workspaces: ids that are not there
    ("mention accept of a missing mention", "alice", "post", "/api/mentions/999999/accept/",
     {}, 404, "no mention"),
    ("candidate accept of a missing candidate", "alice", "post",
     "/api/definition-candidates/999999/accept/", {}, 404, "no definition candidate"),
    ("import job not a number", "alice", "get", "/api/import-jobs/latest/", {}, 404,
     "no import job"),
    ("import job past bigint", "alice", "get", "/api/import-jobs/99999999999999999999/", {},
     404, "no import job"),
    ("workspace unknown slug", "alice", "get", "/api/workspaces/nowhere/", {}, 404,
     "no workspace"),
    ("workspace private slug", "alice", "get", "/api/workspaces/{private_workspace}/", {}, 404,
     "no workspace"),
    ("comment of a private thread", "alice", "get", "/api/comments/{private_comment}/", {},
     404, "no comment"),
    ("conflict of a private workspace", "alice", "get", "/api/conflicts/{private_conflict}/",
     {}, 404, "no conflict"),
    # ---- Exports
    ("export in an unknown format", "alice", "get", "/api/threads/{thread}/export/pdf/", {},
     400, "pdf"),
    ("export format in capitals", "alice", "get", "/api/threads/{thread}/export/CSV/", {}, 400,
     "CSV"),
    ("export of a missing thread", "alice", "get", "/api/threads/999999/export/csv/", {}, 404,
     "no thread"),
    ("export of a private thread", "alice", "get", "/api/threads/{private_thread}/export/csv/",
     {}, 404, "no thread"),
    # ---- More list filters and pagination (query parameters)
    ("response format xml", "alice", "get", CLAIM, {"format": "xml"}, 400, "xml"),
    ("page 0", "alice", "get", CLAIM, {"page": 0}, 400, "page"),
    ("page -1", "alice", "get", CLAIM, {"page": -1}, 400, "page"),
    ("page not a number", "alice", "get", CLAIM, {"page": "next"}, 400, "page"),
    ("page in exponent notation", "alice", "get", CLAIM, {"page": "1e3"}, 400, "page"),
    ("page past the last", "alice", "get", CLAIM, {"page": 999}, 404, "page 999"),
    ("page past any integer column", "alice", "get", CLAIM, {"page": 10**30}, 404,
     "does not exist"),
    ("page_size 0", "alice", "get", CLAIM, {"page_size": 0}, 400, "page_size"),
    ("page_size -5", "alice", "get", CLAIM, {"page_size": -5}, 400, "page_size"),
    ("page_size not a number", "alice", "get", CLAIM, {"page_size": "all"}, 400, "page_size"),
    ("page_size empty", "alice", "get", CLAIM, {"page_size": ""}, 400, "page_size"),
    ("page_size of 5000 digits", "alice", "get", CLAIM, {"page_size": "9" * 5000}, 400,
     "page_size"),
    ("filter comment id 0", "alice", "get", CLAIM, {"comment": 0}, 400, "comment"),
    ("filter thread past bigint", "alice", "get", CLAIM, {"thread": 10**20}, 400, "thread"),
    ("filter thread fractional", "alice", "get", CLAIM, {"thread": "1.5"}, 400, "thread"),
    ("filter term not a number", "alice", "get", CLAIM, {"term": "outer"}, 400, "term"),
    ("filter unknown anchor state", "alice", "get", CLAIM, {"anchor": "lost"}, 400, "anchor"),
    ("filter NUL in an author", "alice", "get", CLAIM, {"author": "ada\x00"}, 400, "author"),
    ("filter NUL in a claim search", "alice", "get", CLAIM, {"q": "\x00"}, 400, "q"),
    ("filter unknown reading kind", "alice", "get", READINGS, {"kind": "vibe"}, 400, "kind"),
    ("filter unknown reading origin", "alice", "get", READINGS, {"origin": "oracle"}, 400,
     "origin"),
    ("filter reading claim not a number", "alice", "get", READINGS, {"claim": "c"}, 400,
     "claim"),
    ("filter unknown conflict kind", "alice", "get", "/api/conflicts/", {"kind": "heresy"},
     400, "kind"),
    ("filter conflict status in capitals", "alice", "get", "/api/conflicts/",
     {"status": "OPEN"}, 400, "status"),
    ("filter conflict term not a number", "alice", "get", "/api/conflicts/", {"term": "x"},
     400, "term"),
    ("filter NUL in a conflict workspace", "alice", "get", "/api/conflicts/",
     {"workspace": "\x00"}, 400, "workspace"),
    ("filter unknown link kind", "alice", "get", LINKS, {"kind": "refutes"}, 400, "kind"),
    ("filter link claim not a number", "alice", "get", LINKS, {"claim": "x"}, 400, "claim"),
    ("filter unknown thread source", "alice", "get", "/api/threads/", {"source": "myspace"},
     400, "source"),
    ("filter NUL in a thread search", "alice", "get", "/api/threads/", {"q": "a\x00"}, 400,
     "q"),
    ("filter comment parent not a number", "alice", "get", "/api/comments/",
     {"parent": "root"}, 400, "parent"),
    ("filter comment thread negative", "alice", "get", "/api/comments/", {"thread": -3}, 400,
     "thread"),
    ("filter unknown mention status", "alice", "get", "/api/mentions/", {"status": "maybe"},
     400, "status"),
    ("filter unknown candidate status", "alice", "get", "/api/definition-candidates/",
     {"status": "maybe"}, 400, "status"),
    ("filter definition term not a number", "alice", "get", "/api/definitions/",
     {"term": "x"}, 400, "term"),
    ("filter NUL in a definition search", "alice", "get", "/api/definitions/", {"q": "\x00"},
     400, "q"),
    ("filter decomposition term not a number", "alice", "get", "/api/decompositions/",
     {"term": "x"}, 400, "term"),
    ("filter NUL in a term workspace", "alice", "get", TERMS, {"workspace": "\x00"}, 400,
     "workspace"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "who", "method", "path", "body", "status", "word"),
    BAD_INPUTS,
    ids=[row[0] for row in BAD_INPUTS],
)
def test_bad_input_is_refused(world, clients, case, who, method, path, body, status, word):
    client = clients[who]
    url = path.format(**world)
    before = snapshot()

    started = time.monotonic()
    if method == "get":
        response = client.get(url, resolve(body, world))
    elif body is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, resolve(body, world), format="json")

    assert_refused(response, status, word, before)
    # Refusing is cheap, whatever the size of the mistake (10,000 aliases, a 5000-digit number).
    assert time.monotonic() - started < 5


MALFORMED_JSON_PATHS = [
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
]


@pytest.mark.parametrize("path", MALFORMED_JSON_PATHS)
def test_malformed_json_body_gets_a_json_400(world, clients, path):
    client = clients["rita"]

    for raw, word in (("{", "JSON"), ("[1, 2]", "dictionary")):
        before = snapshot()
        response = client.post(path.format(**world), data=raw, content_type="application/json")
        assert_refused(response, 400, word, before)


def test_malformed_json_patch_gets_a_json_400(world, clients):
    before = snapshot()

    response = clients["alice"].patch(
        f"/api/claims/{world['claim']}/", data="{", content_type="application/json"
    )

    assert_refused(response, 400, "JSON", before)


# Bodies as bytes: JSON broken at many points, in the wrong encoding or of the wrong type, and
# bodies that are not JSON at all. "@comment" is replaced by the id of a comment.

CLAIM_JSON = '{"comment": @comment, "start": 0, "end": 15, "note": "outer alignment, as I see it"}'
IMPORT_JSON = '{"format": "text", "content": "Outer alignment means the reward is right."}'
FORM_CLAIM = "comment=@comment&start=0&end=15"
XML_CLAIM = '<?xml version="1.0"?><claim><comment>@comment</comment><start>0</start></claim>'
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _multipart(fields: dict[str, str]) -> bytes:
    return encode_multipart(BOUNDARY, fields)


def _cut(text: str, at: int) -> str:
    assert 0 < at < len(text)
    return text[:at]


# A claim cut at every kind of place: after "{", inside a key, after a colon, inside a number,
# inside a string, after a comma, one character short of the end.
CLAIM_CUTS = [1, 2, 5, 11, 13, 14, 23, 27, 33, 40, 52, 70]
IMPORT_CUTS = [9, 21, 40, 70]

RAW_BODIES = [
    # case, who, path, content type, body, status, word in the message
    *[(f"claim JSON cut after {n} characters", "alice", CLAIM, JSON, _cut(CLAIM_JSON, n), 400,
       "JSON") for n in CLAIM_CUTS],
    *[(f"import request JSON cut after {n} characters", "alice", IMPORT, JSON,
       _cut(IMPORT_JSON, n), 400, "JSON") for n in IMPORT_CUTS],
    ("term JSON with a trailing comma", "alice", TERMS, JSON, '{"name": "goal",}', 400, "JSON"),
    ("term JSON in single quotes", "alice", TERMS, JSON, "{'name': 'goal'}", 400, "JSON"),
    ("term JSON with a bare key", "alice", TERMS, JSON, '{name: "goal"}', 400, "JSON"),
    ("term JSON with a comment", "alice", TERMS, JSON, '{"name": "goal" /* aim */}', 400,
     "JSON"),
    ("term JSON with a raw control character", "alice", TERMS, JSON, '{"name": "go\x01al"}',
     400, "control character"),
    ("term JSON with a raw NUL byte", "alice", TERMS, JSON, b'{"name": "go\x00al"}', 400,
     "control character"),
    ("term JSON of whitespace", "alice", TERMS, JSON, "  \n ", 400, "JSON"),
    ("term JSON null", "alice", TERMS, JSON, "null", 400, "No data"),
    ("term JSON a string", "alice", TERMS, JSON, '"goal"', 400, "dictionary"),
    ("term JSON a number", "alice", TERMS, JSON, "42", 400, "dictionary"),
    ("term JSON true", "alice", TERMS, JSON, "true", 400, "dictionary"),
    ("term JSON empty body", "alice", TERMS, JSON, "", 400, "name"),
    ("term JSON with a byte order mark", "alice", TERMS, JSON,
     '\ufeff{"name": "goal"}'.encode(), 400, "BOM"),
    ("term JSON in Latin-1", "alice", TERMS, JSON, '{"name": "négation"}'.encode("latin-1"),
     400, "utf-8"),
    ("term JSON in UTF-16", "alice", TERMS, JSON, '{"name": "goal"}'.encode("utf-16"), 400,
     "utf-8"),
    ("term JSON with a NUL in a key", "alice", TERMS, JSON, '{"na\\u0000me": "goal"}', 400,
     "NUL"),
    ("term JSON with a lone surrogate in a key", "alice", TERMS, JSON,
     '{"name\\udc00": "goal"}', 400, "surrogate"),
    ("term name nested 100,000 lists deep", "alice", TERMS, JSON,
     '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}", 400, "nested too deeply"),
    ("term JSON nested 50,000 objects deep", "alice", TERMS, JSON,
     '{"a": ' * 50_000 + "1" + "}" * 50_000, 400, "nested too deeply"),
    ("claim start NaN", "alice", CLAIM, JSON,
     '{"comment": @comment, "start": NaN, "end": 5}', 400, "NaN"),
    ("claim end Infinity", "alice", CLAIM, JSON,
     '{"comment": @comment, "start": 0, "end": Infinity}', 400, "Infinity"),
    ("claim start -Infinity", "alice", CLAIM, JSON,
     '{"comment": @comment, "start": -Infinity, "end": 5}', 400, "Infinity"),
    ("claim end 1e400", "alice", CLAIM, JSON, '{"comment": @comment, "start": 0, "end": 1e400}',
     400, "end"),
    # Wrong content types where JSON is expected
    ("claim as XML", "alice", CLAIM, "application/xml", XML_CLAIM, 415, "application/xml"),
    ("term as XML", "alice", TERMS, "text/xml", "<term><name>goal</name></term>", 415,
     "text/xml"),
    ("review as XML", "rita", REVIEW_OPEN, "application/xml", "<action>confirm</action>", 415,
     "application/xml"),
    ("import as XML", "alice", IMPORT, "application/xml", "<thread>Outer</thread>", 415,
     "application/xml"),
    ("claim as plain text", "alice", CLAIM, "text/plain", CLAIM_JSON, 415, "text/plain"),
    ("import as plain text", "alice", IMPORT, "text/plain", "Outer alignment.", 415,
     "text/plain"),
    ("claim with no content type", "alice", CLAIM, "", CLAIM_JSON, 415, "no type"),
    ("import with no content type", "alice", IMPORT, "", IMPORT_JSON, 415, "no type"),
    ("claim as JSON Patch", "alice", CLAIM, "application/json-patch+json", CLAIM_JSON, 415,
     "json-patch"),
    ("claim as JavaScript", "alice", CLAIM, "application/javascript", CLAIM_JSON, 415,
     "javascript"),
    ("claim with a 300-character content type", "alice", CLAIM, "application/" + "x" * 288,
     CLAIM_JSON, 415, "application/xxx"),
    ("claim as a form", "alice", CLAIM, FORM, FORM_CLAIM, 415, "x-www-form-urlencoded"),
    ("term as a form", "alice", TERMS, FORM, "name=goal&aliases=aim", 415,
     "x-www-form-urlencoded"),
    ("reading as a form", "alice", READINGS, FORM, "claim=1&definition=1", 415,
     "x-www-form-urlencoded"),
    ("link as a form", "alice", LINKS, FORM, "source=1&target=2&kind=supports", 415,
     "x-www-form-urlencoded"),
    ("definition as a form", "alice", "/api/definitions/", FORM, "term=1&text=Reward", 415,
     "x-www-form-urlencoded"),
    ("decomposition as a form", "alice", "/api/decompositions/", FORM, "name=Split", 415,
     "x-www-form-urlencoded"),
    ("review as a form", "rita", REVIEW_OPEN, FORM, "action=confirm", 415,
     "x-www-form-urlencoded"),
    ("vote as a form", "alice", VOTE, FORM, "value=1", 415, "x-www-form-urlencoded"),
    ("claim as multipart", "alice", CLAIM, MULTIPART_CONTENT,
     _multipart({"comment": "1", "start": "0", "end": "15"}), 415, "multipart/form-data"),
    ("term as multipart", "alice", TERMS, MULTIPART_CONTENT, _multipart({"name": "goal"}), 415,
     "multipart/form-data"),
    ("equivalence as multipart", "rita", "/api/definitions/{definition}/mark-equivalent/",
     MULTIPART_CONTENT, _multipart({"definition": "1"}), 415, "multipart/form-data"),
    # The import takes forms too: their values must be UTF-8 and known fields
    ("import form with a percent-encoded Latin-1 byte", "alice", IMPORT, FORM,
     "format=text&content=n%E9gation", 400, "UTF-8"),
    ("import form with a raw Latin-1 byte", "alice", IMPORT, FORM,
     "format=text&content=n\xe9gation".encode("latin-1"), 400, "UTF-8"),
    ("import form with an encoded lone surrogate", "alice", IMPORT, FORM,
     "format=text&content=a%ED%A0%80b", 400, "UTF-8"),
    ("import form with a NUL", "alice", IMPORT, FORM, "format=text&content=a%00b", 400,
     "null characters"),
    ("import form with an unknown format", "alice", IMPORT, FORM,
     "format=myspace&content=Outer+alignment", 400, "format"),
    ("import multipart with the file as text", "alice", IMPORT, MULTIPART_CONTENT,
     _multipart({"format": "text", "file": "thread.txt"}), 400, "file"),
    ("import multipart with neither content nor file", "alice", IMPORT, MULTIPART_CONTENT,
     _multipart({"format": "text", "title": "Outer"}), 400, "either"),
]  # fmt: skip


def _raw(body: str | bytes, ids: dict[str, Any]) -> str | bytes:
    if isinstance(body, bytes):
        return body.replace(b"@comment", str(ids["comment"]).encode())
    return body.replace("@comment", str(ids["comment"]))


@pytest.mark.parametrize(
    ("case", "who", "path", "content_type", "body", "status", "word"),
    RAW_BODIES,
    ids=[row[0] for row in RAW_BODIES],
)
def test_bad_raw_body_is_refused(world, clients, case, who, path, content_type, body, status, word):
    before = snapshot()

    response = clients[who].generic(
        "POST", path.format(**world), _raw(body, world), content_type=content_type
    )

    assert_refused(response, status, word, before)


# NUL and lone surrogates, as JSON escapes, in every text field the API takes. "☃" marks the
# field; the body is encoded with ASCII escapes, so "\\u2603" becomes "\\u0000" or "\\ud800".

MARK = "☃"
TEXT_FIELDS = [
    # field, who, method, path, body
    ("term name", "alice", "post", TERMS, {"name": MARK}),
    ("term alias", "alice", "post", TERMS, {"name": "goal", "aliases": ["aim", MARK]}),
    ("term description", "alice", "post", TERMS, {"name": "goal", "description": MARK}),
    ("term workspace", "alice", "post", TERMS, {"name": "goal", "workspace": MARK}),
    ("term edit name", "alice", "patch", "/api/terms/{term}/", {"name": MARK}),
    ("definition text", "alice", "post", "/api/definitions/", {"term": "@term", "text": MARK}),
    ("definition label", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": "The reward.", "label": MARK}),
    ("definition proposed_by", "alice", "post", "/api/definitions/",
     {"term": "@term", "text": "The reward.", "proposed_by": MARK}),
    ("definition edit text", "alice", "patch", "/api/definitions/{definition}/", {"text": MARK}),
    ("claim note", "alice", "post", CLAIM,
     {"comment": "@comment", "start": 0, "end": 5, "note": MARK}),
    ("claim edit note", "alice", "patch", "/api/claims/{claim}/", {"note": MARK}),
    ("link kind", "alice", "post", LINKS, {"source": "@claim", "target": "@claim2", "kind": MARK}),
    ("decomposition name", "alice", "post", "/api/decompositions/", {"name": MARK}),
    ("decomposition description", "alice", "post", "/api/decompositions/",
     {"name": "Split C", "description": MARK}),
    ("review action", "rita", "post", REVIEW_OPEN, {"action": MARK}),
    ("review note", "rita", "post", REVIEW_OPEN, {"action": "dismiss", "note": MARK}),
    ("split part name", "rita", "post", REVIEW_OPEN,
     {"action": "resolve", "resolution": {
         "type": "split_term", "parts": [{"name": MARK, "definitions": ["@definition"]}]}}),
    ("equivalence note", "rita", "post", "/api/definitions/{definition}/mark-equivalent/",
     {"definition": "@definition2", "note": MARK}),
    ("import content", "alice", "post", IMPORT, {"format": "text", "content": MARK}),
    ("import title", "alice", "post", IMPORT,
     {"format": "text", "content": "Outer alignment", "title": MARK}),
    ("import format", "alice", "post", IMPORT, {"format": MARK, "content": "Outer alignment"}),
    ("import workspace", "alice", "post", IMPORT,
     {"content": "Outer alignment", "workspace": MARK}),
    ("thread title", "alice", "patch", "/api/threads/{thread}/", {"title": MARK}),
    ("sign-in username", "alice", "post", "/api/auth/login/",
     {"username": MARK, "password": "pw-alice"}),
]  # fmt: skip
UNTEXTUAL = [("NUL", "\\u0000", "NUL"), ("lone surrogate", "\\ud800", "surrogate")]
TEXT_FIELD_CASES = [
    (f"{what} in the {field}", escape, word, who, method, path, body)
    for field, who, method, path, body in TEXT_FIELDS
    for what, escape, word in UNTEXTUAL
]


@pytest.mark.parametrize(
    ("case", "escape", "word", "who", "method", "path", "body"),
    TEXT_FIELD_CASES,
    ids=[row[0] for row in TEXT_FIELD_CASES],
)
def test_untextual_strings_are_refused_in_every_text_field(
    world, clients, case, escape, word, who, method, path, body
):
    raw = json.dumps(resolve(body, world)).replace("\\u2603", escape)
    assert escape in raw
    before = snapshot()

    response = clients[who].generic(
        method.upper(), path.format(**world), raw, content_type="application/json"
    )

    assert_refused(response, 400, word, before)


# Bodies of 10 MB, twice the default import limit: 413 before the body is parsed, wherever they
# go (the JSON parser checks Content-Length against DATA_UPLOAD_MAX_MEMORY_SIZE, the import view
# against IMPORT_MAX_BYTES), and a multipart body where JSON is expected is refused by its type.

TEN_MB = 10 * 1024 * 1024
HUGE_BODIES = [
    ("10 MB import as JSON", IMPORT, JSON,
     lambda: json.dumps({"format": "text", "content": "Outer alignment. " * (TEN_MB // 17)}),
     413, "limit"),
    ("10 MB import as a file upload", IMPORT, MULTIPART_CONTENT,
     lambda: encode_multipart(BOUNDARY, {"format": "text", "file": SimpleUploadedFile(
         "thread.txt", b"Outer alignment.\n\n" * (TEN_MB // 18))}),
     413, "limit"),
    ("10 MB import as a form", IMPORT, FORM,
     lambda: "format=text&content=" + "Outer+alignment.+" * (TEN_MB // 17), 413, "limit"),
    ("10 MB term description", TERMS, JSON,
     lambda: json.dumps({"name": "goal", "description": "d" * TEN_MB}), 413, "limit"),
    ("10 MB claim note", CLAIM, JSON,
     lambda: json.dumps({"comment": 1, "start": 0, "end": 5, "note": "n" * TEN_MB}), 413,
     "limit"),
    ("10 MB of whitespace", REVIEW_OPEN, JSON, lambda: " " * TEN_MB + "{}", 413, "limit"),
    ("10 MB multipart where JSON is expected", TERMS, MULTIPART_CONTENT,
     lambda: encode_multipart(BOUNDARY, {"name": "goal", "file": SimpleUploadedFile(
         "terms.txt", b"goal\n" * (TEN_MB // 5))}),
     415, "multipart/form-data"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "path", "content_type", "make_body", "status", "word"),
    HUGE_BODIES,
    ids=[row[0] for row in HUGE_BODIES],
)
def test_ten_megabyte_bodies_are_refused_unread(
    world, clients, case, path, content_type, make_body, status, word
):
    body = make_body()
    assert len(body) >= TEN_MB
    before = snapshot()

    response = clients["rita"].generic(
        "POST", path.format(**world), body, content_type=content_type
    )

    assert_refused(response, status, word, before)


def test_import_with_a_garbled_content_length_is_a_400(world, clients):
    """The size check reads Content-Length before the body; "abc" there used to be a 500. Read
    as no body (as Django and DRF read it), the request has neither content nor file."""
    before = snapshot()

    response = clients["alice"].generic(
        "POST", IMPORT, IMPORT_JSON, content_type=JSON, CONTENT_LENGTH="abc"
    )

    assert_refused(response, 400, "either", before)


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


# Mistakes answered with something other than an error, on purpose. Fields a request does not
# take are ignored, not refused: server-owned ones (a claim's quote, a reading's tallies) cannot
# be set that way, which tests/api/test_permissions.py holds as the contract.


def test_page_size_over_the_cap_gets_the_cap(world, clients):
    response = clients["alice"].get(CLAIM, {"page_size": 10**9})

    assert response.status_code == 200, response.content[:500]
    assert response.json()["count"] == len(response.json()["results"]) <= 200
    assert "page_size=" not in (response.json()["next"] or "")


def test_background_import_of_a_broken_file_fails_as_a_job(world, clients):
    """A background import answers 202 before parsing: the error is on the job, and nothing
    else is written."""
    before = snapshot()["rows"]

    response = clients["alice"].post(
        IMPORT, {"format": "forummagnum", "content": '{"data": ', "background": True}, "json"
    )
    assert response.status_code == 202, response.content[:500]
    # What a worker does with the job once the request's transaction commits.
    run_import_job_task(str(response.json()["id"]))
    job = clients["alice"].get(f"/api/import-jobs/{response.json()['id']}/").json()

    assert job["status"] == "failed"
    assert "JSON" in job["error"]["message"]
    assert snapshot()["rows"] == before


# The count the issue asks for: every refused input in this file and in the importers' file.


def test_the_catalogue_holds_200_distinct_bad_inputs():
    from tests.imports.test_bad_import_input import BAD_IMPORTS, COMMAND_ONLY

    def key(*parts: Any) -> str:
        return json.dumps(parts, sort_keys=True, default=repr)

    malformed = [("{", "[1, 2]")]
    catalogue = {
        **{row[0]: key(*row[1:5]) for row in BAD_INPUTS},
        **{row[0]: key(*row[1:5]) for row in RAW_BODIES},
        **{row[0]: key(*row[1:]) for row in TEXT_FIELD_CASES},
        **{row[0]: key(row[1], row[2]) for row in HUGE_BODIES},
        **{f"malformed JSON to {path}": key(path, malformed) for path in MALFORMED_JSON_PATHS},
        **{f"import: {row[0]}": key(*row[1:3]) for row in BAD_IMPORTS},
        **{f"import_thread: {row[0]}": key(*row[1:-1]) for row in COMMAND_ONLY},
    }
    lists = [BAD_INPUTS, RAW_BODIES, TEXT_FIELD_CASES, HUGE_BODIES, BAD_IMPORTS, COMMAND_ONLY]
    # No name twice, and no input twice under two names.
    assert len(catalogue) == sum(map(len, lists)) + len(MALFORMED_JSON_PATHS)
    assert len(set(catalogue.values())) == len(catalogue)
    assert len(catalogue) >= 200, len(catalogue)

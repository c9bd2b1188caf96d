"""Who may do what through the API: the role matrix, workspace visibility and mass assignment.

The expected statuses are not written here: they are the tables of docs/permissions.md, read at
collection time, so every cell of the written table is a request this module sends. Anyone
reads; writing needs a login (401 without one, since TokenAuthentication answers first); users
change only what they created (403 otherwise); conflict review and definition equivalence need
the reviewer role; admins do everything. Workspaces apply on top: restricted ones are written by
members only (403), private ones do not exist for anyone else (404, absent from lists).
"""

import re
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.annotations.models import Claim, ClaimLink, DefinitionCandidate, Mention, Reading, Vote
from apps.annotations.services import claim_link_create
from apps.annotations.suggestions import suggestions_refresh
from apps.conflicts.models import Conflict, ConflictReview
from apps.exports.services import EXPORTERS
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, DefinitionEquivalence, Term, TermAlias
from apps.workspaces.models import Membership, Workspace
from tests.db_state import table_rows
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

PASTED_THREAD = (
    "Does outer alignment need infinite data?\n\n"
    "Outer alignment means the reward is right in the limit of infinite data.\n"
)

# Every table the API writes to: a refused request must leave all of them exactly as they were.
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
    Decomposition.definitions.through,
    Reading,
    Vote,
    Conflict,
    ConflictReview,
    Mention,
    DefinitionCandidate,
    Membership,
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return table_rows(MODELS)


def build_world(owner: User, workspace: Workspace) -> dict[str, Any]:
    """One of everything in `workspace`, created by `owner`; returns the ids the rows refer to."""
    thread = make_thread(workspace=workspace, user=owner)
    first, second, _third = thread.comments.order_by("position")
    claim = make_claim(owner, first, "Outer alignment means the reward is right")
    claim2 = make_claim(owner, second)
    link = claim_link_create(user=owner, source=claim, target=claim2, kind="supports")
    term = make_term(owner, "outer alignment", workspace=workspace, aliases=["outer-aligned"])
    definition = make_definition(owner, term, "The reward is right on the training distribution.")
    definition2 = make_definition(owner, term, "The reward is right in the limit of infinite data.")
    definition3 = make_definition(owner, term, "The reward is right on the training data.")
    DefinitionEquivalence.objects.create(first=definition, second=definition3, marked_by=owner)
    decomposition = make_decomposition(owner, "Training-distribution split", [definition])
    reading = make_reading(owner, claim, definition)
    conflict = Conflict.objects.create(
        workspace=workspace,
        thread=thread,
        term=term,
        kind=Conflict.Kind.EQUIVOCATION,
        fingerprint=f"equivocation-{workspace.slug}",
        status=Conflict.Status.OPEN,
        severity=3,
        evidence={"claims": [claim.id, claim2.id], "readings": [reading.id]},
    )
    mention = Mention.objects.create(
        comment=first, term=term, start=0, end=15, text=first.text[:15]
    )
    candidate = DefinitionCandidate.objects.create(
        comment=first,
        term=term,
        start=0,
        end=len(first.text),
        sentence=first.text,
        definition_text="the reward is right on the training distribution",
        pattern="X means",
    )
    return {
        "workspace": workspace.slug,
        "thread": thread.id,
        "comment": first.id,
        "comment2": second.id,
        "claim": claim.id,
        "claim2": claim2.id,
        "link": link.id,
        "term": term.id,
        "definition": definition.id,
        "definition2": definition2.id,
        "definition3": definition3.id,
        "decomposition": decomposition.id,
        "decomp": decomposition.id,
        "reading": reading.id,
        "conflict": conflict.id,
        "mention": mention.id,
        "dc": candidate.id,
    }


def resolve(value: Any, ids: dict[str, Any]) -> Any:
    """Replace "@name" in a request body by the world's id for `name`."""
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    if isinstance(value, dict):
        return {key: resolve(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, ids) for item in value]
    return value


def send(client: APIClient, method: str, path: str, body: Any, ids: dict[str, Any]):
    url = path.format(**ids)
    if method in ("get", "delete") and body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, resolve(body, ids), format="json")


def error_shape_problem(response, word: str | None = None) -> str | None:
    """What is wrong with an error response, or None: JSON `{"error": {code, message, detail}}`
    whose message names `word`."""
    if not response["Content-Type"].startswith("application/json"):
        return f"answered {response['Content-Type']}, not JSON"
    body = response.json()
    if set(body) != {"error"} or set(body["error"]) != {"code", "message", "detail"}:
        return f"error body has the wrong shape: {body}"
    if not body["error"]["message"]:
        return "error message is empty"
    if word is not None and word.lower() not in body["error"]["message"].lower():
        return f"error message does not name {word!r}: {body['error']['message']!r}"
    return None


def assert_error_shape(response, status: int, word: str | None = None) -> None:
    assert response.status_code == status, response.content
    problem = error_shape_problem(response, word)
    assert problem is None, problem


@contextmanager
def rolled_back():
    """Undo whatever happens inside, so one world serves every role of a matrix row."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def outcome_problem(response, expected: int, before, word: str | None = None) -> str | None:
    """Compare one request's outcome with the expected status; refusals must write nothing."""
    if response.status_code != expected:
        return f"expected {expected}, got {response.status_code} {response.content[:300]!r}"
    if expected >= 400:
        problem = error_shape_problem(response, word)
        if problem:
            return problem
        if snapshot() != before:
            return f"refused with {expected} but changed data"
    elif snapshot() == before:
        return f"answered {expected} but changed nothing"
    return None


@pytest.fixture
def clients(
    alice: User, bob: User, rita: User, admin_user: User, api_client_for: Callable
) -> dict[str, APIClient]:
    return {
        "anon": APIClient(),
        "owner": api_client_for(alice),
        "other": api_client_for(bob),
        "reviewer": api_client_for(rita),
        "admin": api_client_for(admin_user),
    }


# The role matrix, in the public workspace; alice is the owner of every object.
# "other" is bob, another annotator; "reviewer" is rita, who did not create the objects either.
NEW_TERM = {"name": "inner alignment", "aliases": ["inner-aligned"], "workspace": "@workspace"}
NEW_DEFINITION = {"term": "@term", "text": "The learned policy behaves well on deployment."}
SENSE_READING = {"claim": "@claim2", "term": "@term", "definition": "@definition"}
REIMPORT = {"thread": "@thread", "format": "text", "content": PASTED_THREAD}

REQUESTS: dict[str, tuple[str, str, Any]] = {
    # action: (method, path, body); "{name}" and "@name" are ids from build_world
    "thread rename": ("patch", "/api/threads/{thread}/", {"title": "Renamed"}),
    "thread delete": ("delete", "/api/threads/{thread}/", None),
    "thread create": ("post", "/api/threads/", {"title": "New"}),
    "thread import": (
        "post",
        "/api/threads/import/",
        {"workspace": "@workspace", "format": "text", "content": PASTED_THREAD},
    ),
    "thread re-import": ("post", "/api/threads/import/", REIMPORT),
    "claim create": ("post", "/api/claims/", {"comment": "@comment2", "start": 0, "end": 3}),
    "claim edit": ("patch", "/api/claims/{claim}/", {"note": "Reading 1"}),
    "claim delete": ("delete", "/api/claims/{claim}/", None),
    "claim-link create": (
        "post",
        "/api/claim-links/",
        {"source": "@claim2", "target": "@claim", "kind": "attacks"},
    ),
    "claim-link delete": ("delete", "/api/claim-links/{link}/", None),
    "term create": ("post", "/api/terms/", NEW_TERM),
    "term edit": ("patch", "/api/terms/{term}/", {"description": "As in the 2019 paper."}),
    "term delete": ("delete", "/api/terms/{term}/", None),
    "definition create": ("post", "/api/definitions/", NEW_DEFINITION),
    "definition edit": (
        "patch",
        "/api/definitions/{definition}/",
        {"label": "training", "version": 1},
    ),
    "definition delete": ("delete", "/api/definitions/{definition}/", None),
    "mark equivalent": (
        "post",
        "/api/definitions/{definition}/mark-equivalent/",
        {"definition": "@definition2"},
    ),
    "unmark equivalent": (
        "post",
        "/api/definitions/{definition}/unmark-equivalent/",
        {"definition": "@definition3"},
    ),
    "decomposition create": (
        "post",
        "/api/decompositions/",
        {"name": "Limit split", "definitions": ["@definition2"], "workspace": "@workspace"},
    ),
    "decomposition edit": ("patch", "/api/decompositions/{decomposition}/", {"description": "x"}),
    "decomposition delete": ("delete", "/api/decompositions/{decomposition}/", None),
    "sense reading create": ("post", "/api/readings/", SENSE_READING),
    "decomposition reading create": (
        "post",
        "/api/readings/",
        {"claim": "@claim", "decomposition": "@decomposition"},
    ),
    "reading delete": ("delete", "/api/readings/{reading}/", None),
    "reading vote": ("post", "/api/readings/{reading}/vote/", {"value": -1}),
    "conflict review": ("post", "/api/conflicts/{conflict}/review/", {"action": "confirm"}),
    "conflict create": ("post", "/api/conflicts/", {"kind": "equivocation"}),
    "conflict edit": ("patch", "/api/conflicts/{conflict}/", {"status": "resolved"}),
    "conflict delete": ("delete", "/api/conflicts/{conflict}/", None),
    "comment edit": ("patch", "/api/comments/{comment}/", {"text": "Rewritten"}),
    "workspace create": ("post", "/api/workspaces/", {"slug": "mine", "name": "Mine"}),
}

PERMISSIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def doc_table(heading: str) -> list[dict[str, str]]:
    """The Markdown table under `## heading` in docs/permissions.md: one dict per row."""
    section = PERMISSIONS_DOC.read_text().split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line.strip().strip("|") for line in section.splitlines() if line.startswith("|")]
    header, _rule, *rows = ([cell.strip() for cell in line.split("|")] for line in lines)
    return [dict(zip(header, row, strict=True)) for row in rows]


def expectation(cell: str) -> tuple[int, str | None]:
    """A table cell, "404" or "400 workspace": the status and the field the error must name."""
    status, _, field = cell.partition(" ")
    return int(status), field or None


PUBLIC_WRITES = doc_table("Writes in the public workspace")
WORKSPACE_WRITES = doc_table("Writes in restricted and private workspaces")
READS = doc_table("Reads")
# Column of the public table -> the client that plays it.
PUBLIC_ROLES = {
    "anonymous": "anon",
    "owner": "owner",
    "other annotator": "other",
    "reviewer": "reviewer",
    "admin": "admin",
}


def test_the_written_tables_name_exactly_the_requests_tested():
    assert {row["action"] for row in PUBLIC_WRITES} == set(REQUESTS)
    nobody = {row["action"] for row in PUBLIC_WRITES if row["owner"] == row["admin"] == "405"}
    assert {row["action"] for row in WORKSPACE_WRITES} == set(REQUESTS) - nobody
    wrong = []
    for row in PUBLIC_WRITES:
        method, path, _body = REQUESTS[row["action"]]
        written = row["request"].split("`")[1]
        sent = method.upper() + " " + re.sub(r"\{\w+\}", "{id}", path)
        if written != sent:
            wrong.append(f"{row['action']}: the table says {written}, the test sends {path}")
    assert not wrong, "\n".join(wrong)


READABLE = [
    # resource                list path                       detail path
    ("workspaces",            "/api/workspaces/",             "/api/workspaces/{workspace}/"),
    ("threads",               "/api/threads/",                "/api/threads/{thread}/"),
    ("comments",              "/api/comments/",               "/api/comments/{comment}/"),
    ("claims",                "/api/claims/",                 "/api/claims/{claim}/"),
    ("claim-links",           "/api/claim-links/",            "/api/claim-links/{link}/"),
    ("terms",                 "/api/terms/",                  "/api/terms/{term}/"),
    ("definitions",           "/api/definitions/",            "/api/definitions/{definition}/"),
    ("decompositions",        "/api/decompositions/",         "/api/decompositions/{decomp}/"),
    ("readings",              "/api/readings/",               "/api/readings/{reading}/"),
    ("conflicts",             "/api/conflicts/",              "/api/conflicts/{conflict}/"),
    ("mentions",              "/api/mentions/",               "/api/mentions/{mention}/"),
    ("definition-candidates", "/api/definition-candidates/",  "/api/definition-candidates/{dc}/"),
]  # fmt: skip


def _detail_key(path: str) -> str:
    return path.rsplit("{", 1)[1].split("}", 1)[0]


def _page_keys(response, key: str) -> list[Any]:
    field = "slug" if key == "workspace" else "id"
    return [item[field] for item in response.json()["results"]]


@pytest.mark.parametrize("row", PUBLIC_WRITES, ids=[row["action"] for row in PUBLIC_WRITES])
def test_public_write_table(clients, alice, row):
    method, path, body = REQUESTS[row["action"]]
    ids = build_world(alice, public_workspace())
    wrong = []

    for column, role in PUBLIC_ROLES.items():
        status, field = expectation(row[column])
        with rolled_back():
            before = snapshot()
            response = send(clients[role], method, path, body, ids)
            if problem := outcome_problem(response, status, before, field):
                wrong.append(f"{column}: {problem}")

    assert not wrong, f"{row['action']}: " + "; ".join(wrong)


def _is_review_action(action: str) -> bool:
    """Whether the public table lets reviewers, not owners, do it."""
    row = next(row for row in PUBLIC_WRITES if row["action"] == action)
    return row["owner"] == "403" and row["reviewer"].startswith("2")


@pytest.mark.parametrize(
    ("row", "visibility"),
    [(row, visibility) for row in WORKSPACE_WRITES for visibility in ("restricted", "private")],
    ids=[f"{row['action']}-{v}" for row in WORKSPACE_WRITES for v in ("restricted", "private")],
)
def test_workspace_write_table(alice, rita, admin_user, api_client_for, row, visibility):
    """The actor is one the public table allows; only their membership changes."""
    action = row["action"]
    method, path, body = REQUESTS[action]
    workspace = make_workspace(visibility, members=(alice,))
    ids = build_world(alice, workspace)
    actor = rita if _is_review_action(action) else alice
    columns = {
        f"{visibility}: member": (api_client_for(actor), True),
        f"{visibility}: non-member": (api_client_for(actor), False),
        "anonymous": (APIClient(), False),
        "admin, not a member": (api_client_for(admin_user), False),
    }
    wrong = []

    for column, (client, member) in columns.items():
        status, field = expectation(row[column])
        with rolled_back():
            Membership.objects.filter(workspace=workspace).delete()
            if member:
                Membership.objects.create(workspace=workspace, user=actor)
            before = snapshot()
            response = send(client, method, path, body, ids)
            if problem := outcome_problem(response, status, before, field):
                wrong.append(f"{column}: {problem}")
            elif action == "thread import" and status < 400:
                assert response.json()["thread"]["workspace"] == workspace.slug
            elif method == "post" and status < 400 and "workspace" in response.json():
                assert response.json()["workspace"] == workspace.slug

    assert not wrong, f"{action} in {visibility}: " + "; ".join(wrong)


@pytest.mark.parametrize("row", READS, ids=[row["workspace"] for row in READS])
def test_read_table(alice, bob, admin_user, api_client_for, row):
    """Every resource's list and detail; where the table says 404 the object is not listed."""
    ids = build_world(alice, make_workspace(row["workspace"], members=(alice,)))
    viewers = {
        "member": api_client_for(alice),
        "non-member": api_client_for(bob),
        "anonymous": APIClient(),
        "admin, not a member": api_client_for(admin_user),
    }
    wrong = []

    for column, client in viewers.items():
        expected, _field = expectation(row[column])
        sees = expected == 200
        for resource, list_path, detail_path in READABLE:
            key = _detail_key(detail_path)
            listed = client.get(list_path, {"page_size": 200})
            detail = client.get(detail_path.format(**ids))
            if listed.status_code != 200:
                wrong.append(f"{column}: {resource} list answered {listed.status_code}")
            elif (ids[key] in _page_keys(listed, key)) is not sees:
                wrong.append(f"{column}: {resource} list {'lacks' if sees else 'shows'} it")
            # Never 403 for an outsider: that would confirm the object exists.
            if detail.status_code != expected:
                wrong.append(f"{column}: {resource} detail answered {detail.status_code}")
            elif not sees and (problem := error_shape_problem(detail)):
                wrong.append(f"{column}: {resource} detail: {problem}")

    assert not wrong, f"{row['workspace']}: " + "; ".join(wrong)


@pytest.fixture
def viewers(alice, bob, api_client_for) -> dict[str, APIClient]:
    return {"outsider": api_client_for(bob), "anonymous": APIClient()}


@pytest.mark.parametrize("viewer", ["outsider", "anonymous"])
def test_private_objects_never_listed_for_outsiders_even_when_filtered(viewers, alice, viewer):
    """Filtering a list by the private thread or workspace still shows nothing of it."""
    ids = build_world(alice, make_workspace("private", members=(alice,)))
    wrong = []

    for resource, list_path, detail_path in READABLE:
        key = _detail_key(detail_path)
        for params in ({}, {"workspace": ids["workspace"]}, {"thread": ids["thread"]}):
            listed = viewers[viewer].get(list_path, {"page_size": 200, **params})
            if listed.status_code != 200:
                wrong.append(f"{resource} {params} answered {listed.status_code}")
            elif ids[key] in _page_keys(listed, key):
                wrong.append(f"{resource} {params} shows the private object")
            elif resource != "workspaces" and listed.json()["results"]:
                # The private world is all there is, apart from the public workspace itself.
                wrong.append(f"{resource} {params} shows {listed.json()['results']}")

    assert not wrong, "; ".join(wrong)


# Filtering by a private object's id must answer exactly like filtering by an id that does not
# exist, or the answer tells an outsider which private ids exist.
FILTER_PROBES = [
    # list path                      filter          world key
    ("/api/comments/",               "thread",       "thread"),
    ("/api/comments/",               "parent",       "comment"),
    ("/api/claims/",                 "comment",      "comment"),
    ("/api/claim-links/",            "source",       "claim"),
    ("/api/definitions/",            "term",         "term"),
    ("/api/definitions/",            "source_claim", "claim"),
    ("/api/readings/",               "claim",        "claim"),
    ("/api/readings/",               "definition",   "definition"),
    ("/api/readings/",               "decomposition", "decomposition"),
    ("/api/conflicts/",              "term",         "term"),
    ("/api/mentions/",               "term",         "term"),
    ("/api/definition-candidates/",  "comment",      "comment"),
]  # fmt: skip


def test_filters_do_not_reveal_which_private_ids_exist(viewers, alice):
    ids = build_world(alice, make_workspace("private", members=(alice,)))
    missing = 10**9
    wrong = []

    for list_path, param, key in FILTER_PROBES:
        private = viewers["outsider"].get(list_path, {param: ids[key]})
        absent = viewers["outsider"].get(list_path, {param: missing})
        if (private.status_code, private.content) != (absent.status_code, absent.content):
            wrong.append(
                f"{list_path}?{param}=: a private id answers {private.status_code}, "
                f"a missing one {absent.status_code} {absent.content[:120]!r}"
            )

    assert not wrong, "\n".join(wrong)


# The other ways in: text search, exports, suggestions, cross-workspace references, the schema.

SEARCHABLE = [
    # list path                     query that finds the private world for a member
    ("/api/threads/",               "outer alignment"),
    ("/api/claims/",                "reward is right"),
    ("/api/terms/",                 "outer-aligned"),
    ("/api/definitions/",           "training distribution"),
    ("/api/mentions/",              "outer alignment"),
    ("/api/definition-candidates/", "training distribution"),
]  # fmt: skip


def test_text_search_finds_private_objects_only_for_members(alice, bob, api_client_for):
    build_world(alice, make_workspace("private", members=(alice,)))
    wrong = []

    for list_path, query in SEARCHABLE:
        if not api_client_for(alice).get(list_path, {"q": query}).json()["results"]:
            wrong.append(f"{list_path}?q={query} finds nothing even for a member")
        for viewer, client in (("outsider", api_client_for(bob)), ("anonymous", APIClient())):
            if found := client.get(list_path, {"q": query}).json()["results"]:
                wrong.append(f"{list_path}?q={query} shows {viewer} {found}")

    assert not wrong, "\n".join(wrong)


def test_exports_of_a_private_thread_are_404_in_every_format(alice, bob, api_client_for):
    ids = build_world(alice, make_workspace("private", members=(alice,)))
    wrong = []

    for export_format in EXPORTERS:
        url = f"/api/threads/{ids['thread']}/export/{export_format}/"
        if (status := api_client_for(alice).get(url).status_code) != 200:
            wrong.append(f"{export_format}: a member gets {status}")
        for viewer, client in (("outsider", api_client_for(bob)), ("anonymous", APIClient())):
            response = client.get(url)
            if response.status_code != 404 or error_shape_problem(response):
                wrong.append(f"{export_format}: {viewer} gets {response.status_code}")

    assert not wrong, "\n".join(wrong)


def test_a_private_glossary_never_suggests_in_other_workspaces(alice, bob):
    private = make_workspace("private", members=(alice,))
    private_term = make_term(alice, "outer alignment", workspace=private)
    public_thread = make_thread(user=bob)

    suggestions_refresh(thread=public_thread)

    assert not Mention.objects.filter(term=private_term).exists()
    assert not DefinitionCandidate.objects.filter(term=private_term).exists()
    assert DefinitionCandidate.objects.filter(comment__thread=public_thread).exists()


CROSS_WORKSPACE = {
    # A member of the private workspace, working on a public thread, cannot pull private
    # objects into it: they would show in its readings, conflicts and exports.
    "sense reading": ("/api/readings/", {"claim": "@public_claim", "term": "@term",
                                         "definition": "@definition"}, "term"),
    "decomposition reading": ("/api/readings/", {"claim": "@public_claim",
                                                 "decomposition": "@decomposition"},
                              "decomposition"),
    "claim link": ("/api/claim-links/", {"source": "@public_claim", "target": "@claim",
                                         "kind": "attacks"}, "claim"),
}  # fmt: skip


@pytest.mark.parametrize("case", CROSS_WORKSPACE, ids=list(CROSS_WORKSPACE))
def test_private_objects_cannot_be_cited_from_a_public_thread(alice, alice_client, case):
    ids = build_world(alice, make_workspace("private", members=(alice,)))
    public_thread = make_thread(user=alice)
    ids["public_claim"] = make_claim(alice, public_thread.comments.order_by("position")[0]).id
    path, body, field = CROSS_WORKSPACE[case]
    before = snapshot()

    response = send(alice_client, "post", path, body, ids)

    assert_error_shape(response, 400, field)
    assert snapshot() == before


def test_the_openapi_document_shows_no_stored_data(alice):
    build_world(alice, make_workspace("private", members=(alice,)))

    schema = APIClient().get("/api/schema/", {"format": "json"}).content.decode()

    for private_text in ("reward is right", "outer-aligned", "Training-distribution split"):
        assert private_text not in schema


# Mass assignment: fields the server owns are ignored or refused, never applied.


def test_claim_create_ignores_server_owned_fields(alice, bob, alice_client):
    ids = build_world(alice, public_workspace())
    comment = Comment.objects.get(id=ids["comment2"])

    response = alice_client.post(
        "/api/claims/",
        {
            "comment": comment.id,
            "start": 4,
            "end": 19,
            "quote": "forged quote",
            "prefix": "forged prefix",
            "suffix": "forged suffix",
            "anchor": "orphaned",
            "created_by": bob.id,
            "thread": 10**6,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    claim = Claim.objects.get(id=response.json()["id"])
    assert claim.quote == comment.text[4:19] == "outer alignment"
    assert claim.prefix == comment.text[:4]
    assert claim.suffix == comment.text[19:51]
    assert claim.anchor == Claim.Anchor.ANCHORED
    assert claim.created_by == alice
    assert claim.comment == comment


def test_claim_update_ignores_server_owned_fields(alice, bob, alice_client):
    ids = build_world(alice, public_workspace())
    claim = Claim.objects.get(id=ids["claim"])
    before = Claim.objects.filter(id=claim.id).values().get()

    response = alice_client.patch(
        f"/api/claims/{claim.id}/",
        {
            "note": "a note",
            "quote": "forged",
            "prefix": "forged",
            "suffix": "forged",
            "anchor": "orphaned",
            "created_by": bob.id,
            "comment": ids["comment2"],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    after = Claim.objects.filter(id=claim.id).values().get()
    assert after["note"] == "a note"
    for field in ("quote", "prefix", "suffix", "anchor", "created_by_id", "comment_id"):
        assert after[field] == before[field], field


def test_reading_create_ignores_tallies_and_origin(alice, bob, bob_client):
    ids = build_world(alice, public_workspace())

    response = bob_client.post(
        "/api/readings/",
        {
            **resolve(SENSE_READING, ids),
            "votes_up": 100,
            "votes_down": 50,
            "created_by": alice.id,
            "origin": "suggestion",
            "confidence": 0.99,
            "kind": "decomposition",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    reading = Reading.objects.get(id=response.json()["id"])
    assert (reading.votes_up, reading.votes_down) == (1, 0)
    assert reading.created_by == bob
    assert reading.origin == Reading.Origin.PERSON
    assert reading.confidence is None
    assert reading.kind == Reading.Kind.SENSE
    assert list(Vote.objects.filter(reading=reading).values_list("user", "value")) == [(bob.id, 1)]


def test_vote_is_always_the_requesting_users(alice, bob, bob_client):
    ids = build_world(alice, public_workspace())

    response = bob_client.post(
        f"/api/readings/{ids['reading']}/vote/",
        {"value": -1, "user": alice.id, "votes_up": 9, "votes_down": 0},
        format="json",
    )

    assert response.status_code == 200, response.content
    votes = dict(Vote.objects.filter(reading_id=ids["reading"]).values_list("user", "value"))
    assert votes == {alice.id: 1, bob.id: -1}
    reading = Reading.objects.get(id=ids["reading"])
    assert (reading.votes_up, reading.votes_down) == (1, 1)


def test_term_create_ignores_server_owned_fields(alice, bob, bob_client):
    response = bob_client.post(
        "/api/terms/",
        {
            "name": "Mesa-Optimisers",
            "normalized": "forged",
            "created_by": alice.id,
            "id": 424242,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    term = Term.objects.get(id=response.json()["id"])
    assert term.id != 424242
    assert term.normalized == "mesa optimizer"
    assert term.created_by == bob
    assert term.workspace == public_workspace()


def test_thread_update_changes_only_the_title(alice, alice_client, bob):
    ids = build_world(alice, public_workspace())
    private = make_workspace("private", members=(alice,))
    before = Thread.objects.filter(id=ids["thread"]).values().get()

    response = alice_client.patch(
        f"/api/threads/{ids['thread']}/",
        {
            "title": "Renamed",
            "workspace": private.slug,
            "created_by": bob.id,
            "source": "reddit",
            "external_id": "hijacked",
            "source_url": "https://example.org/",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    after = Thread.objects.filter(id=ids["thread"]).values().get()
    assert after["title"] == "Renamed"
    for field in ("workspace_id", "created_by_id", "source", "external_id", "source_url"):
        assert after[field] == before[field], field


def test_definition_create_ignores_server_owned_fields(alice, bob, bob_client):
    ids = build_world(alice, public_workspace())

    response = bob_client.post(
        "/api/definitions/",
        {
            **resolve(NEW_DEFINITION, ids),
            "created_by": alice.id,
            "equivalent_to": [ids["definition"]],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    definition = Definition.objects.get(id=response.json()["id"])
    assert definition.created_by == bob
    assert response.json()["equivalent_to"] == []
    assert not DefinitionEquivalence.objects.filter(second=definition).exists()


def test_claim_link_create_ignores_server_owned_fields(alice, bob, bob_client):
    ids = build_world(alice, public_workspace())

    response = bob_client.post(
        "/api/claim-links/",
        {
            "source": ids["claim2"],
            "target": ids["claim"],
            "kind": "attacks",
            "created_by": alice.id,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert ClaimLink.objects.get(id=response.json()["id"]).created_by == bob


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("who", ["rita", "admin"])
def test_conflicts_have_no_edit_route(alice, rita, admin_user, api_client_for, method, who):
    ids = build_world(alice, public_workspace())
    client = api_client_for(rita if who == "rita" else admin_user)
    before = snapshot()

    response = getattr(client, method)(
        f"/api/conflicts/{ids['conflict']}/",
        {"status": "resolved", "fingerprint": "forged", "severity": 5},
        format="json",
    )

    assert_error_shape(response, 405)
    assert snapshot() == before


def test_conflict_review_ignores_everything_but_action_and_note(alice, rita_client):
    ids = build_world(alice, public_workspace())
    conflict = Conflict.objects.get(id=ids["conflict"])

    response = rita_client.post(
        f"/api/conflicts/{conflict.id}/review/",
        {
            "action": "confirm",
            "note": "Two senses of the term in reply to each other.",
            "status": "resolved",
            "fingerprint": "forged",
            "severity": 5,
            "evidence": {},
            "kind": "synonym_candidate",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    after = Conflict.objects.get(id=conflict.id)
    assert after.status == Conflict.Status.CONFIRMED
    assert after.fingerprint == conflict.fingerprint
    assert after.severity == conflict.severity
    assert after.evidence == conflict.evidence
    assert after.kind == conflict.kind

"""Who may do what through the API: the role matrix, workspace visibility and mass assignment.

Anyone reads; writing needs a login (401 without one, since TokenAuthentication answers first);
users change only what they created (403 otherwise); conflict review and definition equivalence
need the reviewer role; admins do everything. Workspaces apply on top: restricted ones are
written by members only (403), private ones do not exist for anyone else (404, absent from lists).
"""

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.annotations.models import Claim, ClaimLink, DefinitionCandidate, Mention, Reading, Vote
from apps.annotations.services import claim_link_create
from apps.conflicts.models import Conflict, ConflictReview
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
ROLES = ("anon", "owner", "other", "reviewer", "admin")
NEW_TERM = {"name": "inner alignment", "aliases": ["inner-aligned"]}
NEW_DEFINITION = {"term": "@term", "text": "The learned policy behaves well on deployment."}
SENSE_READING = {"claim": "@claim2", "term": "@term", "definition": "@definition"}
REIMPORT = {"thread": "@thread", "format": "text", "content": PASTED_THREAD}

REQUESTS: dict[str, tuple[str, str, Any]] = {
    # action: (method, path, body); "{name}" and "@name" are ids from build_world
    "thread rename": ("patch", "/api/threads/{thread}/", {"title": "Renamed"}),
    "thread delete": ("delete", "/api/threads/{thread}/", None),
    "thread create": ("post", "/api/threads/", {"title": "New"}),
    "thread import": ("post", "/api/threads/import/", {"format": "text", "content": PASTED_THREAD}),
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
    "definition edit": ("patch", "/api/definitions/{definition}/", {"label": "training"}),
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
        {"name": "Limit split", "definitions": ["@definition2"]},
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

MATRIX = [
    # action                          anon  owner  other  reviewer  admin
    ("thread rename",                 401,  200,   403,   403,      200),
    ("thread delete",                 401,  204,   403,   403,      204),
    ("thread create",                 401,  405,   405,   405,      405),  # threads come by import
    ("thread import",                 401,  201,   201,   201,      201),
    ("thread re-import",              401,  200,   403,   403,      200),  # rewrites the thread
    ("claim create",                  401,  201,   201,   201,      201),
    ("claim edit",                    401,  200,   403,   403,      200),
    ("claim delete",                  401,  204,   403,   403,      204),
    ("claim-link create",             401,  201,   201,   201,      201),
    ("claim-link delete",             401,  204,   403,   403,      204),
    ("term create",                   401,  201,   201,   201,      201),
    ("term edit",                     401,  200,   403,   403,      200),
    ("term delete",                   401,  204,   403,   403,      204),
    ("definition create",             401,  201,   201,   201,      201),
    ("definition edit",               401,  200,   403,   403,      200),
    ("definition delete",             401,  204,   403,   403,      204),
    ("mark equivalent",               401,  403,   403,   200,      200),
    ("unmark equivalent",             401,  403,   403,   200,      200),
    ("decomposition create",          401,  201,   201,   201,      201),
    ("decomposition edit",            401,  200,   403,   403,      200),
    ("decomposition delete",          401,  204,   403,   403,      204),
    ("sense reading create",          401,  201,   201,   201,      201),  # on alice's claim
    ("decomposition reading create",  401,  201,   201,   201,      201),
    ("reading delete",                401,  204,   403,   403,      204),
    ("reading vote",                  401,  200,   200,   200,      200),  # anyone's reading
    ("conflict review",               401,  403,   403,   200,      200),
    ("conflict create",               401,  405,   405,   405,      405),  # detection jobs only
    ("conflict edit",                 401,  405,   405,   405,      405),  # only review writes
    ("conflict delete",               401,  405,   405,   405,      405),
    ("comment edit",                  401,  405,   405,   405,      405),  # comments come by import
    ("workspace create",              401,  405,   405,   405,      405),  # admins use the admin
]  # fmt: skip

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


@pytest.mark.parametrize("row", MATRIX, ids=[row[0] for row in MATRIX])
def test_write_matrix(clients, alice, row):
    action, *statuses = row
    method, path, body = REQUESTS[action]
    ids = build_world(alice, public_workspace())
    wrong = []

    for role, expected in zip(ROLES, statuses, strict=True):
        with rolled_back():
            before = snapshot()
            response = send(clients[role], method, path, body, ids)
            if problem := outcome_problem(response, expected, before):
                wrong.append(f"{role}: {problem}")

    assert not wrong, f"{action}: " + "; ".join(wrong)


def test_everyone_reads_the_public_workspace(clients, alice):
    ids = build_world(alice, public_workspace())
    wrong = []

    for resource, list_path, detail_path in READABLE:
        key = _detail_key(detail_path)
        for role, client in clients.items():
            listed = client.get(list_path, {"page_size": 200})
            detail = client.get(detail_path.format(**ids))
            if listed.status_code != 200 or ids[key] not in _page_keys(listed, key):
                wrong.append(f"{resource} list for {role}: {listed.status_code}")
            if detail.status_code != 200:
                wrong.append(f"{resource} detail for {role}: {detail.status_code}")

    assert not wrong, "; ".join(wrong)


# Workspaces on top of roles. alice is a member of the workspace and owns everything in it;
# bob is an outsider.

AUDIENCE = [
    # visibility    viewer       sees the workspace's objects
    ("restricted",  "member",    True),
    ("restricted",  "outsider",  True),
    ("restricted",  "anonymous", True),
    ("private",     "member",    True),
    ("private",     "outsider",  False),
    ("private",     "anonymous", False),
    ("private",     "admin",     True),
]  # fmt: skip


@pytest.fixture
def viewers(alice, bob, admin_user, api_client_for) -> dict[str, APIClient]:
    return {
        "member": api_client_for(alice),
        "outsider": api_client_for(bob),
        "anonymous": APIClient(),
        "admin": api_client_for(admin_user),
    }


@pytest.mark.parametrize(
    ("visibility", "viewer", "sees"), AUDIENCE, ids=[f"{r[0]}-{r[1]}" for r in AUDIENCE]
)
def test_workspace_visibility(viewers, alice, visibility, viewer, sees):
    ids = build_world(alice, make_workspace(visibility, members=(alice,)))
    client = viewers[viewer]
    wrong = []

    for resource, list_path, detail_path in READABLE:
        key = _detail_key(detail_path)
        listed = client.get(list_path, {"page_size": 200})
        detail = client.get(detail_path.format(**ids))
        if listed.status_code != 200:
            wrong.append(f"{resource} list answered {listed.status_code}")
        elif (ids[key] in _page_keys(listed, key)) is not sees:
            wrong.append(f"{resource} list {'lacks' if sees else 'shows'} the object")
        # Never 403 for an outsider: that would confirm the object exists.
        expected = 200 if sees else 404
        if detail.status_code != expected:
            wrong.append(f"{resource} detail answered {detail.status_code}, not {expected}")
        elif not sees and (problem := error_shape_problem(detail)):
            wrong.append(f"{resource} detail: {problem}")

    assert not wrong, "; ".join(wrong)


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


WRITE_ACTIONS = {
    "create claim": ("post", "/api/claims/", {"comment": "@comment2", "start": 0, "end": 3}),
    "create reading": ("post", "/api/readings/", SENSE_READING),
    "create term": ("post", "/api/terms/", {**NEW_TERM, "workspace": "@workspace"}),
    "create definition": ("post", "/api/definitions/", NEW_DEFINITION),
    "create decomposition": (
        "post",
        "/api/decompositions/",
        {"name": "Limit split", "workspace": "@workspace"},
    ),
    "link claims": (
        "post",
        "/api/claim-links/",
        {"source": "@claim2", "target": "@claim", "kind": "attacks"},
    ),
    "import thread": (
        "post",
        "/api/threads/import/",
        {"workspace": "@workspace", "format": "text", "content": PASTED_THREAD},
    ),
    "vote": ("post", "/api/readings/{reading}/vote/", {"value": -1}),
    "edit claim": ("patch", "/api/claims/{claim}/", {"note": "Reading 2"}),
    "rename thread": ("patch", "/api/threads/{thread}/", {"title": "Renamed"}),
    "delete term": ("delete", "/api/terms/{term}/", None),
}

# An expectation is a status, or (400, the field the message must name).
WORKSPACE_WRITES = [
    # action                  visibility    member  outsider                  anonymous
    ("create claim",          "restricted", 201,    403,                      401),
    ("create claim",          "private",    201,    (400, "comment"),         401),
    ("create reading",        "restricted", 201,    403,                      401),
    ("create reading",        "private",    201,    (400, "claim"),           401),
    ("create term",           "restricted", 201,    403,                      401),
    ("create term",           "private",    201,    (400, "workspace"),       401),
    ("create definition",     "restricted", 201,    403,                      401),
    ("create definition",     "private",    201,    (400, "term"),            401),
    ("create decomposition",  "restricted", 201,    403,                      401),
    ("create decomposition",  "private",    201,    (400, "workspace"),       401),
    ("link claims",           "restricted", 201,    403,                      401),
    ("link claims",           "private",    201,    (400, "source"),          401),
    ("import thread",         "restricted", 201,    403,                      401),
    ("import thread",         "private",    201,    (400, "workspace"),       401),
    ("vote",                  "restricted", 200,    403,                      401),
    ("vote",                  "private",    200,    404,                      401),
    ("edit claim",            "restricted", 200,    403,                      401),
    ("edit claim",            "private",    200,    404,                      401),
    ("rename thread",         "restricted", 200,    403,                      401),
    ("rename thread",         "private",    200,    404,                      401),
    ("delete term",           "restricted", 204,    403,                      401),
    ("delete term",           "private",    204,    404,                      401),
]  # fmt: skip


@pytest.mark.parametrize(
    "row", WORKSPACE_WRITES, ids=[f"{row[0]}-{row[1]}" for row in WORKSPACE_WRITES]
)
def test_workspace_write_matrix(viewers, alice, row):
    action, visibility, *expectations = row
    method, path, body = WRITE_ACTIONS[action]
    workspace = make_workspace(visibility, members=(alice,))
    ids = build_world(alice, workspace)
    wrong = []

    for viewer, expected in zip(("member", "outsider", "anonymous"), expectations, strict=True):
        status, field = expected if isinstance(expected, tuple) else (expected, None)
        with rolled_back():
            before = snapshot()
            response = send(viewers[viewer], method, path, body, ids)
            if problem := outcome_problem(response, status, before, field):
                wrong.append(f"{viewer}: {problem}")
            elif action == "import thread" and status < 400:
                assert response.json()["thread"]["workspace"] == workspace.slug
            elif method == "post" and status < 400 and "workspace" in response.json():
                assert response.json()["workspace"] == workspace.slug

    assert not wrong, f"{action} in {visibility}: " + "; ".join(wrong)


REVIEWER_WRITES = [
    # action              visibility    reviewer member  reviewer outsider
    ("review conflict",   "restricted", 200,             403),
    ("review conflict",   "private",    200,             404),
    ("mark equivalent",   "restricted", 200,             403),
    ("mark equivalent",   "private",    200,             404),
    ("unmark equivalent", "restricted", 200,             403),
    ("unmark equivalent", "private",    200,             404),
]  # fmt: skip

REVIEWER_ACTIONS = {
    "review conflict": ("/api/conflicts/{conflict}/review/", {"action": "confirm"}),
    "mark equivalent": (
        "/api/definitions/{definition}/mark-equivalent/",
        {"definition": "@definition2"},
    ),
    "unmark equivalent": (
        "/api/definitions/{definition}/unmark-equivalent/",
        {"definition": "@definition3"},
    ),
}


@pytest.mark.parametrize(
    "row", REVIEWER_WRITES, ids=[f"{row[0]}-{row[1]}" for row in REVIEWER_WRITES]
)
def test_reviewers_act_only_in_workspaces_they_may_write(alice, rita, rita_client, row):
    """Reviewing writes to the workspace, so restricted ones take members only."""
    action, visibility, member_status, outsider_status = row
    workspace = make_workspace(visibility, members=(alice,))
    ids = build_world(alice, workspace)
    path, body = REVIEWER_ACTIONS[action]
    wrong = []

    for membership, expected in (("member", member_status), ("outsider", outsider_status)):
        with rolled_back():
            if membership == "member":
                Membership.objects.create(workspace=workspace, user=rita)
            before = snapshot()
            response = send(rita_client, "post", path, body, ids)
            if problem := outcome_problem(response, expected, before):
                wrong.append(f"reviewer {membership}: {problem}")

    assert not wrong, f"{action} in {visibility}: " + "; ".join(wrong)


OWNER_EDITS = [
    ("patch", "/api/threads/{thread}/", {"title": "Renamed"}),
    ("patch", "/api/claims/{claim}/", {"note": "Still mine?"}),
    ("delete", "/api/claims/{claim}/", None),
    ("patch", "/api/terms/{term}/", {"description": "Still mine?"}),
    ("patch", "/api/definitions/{definition}/", {"label": "mine"}),
    ("delete", "/api/readings/{reading}/", None),
]


def test_owner_who_left_a_restricted_workspace_no_longer_writes_there(alice, alice_client):
    workspace = make_workspace("restricted", members=(alice,))
    ids = build_world(alice, workspace)
    Membership.objects.filter(workspace=workspace, user=alice).delete()
    wrong = []

    for method, path, body in OWNER_EDITS:
        with rolled_back():
            before = snapshot()
            response = send(alice_client, method, path, body, ids)
            if problem := outcome_problem(response, 403, before):
                wrong.append(f"{method.upper()} {path}: {problem}")

    assert not wrong, "\n".join(wrong)


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

"""Schemathesis against the project's own OpenAPI schema, through the WSGI app, in-process.

Every operation runs in positive and negative data-generation modes, anonymously and with
alice's token, and must answer without a server error, with the content type and (for the
statuses the schema declares) the body the schema promises. Only the fuzzing phase runs, with
a few examples per operation, so the whole matrix stays within CI's time.

The schema is loaded once, at import: drf-spectacular builds it without touching the database.
The WSGI calls run in the test's thread, so they see the test's database and its seed.
"""

import zlib
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from apps.annotations.models import Claim, ClaimLink, Reading
from apps.conflicts.models import Conflict
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, Term
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    public_workspace,
)

# Examples per operation per mode: 58 operations x 2 modes x 2 identities.
MAX_EXAMPLES = 5
# The schema declares only the success statuses of most operations, so status_code_conformance
# would fail on every 400/403/404: the schema's bodies are checked where it declares them.
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _config(mode: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 20261122,
            "generation": {"mode": mode, "max-examples": MAX_EXAMPLES, "no-shrink": True},
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": False},
                "stateful": {"enabled": False},
                "fuzzing": {"enabled": True},
            },
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        }
    )


_app = get_wsgi_application()
positive = schemathesis.openapi.from_wsgi(
    "/api/schema/", _app, config=_config("positive"), headers={"Accept": "application/json"}
)
negative = schemathesis.openapi.from_wsgi(
    "/api/schema/", _app, config=_config("negative"), headers={"Accept": "application/json"}
)


_MODELS = {
    "threads": Thread,
    "comments": Comment,
    "claims": Claim,
    "claim-links": ClaimLink,
    "terms": Term,
    "definitions": Definition,
    "decompositions": Decomposition,
    "readings": Reading,
    "conflicts": Conflict,
}


@pytest.fixture
def _connection_stays_open() -> Iterator[None]:
    """Django's WSGI handler closes the database connection after each request, which would
    close the test's own (PostgreSQL) connection; Django's test client turns that off the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, alice, bob, _connection_stays_open):
    """A thread with comments, claims and a link, a term with two definitions, readings, a
    decomposition and a conflict; returns the ids of each resource, for the path parameters."""
    thread = make_thread(user=alice)
    comments = list(thread.comments.order_by("position"))
    first = make_claim(alice, comments[0], "the reward is right")
    second = make_claim(bob, comments[1], "the reward is right")
    make_claim(alice, comments[2])
    ClaimLink.objects.create(
        source=second, target=first, kind=ClaimLink.Kind.SUPPORTS, created_by=bob
    )
    term = make_term(alice)
    narrow = make_definition(alice, term, "The reward is right on the training distribution.")
    broad = make_definition(bob, term, "The reward is right in the limit of infinite data.")
    make_reading(alice, first, narrow)
    make_reading(bob, second, broad)
    make_decomposition(alice, "alignment split", [narrow, broad])
    Conflict.objects.create(
        workspace=public_workspace(),
        thread=thread,
        term=term,
        kind=Conflict.Kind.EQUIVOCATION,
        fingerprint="fp-schemathesis",
        severity=3,
        evidence={"claims": [first.pk, second.pk]},
    )
    ids = {
        name: list(model.objects.values_list("pk", flat=True)) for name, model in _MODELS.items()
    }
    ids["workspaces"] = [public_workspace().slug]
    return ids


@pytest.fixture
def alice_token(alice) -> str:
    return Token.objects.create(user=alice).key


def _aim_at_seeded_rows(case, ids: dict[str, list]) -> None:
    """Point half of the positive cases' ids at real rows: random integers almost never exist,
    and then only the 404 branch would be exercised."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    resource = case.path.split("/")[2]
    rows = ids.get(resource)
    params = case.path_parameters or {}
    for name in ("id", "slug"):
        value = params.get(name)
        digest = zlib.crc32(str(value).encode())
        if rows and value is not None and digest % 2 == 0:
            params[name] = rows[digest // 2 % len(rows)]


def _run(case, ids: dict[str, list], token: str | None) -> None:
    _aim_at_seeded_rows(case, ids)
    headers = {"Authorization": f"Token {token}"} if token else {}
    case.call_and_validate(headers=headers, checks=CHECKS)


_settings = hypothesis_settings(
    deadline=None,
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@positive.parametrize()
@_settings
def test_positive_anonymous(case, seeded) -> None:
    _run(case, seeded, None)


@positive.parametrize()
@_settings
def test_positive_with_token(case, seeded, alice_token) -> None:
    _run(case, seeded, alice_token)


@negative.parametrize()
@_settings
def test_negative_anonymous(case, seeded) -> None:
    _run(case, seeded, None)


@negative.parametrize()
@_settings
def test_negative_with_token(case, seeded, alice_token) -> None:
    _run(case, seeded, alice_token)


def _call(path: str, method: str, **parts):
    case = positive[path][method].Case(**parts)
    return case, case.call()


# Regressions the run found: "" in URL fields declared format: uri, and huge ids overflowing
# SQLite's integers in filters.


def test_text_thread_conforms_to_the_schema(seeded) -> None:
    case, response = _call(
        "/api/threads/{id}/", "GET", path_parameters={"id": seeded["threads"][0]}
    )
    assert response.status_code == 200
    case.validate_response(response, checks=[response_schema_conformance])


def test_comment_without_permalink_conforms_to_the_schema(seeded) -> None:
    case, response = _call(
        "/api/comments/{id}/", "GET", path_parameters={"id": seeded["comments"][0]}
    )
    assert response.status_code == 200
    case.validate_response(response, checks=[response_schema_conformance])


@pytest.mark.parametrize(
    ("path", "name"), [("/api/conflicts/", "term"), ("/api/mentions/", "thread")]
)
def test_huge_id_filter_is_not_a_server_error(seeded, path: str, name: str) -> None:
    case, response = _call(path, "GET", query={name: str(2**70)})
    case.validate_response(response, checks=CHECKS)
    assert response.status_code == 400

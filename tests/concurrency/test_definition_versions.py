"""Definition edits racing through the API: one edit lands per version, the rest get a 409.

Each editor is a thread with its own database connection and API client (token authentication,
a different superuser each, so the history says who won), released together by one barrier."""

from collections import Counter
from collections.abc import Callable

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.glossary.models import Definition
from apps.glossary.services import definition_create
from tests.concurrency.race import race, require_postgresql
from tests.factories import make_term

EDITORS = 20
ROUNDS = 5
EDITS_EACH = 2
ORIGINAL = "The reward is right on the training distribution."

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def editors(django_user_model: type[User]) -> list[tuple[str, str]]:
    """(username, token) of EDITORS admins, who may all edit anyone's definition."""
    require_postgresql()
    users = [
        django_user_model.objects.create_superuser(f"editor-{n:02d}", f"e{n}@example.org")
        for n in range(EDITORS)
    ]
    return [(user.username, Token.objects.create(user=user).key) for user in users]


@pytest.fixture
def definition(editors) -> Definition:
    owner = User.objects.get(username=editors[0][0])
    return definition_create(user=owner, term=make_term(owner), text=ORIGINAL, label="training")


def client_for(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def history(definition: Definition) -> list[tuple[int, str, str]]:
    """(version, text, edited by) of every revision, oldest first."""
    body = APIClient().get(f"/api/definitions/{definition.id}/history/", {"page_size": 200})
    assert body.status_code == 200
    assert body.json()["next"] is None
    return [(r["version"], r["text"], r["edited_by"]) for r in reversed(body.json()["results"])]


def test_twenty_edits_from_one_version_at_once_land_once(editors, definition) -> None:
    url = f"/api/definitions/{definition.id}/"
    texts = {1: ORIGINAL}  # version -> its text
    winners = {}  # version -> who replaced it
    for version in range(1, ROUNDS + 1):

        def edit(name: str, token: str, version: int = version) -> Callable[[], tuple]:
            text = f"Version {version + 1} as {name} would have it."
            body = {"text": text, "version": version}
            return lambda: (name, text, client_for(token).patch(url, body, format="json"))

        result = race([edit(name, token) for name, token in editors])

        statuses = Counter(response.status_code for _, _, response in result.results)
        assert statuses == {200: 1, 409: EDITORS - 1}, statuses
        ((winner, text, landed),) = [r for r in result.results if r[2].status_code == 200]
        assert landed.json()["version"] == version + 1
        texts[version + 1], winners[version] = text, winner
        for _, _, response in result.results:
            if response.status_code == 409:
                error = response.json()["error"]
                assert error["code"] == "stale_version"
                assert error["detail"] == {
                    "version": version + 1,
                    "text": text,
                    "label": "training",
                }

    definition.refresh_from_db()
    assert (definition.version, definition.text) == (ROUNDS + 1, texts[ROUNDS + 1])
    assert history(definition) == [(v, texts[v], winners[v]) for v in range(1, ROUNDS + 1)]


def test_twenty_editors_retrying_on_409_lose_no_edit(editors, definition) -> None:
    """Each editor reads, edits from what it read and, on a 409, reads again and retries, until
    EDITS_EACH of its edits have landed."""
    url = f"/api/definitions/{definition.id}/"

    def editor(name: str, token: str) -> Callable[[], tuple[list, int]]:
        def work() -> tuple[list[tuple[int, str]], int]:
            client = client_for(token)
            landed: list[tuple[int, str]] = []  # (version made, its text)
            conflicts = 0
            while len(landed) < EDITS_EACH:
                version = client.get(url).json()["version"]
                text = f"{name}'s edit {len(landed) + 1}, made from version {version}."
                response = client.patch(url, {"text": text, "version": version}, format="json")
                if response.status_code == 409:
                    assert response.json()["error"]["code"] == "stale_version"
                    conflicts += 1
                    continue
                assert response.status_code == 200, response.json()
                assert response.json()["version"] == version + 1
                landed.append((version + 1, text))
            return landed, conflicts

        return work

    result = race([editor(name, token) for name, token in editors])

    successes = [edit for landed, _ in result.results for edit in landed]
    total = EDITORS * EDITS_EACH
    assert len(successes) == total
    texts = {1: ORIGINAL, **dict(successes)}
    assert len(texts) == total + 1  # no version was made twice
    definition.refresh_from_db()
    assert definition.version == 1 + total
    assert definition.text == texts[1 + total]
    # Every version but the current one is in the history, as it was made.
    assert [(v, text) for v, text, _ in history(definition)] == [
        (v, texts[v]) for v in range(1, total + 1)
    ]
    assert sum(conflicts for _, conflicts in result.results) > 0  # they really collided

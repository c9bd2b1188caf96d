"""Throttles: a few sign-in attempts a minute, and per-anonymous and per-user API rates."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db

LOGIN_URL = "/api/auth/login/"
TOKEN_URL = "/api/auth/token/"


@pytest.fixture(autouse=True)
def rates(monkeypatch) -> Iterator[dict[str, str]]:
    """Small rates on a clean count. DRF copies DEFAULT_THROTTLE_RATES onto the throttle class
    when it is imported, so overriding settings would not reach it: the copy is patched."""
    small = {"anon": "1000/min", "user": "1000/min", "login": "3/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", small)
    cache.clear()
    yield small
    cache.clear()


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The throttles' time, moved by hand."""
    now = [1_000_000.0]
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now[0])
    return now


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert "throttled" in error["message"].lower()
    assert error["detail"] is None


def test_login_is_throttled_after_a_few_attempts(alice, anon_client) -> None:
    wrong = {"username": "alice", "password": "guess"}
    for _ in range(3):
        response = anon_client.post(LOGIN_URL, wrong, format="json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_credentials"
    # Even the right password waits now: a guesser must not learn it by the answer.
    response = anon_client.post(LOGIN_URL, {"username": "alice", "password": "pw-alice"})
    assert_throttled(response)


def test_token_endpoint_shares_the_login_budget(alice, anon_client) -> None:
    """Alternating between the two ways in does not double the guesses."""
    wrong = {"username": "alice", "password": "guess"}
    assert anon_client.post(LOGIN_URL, wrong, format="json").status_code == 400
    assert anon_client.post(TOKEN_URL, wrong, format="json").status_code == 400
    assert anon_client.post(LOGIN_URL, wrong, format="json").status_code == 400
    assert_throttled(anon_client.post(TOKEN_URL, wrong, format="json"))


def test_login_is_allowed_again_after_the_window(alice, anon_client, clock) -> None:
    wrong = {"username": "alice", "password": "guess"}
    for _ in range(3):
        anon_client.post(LOGIN_URL, wrong, format="json")
    assert_throttled(anon_client.post(LOGIN_URL, wrong, format="json"))
    clock[0] += 61
    response = anon_client.post(LOGIN_URL, {"username": "alice", "password": "pw-alice"})
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_login_throttle_counts_per_client(alice, anon_client) -> None:
    wrong = {"username": "alice", "password": "guess"}
    for _ in range(3):
        anon_client.post(LOGIN_URL, wrong, format="json")
    assert_throttled(anon_client.post(LOGIN_URL, wrong, format="json"))
    other = anon_client.post(
        TOKEN_URL, {"username": "alice", "password": "pw-alice"}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 200
    assert other.json()["token"]


def test_anonymous_reads_are_throttled(rates, anon_client) -> None:
    rates["anon"] = "2/min"
    for _ in range(2):
        assert anon_client.get("/api/threads/").status_code == 200
    assert_throttled(anon_client.get("/api/threads/"))
    # Anonymous clients are counted by address, not as one crowd.
    assert anon_client.get("/api/threads/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_forwarded_for_is_not_trusted_without_a_proxy(rates, anon_client) -> None:
    """NUM_PROXIES is 0 outside production: a client cannot pick a fresh bucket by header."""
    rates["anon"] = "1/min"
    assert anon_client.get("/api/threads/").status_code == 200
    assert_throttled(anon_client.get("/api/threads/", HTTP_X_FORWARDED_FOR="10.9.9.9"))


def test_signed_in_users_are_throttled_each_on_their_own(
    rates, alice_client, bob_client, anon_client
) -> None:
    rates["user"] = "2/min"
    for _ in range(2):
        assert alice_client.get("/api/terms/").status_code == 200
    assert_throttled(alice_client.get("/api/terms/"))
    # Writes count too, and bob's budget is his own.
    assert (
        bob_client.post("/api/terms/", {"name": "outer alignment"}, format="json").status_code
        == 201
    )
    assert bob_client.get("/api/terms/").status_code == 200
    assert_throttled(bob_client.post("/api/terms/", {"name": "inner alignment"}, format="json"))
    # The anonymous budget is separate from the users'.
    assert anon_client.get("/api/terms/").status_code == 200

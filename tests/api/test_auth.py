"""API login: tokens for scripts, and who-am-I for clients deciding what to offer."""

import pytest
from rest_framework.test import APIClient

from apps.glossary.models import Term

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"
ME_URL = "/api/auth/me/"


def test_token_from_username_and_password_authenticates_a_write(alice, anon_client):
    response = anon_client.post(
        TOKEN_URL, {"username": "alice", "password": "pw-alice"}, format="json"
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    created = client.post("/api/terms/", {"name": "outer alignment"}, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["created_by"] == "alice"
    assert Term.objects.get(id=created.json()["id"]).created_by == alice
    me = client.get(ME_URL).json()
    assert (me["authenticated"], me["username"]) == (True, "alice")


def test_same_token_each_time(alice, anon_client):
    credentials = {"username": "alice", "password": "pw-alice"}

    first = anon_client.post(TOKEN_URL, credentials, format="json").json()["token"]
    second = anon_client.post(TOKEN_URL, credentials, format="json").json()["token"]

    assert first == second


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "nobody", "password": "pw-alice"},
    ],
    ids=["wrong-password", "unknown-user"],
)
def test_wrong_credentials_get_400_in_the_error_shape(alice, anon_client, credentials):
    response = anon_client.post(TOKEN_URL, credentials, format="json")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "detail"}
    assert "credentials" in error["message"].lower()
    assert "token" not in response.json()


def test_missing_password_names_the_field(alice, anon_client):
    response = anon_client.post(TOKEN_URL, {"username": "alice"}, format="json")

    assert response.status_code == 400, response.content
    assert "password" in response.json()["error"]["message"]


def test_bad_token_is_401_not_anonymous(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    write = client.post("/api/terms/", {"name": "outer alignment"}, format="json")
    read = client.get("/api/terms/")

    # A wrong token is a client mistake worth saying, even on a read anyone may make.
    assert write.status_code == 401
    assert read.status_code == 401
    assert "token" in write.json()["error"]["message"].lower()
    assert not Term.objects.exists()


def test_anonymous_write_is_401_with_a_token_challenge(anon_client):
    response = anon_client.post("/api/terms/", {"name": "outer alignment"}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()["error"]) == {"code", "message", "detail"}


def test_me_for_anonymous(anon_client):
    response = anon_client.get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "authenticated": False,
        "username": None,
        "is_reviewer": False,
        "is_admin": False,
    }


@pytest.mark.parametrize(
    ("persona", "is_reviewer", "is_admin"),
    [("alice", False, False), ("rita", True, False), ("admin_user", True, True)],
)
def test_me_shows_the_roles(request, api_client_for, persona, is_reviewer, is_admin):
    user = request.getfixturevalue(persona)

    response = api_client_for(user).get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "authenticated": True,
        "username": user.username,
        "is_reviewer": is_reviewer,
        "is_admin": is_admin,
    }


def test_me_for_a_reviewer_logged_in_by_token(rita, anon_client):
    token = anon_client.post(
        TOKEN_URL, {"username": "rita", "password": "pw-rita"}, format="json"
    ).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    me = client.get(ME_URL).json()

    assert me == {"authenticated": True, "username": "rita", "is_reviewer": True, "is_admin": False}

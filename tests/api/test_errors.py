import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_route_answers_json_404(anon_client) -> None:
    response = anon_client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_object_answers_json_404(anon_client) -> None:
    response = anon_client.get("/api/claims/999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_malformed_json_body_answers_json_400(alice, api_client_for) -> None:
    response = api_client_for(alice).post("/api/terms/", data="{", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]["message"]


def test_body_over_the_limit_answers_json_413(alice, api_client_for, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "' + "x" * 2000 + '"}'
    response = api_client_for(alice).post("/api/terms/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"

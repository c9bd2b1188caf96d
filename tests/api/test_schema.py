import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3(anon_client) -> None:
    response = anon_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    paths = set(schema["paths"])
    for resource in (
        "threads",
        "comments",
        "claims",
        "claim-links",
        "terms",
        "definitions",
        "decompositions",
        "readings",
        "conflicts",
        "mentions",
        "definition-candidates",
    ):
        assert f"/api/{resource}/" in paths, resource
    assert "/api/threads/import/" in paths
    assert "/api/readings/{id}/vote/" in paths
    assert "/api/conflicts/{id}/review/" in paths


def test_docs_page_is_served(anon_client) -> None:
    response = anon_client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_the_front_ends_copy_of_the_schema_is_current(anon_client) -> None:
    """The browser app's typed client is generated from frontend/openapi.json; regenerate it
    with `make api-schema` whenever the API changes."""
    committed = json.loads((Path(__file__).parents[2] / "frontend" / "openapi.json").read_text())
    response = anon_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.json() == committed, "frontend/openapi.json is stale: run make api-schema"

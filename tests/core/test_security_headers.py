"""Security headers on every kind of response, and production settings that pass check --deploy."""

import base64
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def built_app(settings, tmp_path: Path) -> None:
    """A stand-in for frontend/dist, so the app page answers 200 whether or not it is built."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><div id="root"></div><script type="module" src="/static/a.js"></script>'
    )
    settings.FRONTEND_DIST = tmp_path


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),  # the browser app
        ("/threads/1", 200),  # a client-side route of it
        ("/api/threads/", 200),  # an API list
        ("/api/claims/999999/", 404),  # an API error
        ("/api/no-such-route/", 404),  # the API's own 404
        ("/api/docs/", 200),  # Swagger UI
        ("/api/docs/?script=", 200),  # its init script
        ("/admin/login/", 200),
    ],
)
def test_every_response_carries_the_security_headers(built_app, path, status) -> None:
    response = Client().get(path)
    assert response.status_code == status
    directives = _directives(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_an_api_write_error_carries_the_headers_too(alice_client) -> None:
    response = alice_client.post("/api/terms/", data="{", content_type="application/json")
    assert response.status_code == 400
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_docs_page_runs_no_inline_script_and_its_style_block_is_allowed_by_hash() -> None:
    """Swagger UI comes from our static files and its init script is a separate request; the
    one inline <style> of drf-spectacular's template is admitted by its hash, which an upgrade
    that changes the block would break."""
    response = Client().get("/api/docs/")
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts
    assert all("src=" in attributes for attributes in scripts)
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    allowed = _directives(response)["style-src"]
    for css in styles:
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="sensemap.example.org",
        PYTHONWARNINGS="default",
    )
    return env


def test_production_settings_pass_check_deploy_with_no_warnings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


# Run in a process of its own: the settings module is read once per process.
_PRODUCTION_REQUEST = """
import json
import django
django.setup()
from django.test import Client
# A browser's Accept header: production answers JSON, not DRF's browsable page (see settings).
accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
headers = {"host": "sensemap.example.org", "accept": accept}
response = Client().get("/api/", secure=True, headers=headers)
print(json.dumps({"status": response.status_code, "headers": dict(response.headers)}))
"""


def test_production_responses_carry_hsts_and_the_other_headers() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_REQUEST],
        cwd=PROJECT_ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == 200
    assert headers["Content-Type"].startswith("application/json")
    hsts = "max-age=31536000; includeSubDomains; preload"
    assert headers["Strict-Transport-Security"] == hsts
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_passwords_are_hashed_with_argon2(settings) -> None:
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    from django.contrib.auth.hashers import make_password

    assert make_password("correct horse battery staple").startswith("argon2$")

"""Project-wide fixtures: the services guard, the personas from STYLE.md and their API clients."""

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.accounts.roles import REVIEWERS_GROUP

pytest_plugins = ["tests.celery_worker"]


@pytest.fixture(scope="session", autouse=True)
def _require_services() -> None:
    """Under SENSEMAP_REQUIRE_SERVICES=1 (CI) the embedded defaults must not pass for green."""
    # Imported here: a top-level import would load the plugin before pytest can register it.
    from tests.celery_worker import broker_error, redact, services_required

    if not services_required():
        return
    from django.conf import settings
    from django.db import connection

    problems = []
    if connection.vendor != "postgresql":
        problems.append(f"the database is {connection.vendor}, not PostgreSQL (DATABASE_URL)")
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        problems.append(f"CELERY_BROKER_URL is {broker!r}, not a redis:// URL")
    elif error := broker_error(broker):
        problems.append(f"the Redis broker at {redact(broker)} does not answer ({error})")
    if problems:
        pytest.exit("SENSEMAP_REQUIRE_SERVICES=1 but " + "; ".join(problems), returncode=1)


@pytest.fixture(autouse=True)
def _jobs_run_in_process() -> Iterator[None]:
    """Background jobs run eagerly in the test's process, as in the embedded default, even when
    the run sets CELERY_BROKER_URL (CI): a test's writes then see their jobs' results, and send
    nothing to the shared Redis. Tests that want a real worker take `celery_live`, which turns
    this off for their duration."""
    from config.celery import app

    always_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = always_eager


def _persona(user_model: type[User], name: str) -> User:
    return user_model.objects.create_user(username=name, password="pw-" + name)


@pytest.fixture
def alice(db: None, django_user_model: type[User]) -> User:
    """An annotator."""
    return _persona(django_user_model, "alice")


@pytest.fixture
def bob(db: None, django_user_model: type[User]) -> User:
    """Another annotator, who disagrees with alice."""
    return _persona(django_user_model, "bob")


@pytest.fixture
def rita(db: None, django_user_model: type[User]) -> User:
    """A reviewer, through the Reviewers group a data migration creates.

    In a transactional test, mark it `serialized_rollback=True` or the group may be gone.
    """
    user = _persona(django_user_model, "rita")
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    return user


@pytest.fixture
def anon_client() -> APIClient:
    """An anonymous visitor."""
    return APIClient()


@pytest.fixture
def api_client_for() -> Callable[[User], APIClient]:
    """Make an API client authenticated as the given user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def alice_client(alice: User, api_client_for: Callable[[User], APIClient]) -> APIClient:
    return api_client_for(alice)


@pytest.fixture
def bob_client(bob: User, api_client_for: Callable[[User], APIClient]) -> APIClient:
    return api_client_for(bob)


@pytest.fixture
def rita_client(rita: User, api_client_for: Callable[[User], APIClient]) -> APIClient:
    return api_client_for(rita)


@pytest.fixture
def admin_client_api(admin_user: User, api_client_for: Callable[[User], APIClient]) -> APIClient:
    """pytest-django's superuser `admin_user`, through the API."""
    return api_client_for(admin_user)

"""A real worker does the work through Redis and PostgreSQL, as deployed, not eagerly in-process."""

import pytest
from celery.result import EagerResult

from apps.accounts.models import User
from apps.forum.models import Thread
from apps.workspaces.models import Workspace
from config.celery import app
from tests.celery_worker import CeleryWorker

pytestmark = [
    pytest.mark.celery_worker,
    # The worker sees committed rows only; the "public" workspace comes from a data migration.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASTED_THREAD = """\
By outer alignment I mean that the reward function incentivizes good behaviour on the \
training distribution. Inner alignment is then whether the learned policy still behaves \
well once it is deployed.

I'd define outer alignment differently: the reward function incentivizes good behaviour in \
the limit of infinite data. Inner alignment is whether the model produced by training \
behaves well according to that reward function.

Isn't "objective robustness" just inner alignment under another name? If so, the two of \
you are using the same words for different splits of the problem.
"""


def test_worker_answers_ping(celery_live: CeleryWorker) -> None:
    replies = app.control.ping(destination=[celery_live.hostname], timeout=5, limit=1)

    assert replies == [{celery_live.hostname: {"ok": "pong"}}]


def test_import_thread_task_runs_on_the_worker(celery_live: CeleryWorker, alice: User) -> None:
    # The contract apps/imports/tasks.py provides; imported here so the ping test above still
    # proves the worker machinery while that module is missing.
    from apps.imports.tasks import import_thread_task

    workspace = Workspace.objects.get(slug=Workspace.DEFAULT_SLUG)

    result = import_thread_task.delay(
        content=PASTED_THREAD, format="text", workspace_id=workspace.id, user_id=alice.id
    )
    thread_id = result.get(timeout=30)

    assert not isinstance(result, EagerResult)
    thread = Thread.objects.get(id=thread_id)
    assert thread.workspace_id == workspace.id
    assert thread.comments.count() == 3

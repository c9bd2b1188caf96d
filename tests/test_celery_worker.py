"""A real worker does the work through Redis and PostgreSQL, as deployed, not eagerly in-process."""

import time

import pytest

from apps.accounts.models import User
from apps.core.models import OutboxJob
from apps.imports.models import ImportJob
from apps.imports.services import import_job_create
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


def test_background_import_runs_on_the_worker(celery_live: CeleryWorker, alice: User) -> None:
    workspace = Workspace.objects.get(slug=Workspace.DEFAULT_SLUG)
    # A transactional test commits for real: the job is sent to the worker after commit.
    job = import_job_create(user=alice, content=PASTED_THREAD, format="text")

    deadline = time.monotonic() + 30
    while job.status not in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        assert time.monotonic() < deadline, f"the worker did not finish the import: {job.stage}"
        time.sleep(0.2)
        job.refresh_from_db()

    assert (job.status, job.stage, job.comments_total, job.error) == ("done", "done", 3, {})
    assert job.thread.workspace_id == workspace.id
    assert job.thread.comments.count() == 3
    assert job.content == ""  # not kept once imported
    # The import asked for suggestions and detection; the worker runs those too.
    while OutboxJob.objects.exists():
        assert time.monotonic() < deadline + 30, list(OutboxJob.objects.values("key", "attempts"))
        time.sleep(0.2)

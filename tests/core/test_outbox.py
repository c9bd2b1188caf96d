"""The job outbox: enqueueing is atomic with the write, coalesces bursts and survives a broker
outage (apps/core/outbox.py)."""

import logging
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.annotations.services import reading_create, reading_vote
from apps.conflicts import detection
from apps.conflicts.models import Conflict
from apps.conflicts.tasks import detect_conflicts_task
from apps.conflicts.units import DETECT_TASK
from apps.core.models import OutboxJob
from apps.core.outbox import relay_pending, request_jobs, run_job
from apps.glossary.services import decomposition_create
from config.celery import app
from tests.celery_worker import (
    free_port,
    run_celery_worker,
    services_required,
    start_redis,
    stop_redis,
    use_broker,
)
from tests.factories import (
    make_claim,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    public_workspace,
)

TRAINING = "The reward ranks behaviour correctly on the training distribution."
INFINITE = "The reward would be right in the limit of infinite data, on every distribution."
EXCHANGE = (
    "Outer alignment is done once the reward ranks behaviour well on the training data.",
    "Then outer alignment is not done: it needs a reward that is right with infinite data.",
)


@pytest.fixture
def dave(django_user_model):
    """A third annotator, so that votes can tip a reading either way."""
    return django_user_model.objects.create_user(username="dave", password="pw-dave")


@pytest.fixture
def exchange(alice, bob, django_capture_on_commit_callbacks):
    """A comment and a reply that read "outer alignment" in two senses, each reading 1-0.

    Built with its jobs run, so the outbox starts empty."""
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(texts=EXCHANGE)
        term = make_term(alice, "outer alignment")
        training = make_definition(alice, term, TRAINING, label="training")
        infinite = make_definition(alice, term, INFINITE, label="infinite data")
        first, second = thread.comments.order_by("position")
        reading_a = make_reading(alice, make_claim(alice, first), training)
        reading_b = make_reading(bob, make_claim(bob, second), infinite)
    assert not OutboxJob.objects.exists()
    return thread, term, reading_a, reading_b


def unit_key(thread, term) -> str:
    return f"thread-term:{thread.id}:{term.id}"


def equivocations():
    return Conflict.objects.filter(kind=Conflict.Kind.EQUIVOCATION)


def conflicts() -> set[tuple[str, str]]:
    return set(Conflict.objects.values_list("kind", "status"))


class Abandon(Exception):
    """Raised to roll a transaction back."""


# Atomic with the write


@pytest.mark.django_db
def test_a_rolled_back_write_enqueues_and_runs_nothing(
    exchange, bob, django_capture_on_commit_callbacks
):
    _, _, reading_a, _ = exchange
    before = conflicts()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        reading_vote(reading=reading_a, user=bob, value=-1)
        assert OutboxJob.objects.count() == 1  # recorded with the write...
        raise Abandon

    assert callbacks == []  # ...and gone with it: nothing to send
    assert not OutboxJob.objects.exists()
    assert conflicts() == before == {("equivocation", "open")}
    reading_a.refresh_from_db()
    assert (reading_a.votes_up, reading_a.votes_down) == (1, 0)


@pytest.mark.django_db
def test_a_committed_vote_requests_one_job_which_runs_and_is_removed(
    exchange, bob, django_capture_on_commit_callbacks
):
    thread, term, reading_a, _ = exchange

    with django_capture_on_commit_callbacks() as callbacks:
        reading_vote(reading=reading_a, user=bob, value=-1)

    # Before commit: one request for the one unit the vote can change, not yet sent.
    assert list(OutboxJob.objects.values_list("task", "key", "enqueued_at", "attempts")) == [
        (DETECT_TASK, unit_key(thread, term), None, 0)
    ]
    assert conflicts() == {("equivocation", "open")}

    # The commit: each callback reports how many jobs it sent.
    assert [callback() for callback in callbacks] == [1]

    assert not OutboxJob.objects.exists()
    # The job ran: reading A is 1-1, contested, so the equivocation lost its evidence.
    assert conflicts() == {("equivocation", "obsolete"), ("contested_reading", "open")}


@pytest.mark.django_db
def test_a_vote_on_a_decomposition_reading_requests_one_job_per_unit(
    exchange, alice, bob, django_capture_on_commit_callbacks
):
    thread, term, reading_a, _ = exchange
    with django_capture_on_commit_callbacks(execute=True):
        robustness = make_term(alice, "robustness")
        sense = make_definition(alice, robustness, "Capabilities carry over to new inputs.")
        split = decomposition_create(
            user=alice,
            workspace=public_workspace(),
            name="Training vs deployment",
            definitions=[reading_a.definition, sense],
        )
        reading = reading_create(user=alice, claim=reading_a.claim, decomposition=split)

    with django_capture_on_commit_callbacks() as callbacks:
        reading_vote(reading=reading, user=bob, value=-1)

    # The thread's decomposition unit, and each term the decomposition defines in the thread.
    assert sorted(OutboxJob.objects.values_list("key", flat=True)) == sorted(
        [
            f"thread-decompositions:{thread.id}",
            unit_key(thread, term),
            unit_key(thread, robustness),
        ]
    )
    assert sum(callback() for callback in callbacks) == 3
    assert not OutboxJob.objects.exists()
    assert ("contested_reading", "open") in conflicts()


@pytest.mark.django_db
def test_a_burst_of_votes_in_one_transaction_is_one_job(
    exchange, bob, rita, dave, django_capture_on_commit_callbacks
):
    thread, term, reading_a, _ = exchange

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for user, value in [(bob, -1), (rita, -1), (dave, 1), (bob, 0), (rita, 1), (bob, -1)]:
            reading_vote(reading=reading_a, user=user, value=value)

    assert list(OutboxJob.objects.values_list("key", flat=True)) == [unit_key(thread, term)]
    assert len(callbacks) == 6  # one per write...
    assert sum(callback() for callback in callbacks) == 1  # ...but one job is sent
    assert not OutboxJob.objects.exists()
    # The one run saw the final tally, 3-1: accepted, so the equivocation stands.
    reading_a.refresh_from_db()
    assert (reading_a.votes_up, reading_a.votes_down) == (3, 1)
    assert conflicts() == {("equivocation", "open")}


@pytest.mark.django_db
def test_writes_committed_before_the_job_runs_share_its_run(
    exchange, bob, rita, django_capture_on_commit_callbacks
):
    """Separate transactions, with the job not yet run: still one row and one send."""
    _, _, reading_a, reading_b = exchange

    with django_capture_on_commit_callbacks() as callbacks:
        reading_vote(reading=reading_a, user=bob, value=-1)
        reading_vote(reading=reading_b, user=rita, value=-1)
        reading_vote(reading=reading_a, user=rita, value=1)

    assert OutboxJob.objects.count() == 1
    assert sum(callback() for callback in callbacks) == 1
    assert not OutboxJob.objects.exists()
    # A is 2-1 (accepted), B is 1-1 (contested).
    assert conflicts() == {("equivocation", "obsolete"), ("contested_reading", "open")}


# The broker is down


def broker_down(*args, **kwargs):
    """What kombu raises when Redis does not answer (see the real-Redis test below)."""
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.mark.django_db
def test_a_job_the_broker_did_not_take_stays_for_the_relay(
    exchange, bob, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    thread, term, reading_a, _ = exchange
    task = detect_conflicts_task._get_current_object()
    monkeypatch.setattr(task, "apply_async", broker_down)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        reading_vote(reading=reading_a, user=bob, value=-1)

    job = OutboxJob.objects.get()
    assert (job.key, job.enqueued_at, job.attempts) == (unit_key(thread, term), None, 0)
    assert "the relay will retry" in caplog.text
    assert conflicts() == {("equivocation", "open")}  # late, not lost
    assert relay_pending() == 0  # still down: the row stays unclaimed
    assert OutboxJob.objects.get().enqueued_at is None

    monkeypatch.undo()  # the broker is back
    assert relay_pending() == 1

    assert not OutboxJob.objects.exists()
    assert conflicts() == {("equivocation", "obsolete"), ("contested_reading", "open")}
    assert relay_pending() == 0


@pytest.mark.django_db
def test_a_job_sent_long_ago_and_never_done_is_sent_again(
    exchange, bob, settings, django_capture_on_commit_callbacks
):
    """A message the broker lost (its worker died with it, say): the row outlives it."""
    _, _, reading_a, _ = exchange
    with django_capture_on_commit_callbacks():  # committed, but its send is never run
        reading_vote(reading=reading_a, user=bob, value=-1)
    # As dispatch leaves a row it handed to the broker.
    OutboxJob.objects.update(enqueued_at=timezone.now())
    assert relay_pending() == 0  # sent a moment ago: not stale yet

    lost_at = timezone.now() - timedelta(seconds=settings.OUTBOX_STALE_SECONDS + 1)

    OutboxJob.objects.update(enqueued_at=lost_at)
    assert relay_pending() == 1
    assert not OutboxJob.objects.exists()
    assert ("contested_reading", "open") in conflicts()


# Failing handlers and writes during a run


@pytest.mark.django_db
def test_a_job_whose_handler_keeps_failing_stops_at_the_attempt_limit(
    settings, django_capture_on_commit_callbacks
):
    # A malformed key makes the real handler fail on every run.
    key = "no-such-scope:1"
    with django_capture_on_commit_callbacks(execute=True):
        request_jobs(DETECT_TASK, [key])

    job = OutboxJob.objects.get()
    assert job.attempts == 1
    assert job.last_error == "ValueError: unknown detection scope in 'no-such-scope:1'"
    attempts = [job.attempts]
    # A failed run keeps its claim until it is stale; here every run is stale at once.
    settings.OUTBOX_STALE_SECONDS = 0
    for _ in range(settings.OUTBOX_MAX_ATTEMPTS + 2):
        relay_pending()
        attempts.append(OutboxJob.objects.get().attempts)

    limit = settings.OUTBOX_MAX_ATTEMPTS
    assert attempts == [*range(1, limit + 1), limit, limit, limit]
    job = OutboxJob.objects.get()  # kept, for an admin to see
    assert job.last_error.startswith("ValueError: unknown detection scope")
    assert relay_pending() == 0


@pytest.mark.django_db
def test_run_job_sends_the_job_again_when_written_to_while_it_ran(exchange, bob, rita):
    """The handler runs detection, then a vote lands on the same unit before the job ends: its
    row must survive the run and be sent again, or that vote would never be detected."""
    thread, term, reading_a, _ = exchange
    key = unit_key(thread, term)
    reading_vote(reading=reading_a, user=bob, value=-1)  # 1-1; its own send never runs here
    assert OutboxJob.objects.filter(key=key).exists()

    def handler(k: str) -> None:
        detection.run([k])
        # The contested reading is found; now rita's vote makes it 2-1, accepted, again.
        assert conflicts() == {("equivocation", "obsolete"), ("contested_reading", "open")}
        reading_vote(reading=reading_a, user=rita, value=1)

    assert run_job(DETECT_TASK, key, handler) is True

    # Sent again (eagerly, here) and run by the real task, which saw rita's vote.
    assert not OutboxJob.objects.exists()
    assert conflicts() == {("equivocation", "open"), ("contested_reading", "obsolete")}


@pytest.mark.django_db
def test_a_job_already_done_is_not_run_again(exchange):
    thread, term, _, _ = exchange
    assert detect_conflicts_task(unit_key(thread, term)) is False


# A real Redis that is down, then back


def live_services_or_skip() -> None:
    from django.conf import settings

    reason = None
    if connection.vendor != "postgresql":
        reason = "a live Celery worker needs PostgreSQL (set DATABASE_URL=postgres://…)"
    elif not settings.CELERY_BROKER_URL.startswith("redis://"):
        reason = "a live Celery worker needs Redis (set CELERY_BROKER_URL=redis://…)"
    if reason and services_required():
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_committed_while_redis_is_down_runs_once_it_is_back(
    alice, bob, settings, tmp_path: Path
):
    """A private redis-server, not running when the readings commit: the sends really fail.
    Once it runs, the relay sends the job and a real worker does the detection."""
    live_services_or_skip()
    # The thread and the senses, with their jobs run in-process (eagerly) as they commit.
    thread = make_thread(texts=EXCHANGE)
    term = make_term(alice, "outer alignment")
    training = make_definition(alice, term, TRAINING)
    infinite = make_definition(alice, term, INFINITE)
    first, second = thread.comments.order_by("position")
    claims = make_claim(alice, first), make_claim(bob, second)
    assert not OutboxJob.objects.exists()

    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"  # for the worker started below
    settings.OUTBOX_COALESCE_SECONDS = 0  # the coalescing window is not what this test is about
    always_eager = app.conf.task_always_eager
    server = None
    try:
        use_broker(settings.CELERY_BROKER_URL)
        producer = app.connection_for_write()
        assert (producer.hostname, producer.port) == ("127.0.0.1", port)  # not the shared one
        app.conf.task_always_eager = False
        with transaction.atomic():
            make_reading(alice, claims[0], training)
            make_reading(bob, claims[1], infinite)

        job = OutboxJob.objects.get()
        assert (job.key, job.enqueued_at) == (unit_key(thread, term), None)
        assert not equivocations().exists()

        server = start_redis(port)
        with run_celery_worker(tmp_path) as worker:
            assert relay_pending() == 1
            deadline = time.monotonic() + 30
            while OutboxJob.objects.exists() or not equivocations().exists():
                if time.monotonic() > deadline:
                    pytest.fail(f"the relayed job did not run:\n{worker.log()}")
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = always_eager
        use_broker(None)
        if server is not None:
            stop_redis(server)

    conflict = equivocations().get()
    assert (conflict.status, conflict.severity) == ("open", 5)

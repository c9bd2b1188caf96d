"""Detection is idempotent and keeps the review history: re-runs create nothing, evidence that
goes and comes back moves a conflict between open and obsolete, reviewers' verdicts stick
unless the evidence changes, and two workers running one unit at once never duplicate."""

import importlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Reading
from apps.annotations.services import reading_vote
from apps.conflicts import detection, units
from apps.conflicts.detection import DetectionResult
from apps.conflicts.models import Conflict, ConflictReview
from apps.conflicts.services import conflict_review
from apps.forum.models import Comment, Thread
from apps.glossary.models import Definition, Term
from tests.factories import make_claim, make_definition, make_reading, make_term, make_thread

TRAINING = "The reward ranks behaviour correctly on the training distribution."
INFINITE = "The reward would be right in the limit of infinite data, on every distribution."
EXCHANGE = (
    "Outer alignment is done once the reward ranks behaviour well on the training data.",
    "Then outer alignment is not done: it needs a reward that is right with infinite data.",
    "Right: outer alignment is about the training data, as the first comment says.",
)
S = Conflict.Status


@pytest.fixture
def dave(django_user_model):
    return django_user_model.objects.create_user(username="dave", password="pw-dave")


@dataclass
class Exchange:
    thread: Thread
    term: Term
    training: Definition
    infinite: Definition
    reading_a: Reading  # first comment: training distribution
    reading_b: Reading  # its reply: infinite data
    third: Comment  # a reply to the reply, not yet annotated

    @property
    def key(self) -> str:
        return units.thread_term(self.thread.id, self.term.id).key


def build_exchange(alice, bob) -> Exchange:
    thread = make_thread(texts=EXCHANGE)
    term = make_term(alice, "outer alignment")
    training = make_definition(alice, term, TRAINING, label="training")
    infinite = make_definition(alice, term, INFINITE, label="infinite data")
    first, second, third = thread.comments.order_by("position")
    return Exchange(
        thread,
        term,
        training,
        infinite,
        make_reading(alice, make_claim(alice, first), training),
        make_reading(bob, make_claim(bob, second), infinite),
        third,
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Callable[[], Any]:
    """A block whose on-commit callbacks run as it ends, as if it had committed: its jobs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def exchange(alice, bob, committed) -> Exchange:
    """An equivocation in a reply chain, found by the jobs the writes requested."""
    with committed():
        return build_exchange(alice, bob)


def equivocation() -> Conflict:
    return Conflict.objects.get(kind=Conflict.Kind.EQUIVOCATION)


def history(conflict: Conflict) -> list[tuple[str, str, str, str | None]]:
    return [
        (entry.action, entry.from_status, entry.to_status, entry.actor and entry.actor.username)
        for entry in ConflictReview.objects.filter(conflict=conflict).select_related("actor")
    ]


def state() -> dict[str, tuple]:
    return {
        c.fingerprint: (c.kind, c.status, c.severity, c.evidence_hash, c.evidence)
        for c in Conflict.objects.all()
    }


DETECTED = ("detected", S.OPEN, S.OPEN, None)


# Running again


@pytest.mark.django_db
def test_running_a_unit_again_creates_and_changes_nothing(exchange):
    before, entries = state(), ConflictReview.objects.count()
    unit = units.Unit.parse(exchange.key)

    assert detection.run([exchange.key]) == DetectionResult()
    assert detection.save(unit, detection.find([unit])[unit]) == DetectionResult()
    assert detection.run([f"thread:{exchange.thread.id}"]) == DetectionResult()
    assert detection.rescan() == DetectionResult()

    assert state() == before
    assert ConflictReview.objects.count() == entries


@pytest.mark.django_db
@pytest.mark.parametrize("dismissed", [False, True])
def test_finding_the_same_evidence_again_writes_nothing(exchange, rita, committed, dismissed):
    """A conflict a rescan finds as it stands, open or dismissed, is neither locked nor
    rewritten, and its times stay."""
    if dismissed:
        with committed():
            conflict_review(conflict=equivocation(), user=rita, action="dismiss", note="Agreed.")
    times = list(Conflict.objects.values_list("id", "status", "detected_at", "updated_at"))

    with CaptureQueriesContext(connection) as queries:
        assert detection.rescan() == DetectionResult()

    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        or "FOR UPDATE" in q["sql"].upper()
    ]
    assert writes == []
    assert list(Conflict.objects.values_list("id", "status", "detected_at", "updated_at")) == times


# Evidence that goes and comes back


@pytest.mark.django_db
def test_lost_evidence_makes_a_conflict_obsolete_and_its_return_reopens_it(
    exchange, bob, committed
):
    with committed():
        reading_vote(reading=exchange.reading_a, user=bob, value=-1)  # 1-1: contested

    conflict = equivocation()
    assert conflict.status == S.OBSOLETE
    assert history(conflict) == [DETECTED, ("obsolete", S.OPEN, S.OBSOLETE, None)]
    contested = Conflict.objects.get(kind=Conflict.Kind.CONTESTED_READING)
    assert contested.status == S.OPEN

    with committed():
        reading_vote(reading=exchange.reading_a, user=bob, value=0)  # 1-0 again

    conflict.refresh_from_db()
    assert conflict.status == S.OPEN
    assert history(conflict) == [
        DETECTED,
        ("obsolete", S.OPEN, S.OBSOLETE, None),
        ("reopen", S.OBSOLETE, S.OPEN, None),
    ]
    assert ConflictReview.objects.filter(conflict=conflict).last().note == "The evidence is back."
    contested.refresh_from_db()
    assert contested.status == S.OBSOLETE


@pytest.mark.django_db
def test_a_confirmed_conflict_goes_obsolete_when_its_evidence_goes(exchange, bob, rita, committed):
    conflict_review(conflict=equivocation(), user=rita, action="confirm")
    with committed():
        # bob turns against his own reading: 0-1, rejected, so one side of it is gone.
        reading_vote(reading=exchange.reading_b, user=bob, value=-1)
    conflict = equivocation()
    assert conflict.status == S.OBSOLETE
    assert history(conflict) == [
        DETECTED,
        ("confirm", S.OPEN, S.CONFIRMED, "rita"),
        ("obsolete", S.CONFIRMED, S.OBSOLETE, None),
    ]


# Reviewers' verdicts


@pytest.mark.django_db
def test_a_dismissed_conflict_stays_dismissed_while_its_evidence_is_the_same(
    exchange, bob, rita, dave, committed
):
    conflict_review(
        conflict=equivocation(), user=rita, action="dismiss", note="both senses are stated"
    )
    dismissed = [DETECTED, ("dismiss", S.OPEN, S.DISMISSED, "rita")]

    with committed():  # a vote moves the tallies only
        reading_vote(reading=exchange.reading_a, user=dave, value=1)
    conflict = equivocation()
    assert (conflict.status, history(conflict)) == (S.DISMISSED, dismissed)
    assert conflict.evidence["senses"][0]["claims"][0]["votes_up"] == 2  # kept up to date

    with committed():  # the evidence goes (2-2, contested): a verdict is not obsoleted...
        reading_vote(reading=exchange.reading_a, user=bob, value=-1)
        reading_vote(reading=exchange.reading_a, user=rita, value=-1)
    assert (equivocation().status, history(equivocation())) == (S.DISMISSED, dismissed)

    with committed():  # ...and when the same evidence comes back, it still stands
        reading_vote(reading=exchange.reading_a, user=bob, value=0)
        reading_vote(reading=exchange.reading_a, user=rita, value=0)
    assert (equivocation().status, history(equivocation())) == (S.DISMISSED, dismissed)
    assert detection.rescan() == DetectionResult()
    assert equivocation().status == S.DISMISSED


@pytest.mark.django_db
def test_a_dismissed_conflict_reopens_when_its_evidence_changes(exchange, rita, committed):
    conflict_review(
        conflict=equivocation(), user=rita, action="dismiss", note="both senses are stated"
    )

    with committed():  # a third claim joins the training side of the equivocation
        make_reading(rita, make_claim(rita, exchange.third), exchange.training)

    conflict = equivocation()
    assert conflict.status == S.OPEN
    assert history(conflict) == [
        DETECTED,
        ("dismiss", S.OPEN, S.DISMISSED, "rita"),
        ("reopen", S.DISMISSED, S.OPEN, None),
    ]
    assert ConflictReview.objects.filter(conflict=conflict).last().note == ("The evidence changed.")
    assert len(conflict.evidence["senses"][0]["claims"]) == 2


@pytest.mark.django_db
def test_a_dismissed_conflict_whose_evidence_went_reopens_if_it_returns_changed(
    exchange, bob, rita, committed
):
    conflict_review(
        conflict=equivocation(), user=rita, action="dismiss", note="both senses are stated"
    )
    with committed():
        reading_vote(reading=exchange.reading_a, user=bob, value=-1)  # gone (contested)
        make_reading(rita, make_claim(rita, exchange.third), exchange.training)  # back, changed

    conflict = equivocation()
    assert conflict.status == S.OPEN
    assert history(conflict)[-1] == ("reopen", S.DISMISSED, S.OPEN, None)


@pytest.mark.parametrize("action", ["dismiss", "resolve"])
@pytest.mark.django_db
def test_a_verdict_is_not_made_obsolete_when_the_evidence_goes(
    exchange, bob, rita, committed, action
):
    conflict_review(conflict=equivocation(), user=rita, action=action, note="reviewed")
    verdict = S.DISMISSED if action == "dismiss" else S.RESOLVED

    with committed():
        reading_vote(reading=exchange.reading_a, user=bob, value=-1)  # contested

    conflict = equivocation()
    assert conflict.status == verdict
    assert history(conflict) == [DETECTED, (action, S.OPEN, verdict, "rita")]
    assert Conflict.objects.get(kind=Conflict.Kind.CONTESTED_READING).status == S.OPEN


@pytest.mark.parametrize("action", ["dismiss", "resolve"])
def test_reopening_a_verdict_whose_evidence_went_makes_it_obsolete(
    exchange, bob, rita, committed, action
):
    """Found by the load test: a reviewer reopened a dismissed conflict whose evidence had gone
    meanwhile, and it stayed open until a full rescan retired it."""
    conflict_review(conflict=equivocation(), user=rita, action=action, note="reviewed")
    with committed():
        reading_vote(reading=exchange.reading_a, user=bob, value=-1)  # contested: gone
    verdict = S.DISMISSED if action == "dismiss" else S.RESOLVED

    with committed():
        conflict_review(conflict=equivocation(), user=rita, action="reopen")

    conflict = equivocation()
    assert conflict.status == S.OBSOLETE
    assert history(conflict)[-2:] == [
        ("reopen", verdict, S.OPEN, "rita"),
        ("obsolete", S.OPEN, S.OBSOLETE, None),
    ]
    assert detection.rescan() == DetectionResult()


def test_reopening_a_verdict_whose_evidence_stands_leaves_it_open(exchange, rita, committed):
    conflict_review(conflict=equivocation(), user=rita, action="dismiss", note="reviewed")

    with committed():
        conflict_review(conflict=equivocation(), user=rita, action="reopen")

    conflict = equivocation()
    assert conflict.status == S.OPEN
    assert history(conflict)[-1] == ("reopen", S.DISMISSED, S.OPEN, "rita")
    assert detection.rescan() == DetectionResult()


@pytest.mark.django_db
def test_history_names_reviewers_and_leaves_the_detector_anonymous(exchange, bob, rita, committed):
    conflict = equivocation()
    conflict_review(conflict=conflict, user=rita, action="dismiss", note="stated openly")
    conflict_review(conflict=conflict, user=rita, action="reopen", note="on second thoughts")
    with committed():
        reading_vote(reading=exchange.reading_a, user=bob, value=-1)

    entries = list(ConflictReview.objects.filter(conflict=conflict))
    assert [(e.action, e.actor_id) for e in entries] == [
        ("detected", None),
        ("dismiss", rita.id),
        ("reopen", rita.id),
        ("obsolete", None),
    ]
    assert [e.note for e in entries[1:3]] == ["stated openly", "on second thoughts"]
    assert all(e.created_at is not None for e in entries)
    assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)


# Two workers at once (PostgreSQL)

RACES = 20
# How many races had both workers inside `work` at once: the test must really race.
overlaps = Counter()


def race(work: Callable[[], DetectionResult], workers: int = 2) -> list[DetectionResult]:
    """Run `work` in `workers` threads released together, each on its own connection."""
    barrier = threading.Barrier(workers)
    results: list[DetectionResult] = []
    spans: list[tuple[float, float]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            connection.ensure_connection()  # connected before the barrier, so they truly race
            barrier.wait(timeout=10)
            started = time.monotonic()
            results.append(work())
            spans.append((started, time.monotonic()))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(results) == workers
    overlaps[max(start for start, _ in spans) < min(end for _, end in spans)] += 1
    return results


def total(results: list[DetectionResult]) -> DetectionResult:
    summed = DetectionResult()
    for result in results:
        summed += result
    return summed


def actions_by_kind() -> dict[str, list[str]]:
    fingerprints = Counter(Conflict.objects.values_list("fingerprint", flat=True))
    assert all(count == 1 for count in fingerprints.values())
    by_kind: dict[str, list[str]] = {}
    for conflict in Conflict.objects.all():
        assert conflict.kind not in by_kind  # one conflict per kind in this scenario
        by_kind[conflict.kind] = [
            entry.action for entry in ConflictReview.objects.filter(conflict=conflict)
        ]
    return by_kind


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_running_one_unit_at_once_never_duplicate(alice, bob):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises writers on one file lock, so two connections "
            "never run detection at the same moment (set DATABASE_URL=postgres://…)"
        )
    exchange = build_exchange(alice, bob)  # each write commits and its job runs at once
    unit = units.Unit.parse(exchange.key)
    both_accepted = detection.find([unit])[unit]  # an equivocation
    reading_vote(reading=exchange.reading_a, user=bob, value=-1)
    a_contested = detection.find([unit])[unit]  # a contested reading instead
    keys = [exchange.key, f"thread:{exchange.thread.id}"]
    E, C = Conflict.Kind.EQUIVOCATION, Conflict.Kind.CONTESTED_READING
    overlaps.clear()

    for attempt in range(RACES):
        Conflict.objects.all().delete()

        # Both find the contested reading, which neither has stored yet.
        if attempt % 2:
            key = keys[attempt // 2 % 2]
            results = race(lambda key=key: detection.run([key]))
        else:
            results = race(lambda: detection.save(unit, a_contested))
        assert total(results) == DetectionResult(created=1)
        assert actions_by_kind() == {C: ["detected"]}

        # Both see the equivocation come and the contested reading go.
        results = race(lambda: detection.save(unit, both_accepted))
        assert total(results) == DetectionResult(created=1, obsoleted=1)
        assert actions_by_kind() == {E: ["detected"], C: ["detected", "obsolete"]}

        # And back: one obsolete and one reopen, however many workers saw it.
        results = race(lambda: detection.save(unit, a_contested))
        assert total(results) == DetectionResult(reopened=1, obsoleted=1)
        assert actions_by_kind() == {
            E: ["detected", "obsolete"],
            C: ["detected", "obsolete", "reopen"],
        }
        assert dict(Conflict.objects.values_list("kind", "status")) == {
            E: S.OBSOLETE,
            C: S.OPEN,
        }
    # Nearly all races overlap (60 of 60 here); a handful would already prove the point.
    assert overlaps[True] >= RACES // 2, overlaps


@pytest.mark.django_db
@pytest.mark.parametrize(
    "migration", ["0005_conflict_evidence_digest", "0007_conflict_evidence_rehash"]
)
def test_conflicts_hashed_before_get_their_hashes_again_and_stay_unchanged(exchange, migration):
    """Migrations 0005 (the digest added) and 0007 (the evidence's JSON text changed) take
    every row's hashes of its stored evidence, so the next rescan finds them unchanged instead
    of rewriting them all."""
    from django.apps import apps

    module = importlib.import_module(f"apps.conflicts.migrations.{migration}")
    Conflict.objects.update(evidence_digest="", evidence_hash="taken of another text")
    times = list(Conflict.objects.values_list("id", "updated_at"))

    module.hash_existing(apps, SimpleNamespace(connection=connection))

    assert "" not in set(Conflict.objects.values_list("evidence_digest", flat=True))
    assert detection.rescan() == DetectionResult()
    assert list(Conflict.objects.values_list("id", "updated_at")) == times

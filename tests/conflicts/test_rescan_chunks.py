"""The full rescan streams the threads in chunks and judges a workspace's synonyms in one pass:
where a chunk ends, which units it leaves out and the one pass over every pair of definitions
change nothing it finds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Reading
from apps.annotations.services import reading_create, reading_vote
from apps.conflicts import detection, snapshot
from apps.conflicts.detection import DetectionResult
from apps.conflicts.models import Conflict
from apps.conflicts.rules import synonym_candidate
from apps.conflicts.tasks import rescan_conflicts_task
from apps.glossary.services import definitions_mark_equivalent
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    public_workspace,
)

pytestmark = pytest.mark.django_db

TRAINING = "The reward ranks behaviour correctly on the training distribution."
INFINITE = "The reward would be right in the limit of infinite data, on every distribution."


@pytest.fixture
def threads(alice, bob):
    """Five threads, each with an equivocation (two accepted senses in a reply), the third
    with a contested reading too; no job has run (the test transaction never commits)."""
    term = make_term(alice, "outer alignment")
    training = make_definition(alice, term, TRAINING)
    infinite = make_definition(alice, term, INFINITE)
    made = []
    for n in range(5):
        thread = make_thread()
        first, second, third = thread.comments.order_by("position")
        make_reading(alice, make_claim(alice, first), training)
        make_reading(bob, make_claim(bob, second), infinite)
        if n == 2:
            reading_vote(
                reading=make_reading(alice, make_claim(alice, third), training), user=bob, value=-1
            )
        made.append(thread)
    assert not Conflict.objects.exists()
    return made


def stored() -> dict[str, tuple]:
    return {
        c.fingerprint: (c.kind, c.thread_id, c.status, c.severity, c.evidence_hash)
        for c in Conflict.objects.all()
    }


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_chunk_boundaries_change_nothing_found(threads, chunk):
    whole = detection.rescan()
    assert (whole.created, len(stored())) == (6, 6)
    found = stored()

    assert detection.rescan(chunk=chunk) == DetectionResult()  # the periodic run
    Conflict.objects.all().delete()
    assert detection.rescan(chunk=chunk) == DetectionResult(created=6)
    assert stored() == found


def test_a_conflict_whose_readings_are_gone_is_retired(threads):
    detection.rescan()
    thread = threads[0]
    # Deleted behind the detection jobs' back: only the rescan can notice.
    Reading.objects.filter(claim__comment__thread=thread).delete()

    assert detection.rescan() == DetectionResult(obsoleted=1)
    assert list(Conflict.objects.filter(thread=thread).values_list("kind", "status")) == [
        ("equivocation", "obsolete")
    ]
    assert detection.rescan() == DetectionResult()


def test_a_contested_decomposition_reading_whose_readings_are_gone_is_retired(alice, bob):
    term = make_term(alice, "outer alignment")
    split = make_decomposition(alice, "split", [make_definition(alice, term, TRAINING)])
    thread = make_thread()
    claim = make_claim(alice, thread.comments.first())
    reading = reading_create(user=alice, claim=claim, decomposition=split)
    reading_vote(reading=reading, user=bob, value=-1)
    assert detection.rescan() == DetectionResult(created=1)

    Reading.objects.filter(id=reading.id).delete()

    assert detection.rescan() == DetectionResult(obsoleted=1)
    assert Conflict.objects.get().status == "obsolete"


def test_one_pass_over_a_workspace_finds_what_each_term_finds(alice, rita):
    outer, inner, robust = (make_term(alice, name) for name in ("outer", "inner", "robust"))
    training = make_definition(alice, outer, TRAINING)
    make_definition(alice, outer, INFINITE)
    # Near-identical texts of two terms, and of one term (not a synonym of itself).
    make_definition(alice, inner, TRAINING.lower().rstrip("."))
    make_definition(alice, inner, TRAINING + "!")
    make_definition(alice, robust, "Capabilities carry over to inputs unlike the training data.")
    marked = make_definition(alice, robust, "Something else entirely, said at length here.")
    definitions_mark_equivalent(user=rita, definition=training, other=marked)
    workspace = public_workspace().id

    once = synonym_candidate.detect_workspace(snapshot.load_workspace_synonyms(workspace))
    per_term = [
        finding
        for loaded in snapshot.load_terms_synonyms([outer.id, inner.id, robust.id]).values()
        for finding in synonym_candidate.detect(loaded)
    ]

    def judged(findings):
        return {f.fingerprint: (f.severity, f.evidence) for f in findings}

    assert judged(once) == judged(per_term)
    assert {(f.term_id, f.other_term_id, f.severity) for f in once} == {
        (outer.id, inner.id, 1),
        (outer.id, robust.id, 2),
    }


def test_a_chunk_that_grew_the_table_by_a_tenth_refreshes_its_statistics(alice):
    """Planned for the near-empty table it started from, a first rescan's later chunks scanned
    every conflict to find their own; each chunk that adds a tenth analyzes the table again."""
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")

    def analyzes(created: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            detection._analyze_if_grown(created)
        return sum(q["sql"].startswith("ANALYZE") for q in queries.captured_queries)

    assert analyzes(999) == 0  # too few to matter
    assert analyzes(5000) == 1  # the test database's table is (nearly) empty


def test_the_beat_rescan_runs_its_chunks_in_lanes(threads, monkeypatch, settings):
    """The beat job: a job per chunk, in `CONFLICT_RESCAN_LANES` lanes that each send their
    next chunk, finds what the rescan in one process finds."""
    detection.rescan()
    found = stored()
    Conflict.objects.all().delete()
    settings.CONFLICT_RESCAN_LANES = 2
    one_thread_each = detection.thread_chunks(chunk=1)
    monkeypatch.setattr(detection, "thread_chunks", lambda: one_thread_each)
    chunks_run = []
    rescan_threads = detection.rescan_threads

    def counted(thread_ids, glossary):
        chunks_run.append(thread_ids)
        return rescan_threads(thread_ids, glossary)

    monkeypatch.setattr(detection, "rescan_threads", counted)

    rescan_conflicts_task()

    assert stored() == found
    # Lane one takes threads 1, 3 and 5, lane two 2 and 4, each a job after the other.
    assert sorted(chunks_run) == one_thread_each

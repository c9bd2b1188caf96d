"""The review queue's counts (ConflictCount, kept by a PostgreSQL trigger) equal a recount after
every kind of change to conflicts: detection, reviews, deletes and cascades, compaction."""

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Reading
from apps.annotations.services import reading_vote
from apps.conflicts import detection
from apps.conflicts.models import Conflict, ConflictCount
from apps.conflicts.services import conflict_counts_compact, conflict_review
from apps.forum.services import thread_delete
from apps.glossary.services import term_delete
from apps.workspaces.models import Workspace
from tests.concurrency.race import require_postgresql
from tests.factories import (
    make_claim,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    make_workspace,
)

pytestmark = pytest.mark.django_db

TRAINING = "The reward ranks behaviour correctly on the training distribution."
INFINITE = "The reward would be right in the limit of infinite data, on every distribution."


def recount() -> dict[tuple[int, str], int]:
    rows = Conflict.objects.values_list("workspace_id", "status").annotate(n=Count("id"))
    return {(w, s): n for w, s, n in rows}


def kept() -> dict[tuple[int, str], int]:
    rows = ConflictCount.objects.values_list("workspace_id", "status").annotate(n=Sum("delta"))
    return {(w, s): n for w, s, n in rows if n}


def equivocations(user, workspace=None, threads=3):
    """Threads where two accepted senses of a term meet in a reply: an equivocation each."""
    term = make_term(user, "outer alignment", workspace=workspace)
    senses = [make_definition(user, term, TRAINING), make_definition(user, term, INFINITE)]
    made = []
    for _ in range(threads):
        thread = make_thread(workspace=workspace, user=user)
        first, second, _ = thread.comments.order_by("position")
        for comment, sense in ((first, senses[0]), (second, senses[1])):
            make_reading(user, make_claim(user, comment), sense)
        detection.run([f"thread:{thread.id}"])
        made.append(thread)
    return term, made


@pytest.fixture(autouse=True)
def _postgresql():
    require_postgresql()


def test_detection_reviews_and_deletes_keep_the_counts(alice, bob, rita):
    private = make_workspace(Workspace.Visibility.PRIVATE, members=(alice,))
    _, threads = equivocations(alice)
    other_term, _ = equivocations(alice, workspace=private, threads=2)
    assert sum(n for (_, s), n in kept().items() if s == "open") == 5
    assert kept() == recount()

    first = Conflict.objects.filter(thread=threads[0]).get()
    conflict_review(conflict=first, user=rita, action="confirm")
    conflict_review(
        conflict=Conflict.objects.filter(thread=threads[1]).get(),
        user=rita,
        action="dismiss",
        note="Same sense.",
    )
    assert kept() == recount()

    # The evidence goes: the conflict turns obsolete in a detection's bulk update.
    reading = Reading.objects.get(pk=first.evidence["senses"][1]["claims"][0]["reading"])
    reading_vote(reading=reading, user=bob, value=-1)
    reading_vote(reading=reading, user=rita, value=-1)
    detection.run([f"thread:{threads[0].id}"])
    assert Conflict.objects.get(pk=first.pk).status == Conflict.Status.OBSOLETE
    assert kept() == recount()

    thread_delete(thread=threads[2])  # its conflicts go by cascade
    term_delete(term=other_term)  # a signal deletes its conflicts
    assert kept() == recount()

    rows = ConflictCount.objects.count()
    conflict_counts_compact()
    assert kept() == recount()
    assert ConflictCount.objects.count() < rows


def test_the_review_queue_pages_with_the_kept_count(alice, alice_client, bob_client):
    private = make_workspace(Workspace.Visibility.PRIVATE, members=(alice,))
    equivocations(alice, threads=3)
    equivocations(alice, workspace=private, threads=2)

    with CaptureQueriesContext(connection) as queries:
        page = alice_client.get("/api/conflicts/?status=open&page_size=2").json()
    assert (page["count"], len(page["results"])) == (5, 2)
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # Others do not count what they may not see; any other filter counts rows.
    assert bob_client.get("/api/conflicts/?status=open").json()["count"] == 3
    assert bob_client.get("/api/conflicts/").json()["count"] == 3
    assert alice_client.get(f"/api/conflicts/?workspace={private.slug}").json()["count"] == 2
    assert alice_client.get("/api/conflicts/?status=open&kind=equivocation").json()["count"] == 5
    assert alice_client.get("/api/conflicts/?status=dismissed").json()["count"] == 0

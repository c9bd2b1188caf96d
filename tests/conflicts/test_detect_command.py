"""`manage.py detect_conflicts [--thread ID]`: the full rescan from the command line."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.annotations.services import reading_delete, reading_vote
from apps.conflicts.models import Conflict
from tests.factories import make_claim, make_definition, make_reading, make_term, make_thread

pytestmark = pytest.mark.django_db

TRAINING = "The reward ranks behaviour correctly on the training distribution."
INFINITE = "The reward would be right in the limit of infinite data, on every distribution."


@pytest.fixture
def threads(alice, bob):
    """An equivocation in one thread, a contested reading in another; no job has run (the test
    transaction never commits), so no conflict is stored yet."""
    term = make_term(alice, "outer alignment")
    training = make_definition(alice, term, TRAINING)
    infinite = make_definition(alice, term, INFINITE)
    talking_past = make_thread()
    first, second, _ = talking_past.comments.order_by("position")
    make_reading(alice, make_claim(alice, first), training)
    disputed = make_reading(bob, make_claim(bob, second), infinite)
    contested = make_thread()
    reading = make_reading(alice, make_claim(alice, contested.comments.first()), training)
    reading_vote(reading=reading, user=bob, value=-1)
    assert not Conflict.objects.exists()
    return talking_past, contested, disputed


def detect(*args: str) -> str:
    out = StringIO()
    call_command("detect_conflicts", *args, stdout=out)
    return out.getvalue()


def summary(new: int, updated: int = 0, reopened: int = 0, obsolete: int = 0) -> re.Pattern:
    return re.compile(
        rf"^Conflicts: {new} new, {updated} updated, {reopened} reopened, {obsolete} obsolete "
        r"\(\d+\.\d s\)\n$"
    )


def stored() -> set[tuple[str, int, int, str]]:
    return set(Conflict.objects.values_list("kind", "thread_id", "severity", "status"))


def test_detects_every_threads_conflicts_and_prints_a_summary(threads):
    talking_past, contested, _ = threads

    assert summary(new=2).match(detect())

    assert stored() == {
        ("equivocation", talking_past.id, 5, "open"),
        ("contested_reading", contested.id, 3, "open"),
    }
    assert summary(new=0).match(detect())  # idempotent
    assert len(stored()) == 2


def test_one_threads_conflicts_with_thread(threads):
    talking_past, contested, _ = threads

    assert summary(new=1).match(detect("--thread", str(contested.id)))
    assert stored() == {("contested_reading", contested.id, 3, "open")}

    assert summary(new=1).match(detect())  # the rest
    assert summary(new=0).match(detect("--thread", str(talking_past.id)))


def test_reports_conflicts_whose_evidence_is_gone(threads):
    talking_past, _, disputed = threads
    detect()

    reading_delete(reading=disputed)  # its job never runs here: the rescan finds the change

    assert summary(new=0, obsolete=1).match(detect("--thread", str(talking_past.id)))
    assert ("equivocation", talking_past.id, 5, "obsolete") in stored()


def test_an_unknown_thread_is_an_error(threads):
    with pytest.raises(CommandError, match=r"^No thread with id 999999\.$"):
        detect("--thread", "999999")
    assert not Conflict.objects.exists()

"""A detection job loads its units with several statements; a write committed between two of
them must not hand the rules rows that disagree (found by the vote race: a claim deleted after
its readings were read failed the job with a KeyError)."""

import threading

import pytest
from django.db import connection

from apps.annotations.models import Claim, Reading
from apps.annotations.services import claim_delete
from apps.conflicts import detection, units
from apps.conflicts.models import Conflict
from tests.concurrency.race import require_postgresql
from tests.factories import make_claim, make_definition, make_reading, make_term, make_thread

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXCHANGE = (
    "Outer alignment is done once the reward ranks behaviour well on the training data.",
    "Then outer alignment is not done: it needs a reward that is right with infinite data.",
)


def delete_in_another_connection(claim: Claim) -> None:
    """Commit the claim's deletion from a connection of its own (Django's are per thread)."""

    def delete() -> None:
        try:
            claim_delete(claim=claim)
        finally:
            connection.close()  # this thread's connection

    worker = threading.Thread(target=delete)
    worker.start()
    worker.join()


def test_a_claim_deleted_while_a_job_loads_does_not_fail_it(alice, bob) -> None:
    require_postgresql()
    thread = make_thread(texts=EXCHANGE)
    term = make_term(alice, "outer alignment")
    first, second = thread.comments.order_by("position")
    make_reading(alice, make_claim(alice, first), make_definition(alice, term, "training data"))
    doomed = make_claim(bob, second)
    make_reading(bob, doomed, make_definition(alice, term, "infinite data"))
    deleted = []

    def delete_after_the_readings_are_read(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not deleted and f'FROM "{Reading._meta.db_table}"' in sql:
            deleted.append(sql)
            delete_in_another_connection(doomed)
        return result

    with connection.execute_wrapper(delete_after_the_readings_are_read):
        detection.run([units.thread_term(thread.id, term.id).key])

    assert deleted, "the job never read the readings"
    assert not Claim.objects.filter(pk=doomed.pk).exists()
    # The job saw the thread as it was when it began: both readings, an equivocation. (The
    # deletion's own job, run next, retires it.)
    equivocation = Conflict.objects.filter(kind=Conflict.Kind.EQUIVOCATION)
    assert equivocation.get().status == Conflict.Status.OPEN
    detection.run([units.thread_term(thread.id, term.id).key])
    assert equivocation.get().status == Conflict.Status.OBSOLETE

"""End to end, as deployed: writes through the API, detection on a real Celery worker over
Redis and PostgreSQL, and the conflict shows up in the review queue without anyone asking."""

import json
import time

import pytest

from apps.conflicts.models import Conflict
from apps.conflicts.tasks import rescan_conflicts_task
from apps.core.models import OutboxJob
from tests.celery_worker import CeleryWorker

pytestmark = [
    pytest.mark.celery_worker,
    # The worker sees committed rows only; the "public" workspace comes from a data migration.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POLL_SECONDS = 30

POST = "Is outer alignment a property of the reward alone? I keep seeing it used two ways."
TRAINING_USE = (
    "Outer alignment just means the reward ranks behaviour correctly on the training "
    "distribution. Anything after deployment is a robustness question."
)
LIMIT_USE = (
    "No, outer alignment means the reward would be right in the limit of infinite data, on "
    "every distribution. On the training data alone it proves nothing."
)
TRAINING = "The reward ranks behaviour correctly on the training distribution."
INFINITE = "The reward would be right in the limit of infinite data, on every distribution."


def forummagnum_thread() -> str:
    """A post, a comment, and a reply to that comment (GraphQL JSON as LessWrong serves it)."""
    return json.dumps(
        {
            "data": {
                "post": {
                    "result": {
                        "_id": "oaPost0001",
                        "title": "Two readings of outer alignment",
                        "pageUrl": "https://www.lesswrong.com/posts/oaPost0001/two-readings",
                        "postedAt": "2024-03-01T10:00:00.000Z",
                        "user": {"displayName": "Ada Quill"},
                        "htmlBody": f"<p>{POST}</p>",
                    }
                },
                "comments": {
                    "results": [
                        {
                            "_id": "oaComment01",
                            "postId": "oaPost0001",
                            "parentCommentId": None,
                            "postedAt": "2024-03-01T11:00:00.000Z",
                            "user": {"displayName": "Bram Oster"},
                            "contents": {"html": f"<p>{TRAINING_USE}</p>"},
                        },
                        {
                            "_id": "oaComment02",
                            "postId": "oaPost0001",
                            "parentCommentId": "oaComment01",
                            "postedAt": "2024-03-01T12:00:00.000Z",
                            "user": {"displayName": "Chen Wirth"},
                            "contents": {"markdown": LIMIT_USE},
                        },
                    ]
                },
            }
        }
    )


def created(response) -> dict:
    assert response.status_code == 201, response.json()
    return response.json()


def test_conflicts_appear_after_annotating_through_the_api(
    celery_live: CeleryWorker, alice, bob, django_user_model, api_client_for
):
    carol = django_user_model.objects.create_user(username="carol", password="pw-carol")
    as_alice, as_bob, as_carol = (api_client_for(user) for user in (alice, bob, carol))

    thread = created(
        as_alice.post(
            "/api/threads/import/",
            {"format": "forummagnum", "content": forummagnum_thread()},
            format="json",
        )
    )["thread"]["id"]
    comments = {
        c["text"]: c for c in as_alice.get(f"/api/comments/?thread={thread}").json()["results"]
    }
    training_comment, limit_comment = comments[TRAINING_USE], comments[LIMIT_USE]
    assert limit_comment["parent"] == training_comment["id"]

    term = created(as_alice.post("/api/terms/", {"name": "outer alignment"}, format="json"))["id"]
    training, infinite = (
        created(
            as_alice.post(
                "/api/definitions/", {"term": term, "text": text, "label": label}, format="json"
            )
        )["id"]
        for text, label in [(TRAINING, "training distribution"), (INFINITE, "infinite data")]
    )

    def claim(client, comment: dict) -> int:
        end = comment["text"].index(".") + 1  # the first sentence
        body = {"comment": comment["id"], "start": 0, "end": end}
        return created(client.post("/api/claims/", body, format="json"))["id"]

    claim_a, claim_b = claim(as_alice, training_comment), claim(as_bob, limit_comment)
    reading_a = created(
        as_alice.post(
            "/api/readings/",
            {"claim": claim_a, "term": term, "definition": training},
            format="json",
        )
    )["id"]
    reading_b = created(
        as_bob.post(
            "/api/readings/",
            {"claim": claim_b, "term": term, "definition": infinite},
            format="json",
        )
    )["id"]
    for reading in (reading_a, reading_b):  # consensus: 2-0 each
        response = as_carol.post(f"/api/readings/{reading}/vote/", {"value": 1}, format="json")
        assert response.status_code == 200, response.json()

    # Nobody runs detection: the jobs the writes requested do, on the worker.
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        queue = as_carol.get(f"/api/conflicts/?thread={thread}&kind=equivocation").json()
        found = [c for c in queue["results"] if c["severity"] == 5 and c["status"] == "open"]
        if found:
            break
        if time.monotonic() > deadline:
            pytest.fail(
                f"no equivocation within {POLL_SECONDS} s; queue: {queue}\n{celery_live.log()}"
            )
        time.sleep(0.25)

    [conflict] = found
    assert (conflict["term"], conflict["term_name"]) == (term, "outer alignment")
    assert conflict["evidence"]["reply_chain"] == [[claim_a, claim_b]]
    sides = conflict["evidence"]["senses"]
    assert [side["definitions"][0]["id"] for side in sides] == [training, infinite]
    assert [[c["claim"] for c in side["claims"]] for side in sides] == [[claim_a], [claim_b]]
    assert conflict["history"][0]["action"] == "detected"
    assert conflict["history"][0]["actor"] is None

    # Every job the writes requested has run and left the outbox.
    while OutboxJob.objects.exists():
        if time.monotonic() > deadline:
            pytest.fail(
                f"jobs left in the outbox: {list(OutboxJob.objects.values())}\n{celery_live.log()}"
            )
        time.sleep(0.25)
    # The claims were ambiguous usages until their readings settled them: the queue is clear.
    queue = as_carol.get(f"/api/conflicts/?thread={thread}").json()["results"]
    assert {(c["kind"], c["status"]) for c in queue if c["status"] == "open"} == {
        ("equivocation", "open")
    }

    # The periodic rescan as beat sends it: a job per chunk of threads and one for the synonym
    # units, each run by the worker, which find the conflict again once it is gone.
    Conflict.objects.all().delete()
    rescan_conflicts_task.delay()
    deadline = time.monotonic() + POLL_SECONDS
    while not Conflict.objects.filter(
        kind="equivocation", thread_id=thread, status="open", severity=5
    ).exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the rescan found no equivocation\n{celery_live.log()}")
        time.sleep(0.25)

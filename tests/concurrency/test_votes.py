"""Votes cast at once through the API: one vote per user and reading, tallies that equal a recount.

OS threads, each with its own database connection and API client, are released by one barrier and
send their votes with token authentication through the whole stack: authentication, permissions,
the vote service, and the detection jobs that each commit runs in-process."""

import random
from collections import Counter
from collections.abc import Callable

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.annotations.models import Reading, Vote
from apps.annotations.services import reading_create
from apps.conflicts.models import Conflict
from apps.core.models import OutboxJob
from tests.concurrency.race import race, require_postgresql
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
)

THREADS = 20
USERS = 50
VOTES = 1_000
SEED = 20260507

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# (user id, reading id) -> +1 or -1; a withdrawn vote has no row.
Ballots = dict[tuple[int, int], int]


@pytest.fixture
def voters(django_user_model: type[User]) -> list[tuple[User, str]]:
    """USERS annotators with their API tokens."""
    require_postgresql()
    users = [django_user_model.objects.create_user(f"voter-{n:02d}") for n in range(USERS)]
    return [(user, Token.objects.create(user=user).key) for user in users]


@pytest.fixture
def readings(voters) -> list[Reading]:
    """Three sense readings of one term and a decomposition reading, all made by the first voter,
    so each starts with that voter's +1."""
    owner = voters[0][0]
    thread = make_thread(user=owner)
    first, second, third = (make_claim(owner, c) for c in thread.comments.order_by("position"))
    term = make_term(owner)
    narrow = make_definition(owner, term, "The reward is right on the training distribution.")
    broad = make_definition(owner, term, "The reward is right in the limit of infinite data.")
    split = make_decomposition(owner, "training split", [narrow])
    return [
        make_reading(owner, first, narrow),
        make_reading(owner, first, broad),
        make_reading(owner, second, broad),
        reading_create(user=owner, claim=third, decomposition=split),
    ]


def stored_ballots() -> Ballots:
    return {(v.user_id, v.reading_id): v.value for v in Vote.objects.all()}


def recount(ballots: Ballots, reading: Reading) -> tuple[int, int]:
    values = Counter(value for (_, r), value in ballots.items() if r == reading.id)
    return values[1], values[-1]


def assert_tallies_match(ballots: Ballots, readings: list[Reading]) -> None:
    """The denormalised tallies, and the API's, equal a recount of the expected ballots."""
    listed = APIClient().get("/api/readings/", {"thread": readings[0].claim.comment.thread_id})
    assert listed.status_code == 200
    api_tallies = {r["id"]: (r["votes_up"], r["votes_down"]) for r in listed.json()["results"]}
    for reading in readings:
        reading.refresh_from_db()
        expected = recount(ballots, reading)
        assert (reading.votes_up, reading.votes_down) == expected, reading
        assert api_tallies[reading.id] == expected, reading


def assert_jobs_healthy() -> None:
    """The detection runs the votes set off, racing each other, all finished without an error
    and stored each conflict once."""
    assert not OutboxJob.objects.exclude(last_error="").exists(), list(
        OutboxJob.objects.values_list("key", "last_error")
    )
    fingerprints = Counter(Conflict.objects.values_list("fingerprint", flat=True))
    assert all(n == 1 for n in fingerprints.values()), fingerprints


def voter(token: str, casts: list[tuple[int, int]]) -> Callable[[], list[int]]:
    """A thread's work: cast (reading id, value) in order with its own client; the statuses."""

    def work() -> list[int]:
        client = APIClient()
        statuses = []
        for reading_id, value in casts:
            response = client.post(
                f"/api/readings/{reading_id}/vote/",
                {"value": value},
                format="json",
                HTTP_AUTHORIZATION=f"Token {token}",
            )
            statuses.append(response.status_code)
            if response.status_code == 200:
                # The answer is read in the vote's transaction: it shows this vote, even when
                # the same user votes from other threads at the same moment.
                assert response.json()["my_vote"] == value, response.json()
        return statuses

    return work


def test_a_thousand_votes_from_fifty_users_in_twenty_threads(voters, readings) -> None:
    rng = random.Random(SEED)
    owner = voters[0][0]
    expected: Ballots = {(owner.id, r.id): 1 for r in readings}  # the readings' creation votes
    # Each user votes VOTES / USERS times, in one thread (so the last vote they sent is known);
    # a thread holds two or three users, and every thread hits the same four readings.
    plans: list[list[tuple[str, tuple[int, int]]]] = [[] for _ in range(THREADS)]
    for n in range(VOTES):
        user, token = voters[n % USERS]
        reading = rng.choice(readings)
        value = rng.choice([1, 1, -1, -1, 0])
        plans[n % USERS % THREADS].append((token, (reading.id, value)))
        if value:
            expected[(user.id, reading.id)] = value
        else:
            expected.pop((user.id, reading.id), None)

    work = []
    for plan in plans:
        # One client per user in the thread, each sending that user's votes in the plan's order.
        by_token: dict[str, list[tuple[int, int]]] = {}
        for token, cast in plan:
            by_token.setdefault(token, []).append(cast)
        users = [voter(token, casts) for token, casts in by_token.items()]
        work.append(lambda users=users: [s for user in users for s in user()])

    result = race(work)

    statuses = Counter(s for thread in result.results for s in thread)
    assert statuses == {200: VOTES}, statuses
    assert result.overlapped
    assert stored_ballots() == expected
    assert_tallies_match(expected, readings)
    assert_jobs_healthy()


@pytest.mark.parametrize("rounds", [5])
def test_one_user_voting_from_twenty_threads_at_once_keeps_one_vote(
    voters, readings, rounds: int
) -> None:
    user, token = voters[1]
    reading = readings[1]
    for round_ in range(rounds):
        # Agree and disagree at once: whichever commits last is the vote.
        values = [1 if (n + round_) % 2 else -1 for n in range(THREADS)]
        result = race([voter(token, [(reading.id, value)]) for value in values])

        assert [s for thread in result.results for s in thread] == [200] * THREADS
        votes = list(Vote.objects.filter(reading=reading, user=user))
        assert len(votes) == 1
        assert_tallies_match(stored_ballots(), readings)
        # Withdrawn before the next round, so each round races to insert the row again.
        response = APIClient().post(
            f"/api/readings/{reading.id}/vote/",
            {"value": 0},
            format="json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        assert response.status_code == 200
        assert not Vote.objects.filter(reading=reading, user=user).exists()
    assert_jobs_healthy()


def test_twenty_users_making_the_same_reading_at_once_make_one(voters, readings) -> None:
    """The rest are told it exists and which it is, so they can vote on it instead."""
    claim, definition = readings[2].claim, readings[0].definition
    body = {"claim": claim.id, "term": definition.term_id, "definition": definition.id}

    def create(token: str) -> Callable[[], tuple[int, dict]]:
        def work() -> tuple[int, dict]:
            response = APIClient().post(
                "/api/readings/", body, format="json", HTTP_AUTHORIZATION=f"Token {token}"
            )
            return response.status_code, response.json()

        return work

    result = race([create(token) for _, token in voters[1 : THREADS + 1]])

    statuses = Counter(status for status, _ in result.results)
    assert statuses == {201: 1, 409: THREADS - 1}, result.results
    made = Reading.objects.get(claim=claim, definition=definition)
    (created,) = [body for status, body in result.results if status == 201]
    assert created["id"] == made.id
    assert (made.votes_up, made.votes_down) == (1, 0)
    for status, answer in result.results:
        if status == 409:
            assert answer["error"]["code"] == "duplicate_reading", answer
            assert answer["error"]["detail"] == {"reading": made.id}
    assert_jobs_healthy()


@pytest.mark.parametrize("deleted", ["reading", "claim"])
def test_votes_racing_a_deletion_get_a_404_not_a_500(voters, readings, deleted: str) -> None:
    """The owner deletes a reading, or the claim with two readings, while nineteen others vote
    on them and on a decomposition reading of the same thread: each vote either counts (before
    the delete) or finds no reading (after it), and nothing deadlocks."""
    if deleted == "reading":
        gone, path = [readings[1]], f"/api/readings/{readings[1].id}/"
    else:
        gone, path = readings[:2], f"/api/claims/{readings[0].claim_id}/"
    targets = [*gone, readings[3]]
    owner_token = voters[0][1]

    def delete() -> list[int]:
        return [APIClient().delete(path, HTTP_AUTHORIZATION=f"Token {owner_token}").status_code]

    work = [
        voter(token, [(targets[(n + k) % len(targets)].id, 1) for k in range(3)])
        for n, (_, token) in enumerate(voters[1:THREADS])
    ]
    result = race([delete, *work])

    assert result.results[0] == [204]
    statuses = Counter(s for thread in result.results[1:] for s in thread)
    assert set(statuses) <= {200, 404}, statuses
    assert not Reading.objects.filter(pk__in=[r.pk for r in gone]).exists()
    assert not Vote.objects.filter(reading__in=[r.pk for r in gone]).exists()
    assert_tallies_match(stored_ballots(), [r for r in readings if r not in gone])
    assert_jobs_healthy()


def test_readings_of_one_term_made_and_deleted_at_once_keep_its_claim_count(voters, readings):
    """Twenty users read the same claim with twenty senses of one term at once, then delete
    their readings at once: the term's claim count (a counter the claims list pages with) is
    1 and then 0, as a recount says, because each such write locks the claim first."""
    owner = voters[0][0]
    claim = readings[2].claim  # read with one sense of its own term by the owner
    term = make_term(owner, "reward")
    senses = [make_definition(owner, term, f"The reward, in sense number {n}.") for n in range(20)]

    def create(token: str, definition_id: int) -> Callable[[], int]:
        def work() -> int:
            body = {"claim": claim.id, "definition": definition_id}
            response = APIClient().post(
                "/api/readings/", body, format="json", HTTP_AUTHORIZATION=f"Token {token}"
            )
            return response.json()["id"] if response.status_code == 201 else response.status_code

        return work

    tokens = [token for _, token in voters[1 : THREADS + 1]]
    made = race([create(t, d.id) for t, d in zip(tokens, senses, strict=True)]).results
    assert all(isinstance(r, int) and Reading.objects.filter(pk=r).exists() for r in made)
    term.refresh_from_db()
    assert term.claim_count == 1

    def delete(token: str, reading_id: int) -> Callable[[], int]:
        return lambda: (
            APIClient()
            .delete(f"/api/readings/{reading_id}/", HTTP_AUTHORIZATION=f"Token {token}")
            .status_code
        )

    deleted = race([delete(t, r) for t, r in zip(tokens, made, strict=True)]).results
    assert deleted == [204] * THREADS
    term.refresh_from_db()
    assert term.claim_count == 0
    assert_jobs_healthy()

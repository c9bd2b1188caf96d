"""Each conflict kind, found by the real pipeline (snapshot -> rule -> upsert) on a mini-thread."""

import json

import pytest

from apps.annotations.models import Mention
from apps.annotations.services import claim_create, reading_create, reading_vote
from apps.conflicts import detection
from apps.conflicts.models import Conflict
from apps.conflicts.rules.base import SAMPLE_CLAIMS, SAMPLE_PAIRS
from apps.glossary.services import definitions_mark_equivalent
from tests.factories import (
    make_claim,
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
)

pytestmark = pytest.mark.django_db

TRAINING = "The reward ranks behaviour correctly on the training distribution."
INFINITE = "The reward would be right in the limit of infinite data, on every distribution."
DEPLOYMENT = "The learned policy behaves well on the deployment distribution."
FOLLOWS = "The trained model pursues the objective the reward function specifies."

EXCHANGE = (
    "Outer alignment is done once the reward ranks behaviour well on the training data.",
    "Then outer alignment is not done: it needs a reward that is right with infinite data.",
    "I think you two mean different things by outer alignment.",
)


@pytest.fixture
def exchange():
    """A comment, a reply to it, and a reply to the reply."""
    return make_thread(texts=EXCHANGE)


@pytest.fixture
def outer(alice):
    term = make_term(alice, "outer alignment")
    return term, make_definition(alice, term, TRAINING), make_definition(alice, term, INFINITE)


def comments(thread):
    return list(thread.comments.order_by("position"))


def agree(reading, *users):
    for user in users:
        reading_vote(reading=reading, user=user, value=1)


def disagree(reading, *users):
    for user in users:
        reading_vote(reading=reading, user=user, value=-1)


def detect(thread=None, term=None) -> list[Conflict]:
    keys = [f"thread:{thread.id}"] if thread else []
    keys += [f"term:{term.id}"] if term else []
    detection.run(keys)
    return list(Conflict.objects.order_by("kind", "id"))


def mention(comment, term, phrase: str) -> Mention:
    start = comment.text.lower().index(phrase.lower())
    end = start + len(phrase)
    return Mention.objects.create(
        comment=comment, term=term, start=start, end=end, text=comment.text[start:end]
    )


# Equivocation


def test_two_accepted_senses_in_a_reply_are_an_equivocation(exchange, outer, alice, bob, rita):
    term, training, infinite = outer
    first, second, _ = comments(exchange)
    claim_a, claim_b = make_claim(alice, first), make_claim(bob, second)
    agree(make_reading(alice, claim_a, training), rita)
    agree(make_reading(bob, claim_b, infinite), rita)

    [conflict] = detect(exchange)

    assert (conflict.kind, conflict.severity, conflict.status) == ("equivocation", 5, "open")
    assert (conflict.thread_id, conflict.term_id) == (exchange.id, term.id)
    assert conflict.evidence["reply_chain"] == [[claim_a.id, claim_b.id]]
    sides = conflict.evidence["senses"]
    assert [s["definitions"][0]["text"] for s in sides] == [TRAINING, INFINITE]
    assert sides[0]["claims"][0] | {"votes_up": 2, "votes_down": 0} == sides[0]["claims"][0]
    assert sides[1]["claims"][0]["author"] == second.author
    assert "talking past" in conflict.summary


def test_a_big_equivocation_quotes_a_sample_with_the_totals(outer, alice, bob):
    """Thirty claims a side in one reply chain: 900 pairs. The evidence quotes 20 claims a side
    and 10 pairs (the claims of those pairs among the quoted), and says how many there are."""
    _, training, infinite = outer
    thread = make_thread(texts=tuple(f"Reply {n}: outer alignment again." for n in range(60)))
    for n, comment in enumerate(comments(thread)):
        user, sense = (alice, training) if n % 2 else (bob, infinite)
        make_reading(user, make_claim(user, comment), sense)

    [conflict] = detect(thread)

    evidence = conflict.evidence
    assert [s["claims_total"] for s in evidence["senses"]] == [30, 30]
    assert [len(s["claims"]) for s in evidence["senses"]] == [SAMPLE_CLAIMS] * 2
    assert (evidence["reply_chain_total"], len(evidence["reply_chain"])) == (900, SAMPLE_PAIRS)
    quoted = {c["claim"] for side in evidence["senses"] for c in side["claims"]}
    assert {claim for pair in evidence["reply_chain"] for claim in pair} <= quoted
    assert len(json.dumps(evidence)) < 20_000


def test_senses_apart_in_the_tree_are_a_milder_equivocation(alice, bob, outer):
    thread = make_thread(texts=EXCHANGE)
    root, first, second = comments(thread)
    second.parent = root  # siblings: neither replies to the other
    second.save()
    _, training, infinite = outer
    make_reading(alice, make_claim(alice, first), training)
    make_reading(bob, make_claim(bob, second), infinite)

    [conflict] = detect(thread)
    assert (conflict.kind, conflict.severity, conflict.evidence["reply_chain"]) == (
        "equivocation",
        4,
        [],
    )


def test_equivalent_or_near_identical_senses_are_no_equivocation(exchange, outer, alice, bob, rita):
    term, training, infinite = outer
    reworded = make_definition(alice, term, TRAINING.replace("behaviour", "behavior").lower())
    first, second, third = comments(exchange)
    make_reading(alice, make_claim(alice, first), training)
    make_reading(bob, make_claim(bob, second), reworded)  # same sense, other words
    definitions_mark_equivalent(user=rita, definition=training, other=infinite)
    make_reading(bob, make_claim(bob, third), infinite)  # marked the same sense

    assert detect(exchange) == []


def test_readings_without_consensus_are_no_equivocation(exchange, outer, alice, bob, rita):
    _, training, infinite = outer
    first, second, _ = comments(exchange)
    make_reading(alice, make_claim(alice, first), training)
    rejected = make_reading(bob, make_claim(bob, second), infinite)
    disagree(rejected, alice, rita)  # 1 for, 2 against

    assert detect(exchange) == []


# Decomposition mismatch


@pytest.fixture
def splits(alice, outer):
    _, training, infinite = outer
    inner = make_term(alice, "inner alignment")
    deployment = make_definition(alice, inner, DEPLOYMENT)
    follows = make_definition(alice, inner, FOLLOWS)
    return (
        make_decomposition(alice, "Training-distribution split", [training, deployment]),
        make_decomposition(alice, "Infinite-data split", [infinite, follows]),
    )


def decomposition_reading(user, claim, decomposition):
    return reading_create(user=user, claim=claim, decomposition=decomposition)


def test_reply_assuming_another_decomposition_is_a_mismatch(exchange, splits, alice, bob, rita):
    training_split, infinite_split = splits
    first, second, _ = comments(exchange)
    claim_a, claim_b = make_claim(alice, first), make_claim(bob, second)
    agree(decomposition_reading(alice, claim_a, training_split), rita)
    agree(decomposition_reading(bob, claim_b, infinite_split), rita)

    [conflict] = detect(exchange)

    assert (conflict.kind, conflict.severity) == ("decomposition_mismatch", 4)
    assert [d["name"] for d in conflict.evidence["decompositions"]] == [
        "Training-distribution split",
        "Infinite-data split",
    ]
    assert [t["name"] for t in conflict.evidence["shared_terms"]] == [
        "outer alignment",
        "inner alignment",
    ]
    assert conflict.evidence["reply_chain"] == [[claim_a.id, claim_b.id]]


def test_same_decomposition_or_unrelated_comments_are_no_mismatch(splits, alice, bob):
    training_split, infinite_split = splits
    thread = make_thread(texts=EXCHANGE)
    root, first, second = comments(thread)
    second.parent = root
    second.save()
    decomposition_reading(alice, make_claim(alice, root), training_split)
    decomposition_reading(bob, make_claim(bob, first), training_split)  # agrees with its parent
    decomposition_reading(bob, make_claim(bob, second), infinite_split)  # but replies to root...

    conflicts = detect(thread)
    # ...so only root and its second reply differ along a reply chain.
    assert [(c.kind, c.evidence["reply_chain"]) for c in conflicts] == [
        ("decomposition_mismatch", [[root.claims.get().id, second.claims.get().id]])
    ]


# Contested reading


def test_split_votes_on_a_sense_are_a_contested_reading(
    exchange, outer, alice, bob, rita, admin_user
):
    _, training, _ = outer
    claim = make_claim(alice, comments(exchange)[0])
    reading = make_reading(alice, claim, training)
    agree(reading, admin_user)
    disagree(reading, bob, rita)

    [conflict] = detect(exchange)

    assert (conflict.kind, conflict.severity) == ("contested_reading", 3)
    assert (conflict.evidence["votes_up"], conflict.evidence["votes_down"]) == (2, 2)
    assert conflict.evidence["definition"]["text"] == TRAINING
    assert conflict.evidence["claim"]["quote"] == claim.quote


def test_split_votes_on_a_decomposition_are_a_contested_reading(exchange, splits, alice, bob):
    claim = make_claim(alice, comments(exchange)[0])
    disagree(decomposition_reading(alice, claim, splits[0]), bob)

    [conflict] = detect(exchange)

    assert (conflict.kind, conflict.term_id) == ("contested_reading", None)
    assert conflict.evidence["decomposition"]["name"] == "Training-distribution split"


# Ambiguous usage


def test_using_a_term_with_several_senses_unread_is_ambiguous(exchange, outer, alice):
    term, _, _ = outer
    third = comments(exchange)[2]
    claim = make_claim(alice, third)
    mention(third, term, "outer alignment")

    [conflict] = detect(exchange)

    assert (conflict.kind, conflict.severity, conflict.term_id) == ("ambiguous_usage", 2, term.id)
    assert conflict.evidence["claim"]["claim"] == claim.id
    assert [s["text"] for s in conflict.evidence["senses"]] == [TRAINING, INFINITE]


def test_a_settled_claim_is_not_ambiguous(exchange, outer, splits, alice, bob):
    term, training, _ = outer
    first, second, third = comments(exchange)
    for comment in (first, second, third):
        mention(comment, term, "outer alignment")
    make_reading(alice, make_claim(alice, first), training)  # read explicitly
    decomposition_reading(bob, make_claim(bob, second), splits[1])  # fixed by a decomposition
    stated = make_claim(alice, third)
    training.source_claim = stated  # states a definition of the term itself
    training.save()

    assert [c.kind for c in detect(exchange)] == []


def test_a_term_with_one_sense_or_a_rejected_mention_is_not_ambiguous(exchange, alice):
    term = make_term(alice, "outer alignment")
    make_definition(alice, term, TRAINING)
    first, _, third = comments(exchange)
    make_claim(alice, first)
    mention(first, term, "Outer alignment")
    assert detect(exchange) == []

    make_definition(alice, term, INFINITE)
    make_claim(alice, third)
    rejected = mention(third, term, "outer alignment")
    rejected.status = Mention.Status.REJECTED
    rejected.save()
    assert [c.evidence["claim"]["claim"] for c in detect(exchange)] == [first.claims.get().id]


def test_a_mention_outside_the_claim_does_not_count(exchange, outer, alice):
    term, _, _ = outer
    first = comments(exchange)[0]
    claim_create(
        user=alice, comment=first, start=first.text.index("the reward"), end=len(first.text)
    )
    mention(first, term, "Outer alignment")  # before the claim's span
    assert detect(exchange) == []


# Synonym candidate


def test_near_identical_definitions_of_two_terms_are_synonym_candidates(alice):
    inner = make_term(alice, "inner alignment")
    robust = make_term(alice, "objective robustness")
    make_definition(alice, inner, "The policy's behavioural objective matches the base objective.")
    make_definition(alice, robust, "The policy's behavioral objective matches the base objective")

    [conflict] = detect(term=inner)

    assert (conflict.kind, conflict.severity) == ("synonym_candidate", 1)
    assert (conflict.term_id, conflict.other_term_id) == (inner.id, robust.id)
    assert [t["name"] for t in conflict.evidence["terms"]] == [
        "inner alignment",
        "objective robustness",
    ]
    assert conflict.evidence["pairs"][0]["similarity"] >= 0.85
    # The other term's unit finds the same conflict, not a second one.
    assert detect(term=robust) == [conflict]


def test_definitions_marked_equivalent_across_terms_are_stronger_candidates(alice, rita):
    inner = make_term(alice, "inner alignment")
    robust = make_term(alice, "objective robustness")
    a = make_definition(alice, inner, DEPLOYMENT)
    b = make_definition(alice, robust, "Good behaviour survives the shift to new inputs.")
    assert detect(term=inner) == []

    definitions_mark_equivalent(user=rita, definition=a, other=b)
    [conflict] = detect(term=robust)
    assert (conflict.severity, conflict.evidence["pairs"][0]["marked_equivalent"]) == (2, True)


def test_equivalence_marks_count_through_another_terms_definition(
    exchange, outer, alice, bob, rita
):
    _, training, infinite = outer
    bridge = make_definition(alice, make_term(alice, "robustness"), "a sense both are marked as")
    definitions_mark_equivalent(user=rita, definition=training, other=bridge)
    definitions_mark_equivalent(user=rita, definition=bridge, other=infinite)
    first, second, _ = comments(exchange)
    make_reading(alice, make_claim(alice, first), training)
    make_reading(bob, make_claim(bob, second), infinite)

    assert [c.kind for c in detect(exchange)] == []

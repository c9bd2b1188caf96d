import pytest

from apps.conflicts.policy import NEAR_IDENTICAL, Consensus, consensus, text_similarity


@pytest.mark.parametrize(
    ("up", "down", "expected"),
    [
        (0, 0, Consensus.NONE),
        (1, 0, Consensus.ACCEPTED),
        (3, 0, Consensus.ACCEPTED),
        (2, 1, Consensus.ACCEPTED),
        (4, 2, Consensus.ACCEPTED),
        (1, 1, Consensus.CONTESTED),
        (2, 2, Consensus.CONTESTED),
        (3, 2, Consensus.CONTESTED),
        (2, 3, Consensus.CONTESTED),
        (0, 1, Consensus.REJECTED),
        (1, 2, Consensus.REJECTED),
        (1, 4, Consensus.REJECTED),
    ],
)
def test_consensus_rule(up: int, down: int, expected: Consensus) -> None:
    assert consensus(up, down) == expected


def test_rewording_punctuation_and_spelling_is_the_same_sense() -> None:
    a = "The reward function incentivises good behaviour on the training distribution."
    b = "the reward function incentivizes good behaviour on the training distributions"
    assert text_similarity(a, b) >= NEAR_IDENTICAL


def test_different_senses_are_not_near_identical() -> None:
    training = "The reward function incentivizes good behaviour on the training distribution."
    limit = "The reward function incentivizes good behaviour in the limit of infinite data."
    assert text_similarity(training, limit) < NEAR_IDENTICAL

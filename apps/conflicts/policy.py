"""The rules of judgement the conflict engine applies, written down in one place.

Consensus of a reading, from its votes (a person's reading starts with their own +1):

- accepted:  at least one agreeing vote and at least twice as many agreeing as disagreeing
             votes (2/3 or more agree): 1-0, 2-1, 3-0, 4-2 are accepted;
- rejected:  the mirror image: at least one disagreeing vote and 2/3 or more disagree;
- contested: any other split with at least two votes: 1-1, 2-2, 3-2;
- none:      no votes at all (a machine suggestion nobody has voted on).

Severity, 1 (lowest) to 5, orders the review queue:

- equivocation: 5 when one claim is in the reply chain of the other (the two people are
  talking past each other), 4 otherwise;
- decomposition mismatch: 4;
- contested reading: 3;
- ambiguous usage: 2;
- synonym candidate: 2 when a reviewer marked the definitions equivalent, 1 when only their
  texts are near-identical.

Two definitions are the same sense ("equivalent") when they are the same definition, when a
reviewer marked them equivalent (directly or through a chain of such marks), or when their texts
are near-identical: a similarity of at least NEAR_IDENTICAL, where similarity is rapidfuzz's
normalised Indel ratio (1 - edit distance with insertions and deletions / total length) of the
two texts after case-folding, dropping punctuation and folding -ise/-ize spellings and plurals,
so rewording a definition's punctuation or spelling does not make it a new sense.
"""

import re
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz, process

from apps.glossary.normalize import normalize_term

NEAR_IDENTICAL = 0.85

_WORDS = re.compile(r"\w+")


class Consensus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CONTESTED = "contested"
    NONE = "none"


def consensus(up: int, down: int) -> Consensus:
    if up + down == 0:
        return Consensus.NONE
    if up >= 1 and up >= 2 * down:
        return Consensus.ACCEPTED
    if down >= 1 and down >= 2 * up:
        return Consensus.REJECTED
    return Consensus.CONTESTED


class Severity:
    EQUIVOCATION_IN_REPLY_CHAIN = 5
    EQUIVOCATION = 4
    DECOMPOSITION_MISMATCH = 4
    CONTESTED_READING = 3
    AMBIGUOUS_USAGE = 2
    SYNONYM_MARKED = 2
    SYNONYM_NEAR_IDENTICAL = 1


@lru_cache(maxsize=65536)
def comparable_text(text: str) -> str:
    # Cached: detection compares a term's definitions again for every thread that reads it.
    return " ".join(_comparable_word(word) for word in _WORDS.findall(text.casefold()))


# Words recur from definition to definition: a rescan's process normalises every definition
# of the glossary once, and did each word again each time (a tenth of its first chunks).
_comparable_word = lru_cache(maxsize=65536)(normalize_term)


def text_similarity(a: str, b: str) -> float:
    """0..1; at least NEAR_IDENTICAL means the texts state the same sense."""
    return fuzz.ratio(comparable_text(a), comparable_text(b)) / 100


def near_identical_pairs(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs (i, j), i < j, of near-identical texts (text_similarity at least
    NEAR_IDENTICAL), each text compared with the later ones in one C-level pass."""
    comparable = [comparable_text(text) for text in texts]
    pairs = []
    for i, text in enumerate(comparable[:-1]):
        # The cutoff only prunes; the test below is text_similarity's, exactly.
        for _, score, j in process.extract(
            text,
            comparable[i + 1 :],
            scorer=fuzz.ratio,
            score_cutoff=NEAR_IDENTICAL * 100 - 1,
            limit=None,
        ):
            if score / 100 >= NEAR_IDENTICAL:
                pairs.append((i, i + 1 + j))
    return pairs

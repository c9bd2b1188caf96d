"""Synthetic text for the benchmark corpus: pseudo-words, sentences, term names.

Nothing here is copied from a forum: words are made from syllables, with Zipf-distributed
frequencies. Term words and filler words come from disjoint letter sets (term words always
hold one of j, k, q, x, z; filler words never do), so a term can only occur in a text where
the generator put it, and the corpus's mentions are exactly what the term matcher finds.
"""

import random
from itertools import accumulate

from apps.glossary.normalize import normalize_term

FILLER_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "br",
    "cl",
    "dr",
    "fl",
    "gr",
    "pl",
    "pr",
    "st",
    "tr",
]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
TERM_ONSETS = ["j", "k", "q", "x", "z", "kr", "zh", "xa", "qu"]
TERM_CODAS = ["", "", "n", "r", "l", "k", "t"]
# Short English words give sentences a familiar rhythm; none holds j, k, q, x or z.
FUNCTION_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "that",
    "it",
    "is",
    "was",
    "for",
    "on",
    "as",
    "with",
    "be",
    "by",
    "this",
    "not",
    "but",
    "are",
    "or",
    "an",
    "at",
    "we",
    "if",
    "so",
    "what",
    "all",
    "would",
    "there",
    "their",
    "one",
    "can",
    "more",
    "about",
    "which",
    "when",
    "then",
    "than",
]


def zipf_weights(n: int, exponent: float = 1.1) -> list[float]:
    """Cumulative Zipf weights for ranks 1..n, for random.choices(cum_weights=...)."""
    return list(accumulate(1.0 / (rank**exponent) for rank in range(1, n + 1)))


def _filler_word(rng: random.Random) -> str:
    syllables = rng.choice((1, 2, 2, 3))
    word = "".join(rng.choice(FILLER_ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
    # No word ends in "s" or "-ise"/"-ize", so plural and spelling folding never join two.
    return word + rng.choice(("", "n", "r", "l", "t", "m"))


def _term_word(rng: random.Random) -> str:
    first = rng.choice(TERM_ONSETS) + rng.choice(VOWELS)
    rest = "".join(
        rng.choice(FILLER_ONSETS + TERM_ONSETS) + rng.choice(VOWELS)
        for _ in range(rng.choice((0, 1, 1, 2)))
    )
    return first + rest + rng.choice(TERM_CODAS)


class Vocabulary:
    """Filler words with Zipf frequencies, and sentence parts drawn from them."""

    def __init__(self, rng: random.Random, words: int = 6000, pool: int = 20000) -> None:
        self.rng = rng
        unique = {_filler_word(rng) for _ in range(words * 2)}
        ordered = FUNCTION_WORDS + sorted(unique - set(FUNCTION_WORDS))[:words]
        rng.shuffle(ordered[len(FUNCTION_WORDS) :])
        self.words = ordered
        self._cum = zipf_weights(len(ordered))
        # Pools of ready-made sentences and sentence halves keep generation cheap: a comment
        # is assembled from them, not word by word.
        self.sentences = [self._sentence(8, 18) for _ in range(pool)]
        self.heads = [self._fragment(3, 8, capital=True) for _ in range(pool // 2)]
        self.tails = [self._fragment(3, 9) + "." for _ in range(pool // 2)]

    def _words(self, low: int, high: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self._cum, k=self.rng.randint(low, high))

    def _fragment(self, low: int, high: int, capital: bool = False) -> str:
        text = " ".join(self._words(low, high))
        return text[0].upper() + text[1:] if capital else text

    def _sentence(self, low: int, high: int) -> str:
        return self._fragment(low, high, capital=True) + self.rng.choice(".....?!")

    def phrase(self, low: int, high: int) -> str:
        """A fresh sentence (definitions, titles), not from the pool."""
        return self._fragment(low, high, capital=True)


def term_names(rng: random.Random, count: int) -> list[str]:
    """`count` term names of two or three term words, distinct as normalised keys (so also
    across -ise/-ize spellings, which the glossary treats as one name)."""
    words = sorted({_term_word(rng) for _ in range(max(64, count))})
    names: dict[str, str] = {}
    while len(names) < count:
        size = 2 if rng.random() < 0.8 else 3
        name = " ".join(rng.choice(words) for _ in range(size))
        names.setdefault(normalize_term(name), name)
    ordered = sorted(names.values())
    rng.shuffle(ordered)
    return ordered

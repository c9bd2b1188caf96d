"""Term normalisation: the key under which spelling variants of a term meet.

Two surface forms are variants of one another when they normalise to the same key: case,
hyphens/underscores versus spaces, British versus American -ise/-ize spellings and a plural
last word all fold away ("Mesa-Optimisers" and "mesa optimizer" share "mesa optimizer").
"""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/]+")
_EDGE_PUNCTUATION = "\"'“”‘’.,;:!?()[]{}"
# Longest suffixes first so "-isation" is not read as "-is" + "ation".
BRITISH_AMERICAN = [
    ("isations", "izations"),
    ("isation", "ization"),
    ("isers", "izers"),
    ("iser", "izer"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ise", "ize"),
]
_NOT_PLURAL = ("ss", "us", "is", "ics")


# Short words ("rise", "wise", "noise") are not -ise verbs; their stems are spared.
MIN_STEM = 3


def americanise(word: str) -> str:
    for british, american in BRITISH_AMERICAN:
        if word.endswith(british) and len(word) - len(british) >= MIN_STEM:
            return word[: -len(british)] + american
    return word


def singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(_NOT_PLURAL):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def normalize_term(text: str) -> str:
    """The comparison key of a term or alias; "" when nothing word-like is left."""
    folded = unicodedata.normalize("NFKC", text).casefold().strip().strip(_EDGE_PUNCTUATION)
    words = [americanise(w) for w in _SEPARATORS.split(folded) if w]
    if words:
        words[-1] = singular(words[-1])
    return " ".join(words)

"""The term matcher: every occurrence of every known term variant in a text, with offsets.

Design (chosen for throughput with tens of thousands of aliases over millions of comments):

- All variants of all terms go into one Aho-Corasick automaton (pyahocorasick), so a text is
  scanned once whatever the number of aliases; a regular expression per term, or one huge
  alternation, is orders of magnitude slower.
- The text is normalised with ONE `str.translate` (C speed) whose table maps every character
  to exactly one character: letters and digits to their lower case (when that is a single
  character), everything else to a space. Because the mapping is length-preserving, an offset
  in the normalised text is the same offset in the original, so no offset map is needed.
- Patterns are normalised the same way, with separator runs folded to one space, and padded
  with a space on each side; the normalised text is padded too. A hit then always starts and
  ends at a non-alphanumeric character, i.e. on word boundaries, without a Python-level check
  per hit: "alignment" cannot match inside "misalignment".
- Spelling tolerance lives in the patterns, not the text: each surface form is expanded into
  its -ise/-ize variants and the singular/plural forms of its last word.

A consequence of not collapsing the text: words of a multi-word term must be separated by
exactly one separator character in the text ("outer alignment", "outer-alignment"); punctuation
between them ("outer, alignment") or a run of separators ("outer -- alignment") does not match,
which is also what keeps matches from crossing clause boundaries.
"""

import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from typing import Any

import ahocorasick
from django.db.models import Count, Max

from apps.glossary.models import TermAlias
from apps.glossary.normalize import BRITISH_AMERICAN, MIN_STEM, singular


def _classify(code: int) -> int:
    """The one character `code` becomes: its lower case, itself, or a space."""
    char = chr(code)
    # Combining marks belong to the letter before them (a decomposed "naïve" is one word).
    if char.isalnum() or unicodedata.category(char).startswith("M"):
        lower = char.lower()
        # "İ".lower() is two characters: keep such letters as they are, to preserve length.
        return ord(lower) if len(lower) == 1 else code
    return 0x20


class _Table(dict[int, int]):
    """The translate table, filled lazily: a code point is classified the first time it is
    seen and cached, so the table stays small while covering all of Unicode."""

    def __missing__(self, code: int) -> int:
        value = self[code] = _classify(code)
        return value


# Latin, punctuation and the common symbols up front so most texts never reach __missing__.
_TABLE = _Table((code, _classify(code)) for code in [*range(0x250), *range(0x2000, 0x2070)])


def normalise_text(text: str) -> str:
    """Lower-cased text with every non-alphanumeric character as a space; same length."""
    return text.translate(_TABLE)


@dataclass(frozen=True)
class Match:
    term_id: int
    start: int
    end: int
    text: str


def _spellings(word: str) -> set[str]:
    """The word and its other -ise/-ize spelling, when it has one."""
    for british, american in BRITISH_AMERICAN:
        for suffix, other in ((british, american), (american, british)):
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                return {word, word[: -len(suffix)] + other}
    return {word}


def _numbers(word: str) -> set[str]:
    """The word with its singular and plural forms (regular English plurals only)."""
    one = singular(word)
    forms = {word, one}
    if one.endswith("ics"):
        pass  # "ethics", "economics": no other number
    elif one.endswith("is") and len(one) > 3:
        forms.add(one[:-2] + "es")  # analysis, analyses
    elif one.endswith("y") and len(one) > 2 and one[-2] not in "aeiou":
        forms.add(one[:-1] + "ies")  # policy, policies
    elif one.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(one + "es")
    else:
        forms.add(one + "s")
    return forms


def pattern_words(surface: str) -> list[str]:
    """The surface form as the matcher sees it: normalised words."""
    return normalise_text(surface).split()


def variants(surface: str) -> set[str]:
    """Every spelling of `surface` the matcher accepts, as normalised space-joined words."""
    words = pattern_words(surface)
    if not words:
        return set()
    choices = [_spellings(w) for w in words]
    choices[-1] = {form for spelling in choices[-1] for form in _numbers(spelling)}
    return {" ".join(combination) for combination in product(*choices)}


class TermMatcher:
    """Finds term variants in texts; build once per glossary state, use for many texts."""

    def __init__(self, pairs: Iterable[tuple[int, str]]) -> None:
        exact: dict[str, int] = {}
        derived: dict[str, int] = {}
        for term_id, surface in pairs:
            words = pattern_words(surface)
            if not words:
                continue
            exact.setdefault(" ".join(words), term_id)
            for variant in variants(surface):
                derived.setdefault(variant, term_id)
        # A form someone typed wins over a spelling generated from another term's form.
        patterns = {**derived, **exact}
        self.pattern_count = len(patterns)
        self._automaton: Any = ahocorasick.Automaton()
        for pattern, term_id in patterns.items():
            padded = f" {pattern} "
            self._automaton.add_word(padded, (term_id, len(padded)))
        if patterns:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Every match in `text`, in order; `text[m.start:m.end]` is the original surface.

        Of overlapping matches, the longest at a position wins and a match inside a longer
        one (of any term) is dropped: "inner alignment" hides the "alignment" within it."""
        if not self.pattern_count or not text:
            return []
        padded = f" {normalise_text(text)} "
        hits = []
        for last, (term_id, length) in self._automaton.iter(padded):
            # `last` indexes the pattern's trailing pad in `padded`; the padded text is one
            # character ahead of the original, which cancels the leading pad.
            hits.append((last - length + 1, last - 1, term_id))
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        matches = []
        reach = -1
        for start, end, term_id in hits:
            if end <= reach:
                continue  # inside a longer match already kept
            reach = end
            matches.append(Match(term_id=term_id, start=start, end=end, text=text[start:end]))
        return matches


# Per-process cache of built matchers: building one for tens of thousands of aliases takes a
# noticeable fraction of a second, and a suggestion job runs per thread.
_CACHE_SIZE = 8
_cache: OrderedDict[int, tuple[tuple[Any, ...], TermMatcher]] = OrderedDict()
_cache_lock = threading.Lock()


def matcher_for_workspace(workspace_id: int) -> TermMatcher:
    """The matcher for a workspace's glossary, rebuilt when the glossary changed.

    The cache key is (alias count, highest alias id, latest term change): term updates replace
    their alias rows, so any added, removed or renamed variant changes the key."""
    aliases = TermAlias.objects.filter(workspace_id=workspace_id)
    state = aliases.aggregate(n=Count("id"), top=Max("id"), changed=Max("term__updated_at"))
    key = (state["n"], state["top"], state["changed"])
    with _cache_lock:
        cached = _cache.get(workspace_id)
        if cached is not None and cached[0] == key:
            _cache.move_to_end(workspace_id)
            return cached[1]
    rows = aliases.order_by("term_id", "-is_canonical", "id").values_list("term_id", "text")
    matcher = TermMatcher(rows)
    with _cache_lock:
        _cache[workspace_id] = (key, matcher)
        _cache.move_to_end(workspace_id)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return matcher

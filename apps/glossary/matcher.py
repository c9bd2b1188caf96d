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
- Texts are matched in batches (`find_many`; `find` is a batch of one): a batch is joined with
  two spaces between texts (no pattern has two spaces in a row, so no hit spans two texts),
  normalised by one `translate` and scanned by one `Automaton.iter`. Comments are a few hundred
  characters, so per-call costs (padding, translate, the automaton's iterator) would otherwise
  outweigh the scan. A hit goes to its text by bisecting the texts' offsets.
- Of overlapping hits, a hit inside another is dropped, the others kept (adjacent terms share
  their pad and are both found; partly overlapping ones too). `iter` reports hits in order of
  their end, so one pass decides it, comparing a hit with the last matches kept: no sort, no
  list of hits. (`iter_long`, leftmost-longest, would drop adjacent and partly overlapping
  matches.) `Match` is a NamedTuple, the cheapest object with named fields to build per match.

A consequence of not collapsing the text: words of a multi-word term must be separated by
exactly one separator character in the text ("outer alignment", "outer-alignment"); punctuation
between them ("outer, alignment") or a run of separators ("outer -- alignment") does not match,
which is also what keeps matches from crossing clause boundaries.
"""

import threading
import unicodedata
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from itertools import accumulate, product
from typing import Any, NamedTuple

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


# Characters per batch of `find_many`: enough to amortise the per-call costs, few enough that
# a batch's copies (joined, normalised, and pyahocorasick's 4-byte one) stay around a MB.
_BATCH_CHARS = 1 << 18


def normalise_text(text: str) -> str:
    """Lower-cased text with every non-alphanumeric character as a space; same length."""
    return text.translate(_TABLE)


class Match(NamedTuple):
    term_id: int
    start: int
    end: int
    text: str


_new_tuple = tuple.__new__


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
            # The pattern's own length: a hit ends on its trailing pad, at `last`, so the
            # match is joined[last - length:last].
            self._automaton.add_word(padded, (term_id, len(padded) - 2))
        if patterns:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Every match in `text`, in order; `text[m.start:m.end]` is the original surface.

        Of overlapping matches, the longest at a position wins and a match inside a longer
        one (of any term) is dropped: "inner alignment" hides the "alignment" within it."""
        return self._find_batch([text])[0]

    def find_many(self, texts: Iterable[str]) -> list[list[Match]]:
        """`find` of each text, in one pass per batch of texts: far cheaper than a call per
        text when texts are short (a comment is a few hundred characters)."""
        results: list[list[Match]] = []
        batch: list[str] = []
        size = 0
        for text in texts:
            batch.append(text)
            size += len(text)
            if size >= _BATCH_CHARS:
                results += self._find_batch(batch)
                batch, size = [], 0
        if batch:
            results += self._find_batch(batch)
        return results

    def _find_batch(self, texts: list[str]) -> list[list[Match]]:
        found: list[list[Match]] = [[] for _ in texts]
        if not self.pattern_count:
            return found
        # Texts joined by TWO spaces: a pattern's words are separated by single spaces, so
        # no hit spans two texts, while each text still has a space (a pad) on either side.
        joined = " " + "  ".join(texts) + " "
        # Where each text begins in `joined`: after the leading pad, each text and two spaces.
        starts = list(accumulate(map((2).__add__, map(len, texts)), initial=1))
        # Hits come in order of their end. A hit inside another is dropped, so the matches kept
        # never contain one another and are ordered by start too: a new hit can only be inside
        # the last match kept (when it ends there too), or contain the last few (which then
        # start within it, in its text).
        kept_start = kept_end = -1
        offset = following = 0  # where the current text starts, and where the next does
        for last, (term_id, length) in self._automaton.iter(joined.translate(_TABLE)):
            # `last` indexes the pattern's trailing pad: the match is joined[start:last].
            start = last - length
            if start > kept_start:
                if last == kept_end:
                    continue
                if start >= following:  # in a later text than the last hit
                    index = bisect_right(starts, start) - 1
                    offset, following = starts[index], starts[index + 1]
                    matches = found[index]
            else:
                while matches and matches[-1].start >= start - offset:
                    matches.pop()
            # tuple.__new__ directly: Match(...) adds a Python call per match (5% of a scan).
            matches.append(
                _new_tuple(Match, (term_id, start - offset, last - offset, joined[start:last]))
            )
            kept_start, kept_end = start, last
        return found


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

"""The term matcher: every occurrence of every known term variant in a text, with offsets.

Design (chosen for throughput with tens of thousands of aliases over millions of comments):

- All variants of all terms go into one Aho-Corasick automaton, so a text is scanned once
  whatever the number of aliases; a regular expression per term, or one huge alternation, is
  orders of magnitude slower. It is daachorse's double-array automaton over UTF-8 bytes: its
  2-gram prefilter skips text where no pattern can start, and one call returns a batch's hits
  as a list instead of handing each to a Python loop. At 50k aliases (100k patterns) over
  11 MB it finds the hits in 0.03 s and builds in 0.3-0.5 s (the whole matcher in 0.8 s, as
  with pyahocorasick); ahocorasick-rs takes 0.05 s, pyahocorasick's iterator 0.11 s, Hyperscan
  0.04 s but 3.5 s to compile (a matcher is rebuilt in every worker after every glossary
  change) and a Python callback per hit.
- The text is normalised to a text of the same length, each character mapped to exactly one:
  letters and digits to their lower case (when that is a single character), everything else
  to a space. An offset in the normalised text is then the same offset in the original, so no
  offset map is needed. ASCII text is mapped by one `bytes.translate`; other text through a
  code point table in numpy, because `str.translate` looks a non-ASCII text up character by
  character (27 MB/s, slower than all the rest together), and one curly quote makes a batch
  non-ASCII.
- The automaton gives byte offsets into the normalised UTF-8; when that has multi-byte
  characters (it is longer than the text), an offset becomes a character offset by
  subtracting the continuation bytes before it.
- Patterns are normalised the same way, with separator runs folded to one space, and padded
  with a space on each side; the normalised text is padded too. A hit then always starts and
  ends at a non-alphanumeric character, i.e. on word boundaries, without a check per hit:
  "alignment" cannot match inside "misalignment".
- Spelling tolerance lives in the patterns, not the text: each surface form is expanded into
  its -ise/-ize variants and the singular/plural forms of its last word.
- Texts are matched in batches (`find_many`; `find` is a batch of one): a batch is joined with
  two spaces between texts (no pattern has two spaces in a row, so no hit spans two texts),
  normalised and scanned once. Comments are a few hundred characters, so per-call costs
  (padding, normalising, scanning, numpy's calls) would otherwise outweigh the scan.
- Hits are processed in numpy, without a Python step per hit. Of overlapping hits, a hit
  inside another is dropped, the others kept (adjacent terms share their pad and are both
  found; partly overlapping ones too): the automaton reports only the longest hit ending at a
  position (the others end there inside it), and the rest are sorted by start, longest first,
  so that a hit is inside another exactly when an earlier one reaches as far. (A
  leftmost-longest scan would drop adjacent and partly overlapping matches.) A hit goes to
  its text by `searchsorted` on the texts' offsets. `Match` is a NamedTuple, the cheapest
  object with named fields to build per match. Building those and each text's list (by
  C-level iteration), and the garbage collections so many new objects set off, are most of
  the time left.

A consequence of not collapsing the text: words of a multi-word term must be separated by
exactly one separator character in the text ("outer alignment", "outer-alignment"); punctuation
between them ("outer, alignment") or a run of separators ("outer -- alignment") does not match,
which is also what keeps matches from crossing clause boundaries.
"""

import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from itertools import chain, product, repeat
from typing import Any, NamedTuple

import daachorse
import numpy as np
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


# ASCII bytes to what they become (the other half of the table is never looked up).
_ASCII = bytes(map(_classify, range(0x80))) + bytes(0x80)
# Every code point to what it becomes, filled as code points are first seen: 0 is "not seen
# yet" (no character becomes U+0000). Of its 4 MB, only the pages looked up take memory.
_CODES = np.zeros(0x110000, np.uint32)


def _normalised(text: str) -> bytes:
    """`normalise_text(text)` in UTF-8: what the automaton scans."""
    if text.isascii():
        return text.encode().translate(_ASCII)
    # surrogatepass: a lone surrogate (no character) is a code point like any other here.
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    mapped = _CODES.take(codes)
    unseen = codes[mapped == 0]
    if len(unseen):
        for code in np.unique(unseen).tolist():
            _CODES[code] = _classify(code)
        mapped = _CODES.take(codes)
    return mapped.tobytes().decode("utf-32-le").encode()


# Characters per batch of `find_many`: enough to amortise the per-call costs, few enough that
# a batch's copies (joined, its UTF-8 and, for non-ASCII text, four bytes a character) stay
# around a few MB.
_BATCH_CHARS = 1 << 18


def normalise_text(text: str) -> str:
    """Lower-cased text with every non-alphanumeric character as a space; same length."""
    return _normalised(text).decode()


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
        # The term of each pattern, by the pattern's index in the automaton.
        self._terms = np.fromiter(patterns.values(), np.int64, len(patterns))
        self._automaton = daachorse.DoubleArrayAhoCorasick(
            [f" {pattern} ".encode() for pattern in patterns]
        )

    def find(self, text: str) -> list[Match]:
        """Every match in `text`, in order; `text[m.start:m.end]` is the original surface.

        Of overlapping matches, the longest at a position wins and a match inside a longer
        one (of any term) is dropped: "inner alignment" hides the "alignment" within it."""
        return self._find_batch([text], np.array([len(text)]))[0]

    def find_many(self, texts: Iterable[str]) -> list[list[Match]]:
        """`find` of each text, in one pass per batch of texts: far cheaper than a call per
        text when texts are short (a comment is a few hundred characters)."""
        listed = list(texts)
        lengths = np.fromiter(map(len, listed), np.int64, len(listed))
        ends = np.cumsum(lengths)
        results: list[list[Match]] = []
        first = 0
        while first < len(listed):
            # As many texts as fit in a batch, at least one.
            base = ends[first - 1] if first else 0
            stop = max(int(ends.searchsorted(base + _BATCH_CHARS, "right")), first + 1)
            results += self._find_batch(listed[first:stop], lengths[first:stop])
            first = stop
        return results

    def _find_batch(self, texts: list[str], lengths: np.ndarray) -> list[list[Match]]:
        # Texts joined by TWO spaces: a pattern's words are separated by single spaces, so
        # no hit spans two texts, while each text still has a space (a pad) on either side.
        joined = " " + "  ".join(texts) + " "
        normalised = _normalised(joined)
        hits = self._automaton.find_overlapping_no_suffix(normalised)
        if not hits:
            return [[] for _ in texts]
        flat = np.fromiter(chain.from_iterable(hits), np.int64, 3 * len(hits))
        start, end, pattern = flat.reshape(-1, 3).T
        # A hit spans the pattern's pads: the match is the byte after the first to the last.
        start = start + 1
        end = end - 1
        if len(normalised) != len(joined):  # multi-byte characters: bytes to characters
            continuation = np.flatnonzero((np.frombuffer(normalised, np.uint8) & 0xC0) == 0x80)
            start -= continuation.searchsorted(start)
            end -= continuation.searchsorted(end)
        # By start, the longer first: a hit is inside another exactly when an earlier one
        # reaches as far as it does (no two hits have the same span: one pattern per span).
        order = np.lexsort((-end, start))
        start, end, pattern = start[order], end[order], pattern[order]
        kept = np.ones(len(start), bool)
        np.less(np.maximum.accumulate(end[:-1]), end[1:], out=kept[1:])
        start, end, pattern = start[kept], end[kept], pattern[kept]
        # Where each text begins in `joined`: after the leading pad, each text and two spaces.
        offsets = np.cumsum(lengths + 2) - lengths - 1
        text = offsets.searchsorted(start, "right") - 1
        offset = offsets[text]
        # Built and split by C-level iteration, without a Python step per match; tuple.__new__
        # directly, as Match(...) is a Python call.
        matches = list(
            map(
                _new_tuple,
                repeat(Match),
                zip(
                    self._terms[pattern].tolist(),
                    (start - offset).tolist(),
                    (end - offset).tolist(),
                    map(joined.__getitem__, map(slice, start.tolist(), end.tolist())),
                    strict=True,
                ),
            )
        )
        # The matches kept are in order of start, so each text's are consecutive.
        bounds = text.searchsorted(np.arange(len(texts) + 1)).tolist()
        return list(map(matches.__getitem__, map(slice, bounds, bounds[1:])))


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

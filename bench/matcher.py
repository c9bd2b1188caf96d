"""Term matcher throughput beside two peers, on the same comments and the same glossary.

- sensemap: apps/glossary/matcher.py, `TermMatcher.find_many` over all the comments in one
  call (normalisation included); the suggestion job calls it with a thread's comments, and
  from about a hundred comments a call its speed is the same;
- flashtext: `KeywordProcessor`, case-insensitive, `extract_keywords(span_info=True)` per comment;
- regex: one compiled alternation of every pattern, longest first, between `\\b`s, IGNORECASE,
  `finditer` per comment.

"The same mentions": every matcher gets the same patterns, the glossary's spellings as the
term matcher expands them (`variants`: case folded, -ise/-ize, singular/plural), so spelling
tolerance is equal; a mention is (term id, start, end) in the comment's text, a set per
comment. The texts separate words with single spaces and use letters only, where the three
agree on word boundaries (the term matcher also treats hyphens and underscores as spaces,
which flashtext and `\\b` do not). Throughput is MB of UTF-8 comment text per second of CPU
time (the machine is shared: waiting for a core is not the matcher's), sensemap's and
flashtext's the fastest of `REPEATS` rounds in which they take turns, each round after a
garbage collection (else one matcher pays for the objects the other left); turning each
matcher's own results into those sets is not timed. The regex is far too slow for the whole
text at large glossaries: it is timed on the first comments until a time limit, once, and
its MB/s extrapolated from that sample (the table says so). `BENCH_MATCHER_MB` overrides the
megabytes of text (2 at small scale, 11 otherwise).
"""

import gc
import os
import random
import re
import time
from collections.abc import Callable
from typing import Any

from flashtext import KeywordProcessor

from apps.glossary.matcher import TermMatcher, variants
from bench.corpus import Scale
from bench.report import table
from bench.text import Vocabulary, term_names, zipf_weights

SIZES = [1_000, 10_000, 50_000]
REGEX_SECONDS = 1.5
REPEATS = 3

# A matcher: every text's matches in its own form, and a converter of one text's matches into
# a set of mentions (term id, start, end).
Finder = tuple[Callable[[list[str]], list[Any]], Callable[[Any], set]]


def corpus_text(
    rng: random.Random, vocab: Vocabulary, surfaces: list[str], megabytes: float
) -> list[str]:
    """Comments of filler sentences with glossary terms in ~30% of them (Zipf over terms), some
    capitalised or in their other number, the way forum text uses them."""
    cum = zipf_weights(len(surfaces), 1.0)
    comments, size = [], 0
    while size < megabytes * 1e6:
        sentences = []
        for _ in range(1 + min(int(rng.expovariate(1 / 3)), 14)):
            if rng.random() < 0.3:
                surface = rng.choices(surfaces, cum_weights=cum)[0]
                roll = rng.random()
                if roll < 0.15:
                    surface = surface.capitalize()
                elif roll < 0.3:
                    surface = sorted(variants(surface))[-1]
                sentences.append(f"{rng.choice(vocab.heads)} {surface} {rng.choice(vocab.tails)}")
            else:
                sentences.append(rng.choice(vocab.sentences))
        text = " ".join(sentences)
        comments.append(text)
        size += len(text.encode())
    return comments


def _sensemap(glossary: list[tuple[int, str]]) -> Finder:
    matcher = TermMatcher(glossary)
    return matcher.find_many, lambda matches: {(m.term_id, m.start, m.end) for m in matches}


def _patterns(glossary: list[tuple[int, str]]) -> dict[str, int]:
    patterns: dict[str, int] = {}
    for term_id, surface in glossary:
        for variant in sorted(variants(surface)):
            patterns.setdefault(variant, term_id)
    return patterns


def _flashtext(glossary: list[tuple[int, str]]) -> Finder:
    processor = KeywordProcessor(case_sensitive=False)
    for pattern, term_id in _patterns(glossary).items():
        processor.add_keyword(pattern, str(term_id))
    return (
        lambda texts: [processor.extract_keywords(text, span_info=True) for text in texts],
        lambda spans: {(int(t), start, end) for t, start, end in spans},
    )


def _regex(glossary: list[tuple[int, str]]) -> Finder:
    patterns = _patterns(glossary)
    ordered = sorted(patterns, key=len, reverse=True)
    alternation = re.compile(
        r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b", re.IGNORECASE
    )
    return (
        lambda texts: [list(alternation.finditer(text)) for text in texts],
        lambda matches: {(patterns[m.group().lower()], m.start(), m.end()) for m in matches},
    )


def _full_runs(finders: dict[str, Finder], comments: list[str]) -> dict[str, dict]:
    """Each matcher over all the comments, `REPEATS` rounds in turn (a busy spell of the shared
    machine then slows every matcher alike), in CPU time; its fastest round."""
    best = dict.fromkeys(finders, float("inf"))
    results = {}
    for _ in range(REPEATS):
        for name, (find_all, _mentions) in finders.items():
            # The garbage another matcher left (flashtext's trie: 200k objects at 10k aliases)
            # is collected before, not in the middle of, the next one's round.
            gc.collect()
            started = time.process_time()
            results[name] = find_all(comments)
            best[name] = min(best[name], time.process_time() - started)
    return {
        name: _run(mentions, results[name], comments, best[name])
        for name, (_find_all, mentions) in finders.items()
    }


def _sampled_run(finder: Finder, comments: list[str], limit: float) -> dict:
    """One comment at a time, until `limit` seconds of CPU time."""
    find_all, mentions = finder
    results: list[Any] = []
    started = time.process_time()
    for text in comments:
        results += find_all([text])
        if time.process_time() - started > limit:
            break
    return _run(mentions, results, comments, time.process_time() - started)


def _run(
    mentions: Callable[[Any], set], results: list, comments: list[str], seconds: float
) -> dict:
    size = sum(len(text.encode()) for text in comments[: len(results)])
    return {
        "found": [mentions(result) for result in results],
        "bytes": size,
        "seconds": seconds,
        "mb_per_s": size / 1e6 / seconds,
    }


def run(scale: Scale, log: Callable[[str], None]) -> dict[str, Any]:
    rng = random.Random(5)
    vocab = Vocabulary(rng, pool=8000)
    megabytes = float(os.environ.get("BENCH_MATCHER_MB", 2.0 if scale.name == "small" else 11.0))
    names = term_names(rng, max(SIZES))
    results: dict[str, Any] = {"text_mb": megabytes, "sizes": {}}
    rows = []
    for size in SIZES:
        # A term and one alias per two glossary entries, as a glossary of `size` aliases has.
        glossary = [(n // 2 + 1, name) for n, name in enumerate(names[:size])]
        comments = corpus_text(rng, vocab, [s for _, s in glossary], megabytes)
        entry: dict[str, Any] = {"aliases": size, "patterns": len(_patterns(glossary))}
        finders, built = {}, {}
        for name, build in (("sensemap", _sensemap), ("flashtext", _flashtext), ("regex", _regex)):
            started = time.perf_counter()
            finders[name] = build(glossary)
            built[name] = time.perf_counter() - started
        runs = _full_runs({name: finders[name] for name in ("sensemap", "flashtext")}, comments)
        runs["regex"] = _sampled_run(finders["regex"], comments, REGEX_SECONDS)
        for name in finders:
            entry[name] = {
                "build_s": round(built[name], 3),
                "mb_per_s": float(f"{runs[name]['mb_per_s']:.4g}"),
                "measured_mb": round(runs[name]["bytes"] / 1e6, 3),
                "extrapolated": runs[name]["bytes"] < sum(len(c.encode()) for c in comments),
            }
        mentions = sum(len(f) for f in runs["sensemap"]["found"])
        same_flashtext = runs["flashtext"]["found"] == runs["sensemap"]["found"]
        sampled = len(runs["regex"]["found"])
        same_regex = runs["regex"]["found"] == runs["sensemap"]["found"][:sampled]
        if not (same_flashtext and same_regex):
            raise AssertionError(
                f"{size} aliases: the matchers disagree (flashtext same: {same_flashtext}, "
                f"regex same on {sampled} comments: {same_regex})"
            )
        entry["mentions"] = mentions
        entry["same_mentions"] = True
        entry["speedup_over_flashtext"] = round(
            entry["sensemap"]["mb_per_s"] / entry["flashtext"]["mb_per_s"], 2
        )
        results["sizes"][str(size)] = entry
        regex = entry["regex"]
        rows.append(
            [
                size,
                entry["patterns"],
                mentions,
                entry["sensemap"]["mb_per_s"],
                entry["flashtext"]["mb_per_s"],
                f"{regex['mb_per_s']:.2g}"
                + (
                    f" (extrapolated from {regex['measured_mb'] * 1000:.0f} KB)"
                    if regex["extrapolated"]
                    else ""
                ),
                f"{entry['speedup_over_flashtext']}×",
                "yes",
            ]
        )
        log(f"  {size} aliases done")
    results["table"] = table(
        f"Term matcher throughput, MB/s over {megabytes} MB of comment text "
        "(normalisation included)",
        [
            "aliases",
            "patterns",
            "mentions",
            "sensemap",
            "flashtext",
            "regex alternation",
            "vs flashtext",
            "same mentions",
        ],
        rows,
    )
    return results

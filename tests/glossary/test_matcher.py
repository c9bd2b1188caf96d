import random
import re
import string
import unicodedata
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.glossary import matcher as matcher_module
from apps.glossary.matcher import TermMatcher, matcher_for_workspace, normalise_text, variants
from tests.factories import make_term

OUTER, INNER, ALIGNMENT, MESA, POLICY, MISGEN, ROBUSTNESS = range(1, 8)


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(
        [
            (OUTER, "outer alignment"),
            (INNER, "inner alignment"),
            (ALIGNMENT, "alignment"),
            (MESA, "mesa-optimiser"),
            (POLICY, "policy"),
            (MISGEN, "goal misgeneralization"),
            (ROBUSTNESS, "robustness"),
        ]
    )


def found(matcher: TermMatcher, text: str) -> list[tuple[int, str]]:
    matches = matcher.find(text)
    for match in matches:
        assert text[match.start : match.end] == match.text
    return [(m.term_id, m.text) for m in matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OUTER ALIGNMENT matters", [(OUTER, "OUTER ALIGNMENT")]),
        ("Outer-Alignment matters", [(OUTER, "Outer-Alignment")]),
        (
            "outer_alignment and outer/alignment",
            [(OUTER, "outer_alignment"), (OUTER, "outer/alignment")],
        ),
        ("a mesa optimiser", [(MESA, "mesa optimiser")]),
        ("a Mesa-Optimizer", [(MESA, "Mesa-Optimizer")]),
        ("two mesa-optimizers", [(MESA, "mesa-optimizers")]),
        ("goal misgeneralisation", [(MISGEN, "goal misgeneralisation")]),
        ("goal misgeneralizations", [(MISGEN, "goal misgeneralizations")]),
        ("good policies", [(POLICY, "policies")]),
        ("robustness", [(ROBUSTNESS, "robustness")]),
    ],
)
def test_variants_of_case_separators_spelling_and_number(matcher, text, expected) -> None:
    assert found(matcher, text) == expected


def test_ise_ize_family_is_expanded_both_ways() -> None:
    british = variants("optimisation")
    american = variants("optimization")
    assert british == american
    assert {"optimisation", "optimization", "optimisations", "optimizations"} <= british
    assert {"optimiser", "optimizers"} <= variants("optimizer")
    assert {"optimising", "optimizing"} <= variants("optimising")
    assert {"optimised", "optimized"} <= variants("optimized")
    # Short words are not -ise/-ize verbs.
    assert "rize" not in variants("rise")


def test_plural_and_singular_of_the_last_word_only() -> None:
    assert variants("policy") == {"policy", "policies"}
    assert variants("policies") == {"policy", "policies"}
    assert {"reward model", "reward models"} == variants("reward model")
    assert "switches" in variants("switch")
    assert "analyses" in variants("analysis")
    assert variants("rewards model") == {"rewards model", "rewards models"}


def test_only_whole_words_match(matcher) -> None:
    assert found(matcher, "misalignment and alignments, not realignment") == [
        (ALIGNMENT, "alignments")
    ]
    assert found(matcher, "robustnessy policyholder") == []


def test_offsets_survive_curly_quotes_non_ascii_and_newlines(matcher) -> None:
    text = "Ça dépend: “Inner alignment’s” scope —\nnaïve policy… ÉTÉ outer\u00a0alignment."
    matches = matcher.find(text)
    assert [(m.term_id, m.text) for m in matches] == [
        (INNER, "Inner alignment"),
        (POLICY, "policy"),
        (OUTER, "outer\u00a0alignment"),
    ]
    for match in matches:
        assert text[match.start : match.end] == match.text


def test_normalisation_keeps_length_for_every_character() -> None:
    text = "İstanbul ẞ ǅ “x” 😀 e\u0301 Ω"
    assert len(normalise_text(text)) == len(text)


def test_longest_match_wins_and_contained_matches_are_dropped(matcher) -> None:
    assert found(matcher, "inner alignment, outer alignment and alignment") == [
        (INNER, "inner alignment"),
        (OUTER, "outer alignment"),
        (ALIGNMENT, "alignment"),
    ]


def test_punctuation_between_words_breaks_a_phrase(matcher) -> None:
    assert found(matcher, "outer, alignment") == [(ALIGNMENT, "alignment")]


def test_partially_overlapping_terms_are_both_kept() -> None:
    overlapping = TermMatcher([(1, "inner alignment"), (2, "alignment failure")])
    assert [m.text for m in overlapping.find("an inner alignment failure")] == [
        "inner alignment",
        "alignment failure",
    ]


def test_empty_matcher_and_empty_text() -> None:
    assert TermMatcher([]).find("anything") == []
    assert TermMatcher([(1, "---")]).find("---") == []
    assert TermMatcher([(1, "x")]).find("") == []


def test_adjacent_mentions_sharing_a_separator_are_all_found() -> None:
    adjacent = TermMatcher([(1, "x"), (2, "y z")])
    assert [(m.term_id, m.start, m.end) for m in adjacent.find("x x y z-x")] == [
        (1, 0, 1),
        (1, 2, 3),
        (2, 4, 7),
        (1, 8, 9),
    ]


TEXTS = [
    "",
    "outer",  # with the next text it would read "outer alignment": texts must not join
    "alignment",
    "x x",
    "inner alignment, outer alignment and alignment",
    "",
    "Ça dépend: “Inner alignment’s” scope —\nnaïve policy… outer\u00a0alignment 😀 policies",
    "an inner alignment failure",
    "misalignment " * 8 + "goal misgeneralisation",
    "---",
    "",
]


# 40 characters a batch puts consecutive texts into different batches.
@pytest.mark.parametrize("batch_chars", [40, 1 << 20])
def test_find_many_equals_find_on_each_text(monkeypatch, batch_chars) -> None:
    monkeypatch.setattr(matcher_module, "_BATCH_CHARS", batch_chars)
    glossary = TermMatcher(
        [
            (OUTER, "outer alignment"),
            (INNER, "inner alignment"),
            (ALIGNMENT, "alignment"),
            (POLICY, "policy"),
            (MISGEN, "goal misgeneralization"),
            (8, "x"),
            (9, "alignment failure"),
        ]
    )
    assert glossary.find_many(TEXTS) == [glossary.find(text) for text in TEXTS]
    assert glossary.find_many(iter(TEXTS[1:3])) == [[], [(ALIGNMENT, 0, 9, "alignment")]]
    assert glossary.find_many([]) == []
    assert TermMatcher([]).find_many(["x", ""]) == [[], []]


def _expected(glossary: list[tuple[int, str]], text: str) -> list[tuple[int, int, int]]:
    """Every variant occurrence between spaces of the normalised text, less those inside
    another."""
    normalised = normalise_text(text)
    hits = set()
    for term_id, surface in glossary:
        for variant in variants(surface):
            pattern = r"(?<!\S)" + re.escape(variant) + r"(?!\S)"
            for found in re.finditer(f"(?=({pattern}))", normalised):
                hits.add((term_id, found.start(1), found.end(1)))
    return sorted(
        (
            hit
            for hit in hits
            if not any(o != hit and o[1] <= hit[1] and hit[2] <= o[2] for o in hits)
        ),
        key=lambda hit: hit[1],
    )


def test_find_many_on_random_texts_drops_exactly_the_contained_matches(monkeypatch) -> None:
    monkeypatch.setattr(matcher_module, "_BATCH_CHARS", 40)
    rng = random.Random(11)
    # Base words not ending in "s", so no term's variant is another term's.
    words = ["ka", "ko", "ku", "ki", "mo"]
    surfaces = {" ".join(rng.choices(words, k=rng.randint(1, 3))) for _ in range(30)}
    glossary = list(enumerate(sorted(surfaces), start=1))
    separators = [" ", " ", " ", "-", ", ", "  ", "é"]
    texts = [
        "".join(rng.choice([*words, "kas", "KO"]) + rng.choice(separators) for _ in range(n))
        for n in [rng.randint(0, 12) for _ in range(200)]
    ]
    matches = TermMatcher(glossary).find_many(texts)
    assert sum(map(len, matches)) > 200
    for text, found in zip(texts, matches, strict=True):
        assert [(m.term_id, m.start, m.end) for m in found] == _expected(glossary, text)
        assert all(text[m.start : m.end] == m.text for m in found)


def _normalised_character(char: str) -> str:
    """What `normalise_text` makes of one character: letters, digits and combining marks in
    lower case (unless that is longer), anything else a space."""
    if char.isalnum() or unicodedata.category(char).startswith("M"):
        lower = char.lower()
        return lower if len(lower) == 1 else char
    return " "


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_text_maps_every_character_on_its_own(text) -> None:
    assert normalise_text(text) == "".join(map(_normalised_character, text))


def test_normalise_text_of_letters_that_change_length_in_utf8_and_of_surrogates() -> None:
    # The Kelvin sign is three bytes in UTF-8 and its lower case ("k") one; "ẞ" three and "ß"
    # two; "İ" stays itself; a lone surrogate is no letter.
    assert normalise_text("\u212aELVIN ẞ İK \ud800x 😀") == "kelvin ß İk  x  "


# Words with non-ASCII letters, and text around the matches with characters of one to four
# bytes in UTF-8, some of which change their length when normalised.
NON_ASCII_GLOSSARY = [
    (1, "naïve policy"),
    (2, "alignment"),
    (3, "Ωmega"),
    (4, "kelvin scale"),
    (5, "İzmir"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("été: alignment", [(2, "alignment")]),
        ("alignment, été", [(2, "alignment")]),
        ("a NAÏVE-POLICY here", [(1, "NAÏVE-POLICY")]),
        ("😀😀 alignment 😀 Ωmegas 😀", [(2, "alignment"), (3, "Ωmegas")]),
        ("🧪naïve policy🧪ΩMEGA🧪", [(1, "naïve policy"), (3, "ΩMEGA")]),
        ("\u212aELVIN SCALE ẞ alignment 😀", [(4, "\u212aELVIN SCALE"), (2, "alignment")]),
        ("e\u0301 alignment İZMIR izmir", [(2, "alignment"), (5, "İZMIR")]),
        ("\ud800 alignment", [(2, "alignment")]),
        ("“alignment’s” — alignment…", [(2, "alignment"), (2, "alignment")]),
    ],
)
def test_character_offsets_in_non_ascii_text(text, expected) -> None:
    matches = TermMatcher(NON_ASCII_GLOSSARY).find(text)
    assert [(m.term_id, m.text) for m in matches] == expected
    for match in matches:
        assert text[match.start : match.end] == match.text
    assert [(m.term_id, m.start, m.end) for m in matches] == _expected(NON_ASCII_GLOSSARY, text)


@pytest.mark.parametrize("batch_chars", [10, 1 << 20])
def test_a_batch_of_ascii_and_non_ascii_texts_gets_each_text_its_offsets(
    monkeypatch, batch_chars
) -> None:
    monkeypatch.setattr(matcher_module, "_BATCH_CHARS", batch_chars)
    texts = ["plain alignment", "😀 alignment", "", "ΩMEGA naïve policy", "alignment"]
    matches = TermMatcher(NON_ASCII_GLOSSARY).find_many(texts)
    assert [[(m.term_id, m.start, m.end, m.text) for m in found] for found in matches] == [
        [(2, 6, 15, "alignment")],
        [(2, 2, 11, "alignment")],
        [],
        [(3, 0, 5, "ΩMEGA"), (1, 6, 18, "naïve policy")],
        [(2, 0, 9, "alignment")],
    ]


# Base words not ending in "s", so no term's variant is another term's; some with letters of
# two bytes in UTF-8, "İ" which keeps its case, and separators of one to four bytes.
_WORDS = ["ka", "kö", "ωa", "mo", "İk"]
_GLOSSARY = list(
    enumerate(sorted({" ".join(words) for words in product(_WORDS, repeat=2)} | set(_WORDS)), 1)
)
_PIECES = [*_WORDS, "KÖ", "ΩA", "kas", "İK", "ik", "e\u0301"]
_SEPARATORS = [" ", " ", "-", "’", "  ", ", ", "😀", "\u0301", "\u212a"]
_TEXTS = st.lists(
    st.lists(st.sampled_from(_PIECES), max_size=8).flatmap(
        lambda words: st.lists(
            st.sampled_from(_SEPARATORS), min_size=len(words), max_size=len(words)
        ).map(lambda separators: "".join(map("".join, zip(words, separators, strict=True))))
    ),
    max_size=6,
)
_BIG_MATCHER = TermMatcher(_GLOSSARY)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.sampled_from([8, 1 << 20]))
def test_find_many_equals_a_reference_on_random_non_ascii_texts(texts, batch_chars) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matcher_module, "_BATCH_CHARS", batch_chars)
        matches = _BIG_MATCHER.find_many(texts)
    for text, found in zip(texts, matches, strict=True):
        assert [(m.term_id, m.start, m.end) for m in found] == _expected(_GLOSSARY, text)
        assert all(text[m.start : m.end] == m.text for m in found)


def test_ten_thousand_aliases_build_and_find_the_right_mentions() -> None:
    rng = random.Random(7)

    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 9)))

    pairs = [(n, " ".join(word() for _ in range(rng.randint(1, 3)))) for n in range(10_000)]
    big = TermMatcher(pairs)
    assert big.pattern_count >= 10_000
    planted = [pairs[17], pairs[4242], pairs[9999]]
    text = " filler ".join(f"[{surface.upper()}]" for _, surface in planted)
    matches = big.find(text)
    assert [(m.term_id, m.text) for m in matches] == [
        (term_id, surface.upper()) for term_id, surface in planted
    ]


@pytest.mark.django_db
def test_workspace_matcher_is_rebuilt_when_the_glossary_changes(alice) -> None:
    from apps.glossary.services import term_update

    term = make_term(alice, "outer alignment")
    first = matcher_for_workspace(term.workspace_id)
    assert matcher_for_workspace(term.workspace_id) is first  # cached
    assert [m.term_id for m in first.find("outer-alignment")] == [term.id]
    term_update(term=term, aliases=["reward specification"])
    second = matcher_for_workspace(term.workspace_id)
    assert second is not first
    assert [m.text for m in second.find("reward specifications")] == ["reward specifications"]

import random
import string

import pytest

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

"""The definition-candidate finder: each pattern, a labelled set with precision and recall,
and the explicit definitions of the seed threads."""

from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.annotations import definitions
from apps.annotations.definitions import find_definition_candidates, sentence_spans
from apps.glossary.normalize import normalize_term

SEEDS = Path("/work/shared/seeds")


def found(text: str) -> list[tuple[str, str, str]]:
    return [(c.term_text, c.definition_text, c.pattern) for c in find_definition_candidates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "outer alignment = the reward is right on the training distribution",
            ("outer alignment", "the reward is right on the training distribution", "equals"),
        ),
        (
            "Sabotage is the problem of a model quietly undermining the work it was given.",
            (
                "Sabotage",
                "the problem of a model quietly undermining the work it was given",
                "is_the",
            ),
        ),
        (
            "By “myopia” I mean caring only about the current episode.",
            ("myopia", "caring only about the current episode", "by_i_mean"),
        ),
        (
            "I’d define corrigibility as accepting correction without resistance.",
            ("corrigibility", "accepting correction without resistance", "define_as"),
        ),
        (
            "I'd call deception the gap between what a model knows and what it says.",
            ("deception", "the gap between what a model knows and what it says", "call"),
        ),
        (
            "Reward tampering: an agent changing how its own reward is computed.",
            ("Reward tampering", "an agent changing how its own reward is computed", "colon"),
        ),
        (
            "What I'm calling the base objective is the loss the training process minimises.",
            ("base objective", "the loss the training process minimises", "calling"),
        ),
        (
            "It all hinges on robustness, i.e. good behaviour off the training distribution.",
            ("robustness", "good behaviour off the training distribution", "i_e"),
        ),
        (
            "A mesa-objective refers to the objective a learned optimizer pursues.",
            ("mesa-objective", "the objective a learned optimizer pursues", "refers_to"),
        ),
        (
            "Outer alignment means the reward is right in the limit of infinite data.",
            ("Outer alignment", "the reward is right in the limit of infinite data", "means"),
        ),
    ],
)
def test_each_pattern(text: str, expected: tuple[str, str, str]) -> None:
    assert found(text) == [expected]


def test_offsets_are_those_of_the_whole_sentence() -> None:
    text = "First a remark. Then: by alignment I mean intent alignment. And more."
    (candidate,) = find_definition_candidates(text)
    assert text[candidate.start : candidate.end] == "Then: by alignment I mean intent alignment."


def test_one_sentence_can_define_several_terms_and_slash_gives_both_names() -> None:
    text = "My split: utility = “what the agent values”, and reward / signal = “what it is paid”."
    assert [(term, definition) for term, definition, _ in found(text)] == [
        ("utility", "what the agent values"),
        ("reward", "what it is paid"),
        ("signal", "what it is paid"),
    ]


def test_a_quoted_definition_named_in_brackets() -> None:
    text = "One half says “the learned policy generalises as intended” (i.e. robustness)."
    assert found(text) == [("robustness", "the learned policy generalises as intended", "i_e")]


def test_colon_only_at_the_start_of_a_line() -> None:
    assert found("We discussed many things. Reward tampering: an agent changing its reward.") == []
    assert [
        t for t, _, _ in found("Intro line.\nReward tampering: an agent changing its reward.")
    ] == ["Reward tampering"]


def test_sentences_respect_quotes_and_abbreviations() -> None:
    text = (
        "Some words, e.g. this one, i.e. that. She wrote “It ends. Or not.” Then left.\n"
        "A new line? Yes! end"
    )
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Some words, e.g. this one, i.e. that.",
        "She wrote “It ends. Or not.”",
        "Then left.",
        "A new line?",
        "Yes! end",  # a lower-case word after a stop rarely starts a sentence
    ]


LABELLED: list[tuple[str, tuple[str, ...]]] = [
    # Positives: one sentence per pattern and variations on each.
    ("Outer alignment = the reward function rewards what we actually want.", ("outer alignment",)),
    ("corrigibility = the agent lets us switch it off and correct it", ("corrigibility",)),
    (
        "inner alignment = the trained model actually pursues the objective it was trained on.",
        ("inner alignment",),
    ),
    (
        "Here's my split: capability = what the system can do, and alignment = what it tries "
        "to do.",
        ("capability", "alignment"),
    ),
    (
        "Deceptive alignment is the problem of a model that behaves well only while it is watched.",
        ("deceptive alignment",),
    ),
    (
        "Reward hacking is the problem of an agent exploiting flaws in its reward signal.",
        ("reward hacking",),
    ),
    (
        "ELK is the problem of getting a model to report what it actually knows.",
        ("ELK",),
    ),
    (
        "Power-seeking is the tendency of agents to acquire resources and influence.",
        ("power-seeking",),
    ),
    (
        "By corrigibility I mean that the system does not resist being corrected.",
        ("corrigibility",),
    ),
    (
        "By 'interpretability', I mean understanding the internal computation of a network.",
        ("interpretability",),
    ),
    (
        "By a mesa-optimizer we mean a learned model that is itself running a search.",
        ("mesa-optimizer",),
    ),
    (
        "By honesty, I just mean that the model's stated beliefs match its internal beliefs.",
        ("honesty",),
    ),
    (
        "What we mean by alignment is that the system does what its operators intend.",
        ("alignment",),
    ),
    (
        "I'd define robustness as performing well under distribution shift.",
        ("robustness",),
    ),
    (
        "I would define value learning as inferring human preferences from behaviour.",
        ("value learning",),
    ),
    (
        "We define specification gaming as satisfying the literal objective without meeting "
        "its intent.",
        ("specification gaming",),
    ),
    (
        "Let's define an optimiser as a system that searches over many options for one that "
        "scores well.",
        ("optimiser",),
    ),
    (
        "Scalable oversight is defined as supervising systems that are more capable than the "
        "supervisor.",
        ("scalable oversight",),
    ),
    (
        "I'd call myopia the property of only caring about the current episode.",
        ("myopia",),
    ),
    (
        "I would call instrumental convergence “the tendency of many goals to favour the same "
        "sub-goals”.",
        ("instrumental convergence",),
    ),
    (
        "Sandbagging: deliberately underperforming on an evaluation to hide a capability.",
        ("sandbagging",),
    ),
    (
        "Goal misgeneralisation: the policy keeps its capabilities but pursues the wrong goal "
        "out of distribution.",
        ("goal misgeneralisation",),
    ),
    (
        "Interpretability: the study of how a trained network computes its outputs.",
        ("interpretability",),
    ),
    (
        "What I'm calling the pointer problem is the difficulty of referring to the real-world "
        "thing a human values.",
        ("pointer problem",),
    ),
    (
        "Keeping the training signal honest is what I'm calling oversight.",
        ("oversight",),
    ),
    (
        "We mostly discussed inner alignment, i.e. whether the learned model pursues the "
        "training objective.",
        ("inner alignment",),
    ),
    (
        "The main risk is proxy gaming, i.e. optimising a measurable proxy until it stops "
        "tracking the goal.",
        ("proxy gaming",),
    ),
    (
        "Wireheading, i.e. an agent tampering with its own reward channel, is the classic example.",
        ("wireheading",),
    ),
    (
        "They split it into “the model generalises its goal in the intended way” (i.e. "
        "objective robustness) and the rest.",
        ("objective robustness",),
    ),
    (
        "Outer alignment refers to whether the specified objective captures what we want.",
        ("outer alignment",),
    ),
    (
        "The term mesa-optimizer refers to a learned model that is itself an optimizer.",
        ("mesa-optimizer",),
    ),
    (
        "Distributional shift refers to differences between the training and deployment data.",
        ("distributional shift",),
    ),
    (
        "“Robustness” refers to good behaviour on inputs unlike the training set.",
        ("robustness",),
    ),
    (
        "Situational awareness refers to a model knowing that it is a model being trained.",
        ("situational awareness",),
    ),
    (
        "Gradient hacking means a model influencing its own training through its outputs.",
        ("gradient hacking",),
    ),
    # Negatives: near misses of every pattern.
    ("That means we should stop training before the model overfits.", ()),
    ("By the way, I mean to reply to this properly tomorrow.", ()),
    ("By this I did not mean that the paper was wrong.", ()),
    ("I'm not sure what exactly you mean by goal-directedness.", ()),
    ("Edit: fixed a typo in the second paragraph.", ()),
    ("Re: the point about reward models, I agree with you.", ()),
    ("Thanks: this was really helpful for understanding the debate.", ()),
    ("The problem is that nobody agrees on the definitions.", ()),
    ("x = 3 in the example, so the loss is 9.", ()),
    ("The equation a = b + c holds for every layer.", ()),
    ("I'd call it a day after this experiment.", ()),
    ("I'd call that a success, honestly.", ()),
    ("This refers to the argument in the previous comment.", ()),
    ("He refers to the original paper quite a lot.", ()),
    ("It is the problem of the century, as far as I'm concerned.", ()),
    ("Our approach is the problem of scale in disguise.", ()),
    ("Note: I haven't read the full paper yet.", ()),
    ("The training run took three days, i.e. much longer than planned.", ()),
    ("We ran it twice, i.e. we repeated the whole experiment.", ()),
    ("Inner alignment is hard, and outer alignment is not much easier.", ()),
    ("I think outer alignment means different things to different people.", ()),
    ("John: I think you're right about this.", ()),
    ("Summary: we tried three methods and none of them worked.", ()),
    ("What does robustness refer to in this context?", ()),
    ("Can you define corrigibility as precisely as possible?", ()),
    ("Do you mean by this that the reward is wrong?", ()),
    ("Mesa-optimisers are discussed at length in the paper.", ()),
    ("Outer alignment, inner alignment, and robustness all came up in the thread.", ()),
    ("The learning rate = 0.01 for all runs.", ()),
    ("The main question is the question of what we actually want.", ()),
]


def test_precision_and_recall_on_the_labelled_set() -> None:
    assert len(LABELLED) >= 40
    true_positive = false_positive = false_negative = 0
    for sentence, terms in LABELLED:
        expected = {normalize_term(term) for term in terms}
        got = {normalize_term(c.term_text) for c in find_definition_candidates(sentence)}
        true_positive += len(got & expected)
        false_positive += len(got - expected)
        false_negative += len(expected - got)
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    print(
        f"definition candidates on {len(LABELLED)} labelled sentences: "
        f"precision {precision:.3f}, recall {recall:.3f} "
        f"(tp {true_positive}, fp {false_positive}, fn {false_negative})"
    )
    assert precision >= 0.8
    assert recall >= 0.8


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed threads are not here ({SEEDS} is missing)")
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"no seed file {prefix}_*.txt in {SEEDS}")
    return paths[0].read_text(encoding="utf-8")


def _defined(text: str) -> dict[str, set[str]]:
    definitions: dict[str, set[str]] = {}
    for candidate in find_definition_candidates(text):
        # The whole sentence is the span: it must be a real slice of the text.
        assert candidate.start < candidate.end <= len(text)
        key = normalize_term(candidate.term_text)
        definitions.setdefault(key, set()).add(candidate.definition_text)
    return definitions


def test_seed_001_decompositions_are_found() -> None:
    text = _seed("001")
    definitions = _defined(text)
    lines = [
        line
        for line in text.splitlines()
        if line.startswith(("outer alignment =", "inner alignment ="))
    ]
    assert lines, "the seed no longer has its decomposition lines"
    for line in lines:
        term, definition = (part.strip() for part in line.split("=", 1))
        assert definition.rstrip(".") in definitions[term], line
    # The quoted definitions of robustness: “…” (i.e. robustness) and "robustness / inner
    # alignment = “…”".
    assert len(definitions["robustness"]) >= 2
    assert len(definitions["inner alignment"]) >= 3


def test_seed_002_problem_of_definition_is_found() -> None:
    definitions = _defined(_seed("002"))
    assert any(
        text.startswith("the problem of aligning objectives")
        for text in definitions["inner alignment"]
    )


@pytest.mark.parametrize("text", ["*: the rest of the line", '"": an empty name', "- “”: nothing"])
def test_a_line_label_without_words_is_no_term(text: str) -> None:
    # The label is empty once its quotes and marks are stripped: no candidate, and no crash.
    assert found(text) == []


CUE_PIECES = [
    "By", "by", "I", "we", "mean", "MEANS", "means", "what", "is", "are", "the", "a", "problem",
    "task", "PROBLEM", "of", "that", "define", "defined", "as", "call", "calling", "I'd",
    "what I'm calling", "i.e.", "(i.e.", "I.E.", "refers to", "is used to refer to", "=", ":",
    "Edit:", "- ", "1. ", "“x y”", '"q r"', "inner alignment", "robustness", "nothing", ",",
    ".", "?", "\n", "\n\n", "e.g.", "Dr.", "J.", "ſ", "meanſ", "\u212a", "İ.E.", "ı.e.",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CUE_PIECES) | st.text(max_size=4), max_size=30).map(" ".join))
def test_skipping_sentences_without_a_cue_finds_the_same(text: str) -> None:
    """The cheap cue test only skips sentences that no pattern can match."""
    with patch.object(definitions, "_has_cue", return_value=True):
        every_sentence = find_definition_candidates(text)
    assert find_definition_candidates(text) == every_sentence

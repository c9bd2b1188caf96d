import pytest

from apps.glossary.normalize import normalize_term


@pytest.mark.parametrize(
    ("variant", "key"),
    [
        ("Outer Alignment", "outer alignment"),
        ("outer-alignment", "outer alignment"),
        ("outer_alignment", "outer alignment"),
        ("  outer   alignment ", "outer alignment"),
        ("Mesa-Optimisers", "mesa optimizer"),
        ("mesa optimizer", "mesa optimizer"),
        ("goal misgeneralisation", "goal misgeneralization"),
        ("Goal Misgeneralizations", "goal misgeneralization"),
        ("optimiser", "optimizer"),
        ("optimising", "optimizing"),
        ("robustness", "robustness"),
        ("policies", "policy"),
        ("“inner alignment”", "inner alignment"),
        ("analysis", "analysis"),
        ("noise", "noise"),
        ("rise", "rise"),
        ("---", ""),
    ],
)
def test_variants_meet_on_one_key(variant: str, key: str) -> None:
    assert normalize_term(variant) == key


def test_only_the_last_word_is_singularised() -> None:
    # "reasons for ..." is not "reason for ...": plurals fold only at the end of a phrase.
    assert normalize_term("gradients descent") == "gradients descent"

import pytest

from apps.annotations.anchoring import CONTEXT_CHARS, anchor_span, reanchor
from apps.core.errors import ApplicationError

TEXT = "Outer alignment is about the reward. Inner alignment is about the policy."


def test_anchor_span_stores_quote_with_context() -> None:
    start = TEXT.index("Inner alignment")
    anchor = anchor_span(TEXT, start, start + len("Inner alignment"))
    assert anchor.quote == "Inner alignment"
    assert anchor.prefix == TEXT[start - CONTEXT_CHARS : start]
    assert anchor.suffix == TEXT[anchor.end : anchor.end + CONTEXT_CHARS]


def test_anchor_at_the_edges_has_short_context() -> None:
    anchor = anchor_span(TEXT, 0, 5)
    assert anchor.prefix == ""
    assert anchor_span(TEXT, len(TEXT) - 7, len(TEXT)).suffix == ""


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (5, 5, "less than"),
        (9, 3, "less than"),
        (-1, 4, "negative"),
        (0, len(TEXT) + 1, "past the end"),
    ],
)
def test_offsets_outside_the_comment_are_refused(start: int, end: int, words: str) -> None:
    with pytest.raises(ApplicationError, match=words):
        anchor_span(TEXT, start, end)


def test_whitespace_only_span_is_refused() -> None:
    with pytest.raises(ApplicationError, match="whitespace"):
        anchor_span("a    b", 1, 4)


def test_reanchor_keeps_offsets_when_text_is_unchanged() -> None:
    old = anchor_span(TEXT, 0, 15)
    assert reanchor(TEXT, old) == old


def test_reanchor_follows_the_quote_when_text_is_inserted_before_it() -> None:
    start = TEXT.index("Inner")
    old = anchor_span(TEXT, start, start + 15)
    edited = "Edit: typo fixed. " + TEXT
    new = reanchor(edited, old)
    assert new is not None
    assert edited[new.start : new.end] == "Inner alignment"
    assert new.start == start + len("Edit: typo fixed. ")


def test_reanchor_prefers_the_occurrence_with_matching_context() -> None:
    text = "the reward is fine. X. the reward is fine, said the second author."
    second = text.rindex("the reward")
    old = anchor_span(text, second, second + len("the reward"))
    edited = "Preface. " + text
    new = reanchor(edited, old)
    assert new is not None
    assert new.start == second + len("Preface. ")


def test_reanchor_orphans_when_the_quote_is_gone() -> None:
    old = anchor_span(TEXT, 0, 15)
    assert reanchor("Something else entirely.", old) is None

"""Text anchoring of claims: W3C TextPositionSelector + TextQuoteSelector, and re-anchoring.

A claim stores both its offsets and the quoted text with some context around it. When a
comment's text changes on re-import, the offsets are tried first, then every occurrence of the
quote is scored by how much of the stored prefix and suffix still surrounds it, nearest to the
old position winning ties. No occurrence means the claim is orphaned, never silently moved.
"""

from dataclasses import dataclass

from apps.core.errors import ApplicationError

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def anchor_span(text: str, start: int, end: int) -> Anchor:
    """The selector for text[start:end]; offsets outside the text are the client's error."""
    if start < 0 or end < 0:
        raise ApplicationError("Offsets must not be negative.", code="invalid_offsets")
    if start >= end:
        raise ApplicationError(
            f"start ({start}) must be less than end ({end}): a claim covers at least one "
            "character.",
            code="invalid_offsets",
        )
    if end > len(text):
        raise ApplicationError(
            f"end ({end}) is past the end of the comment, which has {len(text)} characters.",
            code="invalid_offsets",
        )
    quote = text[start:end]
    if not quote.strip():
        raise ApplicationError("A claim cannot cover only whitespace.", code="invalid_offsets")
    return Anchor(
        start=start,
        end=end,
        quote=quote,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def _common_suffix_len(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix_len(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def quote_matches(text: str, quote: str, prefix: str, suffix: str) -> list[tuple[int, int]]:
    """(context score, start) of every occurrence of `quote` in `text`: the score is how many
    characters of `prefix` and `suffix` still surround it."""
    matches = []
    position = text.find(quote)
    while position != -1:
        before = text[max(0, position - CONTEXT_CHARS) : position]
        after = text[position + len(quote) : position + len(quote) + CONTEXT_CHARS]
        score = _common_suffix_len(before, prefix) + _common_prefix_len(after, suffix)
        matches.append((score, position))
        position = text.find(quote, position + 1)
    return matches


def reanchor(text: str, old: Anchor) -> Anchor | None:
    """Where the quoted span is in the new text, or None when it is gone."""
    if text[old.start : old.end] == old.quote:
        return anchor_span(text, old.start, old.end)
    matches = quote_matches(text, old.quote, old.prefix, old.suffix)
    if not matches:
        return None
    # The most context kept wins; among equals, the one nearest the old position.
    _, start = max(matches, key=lambda m: (m[0], -abs(m[1] - old.start), m[1]))
    return anchor_span(text, start, start + len(old.quote))

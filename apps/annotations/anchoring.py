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


def reanchor(text: str, old: Anchor) -> Anchor | None:
    """Where the quoted span is in the new text, or None when it is gone."""
    if text[old.start : old.end] == old.quote:
        return anchor_span(text, old.start, old.end)
    best: tuple[int, int, int] | None = None  # (context score, -distance, start)
    position = text.find(old.quote)
    while position != -1:
        before = text[max(0, position - CONTEXT_CHARS) : position]
        after = text[position + len(old.quote) : position + len(old.quote) + CONTEXT_CHARS]
        score = _common_suffix_len(before, old.prefix) + _common_prefix_len(after, old.suffix)
        candidate = (score, -abs(position - old.start), position)
        if best is None or candidate > best:
            best = candidate
        position = text.find(old.quote, position + 1)
    if best is None:
        return None
    start = best[2]
    return anchor_span(text, start, start + len(old.quote))

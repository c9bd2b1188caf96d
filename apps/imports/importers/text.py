"""The "text" format: a forum page copied from the browser and pasted, split into comments."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from .base import ImportFormatError, ParsedComment, ParsedThread

FORMAT = "text"
SOURCE = "text"

TITLE_MAX_CHARS = 120
# A post title on a profile page is one short line.
_HEADING_MAX_CHARS = 100

# "2 comments, sorted by top scoring": LessWrong/EA Forum print it between a post and its comments.
_COMMENTS_HEADER = re.compile(r"^\s*\d[\d,]*\s+comments?\s*,\s*sorted by\b", re.IGNORECASE)
# Buttons and notices that ForumMagnum sites (LessWrong, Alignment Forum, EA Forum) render as a
# line of their own; kept to the ones seen in real pastes, since each one costs a real comment
# that happens to say exactly this.
_CHROME = re.compile(
    r"^\s*(?:new comment|reply|load more(?:\s*\(\d+/\d+\))?|show more|show less"
    r"|click to highlight new comments since\b.*)\s*$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])\s+\S")
# What cannot end a title: sentence punctuation and closing quotes ("?" can: titles ask).
_TERMINAL = frozenset(".!:;,\"'\u201d\u2019)\u2026")
# Lowercase words that Title Case leaves lowercase.
_SMALL_WORDS = frozenset(
    {
        "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of",
        "on", "onto", "or", "per", "than", "the", "to", "vs", "via", "with",
    }
)  # fmt: skip
_NAME_WORD = re.compile(r"^[A-Z][A-Za-z'\u2019-]*$")


@dataclass(frozen=True)
class _Unit:
    text: str
    context: str = ""


def parse(content: str, *, title: str = "") -> ParsedThread:
    """Split pasted text into comments; a non-empty `title` replaces the one found in the text."""
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in content.split("\n")]
    header = next((i for i, line in enumerate(lines) if _COMMENTS_HEADER.match(line)), None)

    author = ""
    found_title = ""
    post: _Unit | None = None
    if header is not None:
        # Everything above the "N comments" line is the post; each block below is a comment.
        post_blocks = _blocks(lines[:header])
        if post_blocks:
            post = _Unit("\n\n".join("\n".join(block) for block in post_blocks))
        units = _comment_units(lines[header + 1 :])
    else:
        blocks = _blocks(lines)
        units = _comment_units(lines)
        if _has_blank_lines(lines):
            author, headed = _profile_units(blocks)
            if headed is not None:
                units = headed
                found_title = next((unit.context for unit in units if unit.context), "")

    kept = _unique([post, *units] if post else units)
    if not kept:
        raise ImportFormatError(
            "No comments found: the text holds only page elements such as 'Load More'."
        )

    post_id = _text_id(post.text) if post else None
    comments = [
        ParsedComment(
            external_id=_text_id(unit.text),
            text=unit.text,
            author=author,
            parent_external_id=None if unit is post else post_id,
            context=unit.context,
        )
        for unit in kept
    ]
    content_lines = [line for line in lines if not _is_chrome(line)]
    first_line = next(line.strip() for line in content_lines if line.strip())
    return ParsedThread(
        source=SOURCE,
        # Chrome is left out so that "new comments since: Today at 1:18 PM" changing between two
        # copies of the same page does not make them two threads.
        external_id=_text_id("\n".join(content_lines).strip("\n")),
        title=title.strip() or found_title or _shorten(first_line),
        comments=comments,
    )


def _is_chrome(line: str) -> bool:
    return bool(_CHROME.match(line) or _COMMENTS_HEADER.match(line))


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of lines with content; a blank line or a line of page chrome ends a run."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip() or _is_chrome(line):
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _has_blank_lines(lines: list[str]) -> bool:
    content = [line for line in lines if not _is_chrome(line)]
    filled = [i for i, line in enumerate(content) if line.strip()]
    return bool(filled) and any(not line.strip() for line in content[filled[0] : filled[-1]])


def _comment_units(lines: list[str]) -> list[_Unit]:
    """One comment per paragraph, or per line when the paste has no blank lines at all.

    A list belongs to the text that introduces it, never a comment of its own.
    """
    if _has_blank_lines(lines):
        pieces, glue = ["\n".join(block) for block in _blocks(lines)], "\n\n"
    else:
        pieces, glue = [line for block in _blocks(lines) for line in block], "\n"
    merged: list[str] = []
    for piece in pieces:
        if merged and _LIST_ITEM.match(piece):
            merged[-1] += glue + piece
        else:
            merged.append(piece)
    return [_Unit(text) for text in merged]


def _profile_units(blocks: list[list[str]]) -> tuple[str, list[_Unit] | None]:
    """A profile page: post titles head the comments under them, and the name on top is theirs.

    Returns (author, units), with units None when the page has no titles.
    """
    texts = ["\n".join(block) for block in blocks]
    author = ""
    # A name on top is the author only when a title follows it; otherwise it may be a title.
    if (
        len(texts) > 1
        and _is_name(texts[0])
        and texts.count(texts[0]) == 1
        and 0 in _title_indexes(texts[1:])
    ):
        author, texts = texts[0], texts[1:]
    titles = _title_indexes(texts)
    if not titles:
        return "", None

    units: list[_Unit] = []
    context = ""
    paragraphs: list[str] = []
    for index, text in enumerate(texts):
        if index in titles:
            if paragraphs:
                units.append(_Unit("\n\n".join(paragraphs), context))
            context, paragraphs = text, []
        else:
            paragraphs.append(text)
    if paragraphs:
        units.append(_Unit("\n\n".join(paragraphs), context))
    return author, units


def _title_indexes(texts: list[str]) -> set[int]:
    """Positions of the blocks that are post titles.

    A title is a short line without closing punctuation that is either in Title Case or heads
    different comments in two places; the second test tells a title apart from a line that
    repeats only because the whole page was pasted twice. Profile mode needs two such headings,
    so a lone "Thanks Alice" reply does not turn a thread into a profile page.
    """
    following: dict[str, set[str]] = {}
    for index, text in enumerate(texts[:-1]):
        following.setdefault(text, set()).add(texts[index + 1])
    counts = Counter(texts)
    indexes = {
        index
        for index, text in enumerate(texts[:-1])
        if _looks_like_heading(text)
        and texts[index + 1] != text
        and (_is_title_case(text) or (counts[text] > 1 and len(following[text]) > 1))
    }
    # A heading with nothing under it before the next heading is not one.
    indexes = {index for index in indexes if index + 1 not in indexes}
    return indexes if len(indexes) > 1 else set()


def _looks_like_heading(text: str) -> bool:
    return (
        "\n" not in text
        and len(text) <= _HEADING_MAX_CHARS
        and text[-1] not in _TERMINAL
        and not _LIST_ITEM.match(text)
        and len(_words(text)) > 1
    )


def _words(text: str) -> list[str]:
    return [word for word in text.split() if any(ch.isalpha() for ch in word)]


def _is_title_case(text: str) -> bool:
    for position, word in enumerate(_words(text)):
        core = word.strip("\"'\u201c\u2018([")
        if not core or not core[0].isalpha() or core[0].isupper():
            continue
        if position == 0 or core.rstrip(":,") not in _SMALL_WORDS:
            return False
    return True


def _is_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and all(_NAME_WORD.match(word) for word in words)


def _unique(units: list[_Unit]) -> list[_Unit]:
    # A page pasted twice repeats its comments; the first copy is the one kept.
    seen: set[str] = set()
    unique: list[_Unit] = []
    for unit in units:
        if unit.text not in seen:
            seen.add(unit.text)
            unique.append(unit)
    return unique


def _text_id(text: str) -> str:
    # Derived from the text, so importing the same paste again maps onto the same comments.
    return "t-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _shorten(line: str) -> str:
    if len(line) <= TITLE_MAX_CHARS:
        return line
    cut = line[: TITLE_MAX_CHARS - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"

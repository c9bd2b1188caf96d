"""Turning a forum's comment HTML into the plain text that claims are anchored in."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

# Elements whose content is never text a reader sees.
_DROPPED = frozenset(
    {
        "script", "style", "iframe", "noscript", "template", "svg", "canvas", "object", "embed",
        "video", "audio", "head", "title", "meta", "link", "button", "input", "select",
        "textarea", "img",
    }
)  # fmt: skip
# Blocks set apart by a blank line, like paragraphs.
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "figure"}
)
# Blocks that only start on a new line.
_LINES = frozenset(
    {
        "div", "section", "article", "header", "footer", "aside", "main", "nav", "tr", "dt",
        "dd", "figcaption", "details", "summary", "address", "caption", "li", "dl",
    }
)  # fmt: skip
_LISTS = frozenset({"ul", "ol"})
_SPACE = re.compile(r"\s+")


class _Writer:
    """Collects text, turning requested breaks into at most one blank line between blocks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0  # newlines owed before the next text
        self.line_start = True
        self.after_space = False
        self.after_prefix = False

    def inline(self, text: str) -> None:
        text = _SPACE.sub(" ", text)
        if self.line_start or self.after_space:
            text = text.lstrip(" ")
        if text:
            self._write(text)
            self.after_space = text.endswith(" ")

    def verbatim(self, text: str) -> None:
        if text:
            self._write(text)
            self.after_space = False

    def prefix(self, text: str) -> None:
        self._write(text)
        self.after_space = True
        # The item's own paragraph must not push its text away from its "- ".
        self.after_prefix = True

    def newline(self) -> None:
        """A <br>: unlike a block edge, two in a row make a blank line."""
        self._end_line()
        self.pending = min(self.pending + 1, 2)

    def block(self, newlines: int) -> None:
        if self.after_prefix:
            return
        self._end_line()
        self.pending = max(self.pending, newlines)

    def text(self) -> str:
        # Not strip(): a leading <pre> keeps its indentation.
        return "".join(self.parts).lstrip("\n").rstrip()

    def _end_line(self) -> None:
        if self.parts and self.after_space:
            self.parts[-1] = self.parts[-1].rstrip(" ")
        self.line_start = True
        self.after_space = False

    def _write(self, text: str) -> None:
        if self.pending and self.parts:
            self.parts.append("\n" * self.pending)
        self.pending = 0
        self.parts.append(text)
        self.line_start = False
        self.after_prefix = False


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: paragraphs split by blank lines, list items marked."""
    with warnings.catch_warnings():
        # A comment that merely looks like a URL or starts with <?xml is still a comment.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "html.parser")

    out = _Writer()
    lists: list[list[int]] = []  # per open list: [is_ordered, next number]
    in_pre = 0
    # An explicit stack, not recursion: a hostile file can nest elements thousands deep.
    stack: list[tuple[PageElement, bool]] = [(child, False) for child in reversed(soup.contents)]
    while stack:
        node, closing = stack.pop()
        if isinstance(node, NavigableString):
            # Comments, doctypes, CDATA and processing instructions are not visible text.
            if isinstance(node, PreformattedString):
                continue
            if in_pre:
                out.verbatim(str(node))
            else:
                out.inline(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name.lower()
        if closing:
            if name in _LISTS:
                lists.pop()
                out.block(1 if lists else 2)
            elif name in _PARAGRAPHS:
                if name == "pre":
                    in_pre -= 1
                out.block(1 if lists else 2)
            elif name in _LINES:
                out.block(1)
            continue

        if name in _DROPPED:
            continue
        if name == "br":
            if in_pre:
                out.verbatim("\n")
            else:
                out.newline()
            continue
        if name in _LISTS:
            out.block(1 if lists else 2)
            lists.append([name == "ol", _start_number(node)])
        elif name == "li":
            out.block(1)
            marker = "- "
            if lists and lists[-1][0]:
                marker = f"{lists[-1][1]}. "
                lists[-1][1] += 1
            out.prefix("  " * max(len(lists) - 1, 0) + marker)
        elif name in _PARAGRAPHS:
            out.block(1 if lists else 2)
            if name == "pre":
                in_pre += 1
        elif name in _LINES:
            out.block(1)
        elif name in ("td", "th") and node.find_previous_sibling(["td", "th"]) is not None:
            out.inline(" | ")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    return out.text()


def _start_number(node: Tag) -> int:
    start = node.get("start")
    if isinstance(start, str) and start.strip().lstrip("-").isdigit():
        return int(start)
    return 1

"""Turning a forum's comment HTML into the plain text that claims are anchored in.

The text is what walking BeautifulSoup's tree (its html.parser builder) in document order gives,
without building the tree: html.parser's events are handled as that builder handles them (the
same elements open and close at the same points, the same character references). That is about
twice as fast, and the texts stored by earlier imports stay the same, so their claims' offsets
hold (tests/imports/test_html_same_as_tree.py compares the two).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bs4.builder import HTMLTreeBuilder
from bs4.builder._htmlparser import BeautifulSoupHTMLParser
from bs4.dammit import EntitySubstitution
from bs4.exceptions import ParserRejectedMarkup

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


# Elements without content that the builder closes as soon as they open.
_VOID = frozenset(HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS)


class _Element:
    """An open element; `visible` is False inside a dropped element, whose content is skipped."""

    __slots__ = ("dropped", "has_cell", "name", "visible")

    def __init__(self, name: str, *, visible: bool, dropped: bool = False) -> None:
        self.name = name
        self.visible = visible
        self.dropped = dropped
        self.has_cell = False  # a <td> or <th> child opened: the next cell is set apart


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        # Character references are decoded here, as the builder does, not by HTMLParser.
        super().__init__(convert_charrefs=False)
        self.out = _Writer()
        self.data: list[str] = []  # text since the last tag, comment or declaration
        self.open = [_Element("", visible=True)]  # the document, then its open elements
        self.open_names: dict[str, int] = {}
        self.closed_voids: list[str] = []  # "<br>" closed at once: its "</br>" is no tag
        self.lists: list[list[int]] = []  # per open list: [is_ordered, next number]
        self.in_pre = 0
        self.dropped = 0  # open dropped elements

    def text(self) -> str:
        self._flush()
        while len(self.open) > 1:
            self._pop()
        return self.out.text()

    # HTMLParser events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag in _VOID:
            self._flush()
            self._pop_to(tag)
            self.closed_voids.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        self._end(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.closed_voids:
            self.closed_voids.remove(tag)
        else:
            self._end(tag)

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def handle_charref(self, name: str) -> None:
        # bs4's own decoding (windows-1252 for 128-159, U+FFFD for the invalid), not html's.
        character, _, rest = BeautifulSoupHTMLParser._dereference_numeric_character_reference(name)
        self.data.append(character + rest)

    def handle_entityref(self, name: str) -> None:
        self.data.append(EntitySubstitution.HTML_ENTITY_TO_CHARACTER.get(name, f"&{name}"))

    # Comments, declarations, CDATA and processing instructions are not visible text.
    def handle_comment(self, data: str) -> None:
        self._flush()

    handle_decl = unknown_decl = handle_pi = handle_comment

    # The text

    def _start(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        parent = self.open[-1]
        follows_cell = parent.has_cell
        if name in ("td", "th"):
            parent.has_cell = True
        self.open_names[name] = self.open_names.get(name, 0) + 1
        dropped = name in _DROPPED
        self.dropped += dropped
        self.open.append(_Element(name, visible=not self.dropped, dropped=dropped))
        if self.dropped:
            return
        out = self.out
        lists = self.lists
        if name == "br":
            if self.in_pre:
                out.verbatim("\n")
            else:
                out.newline()
        elif name in _LISTS:
            out.block(1 if lists else 2)
            start = dict(attrs).get("start")
            lists.append([name == "ol", _start_number(start)])
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
                self.in_pre += 1
        elif name in _LINES:
            out.block(1)
        elif name in ("td", "th") and follows_cell:
            out.inline(" | ")

    def _end(self, name: str) -> None:
        self._flush()
        self._pop_to(name)

    def _pop_to(self, name: str) -> None:
        """Close the most recent open `name` and every element opened after it; an end tag
        with no such element open closes nothing."""
        if self.open_names.get(name):
            while self._pop() != name:
                pass

    def _pop(self) -> str:
        element = self.open.pop()
        name = element.name
        self.open_names[name] -= 1
        if element.dropped:
            self.dropped -= 1
        if not element.visible:
            return name
        out = self.out
        if name in _LISTS:
            self.lists.pop()
            out.block(1 if self.lists else 2)
        elif name in _PARAGRAPHS:
            if name == "pre":
                self.in_pre -= 1
            out.block(1 if self.lists else 2)
        elif name in _LINES:
            out.block(1)
        return name

    def _flush(self) -> None:
        if not self.data:
            return
        text = "".join(self.data)
        self.data.clear()
        if self.dropped:
            return
        if self.in_pre:
            self.out.verbatim(text)
        else:
            self.out.inline(text)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: paragraphs split by blank lines, list items marked."""
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError as error:  # html.parser's complaint about a malformed declaration
        raise ParserRejectedMarkup(error) from error
    return parser.text()


def _start_number(start: str | None) -> int:
    if start is not None and start.strip().lstrip("-").isdigit():
        return int(start)
    return 1

"""html_to_text gives exactly the text of walking BeautifulSoup's tree, as it did before it
stopped building one: stored texts are what claims are anchored in, so no offset may move."""

import warnings

import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PreformattedString, Tag
from bs4.exceptions import ParserRejectedMarkup
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.imports.importers import html
from apps.imports.importers.html import html_to_text


def tree_text(markup: str) -> str:
    """The previous html_to_text: BeautifulSoup's tree (html.parser) walked in order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "html.parser")
    out = html._Writer()
    lists: list[list[int]] = []
    in_pre = 0
    stack = [(child, False) for child in reversed(soup.contents)]
    while stack:
        node, closing = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):
                (out.verbatim if in_pre else out.inline)(str(node))
            continue
        assert isinstance(node, Tag)
        name = node.name
        if closing:
            if name in html._LISTS:
                lists.pop()
                out.block(1 if lists else 2)
            elif name in html._PARAGRAPHS:
                in_pre -= name == "pre"
                out.block(1 if lists else 2)
            elif name in html._LINES:
                out.block(1)
            continue
        if name in html._DROPPED:
            continue
        if name == "br":
            out.verbatim("\n") if in_pre else out.newline()
            continue
        if name in html._LISTS:
            out.block(1 if lists else 2)
            start = node.get("start")
            lists.append([name == "ol", html._start_number(start)])
        elif name == "li":
            out.block(1)
            marker = "- "
            if lists and lists[-1][0]:
                marker = f"{lists[-1][1]}. "
                lists[-1][1] += 1
            out.prefix("  " * max(len(lists) - 1, 0) + marker)
        elif name in html._PARAGRAPHS:
            out.block(1 if lists else 2)
            in_pre += name == "pre"
        elif name in html._LINES:
            out.block(1)
        elif name in ("td", "th") and node.find_previous_sibling(["td", "th"]) is not None:
            out.inline(" | ")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    return out.text()


def same_text(markup: str) -> None:
    try:
        expected = tree_text(markup)
    except ParserRejectedMarkup:
        with pytest.raises(ParserRejectedMarkup):
            html_to_text(markup)
        return
    assert html_to_text(markup) == expected


TAGS = [
    "p", "div", "br", "pre", "ul", "ol", "li", "td", "th", "tr", "table", "script", "style",
    "svg", "img", "em", "a", "h2", "blockquote", "hr", "textarea", "span", "dl", "dd",
    "template", "iframe", "input", "wbr", "P", "Li", "TD", "rt", "title", "code",
]  # fmt: skip
PIECES = [
    "text", "inner alignment", " ", "  ", "\n", "\t", "\r\n", "\n\n", "\u00a0", "word. Another",
    "&amp;", "&amp", "&foo;", "&#8242;", "&#x41;", "&#128;", "&#0;", "&#xZZ;", "&#12a;",
    "&nbsp;", "&ldquo;", "<!-- c -->", "<!--", "<![CDATA[x]]>", "<!DOCTYPE html>", "<?pi x?>",
    "<![if x]>", "<!x>", "<", ">", "&", "a < b", "x=1", "<ol start='3'>", "<ol start=' -2 '>",
    "<ol start>", "<ol start=x start=5>", "</br>", "<br/>", "<p/>", "<div/>", "<br></br>",
    "<img src=x>", "</img>", "<a href='x'>", "<td colspan=2>", "<pre>  a\n  b</pre>", "<scr",
    "ipt>", "<script>if (a < b) {}</script>",
]  # fmt: skip
piece = st.one_of(
    st.sampled_from(PIECES),
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"<{t}/>"),
    st.text(max_size=5),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(piece, max_size=40).map("".join))
def test_any_markup_gives_the_text_of_the_tree(markup):
    same_text(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<ul><li>a<ul><li>b<ol start=9><li>c</ul></li><li>d</ol>e",  # closed out of order
        "<pre>x<br>  y</pre><pre>z</pre> after",
        "<table><tr><td>a<td>b</tr><tr><th>c</th><td>d</td></tr></table>",
        "<p>one</br>two</p><br>three</br></br>four",
        "<svg><p>hidden</svg><p>shown</p><style><p>hidden</p></style>",
        "<textarea><pre>hidden</textarea>x  y",
        "<p>a &amp b &copy; &#x2032; &#150; &#99999999; &unknown; c</p>",
        "<!DOCTYPE html><html><head><title>t</title></head><body><p>b</p></body></html>",
        "<p>unclosed <em>emphasis <div>block</p> tail",
        "<li>no list</li><ol><li>one<li>two</ol>",
        "x <!-- a -->  <!-- b --> y<![CDATA[ z ]]>w",
        "<![foo]>rejected",
    ],
)
def test_known_shapes_give_the_text_of_the_tree(markup):
    same_text(markup)

"""html_to_text: forum comment HTML to the plain text that claims are anchored in."""

import pytest

from apps.imports.importers.html import html_to_text


def test_paragraphs_are_separated_by_one_blank_line():
    html = (
        "<p>Outer alignment first.</p>\n\n<p>Inner   alignment\n  second.</p>"
        "<p></p><h2>Robustness</h2>"
    )

    assert html_to_text(html) == "Outer alignment first.\n\nInner alignment second.\n\nRobustness"


def test_inline_markup_keeps_its_text_and_links_keep_their_words_not_urls():
    html = (
        "<p>A <em>mesa</em>-<strong>optimizer</strong> is "
        '<a href="https://x.test/a">defined here</a>.</p>'
    )

    text = html_to_text(html)

    assert text == "A mesa-optimizer is defined here."
    assert "x.test" not in text


def test_entities_are_unescaped_once():
    html = (
        "<p>&ldquo;robustness&rdquo; &amp; &lsquo;inner&rsquo;&nbsp;alignment &mdash; L&#8242;</p>"
    )

    assert (
        html_to_text(html) == "\u201crobustness\u201d & \u2018inner\u2019 alignment \u2014 L\u2032"
    )


def test_script_style_and_iframe_content_is_dropped():
    html = (
        "<style>p { color: red }</style><p>kept</p><script>track('inner alignment')</script>"
        "<iframe src='https://x.test'>fallback words</iframe><noscript>enable js</noscript>"
        "<!-- an HTML comment -->"
    )

    assert html_to_text(html) == "kept"


def test_line_breaks_and_divs_start_new_lines():
    assert html_to_text("<p>one<br>two<br/><br>three</p>") == "one\ntwo\n\nthree"
    assert html_to_text("<div>first</div><div>second</div>") == "first\nsecond"


def test_list_items_are_marked_and_ordered_lists_numbered():
    html = (
        "<p>Senses:</p><ul><li>training distribution</li><li><p>infinite data</p></li></ul>"
        "<ol start='3'><li>researcher<ol><li>agent</li></ol></li><li>sub-agent</li></ol>"
    )

    assert html_to_text(html) == (
        "Senses:\n\n- training distribution\n- infinite data\n\n"
        "3. researcher\n  1. agent\n4. sub-agent"
    )


def test_preformatted_text_keeps_its_spacing():
    html = "<p>Objective:</p><pre>loss  = reward\n    - penalty</pre>"

    assert html_to_text(html) == "Objective:\n\nloss  = reward\n    - penalty"


def test_table_cells_are_separated_and_rows_are_lines():
    html = (
        "<table><tr><th>term</th><th>sense</th></tr><tr><td>outer</td><td>reward</td></tr></table>"
    )

    assert html_to_text(html) == "term | sense\nouter | reward"


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<p></p>", "<script>x()</script>", "<br><br>"],
)
def test_empty_html_gives_empty_text(html):
    assert html_to_text(html) == ""


def test_text_that_looks_like_a_url_is_plain_text_not_a_warning():
    # bs4 warns when markup looks like a URL; warnings are errors in this test suite.
    assert (
        html_to_text("https://example.org/inner-alignment") == "https://example.org/inner-alignment"
    )


def test_deeply_nested_markup_does_not_overflow_the_stack():
    html = "<div>" * 3000 + "deep" + "</div>" * 3000

    assert html_to_text(html) == "deep"


def test_never_returns_markup():
    html = (
        "<article><h1>Title</h1><section><p>Body with <span class='x'>span</span></p>"
        "</section></article>"
    )

    text = html_to_text(html)

    assert "<" not in text and ">" not in text
    assert text == "Title\n\nBody with span"

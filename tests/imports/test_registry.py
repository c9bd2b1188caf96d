"""parse_thread and FORMATS: choosing the importer, decoding, and the shared reply-tree order."""

import json
from pathlib import Path

import pytest

from apps.imports.importers import FORMATS, parse_thread
from apps.imports.importers.base import ImportFormatError, ParsedComment
from apps.imports.importers.tree import order_replies

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def error_message(content, format=None) -> str:
    with pytest.raises(ImportFormatError) as caught:
        parse_thread(content, format)
    return caught.value.message


def test_formats_are_registered_in_detection_order():
    assert list(FORMATS) == ["forummagnum", "discourse", "reddit", "hackernews", "text", "w3c"]
    assert all(name == module.FORMAT for name, module in FORMATS.items())


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("forummagnum_post.json", "alignment_forum"),
        ("discourse_topic.json", "discourse"),
        ("reddit_thread.json", "reddit"),
        ("hackernews_item.json", "hackernews"),
        ("pasted_thread.txt", "text"),
    ],
)
def test_format_is_detected_from_the_content(name, source):
    content = fixture_bytes(name)

    from_bytes = parse_thread(content)
    from_text = parse_thread(content.decode("utf-8"))

    assert from_bytes.source == from_text.source == source
    assert from_bytes == from_text


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("forummagnum_post.json", "forummagnum"),
        ("discourse_topic.json", "discourse"),
        ("reddit_thread.json", "reddit"),
        ("hackernews_item.json", "hackernews"),
        ("pasted_thread.txt", "text"),
    ],
)
def test_named_format_gives_the_same_result_as_detection(name, format):
    content = fixture_bytes(name)

    assert parse_thread(content, format) == parse_thread(content)


def test_json_read_as_text_when_asked():
    thread = parse_thread('[Edit: "inner alignment" here means objective robustness.]', "text")

    assert thread.source == "text"
    assert thread.comments[0].text.startswith("[Edit:")


def test_title_option_overrides_every_format():
    for name in ("forummagnum_post.json", "discourse_topic.json", "pasted_thread.txt"):
        assert parse_thread(fixture_bytes(name), title="Senses of robustness").title == (
            "Senses of robustness"
        )


def test_byte_order_mark_is_ignored():
    content = b"\xef\xbb\xbf" + fixture_bytes("discourse_topic.json")

    assert parse_thread(content).external_id == "4821"


def test_unknown_format_names_the_supported_ones():
    message = error_message("inner alignment", "mastodon")

    assert "'mastodon'" in message
    assert "forummagnum, discourse, reddit, hackernews, text" in message


def test_bytes_that_are_not_utf8_name_the_offset():
    content = b"Outer alignment caf\xe9"

    message = error_message(content)

    assert "UTF-8" in message and "offset 19" in message and "0xe9" in message


@pytest.mark.parametrize("content", ["", "   \n\t\r\n", b"", b"\n\n"])
def test_empty_content(content):
    assert error_message(content).startswith("The file is empty")


@pytest.mark.parametrize("content", ["inner\x00alignment", "inner alignment".encode("utf-16-le")])
def test_nul_characters(content):
    message = error_message(content)

    assert "NUL" in message and "offset" in message


def test_malformed_json_names_line_and_column():
    message = error_message(fixture_bytes("forummagnum_truncated.json"))

    assert "not valid JSON" in message and "line 12" in message and "column" in message


def test_malformed_json_is_an_error_even_for_a_named_json_format():
    message = error_message("not json at all", "discourse")

    assert "not valid JSON" in message and "line 1, column 1" in message


def test_json_of_an_unknown_shape_is_not_read_as_text():
    for content in ('{"kind": "Listing", "data": {"children": []}}', "[1, 2, 3]"):
        message = error_message(content)

        assert "not in a known format" in message
        assert "ForumMagnum" in message and "Discourse" in message
        assert "Reddit" in message and "Hacker News" in message
        assert "forummagnum, discourse, reddit, hackernews, text" in message


def test_json_nested_too_deeply():
    assert "nested too deeply" in error_message("[" * 100_000 + "]" * 100_000)


def test_discourse_shape_is_not_mistaken_for_forummagnum():
    data = json.loads(fixture_bytes("discourse_topic.json"))
    data["post"] = {"note": "an unrelated field"}  # would look like ForumMagnum if tried first

    assert parse_thread(json.dumps(data)).source == "discourse"


# --- order_replies --------------------------------------------------------------------------


def c(external_id: str, parent: str | None = None) -> ParsedComment:
    return ParsedComment(
        external_id=external_id, text=f"text of {external_id}", parent_external_id=parent
    )


def ids(comments) -> list[str]:
    return [comment.external_id for comment in comments]


def test_order_keeps_a_valid_order_unchanged():
    comments = [c("a"), c("b", "a"), c("x"), c("c", "b"), c("d", "a")]

    assert order_replies(comments) == comments


def test_order_moves_replies_after_their_parents_and_keeps_the_rest():
    comments = [c("c", "b"), c("a"), c("x"), c("b", "a"), c("y")]

    assert ids(order_replies(comments)) == ["a", "x", "b", "c", "y"]


def test_order_rejects_a_missing_parent():
    with pytest.raises(
        ImportFormatError, match=r"Comment 'b' replies to comment 'zz', which is not"
    ):
        order_replies([c("a"), c("b", "zz")])


def test_order_rejects_a_cycle_and_names_it():
    with pytest.raises(ImportFormatError) as caught:
        order_replies([c("root"), c("a", "c"), c("b", "a"), c("c", "b")])

    assert "cycle" in caught.value.message
    assert caught.value.detail["cycle"] == ["a", "c", "b", "a"]


def test_order_rejects_a_duplicate_id():
    with pytest.raises(ImportFormatError, match="Comment 'a' appears twice"):
        order_replies([c("a"), c("a")])


def test_order_uses_the_given_description():
    with pytest.raises(ImportFormatError, match=r"Post #7 replies to post #9"):
        order_replies([c("7", "9")], describe=lambda external_id: f"post #{external_id}")


def test_order_handles_long_reply_chains():
    chain = [c("0")] + [c(str(i), str(i - 1)) for i in range(1, 5000)]

    assert ids(order_replies(reversed(chain))) == ids(chain)

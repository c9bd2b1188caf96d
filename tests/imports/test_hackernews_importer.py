"""The "hackernews" importer: an Algolia item with its recursive children."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.importers import FORMATS, hackernews, parse_thread
from apps.imports.importers.base import ImportFormatError

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "hackernews_item.json"
STORY = "39612345"


@pytest.fixture
def story() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def child(item: dict, *indexes: int) -> dict:
    for index in indexes:
        item = item["children"][index]
    return item


def parse(data):
    return hackernews.parse(json.dumps(data))


def by_id(data) -> dict:
    return {c.external_id: c for c in parse(data).comments}


def test_fixture_thread_fields(story):
    thread = parse(story)

    assert thread.source == "hackernews"
    assert thread.external_id == STORY
    assert thread.title == 'Ask HN: Does "inner alignment" mean anything without mesa-optimizers?'
    assert thread.source_url == "https://news.ycombinator.com/item?id=39612345"


def test_fixture_tree_shape(story):
    assert [(c.external_id, c.parent_external_id) for c in parse(story).comments] == [
        (STORY, None),
        ("39612400", STORY),
        ("39612455", "39612400"),
        ("39612501", "39612455"),
        ("39612530", "39612501"),
        ("39612650", STORY),
    ]


def test_fixture_authors_dates_scores_and_urls(story):
    items = by_id(story)

    assert items[STORY].author == "kestrel"
    assert items["39612400"].author == "pvalue_pete"
    assert items[STORY].posted_at == datetime(2024, 3, 6, 14, 2, 11, tzinfo=UTC)
    assert items["39612530"].posted_at == datetime(2024, 3, 6, 15, 0, 11, tzinfo=UTC)
    assert items[STORY].score == 142
    assert items["39612400"].score is None
    assert items["39612650"].url == "https://news.ycombinator.com/item?id=39612650"


def test_html_is_converted_to_text(story):
    items = by_id(story)

    assert all("<" not in c.text and "&quot;" not in c.text for c in items.values())
    assert items[STORY].text == (
        'Reading two papers back to back, one uses inner alignment for "the learned policy '
        'behaves well on deployment" and the other for "the model optimizes the base objective".'
        "\n\nDoes the term mean anything once you drop the mesa-optimizer assumption?"
    )
    assert items["39612650"].text.endswith(
        "only if the model is an optimizer. See https://arxiv.org/abs/2105.14111"
    )
    assert "  B: outer = reward right in the limit of infinite data\n" in items["39612530"].text
    assert items["39612530"].text.endswith(
        'Under A, "robustness" is inner alignment; under B it isn\'t.'
    )


def test_deleted_item_with_replies_is_kept_and_dead_leaf_is_dropped(story):
    items = by_id(story)

    assert items["39612455"].text == "[deleted]"
    assert items["39612455"].author == "[deleted]"
    assert "39612610" not in items


def test_deleted_item_without_replies_is_dropped(story):
    child(story, 0, 0)["children"] = []

    items = by_id(story)

    assert "39612455" not in items and "39612501" not in items


def test_item_flagged_dead_or_deleted_counts_as_deleted(story):
    child(story, 2)["dead"] = True

    assert "39612650" not in by_id(story)


def test_link_story_without_text_says_its_link(story):
    story["text"] = None
    story["url"] = "https://arxiv.org/abs/2105.14111"

    assert by_id(story)[STORY].text == "https://arxiv.org/abs/2105.14111"


def test_created_at_i_is_used_without_created_at(story):
    del child(story, 0)["created_at"]

    assert by_id(story)["39612400"].posted_at == datetime(2024, 3, 6, 14, 19, 11, tzinfo=UTC)


def test_a_comment_item_imports_as_a_subthread(story):
    subthread = child(story, 0)

    thread = parse(subthread)

    assert thread.external_id == "39612400"
    assert thread.comments[0].parent_external_id is None
    assert [c.external_id for c in thread.comments] == [
        "39612400",
        "39612455",
        "39612501",
        "39612530",
    ]


def test_nesting_decides_the_parent_when_parent_id_is_missing(story):
    del child(story, 0, 0)["parent_id"]

    assert by_id(story)["39612455"].parent_external_id == "39612400"


def test_detected_automatically(story):
    assert parse_thread(json.dumps(story)) == parse(story)


# --- errors ---------------------------------------------------------------------------------


def assert_error(data, *words: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        parse(data)
    for word in words:
        assert word in caught.value.message, caught.value.message
    return caught.value


def test_top_level_must_be_an_object(story):
    assert_error([story], "The file should be an object", "not a list")


def test_story_without_id(story):
    del story["id"]

    assert_error(story, "The item at $ has no id")


def test_reply_without_id(story):
    del child(story, 0, 0, 0)["id"]

    error = assert_error(story, "A reply at $.children[0].children[0].children[0] has no id")
    assert error.detail["path"] == "$.children[0].children[0].children[0].id"


@pytest.mark.parametrize("value", ["39612400", 3.5, True])
def test_id_of_the_wrong_type(story, value):
    child(story, 0)["id"] = value

    assert_error(story, "$.children[0].id", "whole number")


def test_negative_id(story):
    child(story, 0)["id"] = -4

    assert_error(story, "$.children[0]", "not a positive number")


def test_parent_pointing_at_a_missing_item(story):
    child(story, 0, 0)["parent_id"] = 1

    assert_error(story, "Item 39612455 replies to item 1", "not in the file")


def test_reply_cycle(story):
    child(story, 0)["parent_id"] = 39612530

    assert_error(story, "cycle", "item 39612400", "item 39612530")


def test_same_id_twice(story):
    child(story, 2)["id"] = 39612400

    assert_error(story, "Item 39612400 at $.children[2]", "same id", "$.children[0]")


def test_reply_from_another_story(story):
    child(story, 2)["story_id"] = 1

    assert_error(story, "$.children[2]", "belongs to story 1", f"not to story {STORY}")


def test_children_not_a_list(story):
    child(story, 0)["children"] = {"a": 1}

    assert_error(story, "$.children[0].children should be a list", "an object")


def test_child_not_an_object(story):
    child(story, 0)["children"] = [39612455]

    assert_error(story, "$.children[0].children[0] should be an object", "a number")


def test_text_of_the_wrong_type(story):
    child(story, 0)["text"] = {"html": "<p>robustness</p>"}

    assert_error(story, "$.children[0].text should be a string", "an object")


def test_bad_date(story):
    child(story, 0, 0, 0)["created_at"] = "6 March 2024"

    assert_error(story, "$.children[0].children[0].children[0].created_at", "ISO 8601")


def test_points_of_the_wrong_type(story):
    story["points"] = "lots"

    assert_error(story, "$.points", "whole number")


def test_nothing_to_import(story):
    story["text"] = story["author"] = None
    story["children"] = []

    assert_error(story, f"Item {STORY} has no text and no replies")


# --- detection ------------------------------------------------------------------------------

FIXTURES = FIXTURE.parent


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("forummagnum_post.json", "forummagnum"),
        ("discourse_topic.json", "discourse"),
        ("reddit_thread.json", "reddit"),
        ("hackernews_item.json", "hackernews"),
    ],
)
def test_each_json_shape_is_claimed_by_its_own_format_only(name, format):
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))

    claimed = [module.FORMAT for module in FORMATS.values() if hasattr(module, "looks_like")]
    assert [f for f in claimed if FORMATS[f].looks_like(data)] == [format]
    assert parse_thread(json.dumps(data)) == parse_thread(json.dumps(data), format)


@pytest.mark.parametrize(
    "content",
    [
        '{"kind": "Listing", "data": {"children": []}}',  # comments without their post
        '{"id": 39612345, "title": "Ask HN"}',  # an item without children
        '{"hits": [{"objectID": "39612345"}]}',  # an Algolia search result, not an item
    ],
)
def test_unknown_json_names_every_supported_format(content):
    with pytest.raises(ImportFormatError) as caught:
        parse_thread(content)

    message = caught.value.message
    assert "not in a known format" in message
    assert "a Reddit thread" in message and "a Hacker News (Algolia) item" in message
    assert "forummagnum, discourse, reddit, hackernews, text" in message
    assert caught.value.detail["supported"] == list(FORMATS)

"""The "discourse" importer: a Discourse topic's JSON."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.importers import discourse
from apps.imports.importers.base import ImportFormatError

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "discourse_topic.json"


@pytest.fixture
def topic() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def posts_of(topic: dict) -> list:
    return topic["post_stream"]["posts"]


def parse(data):
    return discourse.parse(json.dumps(data))


def test_fixture_thread_fields(topic):
    thread = parse(topic)

    assert thread.source == "discourse"
    assert thread.external_id == "4821"
    assert thread.title == "Is \u201cobjective robustness\u201d just inner alignment?"
    assert thread.source_url == ""


def test_fixture_tree_shape(topic):
    thread = parse(topic)

    assert [(c.external_id, c.parent_external_id) for c in thread.comments] == [
        ("30101", None),
        ("30102", "30101"),  # reply_to_post_number null: a reply to the opening post
        ("30105", "30102"),
        ("30107", "30105"),
        ("30110", "30101"),
        ("30111", "30110"),
    ]


def test_fixture_authors_dates_and_text(topic):
    by_id = {c.external_id: c for c in parse(topic).comments}

    assert by_id["30101"].author == "mira_h"
    assert by_id["30102"].author == "oskar"
    assert by_id["30101"].posted_at == datetime(2024, 3, 5, 10, 12, 44, 120000, tzinfo=UTC)
    assert all("<" not in c.text for c in by_id.values())
    assert by_id["30101"].text.endswith(
        "off-distribution.\n\nIs there any case where they come apart?"
    )
    assert "\u201cinner alignment\u201d has drifted" in by_id["30107"].text
    assert by_id["30107"].text.endswith(
        "\n\n1. the mesa-objective matches the base objective"
        "\n2. the behaviour stays good under distribution shift"
    )


def test_deleted_post_with_a_reply_is_kept_and_an_empty_action_is_dropped(topic):
    by_id = {c.external_id: c for c in parse(topic).comments}

    assert by_id["30110"].text == "[deleted]"
    assert "30112" not in by_id


def test_raw_is_used_when_there_is_no_cooked_html(topic):
    del posts_of(topic)[1]["cooked"]
    posts_of(topic)[1]["raw"] = "Inner alignment **needs** a mesa-optimizer."

    by_id = {c.external_id: c for c in parse(topic).comments}

    assert by_id["30102"].text == "Inner alignment **needs** a mesa-optimizer."


def test_fancy_title_is_unescaped_when_title_is_missing(topic):
    del topic["title"]

    assert parse(topic).title == "Is \u201cobjective robustness\u201d just inner alignment?"


def test_posts_out_of_order_are_reordered(topic):
    posts_of(topic).reverse()

    ids = [c.external_id for c in parse(topic).comments]

    assert ids.index("30101") < ids.index("30102") < ids.index("30105") < ids.index("30107")


def test_the_same_post_twice_is_imported_once(topic):
    posts_of(topic).append(copy.deepcopy(posts_of(topic)[2]))

    assert [c.external_id for c in parse(topic).comments].count("30105") == 1


# --- errors ---------------------------------------------------------------------------------


def assert_error(data, *words: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        parse(data)
    for word in words:
        assert word in caught.value.message
    return caught.value


def test_reply_to_a_post_not_in_the_file_names_both_numbers(topic):
    posts_of(topic)[3]["reply_to_post_number"] = 12

    assert_error(topic, "Post #4", "post #12", "not in the file")


def test_reply_cycle(topic):
    posts_of(topic)[1]["reply_to_post_number"] = 4

    assert_error(topic, "cycle", "post #2", "post #3", "post #4")


def test_no_opening_post(topic):
    del posts_of(topic)[0]

    assert_error(topic, "no post #1", "opening post")


def test_duplicate_post_number_with_different_content(topic):
    twin = copy.deepcopy(posts_of(topic)[2])
    twin["cooked"] = "<p>robustness is something else</p>"
    posts_of(topic).append(twin)

    assert_error(topic, "Post #3", "twice", "different content", "posts[2]", "posts[7]")


def test_duplicate_post_id_on_two_numbers(topic):
    posts_of(topic)[2]["id"] = 30102

    assert_error(topic, "Posts #2 and #3", "same id 30102")


@pytest.mark.parametrize("missing", ["id", "post_number"])
def test_post_without_id_or_number(topic, missing):
    del posts_of(topic)[1][missing]

    assert_error(topic, "post_stream.posts[1]", f"has no {missing}")


def test_post_number_of_the_wrong_type(topic):
    posts_of(topic)[1]["post_number"] = "two"

    assert_error(topic, "post_stream.posts[1].post_number", "whole number")


def test_posts_not_a_list(topic):
    topic["post_stream"]["posts"] = {"1": posts_of(topic)[0]}

    assert_error(topic, "post_stream.posts", "should be a list")


def test_missing_post_stream(topic):
    del topic["post_stream"]

    assert_error(topic, "post_stream", "should be an object")


def test_topic_without_id(topic):
    del topic["id"]

    assert_error(topic, "topic has no id")


def test_bad_date(topic):
    posts_of(topic)[0]["created_at"] = "5 March"

    assert_error(topic, "created_at", "ISO 8601")

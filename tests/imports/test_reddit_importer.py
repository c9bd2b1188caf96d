"""The "reddit" importer: a Reddit thread's JSON, with nested replies and "more" stubs."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.importers import parse_thread, reddit
from apps.imports.importers.base import ImportFormatError

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "reddit_thread.json"
POST = "1b7qx4z"
PERMALINK = "https://www.reddit.com/r/ControlProblem/comments/1b7qx4z/"


@pytest.fixture
def thread() -> list:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def post_of(thread: list) -> dict:
    return thread[0]["data"]["children"][0]["data"]


def top_level(thread: list) -> list:
    return thread[1]["data"]["children"]


def comment(thread: list, *indexes: int) -> dict:
    """The comment at top-level index, then reply indexes, e.g. comment(t, 0, 0) is 0's reply."""
    things = top_level(thread)
    data: dict = {}
    for index in indexes:
        data = things[index]["data"]
        things = data["replies"]["data"]["children"] if data.get("replies") else []
    return data


def parse(data):
    return reddit.parse(json.dumps(data))


def by_id(data) -> dict:
    return {c.external_id: c for c in parse(data).comments}


def test_fixture_thread_fields(thread):
    parsed = parse(thread)

    assert parsed.source == "reddit"
    assert parsed.external_id == POST
    # Reddit escapes "&" in titles as "&amp;".
    assert parsed.title == (
        'Is "outer alignment" about the training data or the limit of infinite data? '
        "Senses & decompositions"
    )
    assert parsed.source_url.startswith(PERMALINK)


def test_fixture_tree_shape(thread):
    assert [(c.external_id, c.parent_external_id) for c in parse(thread).comments] == [
        (POST, None),
        ("kt3a001", POST),
        ("kt3a002", "kt3a001"),
        ("kt3a003", "kt3a002"),
        ("kt3a004", "kt3a003"),
        ("kt3a005", POST),
        ("kt3a006", "kt3a005"),
    ]


def test_fixture_authors_dates_scores_and_urls(thread):
    comments = by_id(thread)

    assert comments[POST].author == "lattice_of_ends"
    assert comments["kt3a002"].author == "mesa_skeptic"
    assert comments["kt3a003"].author == "[deleted]"  # the account is gone, the text is not
    assert comments[POST].posted_at == datetime(2024, 3, 5, 9, 52, 44, tzinfo=UTC)
    assert comments["kt3a001"].posted_at == datetime(2024, 3, 5, 10, 4, 44, tzinfo=UTC)
    assert comments[POST].score == 57 and comments["kt3a001"].score == 31
    assert comments["kt3a001"].url == (
        "https://www.reddit.com/r/ControlProblem/comments/1b7qx4z/"
        "is_outer_alignment_about_the_training_data_or_the/kt3a001/"
    )


def test_markdown_body_is_used_with_entities_unescaped(thread):
    comments = by_id(thread)

    assert comments[POST].text.startswith('Two people in my reading group use "outer alignment"')
    assert "different senses & keep talking" in comments[POST].text
    assert '"objective robustness" & "inner alignment"' in comments["kt3a003"].text
    assert "first two rungs > and" in comments["kt3a006"].text
    assert "*in the limit of infinite data*" in comments["kt3a002"].text


def test_body_html_is_converted_when_there_is_no_body(thread):
    del comment(thread, 0, 0, 0, 0)["body"]

    assert by_id(thread)["kt3a004"].text == (
        "Close to it. Objective robustness is defined for any policy, through its behavioural "
        "objective; inner alignment only makes sense if there is a mesa-optimizer inside."
        "\n\nSo: same concept for optimizers, different concepts in general."
    )


def test_unescaped_body_html_is_read_as_html(thread):
    data = comment(thread, 0)
    data["body"] = ""
    data["body_html"] = '<div class="md"><p>Outer alignment &amp; robustness</p></div>'

    assert by_id(thread)["kt3a001"].text == "Outer alignment & robustness"


def test_removed_comment_with_a_reply_is_kept_and_deleted_leaf_is_dropped(thread):
    comments = by_id(thread)

    assert comments["kt3a005"].text == "[removed]"
    assert comments["kt3a006"].parent_external_id == "kt3a005"
    assert "kt3a007" not in comments


def test_removed_comment_without_replies_is_dropped(thread):
    comment(thread, 1)["replies"] = ""

    comments = by_id(thread)

    assert "kt3a005" not in comments and "kt3a006" not in comments


def test_more_stubs_are_not_comments_and_are_counted(thread):
    comments = by_id(thread)

    assert not any(external_id.startswith("kt3a01") for external_id in comments)
    assert "kt3a009" not in comments
    # 3 behind "load more" under kt3a002 and 12 under the post.
    assert parse(thread).missing_comments == 15


def test_continue_this_thread_stub_counts_as_at_least_one(thread):
    top_level(thread).append(
        {"kind": "more", "data": {"count": 0, "id": "_", "parent_id": "t1_kt3a001", "children": []}}
    )

    assert parse(thread).missing_comments == 16


def test_no_comment_listing_imports_the_post_alone(thread):
    parsed = parse(thread[:1])

    assert [c.external_id for c in parsed.comments] == [POST]
    assert parse(thread[:1]).missing_comments == 0


def test_link_post_without_selftext_says_its_link(thread):
    post = post_of(thread)
    post["selftext"] = post["selftext_html"] = ""
    post["url"] = "https://arxiv.org/abs/1906.01820"

    assert by_id(thread)[POST].text == "https://arxiv.org/abs/1906.01820"


def test_flattened_comments_keep_their_tree_by_parent_id(thread):
    flat = []
    for indexes in [(0,), (0, 0), (0, 0, 0), (0, 0, 0, 0), (1,), (1, 0)]:
        data = dict(comment(thread, *indexes), replies="")
        flat.append({"kind": "t1", "data": data})
    thread[1]["data"]["children"] = list(reversed(flat))

    # Replies listed before their parents move down just enough to follow them.
    assert [(c.external_id, c.parent_external_id) for c in parse(thread).comments] == [
        (POST, None),
        ("kt3a005", POST),
        ("kt3a006", "kt3a005"),
        ("kt3a001", POST),
        ("kt3a002", "kt3a001"),
        ("kt3a003", "kt3a002"),
        ("kt3a004", "kt3a003"),
    ]


def test_nesting_decides_the_parent_when_parent_id_is_missing(thread):
    del comment(thread, 0, 0)["parent_id"]

    assert by_id(thread)["kt3a002"].parent_external_id == "kt3a001"


def test_id_is_taken_from_name_when_id_is_missing(thread):
    del comment(thread, 0)["id"]

    assert "kt3a001" in by_id(thread)


def test_detected_automatically(thread):
    assert parse_thread(json.dumps(thread)) == parse(thread)


# --- errors ---------------------------------------------------------------------------------


def assert_error(data, *words: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        parse(data)
    for word in words:
        assert word in caught.value.message, caught.value.message
    return caught.value


def test_top_level_must_be_a_list():
    assert_error({"kind": "Listing"}, "The file should be a list", "not an object")


def test_top_level_of_three_listings(thread):
    assert_error([*thread, thread[1]], "list of two listings", "not of 3")


def test_first_listing_is_not_a_listing(thread):
    thread[0]["kind"] = "t3"

    assert_error(thread, "$[0].kind", '"Listing"', "'t3'")


def test_post_listing_without_the_post(thread):
    thread[0]["data"]["children"] = []

    assert_error(thread, "$[0].data.children", "one t3", "not 0")


def test_post_of_the_wrong_kind(thread):
    thread[0]["data"]["children"][0]["kind"] = "t1"

    assert_error(thread, "$[0].data.children[0].kind", '"t3"')


def test_post_without_id(thread):
    del post_of(thread)["id"]
    del post_of(thread)["name"]

    assert_error(thread, "The post at $[0].data.children[0].data has no id")


def test_comment_without_id(thread):
    del comment(thread, 0, 0)["id"]
    del comment(thread, 0, 0)["name"]

    error = assert_error(thread, "A comment at", "has no id")
    assert error.detail["path"] == ("$[1].data.children[0].data.replies.data.children[0].data.id")


def test_comment_id_of_the_wrong_type(thread):
    comment(thread, 1)["id"] = 12345

    assert_error(thread, "$[1].data.children[1].data", "not a string: 12345")


def test_parent_pointing_at_a_missing_comment(thread):
    comment(thread, 0, 0)["parent_id"] = "t1_zzz999"

    assert_error(thread, "Comment 'kt3a002' replies to comment 'zzz999'", "not in the file")


def test_parent_pointing_at_another_post(thread):
    comment(thread, 0)["parent_id"] = "t3_other1"

    assert_error(thread, "$[1].data.children[0].data", "post 'other1'", f"not to post '{POST}'")


def test_parent_id_without_a_kind_prefix(thread):
    comment(thread, 0)["parent_id"] = "kt3a002"

    assert_error(thread, "$[1].data.children[0].data.parent_id", "t1_<comment id>")


def test_comment_from_another_thread(thread):
    comment(thread, 0)["link_id"] = "t3_other1"

    assert_error(thread, "belongs to 't3_other1'", f"t3_{POST}")


def test_reply_cycle(thread):
    comment(thread, 0)["parent_id"] = "t1_kt3a004"

    assert_error(thread, "cycle", "comment 'kt3a001'", "comment 'kt3a004'")


def test_same_id_twice(thread):
    comment(thread, 1)["id"] = "kt3a001"

    assert_error(thread, "'kt3a001'", "same id", "$[1].data.children[0].data")


def test_comment_with_the_post_id(thread):
    comment(thread, 1)["id"] = POST

    assert_error(thread, f"'{POST}'", "same id", "$[0].data.children[0]")


def test_unknown_kind_in_comments(thread):
    top_level(thread)[0]["kind"] = "t5"

    assert_error(thread, "$[1].data.children[0].kind", '"t1"', '"more"', "'t5'")


def test_replies_of_the_wrong_type(thread):
    comment(thread, 0)["replies"] = ["kt3a002"]

    assert_error(thread, "$[1].data.children[0].data.replies should be an object", "a list")


def test_children_not_a_list(thread):
    thread[1]["data"]["children"] = {"kt3a001": top_level(thread)[0]}

    assert_error(thread, "$[1].data.children should be a list")


def test_body_of_the_wrong_type(thread):
    comment(thread, 0, 0)["body"] = ["outer", "inner"]

    assert_error(thread, "replies.data.children[0].data.body should be a string", "a list")


@pytest.mark.parametrize(("value", "words"), [("yesterday", "a string"), (True, "a boolean")])
def test_created_utc_of_the_wrong_type(thread, value, words):
    comment(thread, 0)["created_utc"] = value

    assert_error(thread, "$[1].data.children[0].data.created_utc", "seconds since 1970", words)


def test_created_utc_out_of_range(thread):
    post_of(thread)["created_utc"] = 1e20

    assert_error(thread, "$[0].data.children[0].data.created_utc is out of range")


def test_score_of_the_wrong_type(thread):
    comment(thread, 0)["score"] = "many"

    assert_error(thread, "$[1].data.children[0].data.score", "whole number")


def test_more_stub_with_a_bad_count(thread):
    top_level(thread)[-1]["data"]["count"] = "twelve"

    assert_error(thread, "$[1].data.children[3].data.count", "whole number")


def test_nothing_to_import(thread):
    post_of(thread)["selftext"] = "[deleted]"
    thread[1]["data"]["children"] = []

    assert_error(thread, f"Post '{POST}' has no text and no comments")


def test_post_without_body_or_link_is_its_title(thread):
    post = post_of(thread)
    post["selftext"] = post["selftext_html"] = ""

    assert by_id(thread)[POST].text == parse(thread).title


def test_post_without_body_link_or_title_is_a_placeholder_kept_for_its_replies(thread):
    post = post_of(thread)
    post["selftext"] = post["selftext_html"] = post["title"] = ""

    assert by_id(thread)[POST].text == "[deleted]"

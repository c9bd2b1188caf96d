"""The "forummagnum" importer: LessWrong / Alignment Forum / EA Forum GraphQL JSON."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.importers import forummagnum
from apps.imports.importers.base import ImportFormatError

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "forummagnum_post.json"
POST_ID = "pQx7Lm2RaT9kWe4Ns"


@pytest.fixture
def envelope() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def post_of(envelope: dict) -> dict:
    return envelope["data"]["post"]["result"]


def comments_of(envelope: dict) -> list:
    return envelope["data"]["comments"]["results"]


def parse(data) -> object:
    return forummagnum.parse(json.dumps(data))


def comment(_id: str, parent: str | None, html: str = "<p>inner alignment</p>") -> dict:
    return {"_id": _id, "parentCommentId": parent, "htmlBody": html, "user": {"username": "x"}}


def test_fixture_thread_fields(envelope):
    thread = parse(envelope)

    assert thread.source == "alignment_forum"
    assert thread.external_id == POST_ID
    assert thread.title == "Three readings of \u201couter alignment\u201d"
    assert thread.source_url == post_of(envelope)["pageUrl"]


def test_fixture_tree_shape_with_the_post_as_root(envelope):
    thread = parse(envelope)

    parents = {c.external_id: c.parent_external_id for c in thread.comments}
    assert parents == {
        POST_ID: None,
        "cA1xr8Ty": POST_ID,
        "cB2pq0Lm": "cA1xr8Ty",
        "cC3vv5Qe": "cB2pq0Lm",
        "cD4ab1Zz": "cC3vv5Qe",
        "cE5dd7Xy": POST_ID,
        "cF6kk2Wq": "cE5dd7Xy",
        "cH8mm4Uv": "cA1xr8Ty",
    }
    seen: set[str] = set()
    for c in thread.comments:
        assert c.parent_external_id is None or c.parent_external_id in seen
        seen.add(c.external_id)


def test_fixture_authors_dates_scores_and_urls(envelope):
    by_id = {c.external_id: c for c in parse(envelope).comments}

    assert by_id[POST_ID].author == "Ada Quill"
    assert by_id["cA1xr8Ty"].author == "Bram Oster"
    assert by_id["cF6kk2Wq"].author == "dana_p"  # empty displayName falls back to username
    assert by_id["cE5dd7Xy"].author == "[deleted]"  # user null
    assert by_id[POST_ID].posted_at == datetime(2024, 2, 11, 16, 5, tzinfo=UTC)
    assert by_id["cA1xr8Ty"].posted_at == datetime(2024, 2, 11, 17, 20, 3, 500000, tzinfo=UTC)
    assert all(c.posted_at.tzinfo is not None for c in by_id.values())
    assert by_id[POST_ID].score == 42 and by_id["cC3vv5Qe"].score == 12
    assert by_id["cA1xr8Ty"].url.endswith("?commentId=cA1xr8Ty")


def test_fixture_html_becomes_plain_text(envelope):
    by_id = {c.external_id: c for c in parse(envelope).comments}

    post = by_id[POST_ID].text
    assert all("<" not in c.text for c in by_id.values())
    assert "one another & nobody noticed." in post
    assert "\u201cin the limit of infinite data\u201d" in post
    assert "\n\n1. the reward is right on the training distribution;\n2. " in post
    assert "trackRead" not in post  # script content dropped
    assert "example.org" not in post and "Which one do you mean?" in post
    assert by_id["cB2pq0Lm"].text.endswith(
        "inner alignment failure \u2014 you would call it a robustness failure?"
    )
    assert by_id["cC3vv5Qe"].text.count("\n\n") == 1
    assert "- outer alignment in the limit of infinite data\n- " in by_id["cH8mm4Uv"].text
    # contents.markdown is taken as plain text.
    assert by_id["cD4ab1Zz"].text.startswith(
        'Only if the model is a mesa-optimizer at all. Without that, "learned'
    )


def test_deleted_comment_kept_only_when_it_has_replies(envelope):
    by_id = {c.external_id: c for c in parse(envelope).comments}

    assert by_id["cE5dd7Xy"].text == "[deleted]"
    assert "cG7nn3Rt" not in by_id


def test_deleted_chain_without_live_replies_is_dropped_entirely(envelope):
    deleted = {"deleted": True, "user": None, "contents": None}
    comments_of(envelope).extend(
        [
            {"_id": "dz1", "parentCommentId": None, **deleted},
            {"_id": "dz2", "parentCommentId": "dz1", **deleted},
        ]
    )

    ids = {c.external_id for c in parse(envelope).comments}

    assert "dz1" not in ids and "dz2" not in ids


def test_flat_envelope_with_a_comment_list():
    data = {
        "post": {
            "_id": "p1",
            "title": "Mesa",
            "pageUrl": "https://www.lesswrong.com/posts/p1/mesa",
            "contents": {"markdown": "Is a mesa-optimizer an optimizer?"},
        },
        "comments": [comment("c1", None), comment("c2", "c1")],
    }

    thread = parse(data)

    assert thread.source == "lesswrong"
    assert [c.external_id for c in thread.comments] == ["p1", "c1", "c2"]
    assert thread.comments[0].text == "Is a mesa-optimizer an optimizer?"


@pytest.mark.parametrize("comments", [[comment("c1", None)], {"results": [comment("c1", None)]}])
def test_comments_nested_in_the_post_result(comments):
    data = {
        "data": {"post": {"result": {"_id": "p1", "htmlBody": "<p>q</p>", "comments": comments}}}
    }

    assert [c.external_id for c in parse(data).comments] == ["p1", "c1"]


def test_post_without_comments():
    thread = parse(
        {"data": {"post": {"result": {"_id": "p1", "title": "Alone", "htmlBody": "<p>q</p>"}}}}
    )

    assert [(c.external_id, c.text, c.author) for c in thread.comments] == [
        ("p1", "q", "[deleted]")
    ]


@pytest.mark.parametrize(
    ("page_url", "source"),
    [
        ("https://www.lesswrong.com/posts/p1/x", "lesswrong"),
        ("https://www.alignmentforum.org/posts/p1/x", "alignment_forum"),
        ("https://forum.effectivealtruism.org/posts/p1/x", "ea_forum"),
        ("https://example.org/posts/p1/x", "lesswrong"),
        ("", "lesswrong"),
    ],
)
def test_source_from_the_page_url_host(page_url, source):
    data = {"post": {"_id": "p1", "htmlBody": "<p>q</p>", "pageUrl": page_url}, "comments": []}

    assert parse(data).source == source


def test_a_reply_listed_before_its_parent_moves_after_it():
    data = {
        "post": {"_id": "p1", "htmlBody": "<p>q</p>"},
        "comments": [comment("c3", "c2"), comment("c1", None), comment("c2", "c1")],
    }

    assert [c.external_id for c in parse(data).comments] == ["p1", "c1", "c2", "c3"]


def test_the_same_comment_twice_is_imported_once(envelope):
    comments_of(envelope).append(copy.deepcopy(comments_of(envelope)[0]))

    ids = [c.external_id for c in parse(envelope).comments]

    assert ids.count("cA1xr8Ty") == 1


# --- errors ---------------------------------------------------------------------------------


def assert_error(data, *words: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        parse(data)
    for word in words:
        assert word in caught.value.message
    return caught.value


def test_post_without_id(envelope):
    del post_of(envelope)["_id"]

    assert_error(envelope, "post", "has no _id", "data.post.result")


def test_post_id_of_the_wrong_type(envelope):
    post_of(envelope)["_id"] = 17

    assert_error(envelope, "not a string", "17")


def test_comment_without_id(envelope):
    del comments_of(envelope)[2]["_id"]

    assert_error(envelope, "comment", "has no _id", "data.comments.results[2]")


def test_parent_not_in_the_file_names_both_ids(envelope):
    comments_of(envelope)[3]["parentCommentId"] = "gone99"

    error = assert_error(envelope, "cD4ab1Zz", "gone99", "not in the file")
    assert error.detail == {"external_id": "cD4ab1Zz", "parent_external_id": "gone99"}


def test_reply_cycle(envelope):
    comments_of(envelope)[0]["parentCommentId"] = "cC3vv5Qe"

    assert_error(envelope, "cycle", "cA1xr8Ty", "cB2pq0Lm", "cC3vv5Qe")


def test_comment_replying_to_itself(envelope):
    comments_of(envelope)[0]["parentCommentId"] = "cA1xr8Ty"

    assert_error(envelope, "cycle", "cA1xr8Ty")


def test_duplicate_id_with_different_content(envelope):
    twin = copy.deepcopy(comments_of(envelope)[1])
    twin["contents"] = {"html": "<p>robustness, not inner alignment</p>"}
    comments_of(envelope).append(twin)

    assert_error(envelope, "cB2pq0Lm", "twice", "different content", "results[1]", "results[8]")


def test_comment_with_the_post_id(envelope):
    comments_of(envelope)[0]["_id"] = POST_ID

    assert_error(envelope, "same _id as the post")


def test_comment_from_another_post(envelope):
    comments_of(envelope)[0]["postId"] = "otherPost"

    assert_error(envelope, "cA1xr8Ty", "otherPost", POST_ID)


@pytest.mark.parametrize("value", [{"_id": "c1"}, "c1", 3])
def test_comments_not_a_list(envelope, value):
    envelope["data"]["comments"]["results"] = value

    assert_error(envelope, "data.comments.results", "should be a list")


def test_comment_not_an_object(envelope):
    comments_of(envelope)[1] = ["cB2pq0Lm"]

    assert_error(envelope, "data.comments.results[1]", "should be an object")


def test_bad_date(envelope):
    comments_of(envelope)[0]["postedAt"] = "yesterday"

    assert_error(envelope, "postedAt", "ISO 8601", "yesterday")


@pytest.mark.parametrize(
    ("field", "value"), [("user", "bram"), ("htmlBody", 5), ("baseScore", "high")]
)
def test_wrong_field_types(envelope, field, value):
    comments_of(envelope)[0][field] = value

    assert_error(envelope, f"data.comments.results[0].{field}" if field != "user" else "user")


def test_no_post_in_the_envelope():
    assert_error({"data": {"comments": {"results": []}}}, "No post found")


def test_graphql_error_response():
    assert_error(
        {"errors": [{"message": "app.missing_document"}], "data": {"post": None}},
        "GraphQL",
        "missing_document",
    )


def test_top_level_list_is_not_a_post():
    assert_error([{"_id": "c1"}], "should be an object")
